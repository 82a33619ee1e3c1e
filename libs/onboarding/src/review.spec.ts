import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENTITY_ID_PATTERN } from '@tiersight/contracts';
import { placeRow } from '@tiersight/place-engine';
import { readList, type ListRow } from './read-list';
import { buildReview, reviewRows, type ExistingSite, type Review } from './review';

const OSH_RAW = join(__dirname, '..', '..', '..', 'fixtures', 'open-supply-hub', 'facility_lists_raw');

async function oshList(list: number): Promise<ListRow[]> {
  return (await readList(new Uint8Array(readFileSync(join(OSH_RAW, `${list}.csv`))), { maxRows: 1000 })).rows;
}

const place = (rows: readonly ListRow[]) => rows.map((r) => placeRow({ ...r.cells }));
const review = (rows: readonly ListRow[], existing: ExistingSite[] = [], rejected: Array<[string, string]> = []): Review =>
  buildReview(reviewRows(rows, place(rows)), existing, rejected);
const listRow = (row: number, cells: ListRow['cells'], refused: ListRow['refused'] = []): ListRow => ({ row, cells, refused });
const rowOf = (r: Review, row: number) => r.rows.find((x) => x.row === row)!;

describe('the review of a supplier list', () => {
  let list3: ListRow[];
  let list7: ListRow[];

  beforeAll(async () => {
    [list3, list7] = await Promise.all([oshList(3), oshList(7)]);
  });

  it('proposes a supplier and a site per row of a real list, with deterministic ids, where it landed, how and how sure', () => {
    const first = review(list3);
    expect(first.rows).toHaveLength(19);
    const usable = first.rows.filter((r) => r.status !== 'blocked');
    expect(usable.length).toBe(19);
    for (const r of usable) {
      expect(r.site!.id).toMatch(ENTITY_ID_PATTERN);
      expect(r.supplier!.id).toMatch(ENTITY_ID_PATTERN);
      expect(r.site!.country).toBe(r.country);
      expect(r.location!.how.length).toBeGreaterThan(0);
      expect(r.status).toBe(r.location!.precision === 'city' && r.location!.confidence >= 0.5 ? 'ok' : 'to-confirm');
    }
    // Regina Miracle, Gongming, Bao'An, Shenzhen: a city answer within Shenzhen's reach.
    const regina = rowOf(first, 5);
    expect(regina).toMatchObject({ country: 'CN', name: 'Regina Miracle Intimate Apparel (Shenzhen) Ltd.' });
    expect(regina.location!.precision).toBe('city');
    expect(Math.abs(regina.location!.lat - 22.6)).toBeLessThan(0.5);
    expect(Math.abs(regina.location!.lon - 114.0)).toBeLessThan(0.5);
    // The same rows give the same ids, whatever else the list holds.
    const again = review(list3.slice(3, 6));
    expect(rowOf(again, 5).site!.id).toBe(regina.site!.id);
    expect(rowOf(again, 5).supplier!.id).toBe(regina.supplier!.id);
    expect(new Set(first.rows.map((r) => r.site!.id)).size).toBe(19);
  });

  it('gives every bad row its reason: unknown country, a refused formula, lost characters, no name, a coarse pin', () => {
    const r = review([
      listRow(2, { name: 'Acme Textiles', address: 'Road 1, Springfield', country: 'Narnia' }),
      listRow(3, { name: 'Saigon Garments', country: 'Vietnam' }),
      listRow(4, { name: 'Star Fashion Co., Ltd.□', address: 'Lot 3, Phu Nghia Industrial Zone, Chuong My District, Hanoi', country: 'Vietnam' }),
      listRow(5, { name: 'Formula Works', country: 'Portugal' }, [{ field: 'address', code: 'formula', message: 'cell B5 holds a formula (=A1)' }]),
      listRow(6, { address: 'Lot 3, Phu Nghia Industrial Zone, Hanoi', country: 'VN' }),
      listRow(7, { name: '=HYPERLINK("http://x")', address: 'Hanoi', country: 'VN' }),
    ]);
    const codes = (row: number) => rowOf(r, row).issues.map((i) => i.code);
    expect(rowOf(r, 2)).toMatchObject({ status: 'blocked', site: null, location: null });
    expect(codes(2)).toContain('country-unknown');
    expect(rowOf(r, 3)).toMatchObject({ status: 'to-confirm', country: 'VN' });
    expect(rowOf(r, 3).location!.precision).toBe('country');
    expect(rowOf(r, 3).issues.find((i) => i.code === 'to-confirm')!.message).toMatch(/coarser than a city/);
    expect(rowOf(r, 4).name).toBe('Star Fashion Co., Ltd.');
    expect(codes(4)).toContain('replacement-characters');
    expect(rowOf(r, 4).status).toBe('ok');
    expect(rowOf(r, 5).issues).toContainEqual({ field: 'address', code: 'formula', message: 'address: cell B5 holds a formula (=A1)', blocking: false });
    expect(rowOf(r, 6)).toMatchObject({ status: 'blocked', supplier: null, site: null });
    expect(codes(6)).toContain('name-missing');
    expect(rowOf(r, 7).status).toBe('blocked');
    expect(codes(7)).toContain('formula');
    expect(r.summary).toMatchObject({ rows: 6, blocked: 3 });
  });

  it('takes rows identical but for lost characters as one site, and proposes rows of one facility as duplicates', () => {
    const r = review([
      listRow(2, { name: 'Taizhou Baolite Shoes Co., Ltd', address: 'Zeguo Town, Wenling City, Zhejiang', country: 'China' }),
      listRow(3, { name: 'Taizhou Baolite Shoes Co., Ltd□', address: 'Zeguo Town, Wenling City, Zhejiang□', country: 'CHINA' }),
      listRow(4, { name: 'Baolite Shoes (Taizhou)', address: 'Zeguo, Wenling, Zhejiang Province', country: 'CN' }),
    ]);
    expect(rowOf(r, 3).sameAs).toBe(2);
    expect(rowOf(r, 3).site!.id).toBe(rowOf(r, 2).site!.id);
    expect(r.summary.identical).toBe(1);
    for (const pair of r.pairs) expect([pair.a, pair.b]).not.toContainEqual({ row: 3 });
  });

  describe('against the sites in the network', () => {
    const regina7 = 8; // list 7, row 8: the Regina Miracle of list 3, row 5, written another way (labelled the same facility)

    function existingFrom3(masked = false): ExistingSite {
      const r = rowOf(review(list3.slice(3, 4)), 5);
      return { id: r.site!.id, name: r.name!, country: 'CN', lat: r.location!.lat, lon: r.location!.lon, masked };
    }

    it('proposes a row and an existing site as one facility, with the evidence', () => {
      const site = existingFrom3();
      const r = review(list7, [site]);
      const pair = r.pairs.find((p) => [p.a, p.b].some((s) => 'siteId' in s && s.siteId === site.id));
      expect(pair).toBeDefined();
      expect([pair!.a, pair!.b]).toContainEqual({ row: regina7 });
      expect(pair!.score).toBeGreaterThanOrEqual(0.8);
      expect(pair!.evidence.sharedNameWords.length).toBeGreaterThan(0);
      expect(rowOf(r, regina7).pairs).toContain(pair!.id);
    });

    it('never proposes a pair a person rejected, nor shows the name of a masked supplier’s site', () => {
      const site = existingFrom3();
      const rowSite = rowOf(review(list7), regina7).site!.id;
      const rejected = review(list7, [site], [[site.id, rowSite]]);
      expect(rejected.pairs.some((p) => [p.a, p.b].some((s) => 'siteId' in s && s.siteId === site.id))).toBe(false);
      const masked = review(list7, [existingFrom3(true)]);
      const pair = masked.pairs.find((p) => [p.a, p.b].some((s) => 'siteId' in s))!;
      const side = [pair.a, pair.b].find((s) => 'siteId' in s)!;
      expect(side).toMatchObject({ siteId: site.id, name: null });
      expect(pair.evidence.sharedNameWords).toEqual([]);
    });

    it('takes a row whose site is already in the network (an earlier upload) as that site, not as a duplicate', () => {
      const site = existingFrom3();
      const r = review(list3, [site]);
      expect(rowOf(r, 5).site!.exists).toBe(true);
      expect(r.pairs.some((p) => [p.a, p.b].some((s) => 'siteId' in s))).toBe(false);
      expect(r.summary.existing).toBe(1);
    });
  });
});
