import { planConfirm, type PairDecision, type RowDecision } from './confirm-plan';
import type { ReviewPair, ReviewRow, ReviewStatus } from './review';

/** A review row placed at (lat, lon), with ids of its own. */
function row(n: number, status: ReviewStatus = 'ok', over: Partial<ReviewRow> = {}): ReviewRow {
  const blocked = status === 'blocked';
  return {
    row: n,
    input: {},
    name: `Plant ${n}`,
    address: null,
    city: null,
    postalCode: null,
    country: 'VN',
    supplier: { id: `SUP-OB-${n}`, name: `Plant ${n}`, country: 'VN', ref: null },
    site: { id: `SITE-OB-${n}`, name: `Plant ${n}`, kind: 'plant', country: 'VN', exists: false },
    location: blocked
      ? null
      : { lat: 10 + n / 100, lon: 106, precision: status === 'ok' ? 'city' : 'country', radiusKm: 5, confidence: 0.8, how: [], place: null },
    status,
    issues: blocked ? [{ field: 'country', code: 'country-unknown', message: 'country: "Narnia" is not a country', blocking: true }] : [],
    sameAs: null,
    pairs: [],
    sector: null,
    parts: null,
    ...over,
  };
}

const pair = (id: string, a: ReviewPair['a'], b: ReviewPair['b']): ReviewPair => ({
  id,
  a,
  b,
  score: 0.9,
  evidence: { name: 0.9, address: null, distanceKm: null, geo: null, sharedNameWords: [], nameConflicts: [] },
});
const site = (siteId: string) => ({ siteId, name: siteId, country: 'VN', lat: 10, lon: 106 });
const decisions = <K, V>(entries: Array<[K, V]>) => new Map<K, V>(entries);

