import fc from 'fast-check';
import {
  compareFacilities,
  DUPLICATE_THRESHOLD,
  facilityNameKey,
  nameSimilarity,
  PlaceEngineError,
  PlaceEngineErrorCode,
  proposeDuplicates,
  type FacilityRecord,
} from './index';
import { oshRow } from './testing/osh-fixtures';

const record = (id: string, name: string, address: string, country = 'CN', extra: Partial<FacilityRecord> = {}): FacilityRecord => ({
  id,
  name,
  address,
  country,
  ...extra,
});
const fromOsh = (id: string, country: string): FacilityRecord => {
  const row = oshRow(id);
  return record(id, row.name, row.address, country);
};

describe('facility names without legal forms and descriptive words', () => {
  it.each([
    ['QUANZHOU XINXING FOOTWEAR CO., LTD', ['quanzhou', 'xinxing']],
    ['Industrias Merlet S. A. de C.V.', ['merlet']],
    ['GFSI Southwest S. de R.L. de C.V.', ['gfsi', 'southwest']],
    ['Hanes Global Supply Chain Germany GmbH', ['hanes', 'global', 'supply', 'chain', 'germany']],
    ['Jeans Knit Private Ltd', ['jeans']],
    ['PT. Leetex Garment Indonesia Ltd.', ['leetex', 'indonesia']],
    ['Gimmill Industrial (M) Sdn Bhd', ['gimmill']],
    ['Euro-pegaz Logistyka Sp. z.o.o.', ['euro', 'pegaz', 'logistyka']],
    ['Công ty TNHH Saitex', ['saitex']],
    ['东莞市华美制衣有限公司', ['东莞市华美制衣']],
    ['株式会社ワールド', ['ワールド']],
    // A name made only of such words keeps them.
    ['The Factory Co. Ltd', ['the', 'factory']],
  ])('%j → %j', (name, tokens) => {
    expect(facilityNameKey(name).tokens).toEqual(tokens);
  });

  it('keeps unit, branch, process and number words apart, as discriminators', () => {
    expect(facilityNameKey('Jeans Knit Private Ltd Unit 3').discriminators).toEqual(['3', 'unit']);
    expect(facilityNameKey('Hanes Choloma Sewing 2').discriminators).toEqual(['2', 'sewing']);
    expect(facilityNameKey('ZhongShan Easy On Garment Manufactory Co. Ltd. Second Branch').discriminators).toEqual(['branch', 'second']);
  });

  it('scores names split or spelt differently as close, and is symmetric', () => {
    expect(nameSimilarity('ZHEN JIANG DONG CHUANG FUR & LEATHER CO.,LTD', 'Zhenjiang Dongchuang Fur & Leather Co., Ltd.')).toBe(1);
    expect(nameSimilarity('Workfield Knitwears', 'Work Field Fashion Wears')).toBeGreaterThan(0.7);
    expect(nameSimilarity('Regina Miracle Intimate Apparel (Shenzhen) Ltd.', 'Regina Miracle Intimate Apparel (Shenzhen Ltd.)')).toBe(1);
    expect(nameSimilarity('Shanghai Jinlin Textile', 'Ningbo Holi Garments')).toBeLessThan(0.4);
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => nameSimilarity(a, b) === nameSimilarity(b, a)));
  });
});

