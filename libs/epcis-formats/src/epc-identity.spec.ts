import fc from 'fast-check';
import { EpcErrorCode, normaliseEpc, toEpcUrn, type EpcKind, type NormalisedEpc } from './epc-identity';
import { EpcisFormatsError } from './errors';
import { gs1CheckDigit, hasValidGs1CheckDigit } from './gs1-check-digit';

const ok = (id: string): NormalisedEpc => {
  const result = normaliseEpc(id);
  if (!result.ok) throw new Error(`${id}: ${result.reason}`);
  return result;
};

describe('GS1 check digit', () => {
  it.each([
    ['1061414107346', 4], // GTIN of urn:epc:id:sgtin:0614141.107346.…
    ['0401234500000', 9], // PGLN 4012345.00000
    ['04012345000000333', 8], // SSCC 4012345.0000000333
    ['401234500011', 5], // GLN 4012345.00011
    ['0952114101234', 5],
  ])('of %s is %i', (digits, check) => {
    expect(gs1CheckDigit(digits)).toBe(check);
    expect(hasValidGs1CheckDigit(`${digits}${check}`)).toBe(true);
  });

  it('catches every single-digit substitution (weights 3 and 1 are units mod 10)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{7,17}$/), fc.nat(), fc.integer({ min: 1, max: 9 }), (body, at, delta) => {
        const key = body + gs1CheckDigit(body);
        const i = at % key.length;
        const changed = key.slice(0, i) + ((Number(key[i]) + delta) % 10) + key.slice(i + 1);
        expect(hasValidGs1CheckDigit(changed)).toBe(false);
      }),
    );
  });

  it('refuses what is not digits', () => {
    expect(() => gs1CheckDigit('12a')).toThrow(RangeError);
    expect(hasValidGs1CheckDigit('12a4')).toBe(false);
  });
});

describe('normaliseEpc: EPC URIs', () => {
  it.each<[string, Partial<NormalisedEpc> & { kind: EpcKind; canonical: string }]>([
    [
      'urn:epc:id:sgtin:0614141.107346.2017',
      { kind: 'sgtin', canonical: 'https://id.gs1.org/01/10614141073464/21/2017', gtin: '10614141073464', serial: '2017' },
    ],
    ['urn:epc:id:sgtin:061414112345.1.9', { kind: 'sgtin', canonical: 'https://id.gs1.org/01/10614141123459/21/9', gtin: '10614141123459', serial: '9' }],
    ['URN:EPC:ID:SGTIN:0614141.107346.2017', { kind: 'sgtin', canonical: 'https://id.gs1.org/01/10614141073464/21/2017' }],
    [
      'urn:epc:id:sgtin:0614141.812345.6789%2F%26%25%22!%3F()',
      { kind: 'sgtin', canonical: 'https://id.gs1.org/01/80614141123458/21/6789%2F%26%25%22%21%3F%28%29', serial: '6789/&%"!?()' },
    ],
    [
      'urn:epc:class:lgtin:4012345.012345.Lot987',
      { kind: 'lgtin', canonical: 'https://id.gs1.org/01/04012345123456/10/Lot987', gtin: '04012345123456', lot: 'Lot987' },
    ],
    ['urn:epc:class:lgtin:4023333.002000.2019-10-07', { kind: 'lgtin', canonical: 'https://id.gs1.org/01/04023333020008/10/2019-10-07', lot: '2019-10-07' }],
    ['urn:epc:idpat:sgtin:4012345.044444.*', { kind: 'gtin', canonical: 'https://id.gs1.org/01/04012345444445', gtin: '04012345444445' }],
    ['urn:epc:id:sscc:4012345.0000000333', { kind: 'sscc', canonical: 'https://id.gs1.org/00/040123450000003338', sscc: '040123450000003338' }],
    ['urn:epc:id:sscc:4012345.1112223334', { kind: 'sscc', canonical: 'https://id.gs1.org/00/140123451122233341' }],
    ['urn:epc:id:sgln:4012345.00011.987', { kind: 'sgln', canonical: 'https://id.gs1.org/414/4012345000115/254/987', gln: '4012345000115', extension: '987' }],
    ['urn:epc:id:sgln:4012345.00005.0', { kind: 'sgln', canonical: 'https://id.gs1.org/414/4012345000054', gln: '4012345000054' }],
    ['urn:epc:id:sgln:061414112345..ext', { kind: 'sgln', canonical: 'https://id.gs1.org/414/0614141123452/254/ext' }],
    ['urn:epc:id:pgln:4012345.00000', { kind: 'pgln', canonical: 'https://id.gs1.org/417/4012345000009', gln: '4012345000009' }],
  ])('%s', (urn, expected) => {
    expect(ok(urn)).toEqual(expect.objectContaining(expected));
  });

  it('keeps only the fields of its kind', () => {
    expect(ok('urn:epc:id:sgln:4012345.00005.0')).toEqual({ ok: true, kind: 'sgln', canonical: 'https://id.gs1.org/414/4012345000054', gln: '4012345000054' });
  });
});

