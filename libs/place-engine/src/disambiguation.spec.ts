import { GeoNamesDump, parseLine } from './cities500';
import { foldedNamesOf, Gazetteer, type RawCity } from './gazetteer';
import { geocode, type GeocodeHit, type GeocodeInput } from './geocode';

// Hand-made gazetteers: small, so each case shows the one rule it is about. Names, codes and points
// are close to GeoNames' (admin-1 30 Guangdong, 04 Jiangsu, 11 Hunan, 25 Shandong; admin-2 the
// prefecture), but the cases do not depend on the real data.

let nextId = 1;
function city(
  name: string,
  where: { country?: string; admin1: string; admin2?: string },
  featureCode: string,
  population: number,
  lat: number,
  lon: number,
  alternateNames: string[] = [],
): RawCity {
  return {
    geonameId: nextId++,
    name,
    asciiName: name,
    alternateNames,
    latitude: lat,
    longitude: lon,
    featureCode,
    countryCode: where.country ?? 'CN',
    admin1Code: where.admin1,
    admin2Code: where.admin2 ?? '',
    population,
  };
}

function place(gazetteer: Gazetteer, input: GeocodeInput): GeocodeHit {
  const r = geocode({ country: 'CN', ...input }, gazetteer);
  if (!r.ok) throw new Error(`expected a place, got ${r.reason}`);
  return r;
}

const DONGGUAN = { admin1: '30', admin2: '4419' };
const SHAOYANG = { admin1: '11', admin2: '4305' };

describe('homonyms: which of several places of one name', () => {
  const gazetteer = new Gazetteer([
    city('Xinxing', { admin1: '30', admin2: '4453' }, 'PPLA4', 0, 22.7, 112.23),
    city('Xinxing', { admin1: '04', admin2: '3209' }, 'PPLA4', 0, 33.2, 120.1),
    city('Dongguan', DONGGUAN, 'PPLA2', 9_644_871, 23.018, 113.749, ['东莞', '东莞市']),
    city('Dongguan', { admin1: '02', admin2: '3306' }, 'PPLA4', 0, 30.012, 120.814),
    city('Lishui', { admin1: '02', admin2: '3311' }, 'PPLA2', 200_000, 28.46, 119.91),
  ]);

  it.each([
    ['Xinxing Town, Guangdong Province', '30'],
    ['Xinxing Town, Jiangsu', '04'],
    ['Xinxing Town, 226500', '04'], // a Jiangsu postcode
  ])('the town of the province the address names: %s → admin-1 %s', (address, admin1) => {
    const r = place(gazetteer, { address });
    expect(r).toMatchObject({ precision: 'city', admin1, place: { name: 'Xinxing' } });
  });

  it('a seat without a population (a GeoNames PPLA4 township) never beats a real city of the same name', () => {
    const r = place(gazetteer, { address: 'No. 5 Industrial Road, Dongguan' });
    expect(r.place).toMatchObject({ name: 'Dongguan', featureCode: 'PPLA2' });
    expect(r.admin1).toBe('30');
  });

  it('…but the township wins when the address names its province', () => {
    expect(place(gazetteer, { address: 'Dongguan Village, Zhejiang' }).place).toMatchObject({ featureCode: 'PPLA4' });
  });
});