describe('planConfirm: a review and its decisions to import rows', () => {
  it('writes ok rows as placed, with their suppliers once each', () => {
    const rows = [row(2), row(3, 'ok', { supplier: { id: 'SUP-OB-2', name: 'Plant 2', country: 'VN', ref: 'V-1' } })];
    const plan = planConfirm(rows, [], new Map(), new Map());
    expect(plan.problems).toEqual([]);
    expect(plan.payload.suppliers).toEqual([{ id: 'SUP-OB-2', name: 'Plant 2', country: 'VN' }]);
    expect(plan.payload.sites).toEqual([
      { id: 'SITE-OB-2', supplierId: 'SUP-OB-2', name: 'Plant 2', kind: 'plant', lat: 10.02, lon: 106, country: 'VN', source: 'buyer' },
      { id: 'SITE-OB-3', supplierId: 'SUP-OB-2', name: 'Plant 3', kind: 'plant', lat: 10.03, lon: 106, country: 'VN', source: 'buyer' },
    ]);
  });

  it('lists every decision still missing: blocked rows, pins to confirm, duplicate proposals', () => {
    const rows = [row(2, 'blocked'), row(3, 'to-confirm'), row(4), row(5)];
    const plan = planConfirm(rows, [pair('d1', { row: 4 }, { row: 5 })], new Map(), new Map());
    expect(plan.problems.map((p) => [p.row ?? p.pair, p.message])).toEqual([
      ['d1', expect.stringContaining('has no decision')],
      [2, expect.stringContaining('"Narnia" is not a country')],
      [3, expect.stringContaining('accept it, edit its coordinates or reject')],
    ]);
    const decided = planConfirm(
      rows,
      [pair('d1', { row: 4 }, { row: 5 })],
      decisions<number, RowDecision>([
        [2, { action: 'reject' }],
        [3, { action: 'accept' }],
      ]),
      decisions<string, PairDecision>([['d1', 'reject']]),
    );
    expect(decided.problems).toEqual([]);
    expect(decided.payload.sites.map((s) => s.id)).toEqual(['SITE-OB-3', 'SITE-OB-4', 'SITE-OB-5']);
    expect(decided.outcomes[0]).toEqual({ row: 2, action: 'reject' });
    expect(decided.rejections).toEqual([['SITE-OB-4', 'SITE-OB-5']]);
  });

  it('writes an edited row at its new coordinates, and a blocked row once its edit gives a country', () => {
    const rows = [row(2, 'blocked', { country: null, supplier: null, site: null }), row(3, 'to-confirm')];
    const plan = planConfirm(
      rows,
      [],
      decisions<number, RowDecision>([
        [2, { action: 'edit', lat: 21.03, lon: 105.85, country: 'VN' }],
        [3, { action: 'edit', lat: 10.8, lon: 106.7 }],
      ]),
      new Map(),
    );
    expect(plan.problems).toEqual([]);
    expect(plan.payload.sites.map((s) => [s.country, s.lat, s.lon])).toEqual([
      ['VN', 21.03, 105.85],
      ['VN', 10.8, 106.7],
    ]);
    expect(plan.payload.sites[0].id).toMatch(/^SITE-OB-[0-9a-f]{16}$/);
    expect(planConfirm(rows.slice(0, 1), [], decisions<number, RowDecision>([[2, { action: 'edit', lat: 1, lon: 1 }]]), new Map()).problems).toEqual([
      expect.objectContaining({ row: 2, message: expect.stringContaining('no usable country') }),
    ]);
  });

  it('merges rows joined by confirmed pairs into the first, and rows joined to an existing site into that site', () => {
    const rows = [row(2), row(3, 'to-confirm'), row(4), row(5), row(6, 'ok', { sameAs: 2 })];
    const plan = planConfirm(
      rows,
      [pair('d1', { row: 2 }, { row: 3 }), pair('d2', { row: 4 }, site('SITE-9')), pair('d3', { row: 5 }, { row: 4 })],
      new Map(),
      decisions<string, PairDecision>([
        ['d1', 'confirm'],
        ['d2', 'confirm'],
        ['d3', 'confirm'],
      ]),
    );
    // Row 3's pin needs no decision: it is merged into row 2, which is written.
    expect(plan.problems).toEqual([]);
    expect(plan.payload.sites.map((s) => s.id)).toEqual(['SITE-OB-2']);
    expect(plan.outcomes).toEqual([
      { row: 2, action: 'write', siteId: 'SITE-OB-2', supplierId: 'SUP-OB-2' },
      { row: 3, action: 'merge', siteId: 'SITE-OB-2', into: 'row' },
      { row: 4, action: 'merge', siteId: 'SITE-9', into: 'site' },
      { row: 5, action: 'merge', siteId: 'SITE-9', into: 'site' },
      { row: 6, action: 'merge', siteId: 'SITE-OB-2', into: 'row' },
    ]);
  });

  it('keeps the next row of a group when its first row is rejected, and refuses to join two existing sites', () => {
    const rows = [row(2), row(3)];
    const kept = planConfirm(
      rows,
      [pair('d1', { row: 2 }, { row: 3 })],
      decisions<number, RowDecision>([[2, { action: 'reject' }]]),
      decisions<string, PairDecision>([['d1', 'confirm']]),
    );
    expect(kept.payload.sites.map((s) => s.id)).toEqual(['SITE-OB-3']);
    const joined = planConfirm(
      rows,
      [pair('d1', { row: 2 }, site('SITE-8')), pair('d2', { row: 2 }, site('SITE-9'))],
      new Map(),
      decisions<string, PairDecision>([
        ['d1', 'confirm'],
        ['d2', 'confirm'],
      ]),
    );
    expect(joined.problems).toEqual([expect.objectContaining({ field: 'pair', message: expect.stringContaining('SITE-8 and SITE-9') })]);
  });

  it('keeps how each written site was placed: a pin accepted to confirm waits for its supplier, an edited one was placed by a person', () => {
    const rows = [row(2), row(3, 'to-confirm'), row(4, 'to-confirm'), row(5, 'ok', { sameAs: 2 })];
    const plan = planConfirm(
      rows,
      [],
      decisions<number, RowDecision>([
        [3, { action: 'accept' }],
        [4, { action: 'edit', lat: 10.78, lon: 106.7 }],
      ]),
      new Map(),
    );
    expect(plan.problems).toEqual([]);
    expect(plan.placements).toEqual([
      { siteId: 'SITE-OB-2', row: 2, placement: { precision: 'city', radiusKm: 5, toConfirm: false } },
      { siteId: 'SITE-OB-3', row: 3, placement: { precision: 'country', radiusKm: 5, toConfirm: true } },
      { siteId: plan.payload.sites[2].id, row: 4, placement: null },
    ]);
    expect(plan.placements.map((p) => p.siteId)).toEqual(plan.payload.sites.map((s) => s.id));
  });

  it("writes a supplier's own list as that supplier's sites, with no supplier row", () => {
    const rows = [row(2), row(3, 'to-confirm', { supplier: { id: 'SUP-OB-other', name: 'Other', country: 'VN', ref: 'V-9' } })];
    const plan = planConfirm(rows, [], decisions<number, RowDecision>([[3, { action: 'accept' }]]), new Map(), { supplierId: 'SUP-OWN' });
    expect(plan.problems).toEqual([]);
    expect(plan.payload.suppliers).toEqual([]);
    expect(plan.payload.sites.map((s) => [s.id, s.supplierId, s.source])).toEqual([
      ['SITE-OB-2', 'SUP-OWN', 'supplier'],
      ['SITE-OB-3', 'SUP-OWN', 'supplier'],
    ]);
    expect(plan.outcomes).toEqual([
      { row: 2, action: 'write', siteId: 'SITE-OB-2', supplierId: 'SUP-OWN' },
      { row: 3, action: 'write', siteId: 'SITE-OB-3', supplierId: 'SUP-OWN' },
    ]);
    expect(plan.placements[1].placement).toEqual({ precision: 'country', radiusKm: 5, toConfirm: true });
  });
});
