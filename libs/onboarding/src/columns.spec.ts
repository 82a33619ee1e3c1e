import { mapColumns, parseMapping } from './columns';
import { OnboardingError, OnboardingErrorCode } from './onboarding.error';

const fieldsOf = (headers: string[], explicit = {}) => {
  const m = mapColumns(headers, explicit);
  return Object.fromEntries(Object.entries(m.columns).map(([field, i]) => [field, headers[i as number]]));
};

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof OnboardingError) return error.code;
    throw error;
  }
  return null;
};

describe('mapColumns: the header row to the list fields', () => {
  it("names a supplier's own sites from a facility column, leaving a supplier column unmapped", () => {
    const headers = ['Supplier', 'Vendor code', 'Site name', 'Address', 'Country'];
    expect(mapColumns(headers).headers.name).toBe('Supplier');
    const own = mapColumns(headers, {}, { facilityNameFirst: true });
    expect(own.headers).toEqual({ name: 'Site name', supplierRef: 'Vendor code', address: 'Address', country: 'Country' });
    expect(own.unmapped).toEqual(['Supplier']);
    expect(mapColumns(['Lieferant', 'Werk', 'Anschrift'], {}, { facilityNameFirst: true }).headers.name).toBe('Werk');
    // Without a facility column the supplier column is the name; an explicit mapping still wins.
    expect(mapColumns(['Company', 'Address'], {}, { facilityNameFirst: true }).headers.name).toBe('Company');
    expect(mapColumns(headers, { name: 'Supplier' }, { facilityNameFirst: true }).headers.name).toBe('Supplier');
  });

  it("reads Open Supply Hub's headers", () => {
    expect(fieldsOf(['country', 'name', 'address', 'sector'])).toEqual({ country: 'country', name: 'name', address: 'address', sector: 'sector' });
  });

  it.each([
    [
      'German',
      ['Lieferantennummer', 'Firmenname', 'Anschrift', 'PLZ', 'Stadt', 'Land', 'Produkte'],
      { supplierRef: 'Lieferantennummer', name: 'Firmenname', address: 'Anschrift', postalCode: 'PLZ', city: 'Stadt', country: 'Land', parts: 'Produkte' },
    ],
    [
      'Spanish',
      ['Razón social', 'Dirección', 'Ciudad', 'Código postal', 'País', 'Sector'],
      { name: 'Razón social', address: 'Dirección', city: 'Ciudad', postalCode: 'Código postal', country: 'País', sector: 'Sector' },
    ],
    [
      'French',
      ['Nom de l’usine', 'Adresse', 'Ville', 'Code postal', 'Pays'],
      { name: 'Nom de l’usine', address: 'Adresse', city: 'Ville', postalCode: 'Code postal', country: 'Pays' },
    ],
    ['Chinese', ['工厂名称', '地址', '城市', '省份', '国家'], { name: '工厂名称', address: '地址', city: '城市', admin1: '省份', country: '国家' }],
    [
      'English, in other words and case',
      ['Vendor Code', 'SUPPLIER NAME', 'Street Address', 'Zip', 'State/Province', 'Country/Region'],
      { supplierRef: 'Vendor Code', name: 'SUPPLIER NAME', address: 'Street Address', postalCode: 'Zip', admin1: 'State/Province', country: 'Country/Region' },
    ],
  ])('reads %s headers', (_language, headers, expected) => {
    expect(fieldsOf(headers)).toEqual(expected);
  });

  it('reads a header that contains a field name as whole words, an exact one first', () => {
    expect(fieldsOf(['Facility ID', 'Facility name (English)', 'Full address of the site', 'Country code'])).toEqual({
      name: 'Facility name (English)',
      address: 'Full address of the site',
      country: 'Country code',
    });
    // "postal code" is longer than "code": the postal code, not the supplier's id
    expect(fieldsOf(['name', 'Postal code (5 digits)'])).toEqual({ name: 'name', postalCode: 'Postal code (5 digits)' });
  });

  it('lets an explicit mapping win and reports the headers nothing reads', () => {
    const m = mapColumns(['Werk', 'Ort', 'Bemerkung', 'Name'], { name: 'Werk', city: 'ort' });
    expect(m.headers).toEqual({ name: 'Werk', city: 'Ort' });
    expect(m.unmapped).toEqual(['Bemerkung', 'Name']);
  });

  it('refuses a file without a name column, and a mapping naming a header the file lacks', () => {
    expect(codeOf(() => mapColumns(['Adresse', 'Land']))).toBe(OnboardingErrorCode.UnreadableFile);
    expect(codeOf(() => mapColumns(['Werk', 'Land'], { name: 'Fabrik' }))).toBe(OnboardingErrorCode.InvalidMapping);
    expect(codeOf(() => mapColumns(['Werk', 'Land'], { name: 'Werk', address: 'Werk' }))).toBe(OnboardingErrorCode.InvalidMapping);
  });
});

describe('parseMapping', () => {
  it('reads a JSON object from field to header', () => {
    expect(parseMapping('{"name": "Fabrik", "postalCode": "PLZ"}')).toEqual({ name: 'Fabrik', postalCode: 'PLZ' });
    expect(parseMapping(undefined)).toEqual({});
    expect(parseMapping('  ')).toEqual({});
  });

  it.each(['{name: "x"}', '["name"]', 'null', '{"colour": "x"}', '{"name": 3}', '{"name": ""}'])('refuses %s', (json) => {
    expect(codeOf(() => parseMapping(json))).toBe(OnboardingErrorCode.InvalidMapping);
  });
});