describe('normaliseEpc: GS1 Digital Link URIs', () => {
  const SGTIN = 'https://id.gs1.org/01/10614141073464/21/2017';
  it.each([
    [SGTIN, SGTIN],
    ['https://example.com/01/10614141073464/21/2017', SGTIN],
    ['http://id.gs1.org/01/10614141073464/21/2017?linkType=all#top', SGTIN],
    ['https://brand.example/products/dl/01/10614141073464/21/2017/', SGTIN],
    ['https://id.gs1.org/gtin/10614141073464/ser/2017', SGTIN],
    ['https://id.gs1.org/01/10614141073464/10/L1/21/2017', SGTIN], // the serial is the finest level; the lot goes
    ['https://id.gs1.org/01/10614141073464/22/2A/21/2017', SGTIN],
    ['https://id.gs1.org/01/4012345123456/10/ABC', 'https://id.gs1.org/01/04012345123456/10/ABC'], // GTIN-13 widened
    ['https://id.gs1.org/01/012345678905', 'https://id.gs1.org/01/00012345678905'], // GTIN-12
    ['https://id.gs1.org/01/10614141073464/22/2A', 'https://id.gs1.org/01/10614141073464'],
    ['https://id.gs1.org/00/040123450000003338', 'https://id.gs1.org/00/040123450000003338'],
    ['https://example.org/sscc/040123450000003338', 'https://id.gs1.org/00/040123450000003338'],
    ['https://id.gs1.org/414/4012345000115/254/987', 'https://id.gs1.org/414/4012345000115/254/987'],
    ['https://id.gs1.org/414/4012345000115/254/0', 'https://id.gs1.org/414/4012345000115'], // extension 0 = none, as in the URN
    ['https://id.gs1.org/417/4012345000009', 'https://id.gs1.org/417/4012345000009'],
    ['https://id.gs1.org/01/80614141123458/21/6789%2f%26%25%22!%3F()', 'https://id.gs1.org/01/80614141123458/21/6789%2F%26%25%22%21%3F%28%29'],
  ])('%s', (dl, canonical) => {
    expect(ok(dl).canonical).toBe(canonical);
  });

  it('gives the URN and the Digital Link of one lot the same identity', () => {
    expect(ok('urn:epc:class:lgtin:4012345.012345.Lot987')).toEqual(ok('https://brand.example/01/04012345123456/10/Lot987?11=221109'));
  });
});