describe('a town or county named beside its city', () => {
  const gazetteer = new Gazetteer([
    city('Dongguan', DONGGUAN, 'PPLA2', 9_644_871, 23.018, 113.749, ['东莞', '东莞市']),
    city('Humen', DONGGUAN, 'PPLA4', 191_891, 22.819, 113.673, ['虎门', '虎门镇']),
    city('Chang’an', DONGGUAN, 'PPLA3', 0, 22.806, 113.803),
    // a namesake of Chang'an in Zhejiang: never meant by "Chang'an, Dongguan"
    city('Chang’an', { admin1: '02', admin2: '3304' }, 'PPLA4', 0, 30.456, 120.444),
    // a namesake of Dongkou in another prefecture of Hunan (listed first: it would win a tie)
    city('Dongkou', { admin1: '11', admin2: '4301' }, 'PPLA3', 0, 28.2, 113.05),
    city('Shaoyang', SHAOYANG, 'PPLA2', 750_000, 27.239, 111.467),
    city('Dongkou', SHAOYANG, 'PPLA3', 0, 27.06, 110.575),
    city('Quanzhou', { admin1: '07', admin2: '3505' }, 'PPLA2', 1_469_157, 24.914, 118.586),
    city('Luocheng', { admin1: '07', admin2: '3505' }, 'PPLA3', 0, 25.03, 118.79, ['Hui’an', 'Huian']),
    city('Baiqi', { admin1: '07', admin2: '3505' }, 'PPLA4', 0, 24.88, 118.71),
  ]);

  it('a town of the city refines it ("Humen Town, Dongguan" → Humen, not Dongguan)', () => {
    const r = place(gazetteer, { address: 'No. 8 Huanan Road, Humen Town, Dongguan City, Guangdong Province' });
    expect(r.place?.name).toBe('Humen');
    expect(r.how).toContain('inside Dongguan, also named');
  });

  it('a town of the city is the one in that city, not its namesake in another province', () => {
    const r = place(gazetteer, { address: "Xiaobian Industrial Zone, Chang'an, Dongguan" });
    expect(r).toMatchObject({ admin1: '30', place: { name: 'Chang’an', featureCode: 'PPLA3' } });
  });

  it('a county of the prefecture refines it even 90 km from the prefecture city, by their shared admin-2', () => {
    const r = place(gazetteer, { address: 'Economic Development Zone, Dongkou, Shaoyang, Hunan' });
    expect(r.place?.name).toBe('Dongkou');
    expect(r.lon).toBeCloseTo(110.575, 3); // the Dongkou of Shaoyang's prefecture, not the one near Changsha
  });

  it('refines step by step, city → county → village ("Baiqi Village, Hui’an County, Quanzhou City")', () => {
    const r = place(gazetteer, { address: "Wuyi Industrial Zone, Baiqi Village, Hui'an County, Quanzhou City, Fujian Province" });
    expect(r.place?.name).toBe('Baiqi');
  });

  it('reads an address in Chinese script (广东省东莞市虎门镇 → Humen), by the alternate names', () => {
    const r = place(gazetteer, { address: '广东省东莞市虎门镇北栅村工业路8号' });
    expect(r).toMatchObject({ admin1: '30', place: { name: 'Humen' } });
    expect(r.how[0]).toContain('"虎门镇"');
  });
});

describe('alternate names and unit words', () => {
  const gazetteer = new Gazetteer([
    city('Zhengzhou', { admin1: '09', admin2: '4101' }, 'PPLA', 4_253_913, 34.757, 113.649, ['Cheng', 'Chengchow']),
    city('Jiashan', { admin1: '02', admin2: '3304' }, 'PPLX', 137_112, 30.849, 120.926),
    city('Yantai', { admin1: '25', admin2: '3706' }, 'PPL', 1_000_000, 37.476, 121.441),
    city('Qingyang', { admin1: '25', admin2: '3706' }, 'PPLA3', 0, 37.5, 121.25, ['Fushan', 'Fushan Qu']),
    city('Fushan', { admin1: '25', admin2: '3706' }, 'PPLA4', 0, 37.25, 120.85),
    city('Jilin', { admin1: '05', admin2: '2202' }, 'PPLA2', 1_895_865, 43.851, 126.56),
    city('Liaoyuan', { admin1: '05', admin2: '2204' }, 'PPL', 465_249, 42.904, 125.136),
    city('Changchun', { admin1: '05', admin2: '2201' }, 'PPLA', 2_537_421, 43.88, 125.322),
    city('Johor Bahru', { country: 'MY', admin1: '01' }, 'PPLA', 802_489, 1.466, 103.759, ['Johor', 'Johore Bahru']),
    city('Batu Pahat', { country: 'MY', admin1: '01' }, 'PPL', 156_236, 1.85, 102.933),
  ]);

  it('finds a place by an alternate spelling', () => {
    expect(place(gazetteer, { address: 'Chengchow' }).place?.name).toBe('Zhengzhou');
  });

  it('prefers the place a name is the own name of over one it is an old or other name of, other things equal', () => {
    const namesakes = new Gazetteer([
      city('Huicheng', { admin1: '30', admin2: '4407' }, 'PPLA3', 0, 22.53, 113.03, ['Xinhui']), // listed first: it would win a tie
      city('Xinhui', { admin1: '20', admin2: '1504' }, 'PPLA3', 0, 42.28, 119.9),
    ]);
    expect(place(namesakes, { address: 'Xinhui' }).place?.name).toBe('Xinhui');
    expect(place(namesakes, { address: 'Xinhui, Guangdong' }).place?.name).toBe('Huicheng');
  });

  it('does not read a short alternate name inside a street ("Cheng Gong Road" is not Zhengzhou)', () => {
    expect(place(gazetteer, { address: 'No. 123, Cheng Gong Road, Huiming Street, Jiashan' }).place?.name).toBe('Jiashan');
  });

  it('does not index an alternate name that is only the first word of the own name ("Johor" names the state), nor a code', () => {
    const johorBahru = city('Johor Bahru', { country: 'MY', admin1: '01' }, 'PPLA', 802_489, 1.466, 103.759, ['Johor', 'Johore Bahru', 'JHB']);
    expect(foldedNamesOf(johorBahru)).toEqual({ own: ['johor bahru'], alternate: ['johore bahru'] });
    const r = geocode({ address: 'Batu 4 Jalan Kluang 83000 Batu Pahat Johor Malaysia', country: 'MY' }, gazetteer);
    expect(r.ok && r.place?.name).toBe('Batu Pahat');
  });

  it('"X District" means the district seat (PPLA3) rather than a township of the same name', () => {
    const r = place(gazetteer, { address: 'No. 188, Puwan Street, Fushan District, Yantai, Shandong' });
    expect(r.place?.name).toBe('Qingyang');
  });

  it('a province’s name is its capital, not a city of the province that shares the name', () => {
    expect(place(gazetteer, { address: 'Economic Development Zone, Liaoyuan, Jilin' }).place?.name).toBe('Liaoyuan');
    expect(place(gazetteer, { address: 'Jilin' })).toMatchObject({ precision: 'admin1', admin1: '05' });
    expect(place(gazetteer, { address: 'Jilin City, Jilin Province' }).place?.name).toBe('Jilin');
  });
});

