import fc from 'fast-check';
import { greatCircleKm } from '@tiersight/geo-engine';
import { ADMIN1_NAMES, POSTAL_PREFIXES } from './admin1';
import { defaultGazetteer, PLACE_ALIASES } from './gazetteer';
import { CONFIRM_BELOW_CONFIDENCE, geocode, placeRow, type GeocodeHit, type GeocodeResult } from './index';
import { compactKey } from './text';
import { oshRow } from './testing/osh-fixtures';

// One gazetteer for the whole file (loaded once, about a second).
const gazetteer = defaultGazetteer();

function hit(result: GeocodeResult): GeocodeHit {
  if (!result.ok) throw new Error(`expected a place, got ${result.reason}: ${result.message}`);
  return result;
}

describe('geocode: real addresses of Open Supply Hub lists, within 25 km of OSH’s own geocode', () => {
  it.each([
    ['10:3', 'CN', 'Yancheng'], // "11 Changjiang Road,Yancheng Economy Development Zone,Yancheng,Jiangsu Province"
    ['10:5', 'CN', 'Haining'], // "… Hai Ning City,Jiaxing,Zhejiang Province": a name split in two
    // "WUYI INDUSTIAL ZONE, BAIQI VILLAGE, HUI'AN COUNTY,QUANZHOU CITY, FUJIAN PROVINCE□": Quanzhou, Fujian (not its namesake in
    // Guangxi), refined to the village of Baiqi that lies in it; under 1 km from OSH's point.
    ['2:3', 'CN', 'Baiqi'],
    ['10:29', 'VN', 'Hải Dương'], // "… Tu Minh,Hai Duong City,Hai Duong Province"
    ['11:3', 'BD', 'Chattogram'], // GeoNames' name since 2018; "Chittagong" in the address
    ['11:7', 'KH', 'Phnom Penh'],
    ['14:45', 'IN', 'Karur'],
    ['15:2', 'PK', 'Sialkot'],
    ['15:12', 'SV', 'San Juan Opico'],
    ['12:11', 'US', 'Mount Airy'], // "1546 Carter Street, Mount Airy NC 27030": state code before the ZIP
    ['15:198', 'GB', 'Barnsley'],
    ['4:11', 'MU', 'Rivière du Rempart'],
  ])('%s (%s) → %s', (id, country, placeName) => {
    const row = oshRow(id);
    const r = hit(geocode({ address: row.address, country: row.country }, gazetteer));
    expect(r.country).toBe(country);
    expect(r.precision).toBe('city');
    expect(r.place?.name).toBe(placeName);
    expect(greatCircleKm(r.lat, r.lon, row.reference!.lat, row.reference!.lon)).toBeLessThan(25);
    expect(r.how[0]).toContain(placeName);
  });

  it('prefers the admin seat over a namesake of bigger recorded population ("Zhongshan City, Guangdong")', () => {
    const row = oshRow('2:4');
    const r = hit(geocode({ address: row.address, country: row.country }, gazetteer));
    expect(r.place).toMatchObject({ name: 'Zhongshan', featureCode: 'PPLA2' });
    expect(greatCircleKm(r.lat, r.lon, row.reference!.lat, row.reference!.lon)).toBeLessThan(25);
  });

  it('uses the city and postal columns when the list has them', () => {
    const r = hit(geocode({ address: 'No. 5 Industrial Road', city: 'Dongguan', postalCode: '523000', country: 'China' }, gazetteer));
    expect(r.place?.name).toBe('Dongguan');
    expect(r.how.join(' ')).toContain('city column');
    expect(r.confidence).toBeGreaterThanOrEqual(CONFIRM_BELOW_CONFIDENCE);
    expect(r.needsConfirmation).toBe(false);
  });

  it('reads a province from a postal code: 362000 is Fujian, so Jinjiang is the Fujian one', () => {
    const r = hit(geocode({ address: 'Gaohu Industrial Zone, Jinjiang 362000', country: 'CN' }, gazetteer));
    expect(r.admin1).toBe('07');
    expect(r.how.some((h) => h.includes('postal code 362000'))).toBe(true);
  });

  it('places a misspelt city by one edit ("Guangzhuo")', () => {
    const r = hit(geocode({ address: 'Rm 514, Innovation Plaza, Guangzhuo', country: 'CN' }, gazetteer));
    expect(r.place?.name).toBe('Guangzhou');
    expect(r.how[0]).toContain('close spelling');
  });

  it('does not read a street named after a town as the town ("Jinniu Rd, Wuyi" stays coarse)', () => {
    const r = hit(geocode({ address: 'No.3,Jinniu Rd,Wuyi', country: 'China' }, gazetteer));
    expect(r.place?.name).not.toBe('Jinniu');
  });
});

