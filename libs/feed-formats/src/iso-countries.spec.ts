import { isISO31661Alpha2 } from 'class-validator';
import { asIso2, iso3ToIso2, numericToIso2 } from './iso-countries';

describe('ISO 3166-1 table', () => {
  it('maps alpha-3 and numeric (UN M49) codes to alpha-2', () => {
    expect(iso3ToIso2('DEU')).toBe('DE');
    expect(iso3ToIso2('mus')).toBe('MU');
    expect(iso3ToIso2('NAM')).toBe('NA'); // Namibia, not null
    expect(numericToIso2('840')).toBe('US');
    expect(numericToIso2('036')).toBe('AU');
    expect(numericToIso2(372)).toBe('IE');
  });

  it('answers null for empty, unknown and user-assigned codes', () => {
    expect(iso3ToIso2('')).toBeNull();
    expect(iso3ToIso2(null)).toBeNull();
    expect(iso3ToIso2('XKX')).toBeNull();
    expect(numericToIso2('9999')).toBeNull();
    expect(asIso2('UK')).toBeNull();
  });

  it('only ever yields codes the import validation accepts', () => {
    let count = 0;
    for (let n = 0; n < 1000; n++) {
      const code = numericToIso2(n);
      if (code === null) continue;
      count++;
      expect(isISO31661Alpha2(code)).toBe(true);
      expect(asIso2(code.toLowerCase())).toBe(code);
    }
    expect(count).toBe(249);
  });
});
