import fc from 'fast-check';
import { cleanCell, compactKey, foldForMatch, normaliseRow, repairMojibake, words } from './index';
import { hasControlCharacters, withinOneEdit } from './text';

describe('cleanCell', () => {
  it('applies NFKC: full-width letters and digits, ligatures, compatibility spaces', () => {
    expect(cleanCell('ＮＯ．８　ＲＯＡＤ').value).toBe('NO.8 ROAD');
    expect(cleanCell('ﬁnishing').value).toBe('finishing');
  });

  it('removes the lost-character marks real lists carry (□ and U+FFFD) and says so', () => {
    // From fixtures/open-supply-hub/facility_lists_raw/2.csv, row 3.
    const c = cleanCell("WUYI INDUSTIAL ZONE, BAIQI VILLAGE, HUI'AN COUNTY,QUANZHOU CITY, FUJIAN PROVINCE□");
    expect(c.value).toBe("WUYI INDUSTIAL ZONE, BAIQI VILLAGE, HUI'AN COUNTY,QUANZHOU CITY, FUJIAN PROVINCE");
    expect(c.issues.map((i) => i.code)).toEqual(['replacement-characters']);
    expect(cleanCell('Ha Noi\uFFFD').value).toBe('Ha Noi');
  });

  it('turns control characters into spaces, drops invisible ones, collapses whitespace', () => {
    const c = cleanCell('Lot 5,\u0000\u0007 Amata\u200B Park\r\n Bien Hoa\t ,');
    expect(c.value).toBe('Lot 5, Amata Park Bien Hoa');
    expect(c.issues.map((i) => i.code)).toContain('control-characters');
  });

  it('repairs UTF-8 read as Windows-1252, keeps text that only looks like it', () => {
    expect(cleanCell('Industrias QuÃ­micas Perlacos, S.L.').value).toBe('Industrias Químicas Perlacos, S.L.');
    expect(cleanCell('Calle CircunvalaciÃ³n').issues.map((i) => i.code)).toEqual(['mojibake-repaired']);
    expect(repairMojibake('Itâ€™s')).toBe('It’s');
    expect(repairMojibake('Ã‚ncora')).toBe('Âncora');
    // Real accented text is left alone.
    expect(repairMojibake('Industrias Químicas Perlacos')).toBe('Industrias Químicas Perlacos');
    expect(repairMojibake('São Paulo, Ñuñoa')).toBe('São Paulo, Ñuñoa');
  });

  it.each(['=HYPERLINK("http://evil.example","Factory")', '=1+1', '+SUM(A1:A3)', '@IMPORTXML(A1)', '  =cmd|"/c calc"!A0'])(
    'refuses the formula %j: null with a reason',
    (cell) => {
      const c = cleanCell(cell);
      expect(c.value).toBeNull();
      expect(c.issues).toHaveLength(1);
      expect(c.issues[0].code).toBe('formula');
    },
  );

  it('keeps text that starts with a sign but is no formula; trims stray leading dashes and commas', () => {
    expect(cleanCell('+84 28 3840 0000').value).toBe('+84 28 3840 0000');
    expect(cleanCell('- Chennai').value).toBe('Chennai');
    expect(cleanCell(', , Nantong,').value).toBe('Nantong');
  });

  it('reports an empty cell as empty, never throws on odd values', () => {
    for (const v of [null, undefined, '', '   ', '\u0000', '□']) expect(cleanCell(v).value).toBeNull();
    expect(cleanCell(42).value).toBe('42');
    expect(cleanCell({}).value).toBeNull();
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const c = cleanCell(s);
        return c.value === null || (c.value.length > 0 && !hasControlCharacters(c.value) && !c.value.includes('\uFFFD'));
      }),
    );
  });
});

describe('folding for matching', () => {
  it('folds accents, case and punctuation; keeps other scripts', () => {
    expect(foldForMatch('Thủ Dầu Một')).toBe('thu dau mot');
    expect(foldForMatch("HUI'AN  County,Quanzhou")).toBe('huian county quanzhou');
    expect(foldForMatch('Łódź — Straße')).toBe('lodz strasse');
    expect(foldForMatch('东莞市 厚街镇')).toBe('东莞市 厚街镇');
    expect(compactKey('Dong Guan')).toBe(compactKey('DongGuan'));
  });

  it('folds plain ASCII (its fast path) as it folds the same text with an accented word added (the Unicode path)', () => {
    const ascii = fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 40 });
    fc.assert(
      fc.property(ascii, (text) => {
        const folded = foldForMatch(text);
        expect(foldForMatch(`${text} é`)).toBe(folded === '' ? 'e' : `${folded} e`);
      }),
      { numRuns: 2000 },
    );
  });

  it('splits letters glued to digits', () => {
    expect(words('Dhaka-1340, No.8 Road')).toEqual(['dhaka', '1340', 'no', '8', 'road']);
    expect(words('MXP8')).toEqual(['mxp', '8']);
  });

  it('counts one insertion, deletion, substitution or swap as one edit', () => {
    expect(withinOneEdit('guangzhuo', 'guangzhou')).toBe(true);
    expect(withinOneEdit('jiangshu', 'jiangsu')).toBe(true);
    expect(withinOneEdit('fuzhou', 'fuzhoa')).toBe(true);
    expect(withinOneEdit('fuzhou', 'fuzhou')).toBe(false);
    expect(withinOneEdit('quanzhou', 'guangzhou')).toBe(false);
  });
});

describe('normaliseRow', () => {
  it('cleans a real row and resolves its country', () => {
    // fixtures/open-supply-hub/facility_lists_raw/15.csv, row 3.
    const r = normaliseRow({
      name: 'Industrias Químicas Perlacos, S.L.',
      address: 'c/ Berlin, 33 - Pol. Ind., Torres de la Alameda, 28813, Madrid',
      country: 'ES',
    });
    expect(r).toMatchObject({ name: 'Industrias Químicas Perlacos, S.L.', country: 'ES', countryHow: 'alpha2', usable: true, issues: [] });
  });

  it('keeps a row with a formula in its address usable, reporting the refused cell', () => {
    const r = normaliseRow({ name: 'Saitex', address: '=HYPERLINK("http://x.example")', country: 'Vietnam' });
    expect(r.address).toBeNull();
    expect(r.usable).toBe(true);
    expect(r.issues).toEqual([expect.objectContaining({ field: 'address', code: 'formula', blocking: false })]);
  });

  it('blocks a row without a name or with an unknown country, with the reason', () => {
    const r = normaliseRow({ name: '  ', address: 'Lot 5', country: 'Atlantis' });
    expect(r.usable).toBe(false);
    expect(r.issues.map((i) => [i.field, i.code, i.blocking])).toEqual([
      ['name', 'name-missing', true],
      ['country', 'country-unknown', true],
    ]);
    expect(r.issues[1].message).toContain('Atlantis');
  });

  it('never throws on malformed rows', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('name', 'address', 'city', 'postalCode', 'admin1', 'country'), fc.anything()), (raw) => {
        const r = normaliseRow(raw);
        return typeof r.usable === 'boolean' && r.usable === !r.issues.some((i) => i.blocking);
      }),
    );
  });
});