describe('normaliseEpc: refusals', () => {
  it.each([
    ['https://id.gs1.org/01/10614141073465/21/2017', EpcErrorCode.BadCheckDigit],
    ['https://example.com/01/10614141073465/21/2017', EpcErrorCode.BadCheckDigit],
    ['https://id.gs1.org/00/040123450000003339', EpcErrorCode.BadCheckDigit],
    ['https://id.gs1.org/414/4012345000116', EpcErrorCode.BadCheckDigit],
    ['https://id.gs1.org/01/123', EpcErrorCode.BadSyntax],
    ['https://id.gs1.org/01/10614141073464/21/' + 'x'.repeat(21), EpcErrorCode.BadSyntax],
    ['https://id.gs1.org/01/10614141073464/99/x', EpcErrorCode.BadSyntax],
    ['https://id.gs1.org/about', EpcErrorCode.BadSyntax],
    ['urn:epc:id:sgtin:0614141.10734.2017', EpcErrorCode.BadSyntax], // 12 digits of prefix + reference, not 13
    ['urn:epc:id:sgtin:06141.1073461.2017', EpcErrorCode.BadSyntax], // a company prefix has at least 6 digits
    ['urn:epc:id:sgtin:0614141.107346.', EpcErrorCode.BadSyntax],
    ['urn:epc:id:sgtin:0614141.107346.a b', EpcErrorCode.BadSyntax],
    ['urn:epc:id:sgtin:0614141.107346.%zz', EpcErrorCode.BadSyntax],
    ['urn:epc:id:sgtin:0614141.107346.' + 'x'.repeat(21), EpcErrorCode.BadSyntax],
    ['urn:epc:id:sscc:4012345.000000033', EpcErrorCode.BadSyntax],
    ['urn:epc:id:sgln:4012345.00011', EpcErrorCode.BadSyntax],
    ['urn:epc:id:widget:4012345.1', EpcErrorCode.BadSyntax],
    ['urn:epc:class:lgtin:4012345.012345', EpcErrorCode.BadSyntax],
    ['hello', EpcErrorCode.NotAnIdentifier],
    ['https://example.com/blog/2024/01/15', EpcErrorCode.NotAnIdentifier],
    ['urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8', EpcErrorCode.NotAnIdentifier],
    ['urn:epc:id:grai:4012345.00022.334455', EpcErrorCode.UnsupportedKey],
    ['https://id.gs1.org/8004/4000001111', EpcErrorCode.UnsupportedKey],
    ['urn:epc:id:gid:95100000.12345.400', EpcErrorCode.UnsupportedKey],
  ])('%s → %s', (id, code) => {
    const result = normaliseEpc(id);
    expect(result).toEqual(expect.objectContaining({ ok: false, code }));
    if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
  });
});

describe('toEpcUrn', () => {
  it.each([
    ['https://id.gs1.org/01/10614141073464/21/2017', 7, 'urn:epc:id:sgtin:0614141.107346.2017'],
    ['https://id.gs1.org/01/80614141123458/21/6789%2F%26%25%22%21%3F%28%29', 7, 'urn:epc:id:sgtin:0614141.812345.6789%2F%26%25%22!%3F()'],
    ['https://id.gs1.org/01/04012345123456/10/Lot987', 7, 'urn:epc:class:lgtin:4012345.012345.Lot987'],
    ['https://id.gs1.org/01/04012345444445', 7, 'urn:epc:idpat:sgtin:4012345.044444.*'],
    ['https://id.gs1.org/00/140123451122233341', 7, 'urn:epc:id:sscc:4012345.1112223334'],
    ['https://id.gs1.org/414/4012345000115/254/987', 7, 'urn:epc:id:sgln:4012345.00011.987'],
    ['https://id.gs1.org/414/4012345000054', 7, 'urn:epc:id:sgln:4012345.00005.0'],
    ['https://id.gs1.org/414/0614141123452/254/ext', 12, 'urn:epc:id:sgln:061414112345..ext'],
    ['https://id.gs1.org/417/4012345000009', 7, 'urn:epc:id:pgln:4012345.00000'],
  ])('%s with a %i-digit company prefix', (dl, cpl, urn) => {
    expect(toEpcUrn(ok(dl), cpl)).toBe(urn);
  });

  it('needs a company prefix length of 6 to 12 digits', () => {
    const epc = ok('https://id.gs1.org/01/10614141073464/21/2017');
    for (const cpl of [5, 13, 7.5]) expect(() => toEpcUrn(epc, cpl)).toThrow(EpcisFormatsError);
  });
});

