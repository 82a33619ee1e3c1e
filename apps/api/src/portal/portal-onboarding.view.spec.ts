import type { ConfirmPlan, RowOutcome, RowPage } from '@tiersight/onboarding';
import { listedSites, portalRow, writtenOutcomes } from './portal-onboarding.view';

type Item = RowPage['items'][number];

const item = (row: number, exists: boolean): Item => ({
  row,
  input: { name: `Plant ${row}`, supplierRef: 'CST-01' },
  name: `Plant ${row}`,
  address: null,
  city: null,
  postalCode: null,
  country: 'DE',
  supplier: { id: `SUP-OB-${row}`, name: `Plant ${row}`, country: 'DE', ref: 'CST-01' },
  site: { id: `SITE-OB-${row}`, name: `Plant ${row}`, kind: 'plant', country: 'DE', exists },
  location: { lat: 48.78, lon: 9.18, precision: 'city', radiusKm: 14, confidence: 0.8, how: [], place: null },
  status: 'ok',
  issues: [],
  sameAs: null,
  pairs: [],
  sector: null,
  parts: null,
  decision: null,
  duplicates: [],
});

describe("a supplier's list as the portal shows and writes it", () => {
  it('shows no proposed supplier, and a site id only for a site of the caller the row updates', () => {
    const fresh = portalRow(item(2, false));
    expect(fresh).not.toHaveProperty('supplier');
    expect(fresh.site).toEqual({ id: null, name: 'Plant 2', kind: 'plant', country: 'DE', exists: false });
    expect(portalRow(item(3, true)).site).toMatchObject({ id: 'SITE-OB-3', exists: true });
    expect(portalRow({ ...item(4, false), site: null }).site).toBeNull();
  });

  it('writes each planned site with the placement the plan keeps for it', () => {
    const plan = {
      payload: {
        suppliers: [],
        sites: [
          { id: 'SITE-OB-2', supplierId: 'SUP-OWN', name: 'Plant 2', kind: 'plant', lat: 48.78, lon: 9.18, country: 'DE' },
          { id: 'SITE-OB-6', supplierId: 'SUP-OWN', name: 'Plant 6', kind: 'plant', lat: 16.6, lon: 106.7, country: 'VN' },
        ],
      },
      placements: [
        { siteId: 'SITE-OB-2', row: 2, placement: null },
        { siteId: 'SITE-OB-6', row: 6, placement: { precision: 'country', radiusKm: 324, toConfirm: true } },
      ],
      outcomes: [],
      rejections: [],
      problems: [],
    } as ConfirmPlan;
    expect(listedSites(plan)).toEqual([
      { row: 2, plannedId: 'SITE-OB-2', name: 'Plant 2', lat: 48.78, lon: 9.18, country: 'DE', placement: null },
      {
        row: 6,
        plannedId: 'SITE-OB-6',
        name: 'Plant 6',
        lat: 16.6,
        lon: 106.7,
        country: 'VN',
        placement: { precision: 'country', radiusKm: 324, toConfirm: true },
      },
    ]);
  });

  it('answers every written or merged row with the id its site was written under; an existing site keeps its id', () => {
    const outcomes: RowOutcome[] = [
      { row: 2, action: 'write', siteId: 'SITE-OB-2', supplierId: 'SUP-OWN' },
      { row: 3, action: 'merge', siteId: 'SITE-OB-2', into: 'row' },
      { row: 4, action: 'merge', siteId: 'S-own', into: 'site' },
      { row: 5, action: 'reject' },
    ];
    expect(writtenOutcomes(outcomes, { 'SITE-OB-2': 'S-new' })).toEqual([
      { row: 2, action: 'write', siteId: 'S-new', supplierId: 'SUP-OWN' },
      { row: 3, action: 'merge', siteId: 'S-new', into: 'row' },
      { row: 4, action: 'merge', siteId: 'S-own', into: 'site' },
      { row: 5, action: 'reject' },
    ]);
  });
});