describe('proposeDuplicates', () => {
  it('finds a known pair of two lists (Taizhou Baolite Shoes, lists 2 and 5 of fixtures/open-supply-hub)', () => {
    const rows = [fromOsh('2:32', 'CN'), fromOsh('5:34', 'CN'), fromOsh('2:8', 'CN'), fromOsh('4:56', 'CN')];
    const proposals = proposeDuplicates(rows);
    expect(proposals.map((p) => [p.a, p.b])).toEqual([['2:32', '5:34']]);
    expect(proposals[0].score).toBeGreaterThanOrEqual(DUPLICATE_THRESHOLD);
    expect(proposals[0].evidence).toMatchObject({ name: 1, sharedNameWords: ['taizhou', 'baolite'], nameConflicts: [] });
    expect(proposals[0].evidence.address).toBeGreaterThan(0.5);
  });

  it('does not merge two units of one company ("Unit 3" / "Unit 4"), and says why', () => {
    const [p] = [compareFacilities(fromOsh('4:38', 'IN'), fromOsh('4:39', 'IN'))];
    expect(p.evidence.nameConflicts).toEqual(['3', '4']);
    expect(p.score).toBeLessThan(DUPLICATE_THRESHOLD);
  });

  it('does not merge two plants of one firm named after their towns ("Nantong Solamoda" / "Suqian Solamoda")', () => {
    const p = compareFacilities(
      record('a', 'Nantong Solamoda Garments Co. Ltd', 'Industry Zone, Jiuhua Town, Rugao, Nantong, Jiangsu'),
      record('b', 'Suqian Solamoda Garments Co. Ltd', 'No.33 Shenzhen Road, Siyang, Suqian, Jiangsu'),
    );
    expect(p.evidence.nameConflicts).toEqual(['nantong', 'suqian']);
    expect(p.score).toBeLessThan(DUPLICATE_THRESHOLD);
  });

  it('never proposes a rejected pair, in either order', () => {
    const rows = [fromOsh('2:32', 'CN'), fromOsh('5:34', 'CN')];
    expect(proposeDuplicates(rows)).toHaveLength(1);
    expect(proposeDuplicates(rows, { rejectedPairs: [['5:34', '2:32']] })).toEqual([]);
    expect(proposeDuplicates(rows, { rejectedPairs: [['2:32', '5:34']] })).toEqual([]);
  });

  it('compares rows with existing sites but not sites with each other', () => {
    const site = record('SITE-1', 'Taizhou Baolite Shoes Co. Ltd', 'Oufeng Road, Zeguo Town, Wenling', 'CN', { lat: 28.5, lon: 121.36, radiusKm: 0 });
    const twin = { ...site, id: 'SITE-2' };
    const row = fromOsh('2:32', 'CN');
    const proposals = proposeDuplicates([row], { existingSites: [site, twin] });
    expect(proposals.map((p) => [p.a, p.b, p.aIsSite, p.bIsSite])).toEqual([
      ['2:32', 'SITE-1', false, true],
      ['2:32', 'SITE-2', false, true],
    ]);
  });

  it('keeps two precise points far apart from being proposed, whatever the names', () => {
    const a = record('a', 'Eclat Textile Co. Ltd.', '5A Road, Nhon Trach 2 Industrial Zone', 'VN', { lat: 10.75, lon: 106.9, radiusKm: 0.1 });
    const b = record('b', 'Eclat Textile Co. Ltd.', '5A Road, Nhon Trach 2 Industrial Zone', 'VN', { lat: 21.0, lon: 105.8, radiusKm: 0.1 });
    const p = compareFacilities(a, b);
    expect(p.evidence.distanceKm).toBeGreaterThan(1000);
    expect(p.score).toBeLessThanOrEqual(0.5);
    expect(proposeDuplicates([a, b])).toEqual([]);
  });

  it('never pairs records of different countries', () => {
    expect(proposeDuplicates([record('a', 'Saitex', 'Lot 5', 'VN'), record('b', 'Saitex', 'Lot 5', 'KH')], { threshold: 0 })).toEqual([]);
  });

  it('refuses two records with one id (a caller error, not a row error)', () => {
    const call = () => proposeDuplicates([record('x', 'A', ''), record('x', 'B', '')]);
    expect(call).toThrow(PlaceEngineError);
    try {
      call();
    } catch (error) {
      expect((error as PlaceEngineError).code).toBe(PlaceEngineErrorCode.DuplicateId);
    }
  });

  const names = [
    'Saitex',
    'Saitex International',
    'Jinlin Textile',
    'Jin Lin Textiles',
    'Hanes Choloma',
    'Hanes Choloma Sewing 2',
    'AKH Apparels',
    'AKH Fashions',
  ];
  const addresses = ['Lot 226, Amata Park, Bien Hoa', 'Lot 226/8 Amata Industrial Park', 'Zip Choloma, Edificio G', 'Savar Dhaka 1340', ''];
  const arbitraryRecords = fc.uniqueArray(
    fc.record({
      id: fc.stringMatching(/^[a-z]{1,3}$/),
      name: fc.constantFrom(...names),
      address: fc.constantFrom(...addresses),
      country: fc.constantFrom('VN', 'BD', null),
      lat: fc.option(fc.double({ min: 10, max: 11, noNaN: true })),
      lon: fc.option(fc.double({ min: 106, max: 107, noNaN: true })),
      radiusKm: fc.option(fc.constantFrom(0, 5, 30)),
    }),
    { selector: (r) => r.id, maxLength: 12 },
  );

  it('property: the proposals do not depend on the order of the rows, and pairs are canonical and unique', () => {
    fc.assert(
      fc.property(arbitraryRecords, fc.func(fc.integer()), (rows, order) => {
        const shuffled = [...rows].sort((x, y) => order(x.id) - order(y.id) || (x.id < y.id ? -1 : 1));
        const first = proposeDuplicates(rows, { threshold: 0.3 });
        const second = proposeDuplicates(shuffled, { threshold: 0.3 });
        expect(second).toEqual(first);
        const keys = first.map((p) => `${p.a}|${p.b}`);
        expect(new Set(keys).size).toBe(keys.length);
        for (const p of first) expect(p.a < p.b).toBe(true);
      }),
    );
  });

  it('property: a pair scores the same in either order', () => {
    fc.assert(
      fc.property(
        arbitraryRecords.filter((r) => r.length >= 2),
        (rows) => {
          const [x, y] = rows;
          expect(compareFacilities(y, x)).toEqual(compareFacilities(x, y));
        },
      ),
    );
  });

  it('property: every proposal is one compareFacilities would make, at or above the threshold', () => {
    fc.assert(
      fc.property(arbitraryRecords, (rows) => {
        const byId = new Map(rows.map((r) => [r.id, r]));
        for (const p of proposeDuplicates(rows, { threshold: 0.5 })) {
          expect(p.score).toBeGreaterThanOrEqual(0.5);
          expect(compareFacilities(byId.get(p.a)!, byId.get(p.b)!)).toEqual(p);
        }
      }),
    );
  });
});