describe('weak province evidence is a preference, not a filter', () => {
  const gazetteer = new Gazetteer([
    city('Zhangjiagang', { admin1: '04', admin2: '3205' }, 'PPLA3', 1_432_044, 31.865, 120.539),
    city('Nanjing', { admin1: '04', admin2: '3201' }, 'PPLA', 7_165_292, 32.061, 118.778),
    city('Lhasa', { admin1: '14', admin2: '5401' }, 'PPLA', 118_721, 29.65, 91.1),
    city('Shanghai', { admin1: '23', admin2: '3101' }, 'PPLA', 22_315_474, 31.222, 121.458),
    city('Songjiang', { admin1: '23', admin2: '3101' }, 'PPLA3', 0, 31.036, 121.226),
  ]);

  it('evidence for two provinces ("Shanghai", "Jiangsu Province") does not rule out the places of either', () => {
    const r = place(gazetteer, { address: '528 Xingge Road, Xingqiao Town, Songjiang District, Shanghai, Jiangsu Province' });
    expect(r).toMatchObject({ precision: 'city', admin1: '23', place: { name: 'Songjiang' } });
  });

  it('"Xizhang" (one letter from Xizang, Tibet) does not rule out the town the address names', () => {
    const r = place(gazetteer, { address: 'No. 43 Zhenbei Road, Xizhang Society, Fenghuang Town, Zhangjiagang' });
    expect(r).toMatchObject({ precision: 'city', admin1: '04', place: { name: 'Zhangjiagang' } });
  });
});

describe('GeoNamesDump: the cities500 file, read a country at a time', () => {
  const line = (fields: (string | number)[]) => fields.join('\t');
  const row = (id: number, name: string, alternates: string, country: string, code: string, population: number) =>
    line([id, name, name, alternates, 23.1, 113.2, 'P', code, country, '', '30', '4419', '', '', population, '', 10, 'Asia/Shanghai', '2024-01-01']);
  const text = [
    row(1, 'Humen', '虎门,虎门镇', 'CN', 'PPLA4', 191891),
    row(2, 'Lac-des-Aigles', '', 'CA', '', 629), // the dump's one place without a feature code
    row(3, 'Dongguan', '东莞', 'CN', 'PPLA2', 9644871),
    'not a line of the dump',
  ].join('\r\n');
  const dump = new GeoNamesDump(Buffer.from(text, 'utf8'));

  it('splits the file by country and parses a country’s lines when asked', () => {
    expect(dump.countries().sort()).toEqual(['CA', 'CN']);
    expect([...dump.citiesOf('CN')].map((c) => [c.name, c.featureCode, c.population, c.alternateNames])).toEqual([
      ['Humen', 'PPLA4', 191891, ['虎门', '虎门镇']],
      ['Dongguan', 'PPLA2', 9644871, ['东莞']],
    ]);
    expect([...dump.citiesOf('CA')][0]).toMatchObject({ name: 'Lac-des-Aigles', featureCode: '' });
    expect([...dump.citiesOf('FR')]).toEqual([]);
  });

  it('refuses a line without a point or an id', () => {
    expect(parseLine('x\tName\t\t\tnot-a-number\t1\tP\tPPL\tCN')).toBeNull();
  });

  it('serves a gazetteer', () => {
    const gazetteer = new Gazetteer(dump);
    expect(gazetteer.lookup('CN', '虎门').map((p) => p.name)).toEqual(['Humen']);
    expect(gazetteer.lookup('CN', '东莞市').map((p) => p.name)).toEqual(['Dongguan']); // the unit character left off
  });
});