describe('geocode: fallbacks, with the right precision and a flag', () => {
  it('falls back to the province centre when no town is known (Anhui → admin1 CN-01)', () => {
    const r = hit(geocode({ address: 'No. 8 Industrial Road, Anhui Province', country: 'China' }, gazetteer));
    expect(r).toMatchObject({ precision: 'admin1', admin1: '01', needsConfirmation: true, place: null });
    const anhui = gazetteer.admin1Area('CN', '01')!;
    expect(r.lat).toBeCloseTo(anhui.lat, 6);
    expect(r.radiusKm).toBe(anhui.radiusKm);
    expect(r.how.join(' ')).toMatch(/anhui.*admin-1 CN-01/);
  });

  it('falls back to the province when the only town named lies in another province', () => {
    // "Chợ Mới" exists in An Giang and Bắc Kạn, not in Tiền Giang, which the address names.
    const r = hit(geocode({ address: 'Cho Moi Hamlet, Long Hoa Commune, Tien Giang Province', country: 'VN' }, gazetteer));
    expect(r).toMatchObject({ precision: 'admin1', admin1: '37' });
  });

  it('falls back to the country centre for an address with no place (row "Vietnam.")', () => {
    const r = hit(geocode({ address: 'Vietnam.', country: 'Vietnam' }, gazetteer));
    expect(r).toMatchObject({ precision: 'country', country: 'VN', needsConfirmation: true, admin1: null });
    expect(r.radiusKm).toBeGreaterThan(100);
    expect(r.confidence).toBeLessThan(CONFIRM_BELOW_CONFIDENCE);
  });

  it('places an empty address at the country centre, flagged, and says why', () => {
    const r = hit(geocode({ address: '', country: 'Bangladesh' }, gazetteer));
    expect(r).toMatchObject({ precision: 'country', needsConfirmation: true });
    expect(r.how).toEqual(['no address given; centre of the country']);
  });

  it('takes the country from the address when the country cell is empty', () => {
    const r = hit(geocode({ address: '222 South Salna, Salna Bazar, Gazipur, Bangladesh', country: '' }, gazetteer));
    expect(r.country).toBe('BD');
    expect(r.how[0]).toContain('read from the address');
  });

  it('flags an address that names another country than the country cell', () => {
    const row = oshRow('2:38'); // country INDIA, address in Kowloon, Hong Kong
    const r = hit(geocode({ address: row.address, country: row.country }, gazetteer));
    expect(r.how.some((h) => h.includes('names Hong Kong'))).toBe(true);
    expect(r.needsConfirmation).toBe(true);
  });
});

