import { countryInText, isCountryCode, resolveCountry } from './index';

describe('resolveCountry: spellings buyers write → ISO 3166-1 alpha-2', () => {
  it.each([
    // codes, any case, with dots and spaces
    ['CN', 'CN', 'alpha2'],
    ['vn', 'VN', 'alpha2'],
    [' bd ', 'BD', 'alpha2'],
    ['CHN', 'CN', 'alpha3'],
    ['usa', 'US', 'alpha3'],
    ['U.S.A.', 'US', 'alpha3'],
    ['U.S.', 'US', 'alpha2'],
    ['UK', 'GB', 'variant'],
    ['U.K.', 'GB', 'variant'],
    // names and variants seen in real lists (fixtures/open-supply-hub)
    ['CHINA', 'CN', 'name'],
    ['China', 'CN', 'name'],
    ['Viet Nam', 'VN', 'name'],
    ['VIETNAM', 'VN', 'name'],
    ['United States', 'US', 'name'],
    ['UAE', 'AE', 'variant'],
    ['Slovak Republic', 'SK', 'variant'],
    ['Türkiye', 'TR', 'name'],
    ['Turkiye', 'TR', 'name'],
    ['Turkey', 'TR', 'name'],
    ['Korea, Republic of', 'KR', 'name'],
    ['Republic of Korea', 'KR', 'name'],
    ['South Korea', 'KR', 'name'],
    ['Taiwan, Province of China', 'TW', 'name'],
    ['Hong Kong SAR', 'HK', 'variant'],
    ['P.R. China', 'CN', 'variant'],
    ['Great Britain', 'GB', 'name'],
    ['England', 'GB', 'variant'],
    ['Holland', 'NL', 'variant'],
    ['Burma', 'MM', 'variant'],
    ["Côte d'Ivoire", 'CI', 'name'],
    // other languages
    ['Deutschland', 'DE', 'name'],
    ['Allemagne', 'DE', 'name'],
    ['中国', 'CN', 'name'],
    ['Việt Nam', 'VN', 'name'],
    ['Bangladés', 'BD', 'name'],
    ['Indonésie', 'ID', 'name'],
    // one typo in a long name
    ['Bangaldesh', 'BD', 'fuzzy'],
    ['Camboida', 'KH', 'fuzzy'],
  ])('%j → %s (%s)', (input, code, how) => {
    const r = resolveCountry(input);
    expect(r).toMatchObject({ ok: true, code, how });
  });

  it.each([
    ['', 'country-empty'],
    [null, 'country-empty'],
    ['   ', 'country-empty'],
    ['Narnia', 'country-unknown'],
    ['XX', 'country-unknown'],
    ['Congo', 'country-ambiguous'],
    ['=HYPERLINK("http://x","China")', 'country-formula'],
  ])('%j → no code, reason %s', (input, reason) => {
    const r = resolveCountry(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe(reason);
      expect(r.message.length).toBeGreaterThan(5);
    }
  });

  it('names both countries when a name is ambiguous', () => {
    const r = resolveCountry('Congo');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.candidates).toEqual(['CD', 'CG']);
  });

  it('never throws, whatever the cell holds', () => {
    for (const input of [undefined, 42, {}, [], '\u0000\u0007', '□□□', 'ChinaChinaChinaChinaChina'.repeat(50)]) {
      expect(() => resolveCountry(input)).not.toThrow();
    }
  });

  it('knows assigned codes only', () => {
    expect(isCountryCode('CN')).toBe(true);
    expect(isCountryCode('cn')).toBe(false);
    expect(isCountryCode('ZZ')).toBe(false);
  });
});

describe('countryInText: the country an address ends with', () => {
  it.each([
    ['Savar Dhaka 1340 Bangladesh', 'BD'],
    ['NO.8 SHUANGBAO WEST ROAD, OUHAI, WENZHOU, CHINA', 'CN'],
    ['Autopista Duarte KM 80,Bonao,Dominican Republic', 'DO'],
    ['7/F PARK FOOK INDUSTRIAL BLDG, KOWLOON, HONG KONG.', 'HK'],
  ])('%j → %s', (address, code) => {
    expect(countryInText(address)).toBe(code);
  });

  it('does not read words of addresses in other languages as countries', () => {
    expect(countryInText('Zona Franca Internacional,Olocuilta')).toBeNull();
    expect(countryInText('Rua de Sao Bartolomeu, Serzedelo')).toBeNull();
    expect(countryInText('68 East 1st Ave, Vancouver, British Columbia')).toBeNull();
  });
});
