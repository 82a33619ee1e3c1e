import { canonicalGln, canonicalGtin } from './gs1-keys';
import { csvToRows } from './csv-rows';
import { checkReferences, checkShapes, type GraphFacts } from './validate-import';

const site = (id: string, gln?: string) => ({ id, supplierId: 'S', name: id, kind: 'plant', lat: 1, lon: 2, country: 'DE', ...(gln ? { gln } : {}) });
const facts = (keyOwners: GraphFacts['keyOwners']): GraphFacts => ({
  suppliers: new Set(['S']),
  sites: new Set(),
  skus: new Set(),
  parts: new Set(),
  incoming: [],
  keyOwners,
});

describe('GS1 keys of sites, SKUs and parts', () => {
  it('reads a GLN in every form into one canonical Digital Link', () => {
    const forms = ['4012345000009', 'urn:epc:id:sgln:4012345.00000.0', 'https://id.gs1.org/414/4012345000009', 'https://example.com/414/4012345000009'];
    for (const form of forms) expect(canonicalGln(form)).toEqual({ ok: true, value: 'https://id.gs1.org/414/4012345000009' });
    expect(canonicalGln('urn:epc:id:sgln:4012345.00011.987')).toEqual({ ok: true, value: 'https://id.gs1.org/414/4012345000115/254/987' });
  });

  it('refuses a GLN with a wrong check digit, a product key and text', () => {
    expect(canonicalGln('4012345000008')).toMatchObject({ ok: false, reason: expect.stringMatching(/check digit/) });
    expect(canonicalGln('https://id.gs1.org/414/4012345000008')).toMatchObject({ ok: false });
    expect(canonicalGln('urn:epc:id:sgtin:4012345.011111.987')).toMatchObject({ ok: false, reason: expect.stringMatching(/not a location/) });
    expect(canonicalGln('plant 7')).toMatchObject({ ok: false });
  });

  it('reads a GTIN of 8, 12, 13 or 14 digits or as a Digital Link into 14 digits', () => {
    expect(canonicalGtin('4012345123456')).toEqual({ ok: true, value: '04012345123456' });
    expect(canonicalGtin('04012345123456')).toEqual({ ok: true, value: '04012345123456' });
    expect(canonicalGtin('https://id.gs1.org/01/04012345123456')).toEqual({ ok: true, value: '04012345123456' });
    expect(canonicalGtin('96385074')).toEqual({ ok: true, value: '00000096385074' });
    expect(canonicalGtin('4012345123457')).toMatchObject({ ok: false, reason: expect.stringMatching(/check digit/) });
    expect(canonicalGtin('https://id.gs1.org/01/04012345123456/10/LOT1')).toMatchObject({ ok: false, reason: expect.stringMatching(/lgtin/) });
    expect(canonicalGtin('12345')).toMatchObject({ ok: false });
  });

  it('stores canonical keys through the import and reports a bad one by row and field', () => {
    const { rows, errors } = checkShapes({
      sites: [site('A', 'urn:epc:id:sgln:4012345.00000.0'), site('B')],
      skus: [{ id: 'K', name: 'K', dailyRevenue: 1, gtin: '4012345123456' }],
      parts: [{ id: 'P', name: 'P', gtin: '4012345123457' }],
    });
    expect(rows.sites.map((s) => s.gln)).toEqual(['https://id.gs1.org/414/4012345000009', null]);
    expect(rows.skus[0].gtin).toBe('04012345123456');
    expect(errors).toEqual([{ entity: 'parts', index: 0, field: 'gtin', message: expect.stringMatching(/^gtin GTIN 4012345123457 has a wrong check digit/) }]);
  });

  it('refuses one GLN for two sites of one import, even written two ways', () => {
    const { errors } = checkShapes({ sites: [site('A', '4012345000009'), site('B', 'urn:epc:id:sgln:4012345.00000.0')] });
    expect(errors).toEqual([{ entity: 'sites', index: 1, field: 'gln', message: expect.stringContaining('also given to A') }]);
  });

  it('refuses a GLN another stored site holds, unless the import moves it', () => {
    const gln = 'https://id.gs1.org/414/4012345000009';
    const taken = checkShapes({ sites: [site('A', gln)] }).rows;
    expect(checkReferences(taken, facts({ glns: new Map([[gln, 'OLD']]), skuGtins: new Map(), partGtins: new Map() }))).toEqual([
      { entity: 'sites', index: 0, field: 'gln', message: `gln ${gln} is already the gln of OLD` },
    ]);
    const moved = checkShapes({ sites: [site('A', gln), site('OLD')] }).rows;
    expect(checkReferences(moved, facts({ glns: new Map([[gln, 'OLD']]), skuGtins: new Map(), partGtins: new Map() }))).toEqual([]);
    expect(checkReferences(taken, facts({ glns: new Map([[gln, 'A']]), skuGtins: new Map(), partGtins: new Map() }))).toEqual([]);
  });
});

describe('GS1 keys in CSV imports', () => {
  it('reads a gln column as text and normalises it like JSON rows', () => {
    const rows = csvToRows('sites', 'id,supplierId,name,kind,lat,lon,country,gln\nA,S,A,plant,1,2,DE,4012345000009\nB,S,B,plant,1,2,DE,\n');
    expect(rows).toEqual([
      { id: 'A', supplierId: 'S', name: 'A', kind: 'plant', lat: 1, lon: 2, country: 'DE', gln: '4012345000009' },
      { id: 'B', supplierId: 'S', name: 'B', kind: 'plant', lat: 1, lon: 2, country: 'DE' },
    ]);
    expect(checkShapes({ sites: rows }).rows.sites.map((s) => s.gln)).toEqual(['https://id.gs1.org/414/4012345000009', null]);
    const gtins = csvToRows('skus', 'id,name,dailyRevenue,gtin\nK,K,5,04012345123456\n');
    expect(gtins[0].gtin).toBe('04012345123456');
  });
});