describe('geocode: bad input is a miss with a reason, never a throw', () => {
  it.each([
    [{ address: 'Lot 5, Amata Park', country: 'Atlantis' }, 'country-unknown'],
    [{ address: 'Lot 5, Amata Park', country: '' }, 'country-empty'],
    [{ address: 'Lot 5', country: '=HYPERLINK("http://x","VN")' }, 'country-formula'],
    [{ address: 'Lot 5', country: 'Congo' }, 'country-ambiguous'],
  ])('%j → %s', (input, reason) => {
    const r = geocode(input, gazetteer);
    expect(r).toMatchObject({ ok: false, reason });
    if (!r.ok) expect(r.message).not.toBe('');
  });

  it('treats a formula in the address as no address (the row reports the refused cell)', () => {
    const placed = placeRow({ name: 'X', address: '=HYPERLINK("http://evil.example","Dhaka")', country: 'BD' }, gazetteer);
    expect(placed.row.issues.map((i) => i.code)).toEqual(['formula']);
    expect(placed.place).toMatchObject({ ok: true, precision: 'country' });
  });

  it('reads through control characters and lost-character marks', () => {
    const r = hit(geocode({ address: 'Plot 8,\u0000 Malwatta EPP,\u0007 Nittambuwa□\uFFFD, Gampaha', country: 'LK' }, gazetteer));
    expect(r.precision).toBe('city');
    expect(r.place?.name).toBe('Gampaha');
  });

  it('never throws on anything', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.option(fc.constantFrom('CN', 'VN', 'US', 'ZZ', 'China', '')), (address, city, country) => {
        const r = geocode({ address, city, country }, gazetteer);
        return r.ok ? Number.isFinite(r.lat) && Number.isFinite(r.lon) && r.radiusKm > 0 : r.reason.length > 0;
      }),
      { numRuns: 300 },
    );
  });
});

describe('the tables the geocoder reads', () => {
  it('every admin-1 code of the name tables exists in the gazetteer, and each division has its capital there', () => {
    for (const [country, table] of Object.entries(ADMIN1_NAMES)) {
      for (const code of Object.keys(table)) {
        expect({ country, code, known: gazetteer.admin1Area(country, code) !== null }).toEqual({ country, code, known: true });
      }
    }
    const capital = (country: string, name: string) =>
      gazetteer.places(country).find((p) => compactKey(p.name) === compactKey(name) && /^PPL[AC]$/.test(p.featureCode))!;
    expect(gazetteer.admin1ByName('CN', 'guangdong')).toBe(capital('CN', 'Guangzhou').admin1);
    expect(gazetteer.admin1ByName('CN', 'jiangsu')).toBe(capital('CN', 'Nanjing').admin1);
    expect(gazetteer.admin1ByName('VN', 'binhduong')).toBe(capital('VN', 'Thủ Dầu Một').admin1);
    expect(gazetteer.admin1ByName('IN', 'tamilnadu')).toBe(capital('IN', 'Chennai').admin1);
    expect(gazetteer.admin1ByName('PK', 'punjab')).toBe(capital('PK', 'Lahore').admin1);
  });

  it('every postal prefix points at a known admin-1 code', () => {
    for (const [country, table] of Object.entries(POSTAL_PREFIXES)) {
      for (const code of Object.values(table.admin1)) expect(gazetteer.admin1Area(country, code)).not.toBeNull();
    }
  });

  it('every place alias resolves to a place of its country', () => {
    for (const [country, aliases] of Object.entries(PLACE_ALIASES)) {
      for (const alias of Object.keys(aliases)) expect({ alias, found: gazetteer.lookup(country, alias).length > 0 }).toEqual({ alias, found: true });
    }
  });

  it('country centres lie in their country', () => {
    const centre = (c: string) => gazetteer.countryArea(c)!;
    expect(centre('FR').lat).toBeGreaterThan(42);
    expect(centre('FR').lon).toBeLessThan(8); // not dragged towards Réunion or Guiana
    expect(centre('US').lon).toBeGreaterThan(-125); // the lower 48, not Alaska
    const vn = centre('VN');
    const nearest = Math.min(...gazetteer.places('VN').map((p) => greatCircleKm(vn.lat, vn.lon, p.lat, p.lon)));
    expect(nearest).toBeLessThan(1); // the crescent's centroid falls in the sea: moved to the nearest town
  });
});