describe('normalisation properties', () => {
  // Raw serial / lot characters: the GS1 82-character set.
  const cset82 = fc.constantFrom(...`!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`.split(''));
  const text = (max: number) => fc.array(cset82, { minLength: 1, maxLength: max }).map((cs) => cs.join(''));
  const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((ds) => ds.join(''));
  const withCheck = (body: string) => body + gs1CheckDigit(body);
  const domain = fc.constantFrom('https://id.gs1.org', 'https://brand.example', 'http://example.org/resolver/x');
  const dlSegment = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

  const identity: fc.Arbitrary<{ readonly epc: NormalisedEpc; readonly cpl: number; readonly dlPath: string }> = fc
    .record({
      kind: fc.constantFrom<EpcKind>('sgtin', 'lgtin', 'gtin', 'sscc', 'sgln', 'pgln'),
      cpl: fc.integer({ min: 6, max: 12 }),
      key: digits(17),
      extra: text(20),
      hasExtension: fc.boolean(),
    })
    .map(({ kind, cpl, key, extra, hasExtension }) => {
      const gtin = withCheck(key.slice(0, 13));
      const gln = withCheck(key.slice(0, 12));
      const base = { kind, canonical: '' };
      switch (kind) {
        case 'sgtin':
          return { cpl, dlPath: `/01/${gtin}/21/${dlSegment(extra)}`, epc: { ...base, gtin, serial: extra } };
        case 'lgtin':
          return { cpl, dlPath: `/01/${gtin}/10/${dlSegment(extra)}`, epc: { ...base, gtin, lot: extra } };
        case 'gtin':
          return { cpl, dlPath: `/01/${gtin}`, epc: { ...base, gtin } };
        case 'sscc': {
          const sscc = withCheck(key);
          return { cpl, dlPath: `/00/${sscc}`, epc: { ...base, sscc } };
        }
        case 'sgln':
          // Extension "0" means "none", so a generated extension never is "0".
          return hasExtension && extra !== '0'
            ? { cpl, dlPath: `/414/${gln}/254/${dlSegment(extra)}`, epc: { ...base, gln, extension: extra } }
            : { cpl, dlPath: `/414/${gln}`, epc: { ...base, gln } };
        case 'pgln':
          return { cpl, dlPath: `/417/${gln}`, epc: { ...base, gln } };
      }
    });

  it('gives an identity one canonical form from its URN and from any Digital Link of it', () => {
    fc.assert(
      fc.property(identity, domain, fc.boolean(), ({ epc, cpl, dlPath }, origin, query) => {
        const fromUrn = ok(toEpcUrn(epc, cpl));
        const fromDl = ok(`${origin}${dlPath}${query ? '?linkType=gs1:pip' : ''}`);
        expect(fromDl).toEqual(fromUrn);
        expect(fromUrn).toEqual({ ...epc, ok: true, canonical: fromUrn.canonical });
      }),
    );
  });

  it('is idempotent and round-trips through the URN', () => {
    fc.assert(
      fc.property(identity, ({ epc, cpl }) => {
        const urn = toEpcUrn(epc, cpl);
        const once = ok(urn);
        expect(ok(once.canonical)).toEqual(once);
        expect(toEpcUrn(once, cpl)).toBe(urn);
      }),
    );
  });

  it('refuses a Digital Link whose key lost its check digit', () => {
    fc.assert(
      fc.property(identity, fc.integer({ min: 1, max: 9 }), ({ epc, cpl }, delta) => {
        const canonical = ok(toEpcUrn(epc, cpl)).canonical;
        // The last digit of the key is its check digit.
        const m = /^(https:\/\/id\.gs1\.org\/\d+\/\d*)(\d)(.*)$/.exec(canonical);
        if (m === null) throw new Error(canonical);
        const broken = `${m[1]}${(Number(m[2]) + delta) % 10}${m[3]}`;
        expect(normaliseEpc(broken)).toEqual(expect.objectContaining({ ok: false, code: EpcErrorCode.BadCheckDigit }));
      }),
    );
  });
});
