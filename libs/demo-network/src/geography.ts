import { cumulative } from './prng';

// Module-level aliases of Math: hot loops, and Jest's sandbox makes each global lookup slow (see prng.ts).
const { asin, cos, min, sin, sqrt, PI } = Math;

/**
 * Manufacturing countries (ISO 3166-1 alpha-2) with real industrial cities.
 * `weight`: share of component and assembly suppliers; `materials`: share of
 * raw-material suppliers (the deepest tiers, where mining countries weigh
 * more); `legal`: the usual legal form (`*` stands for the name);
 * `hazard`: a rough baseline risk of a site there (natural hazards, grid,
 * logistics), 0..1.
 */
export interface Country {
  code: string;
  weight: number;
  materials: number;
  legal: string;
  hazard: number;
  cities: ReadonlyArray<readonly [name: string, lat: number, lon: number]>;
}

type Row = [code: string, weight: number, materials: number, legal: string, hazard: number, cities: Country['cities']];

const ROWS: Row[] = [
  [
    'CN',
    22,
    20,
    '* Co., Ltd.',
    0.12,
    [
      ['Shenzhen', 22.54, 114.06],
      ['Dongguan', 23.02, 113.75],
      ['Suzhou', 31.3, 120.62],
      ['Ningbo', 29.87, 121.54],
      ['Chongqing', 29.56, 106.55],
      ['Tianjin', 39.13, 117.2],
      ['Wuxi', 31.49, 120.31],
      ['Chengdu', 30.66, 104.07],
    ],
  ],
  [
    'TW',
    6,
    2,
    '* Co., Ltd.',
    0.18,
    [
      ['Taichung', 24.15, 120.67],
      ['Hsinchu', 24.8, 120.97],
      ['Kaohsiung', 22.63, 120.3],
      ['Taoyuan', 24.99, 121.3],
    ],
  ],
  [
    'JP',
    6,
    3,
    '* Co., Ltd.',
    0.2,
    [
      ['Nagoya', 35.18, 136.91],
      ['Osaka', 34.69, 135.5],
      ['Hamamatsu', 34.71, 137.73],
      ['Kitakyushu', 33.88, 130.88],
      ['Sendai', 38.27, 140.87],
    ],
  ],
  [
    'KR',
    4,
    2,
    '* Co., Ltd.',
    0.08,
    [
      ['Ulsan', 35.54, 129.31],
      ['Suwon', 37.26, 127.03],
      ['Gumi', 36.12, 128.34],
      ['Changwon', 35.23, 128.68],
    ],
  ],
  [
    'VN',
    4,
    1,
    '* JSC',
    0.15,
    [
      ['Bac Ninh', 21.19, 106.08],
      ['Thu Dau Mot', 10.98, 106.65],
      ['Hai Phong', 20.86, 106.68],
      ['Bien Hoa', 10.95, 106.82],
    ],
  ],
  [
    'TH',
    3,
    1,
    '* Co., Ltd.',
    0.12,
    [
      ['Rayong', 12.68, 101.28],
      ['Ayutthaya', 14.35, 100.57],
      ['Chonburi', 13.36, 100.98],
    ],
  ],
  [
    'MY',
    3,
    2,
    '* Sdn. Bhd.',
    0.06,
    [
      ['Penang', 5.41, 100.33],
      ['Johor Bahru', 1.49, 103.74],
      ['Kulim', 5.37, 100.56],
    ],
  ],
  [
    'IN',
    5,
    4,
    '* Pvt. Ltd.',
    0.14,
    [
      ['Chennai', 13.08, 80.27],
      ['Pune', 18.52, 73.86],
      ['Bengaluru', 12.97, 77.59],
      ['Ahmedabad', 23.02, 72.57],
    ],
  ],
  [
    'ID',
    2,
    4,
    'PT *',
    0.2,
    [
      ['Batam', 1.05, 104.03],
      ['Bekasi', -6.24, 106.99],
      ['Surabaya', -7.25, 112.75],
    ],
  ],
  [
    'PH',
    2,
    1,
    '* Inc.',
    0.25,
    [
      ['Calamba', 14.21, 121.17],
      ['Cebu', 10.31, 123.89],
      ['Clark', 15.19, 120.55],
    ],
  ],
  ['SG', 1, 1, '* Pte. Ltd.', 0.03, [['Singapore', 1.35, 103.82]]],
  [
    'DE',
    6,
    3,
    '* GmbH',
    0.04,
    [
      ['Stuttgart', 48.78, 9.18],
      ['Munich', 48.14, 11.58],
      ['Chemnitz', 50.83, 12.92],
      ['Wolfsburg', 52.42, 10.79],
      ['Dortmund', 51.51, 7.47],
    ],
  ],
  [
    'IT',
    3,
    1,
    '* S.p.A.',
    0.08,
    [
      ['Brescia', 45.54, 10.22],
      ['Turin', 45.07, 7.69],
      ['Bologna', 44.49, 11.34],
    ],
  ],
  [
    'FR',
    2,
    1,
    '* SAS',
    0.04,
    [
      ['Lyon', 45.76, 4.84],
      ['Toulouse', 43.6, 1.44],
      ['Grenoble', 45.19, 5.72],
    ],
  ],
  [
    'PL',
    2,
    1,
    '* Sp. z o.o.',
    0.04,
    [
      ['Wroclaw', 51.11, 17.04],
      ['Katowice', 50.26, 19.02],
      ['Poznan', 52.41, 16.93],
    ],
  ],
  [
    'CZ',
    2,
    1,
    '* s.r.o.',
    0.04,
    [
      ['Brno', 49.2, 16.61],
      ['Pilsen', 49.74, 13.38],
      ['Mlada Boleslav', 50.41, 14.9],
    ],
  ],
  [
    'SK',
    1,
    0,
    '* s.r.o.',
    0.04,
    [
      ['Bratislava', 48.15, 17.11],
      ['Zilina', 49.22, 18.74],
    ],
  ],
  [
    'HU',
    1,
    0,
    '* Kft.',
    0.04,
    [
      ['Gyor', 47.69, 17.63],
      ['Kecskemet', 46.91, 19.69],
    ],
  ],
  [
    'RO',
    1,
    1,
    '* S.R.L.',
    0.07,
    [
      ['Pitesti', 44.86, 24.87],
      ['Timisoara', 45.75, 21.23],
    ],
  ],
  [
    'ES',
    1,
    1,
    '* S.A.',
    0.05,
    [
      ['Valencia', 39.47, -0.38],
      ['Barcelona', 41.39, 2.17],
      ['Zaragoza', 41.65, -0.88],
    ],
  ],
  [
    'NL',
    1,
    1,
    '* B.V.',
    0.04,
    [
      ['Eindhoven', 51.44, 5.47],
      ['Rotterdam', 51.92, 4.48],
    ],
  ],
  [
    'BE',
    1,
    2,
    '* NV',
    0.04,
    [
      ['Antwerp', 51.22, 4.4],
      ['Ghent', 51.05, 3.72],
    ],
  ],
  [
    'GB',
    1,
    1,
    '* Ltd',
    0.03,
    [
      ['Birmingham', 52.49, -1.89],
      ['Sunderland', 54.91, -1.38],
    ],
  ],
  [
    'SE',
    1,
    2,
    '* AB',
    0.02,
    [
      ['Gothenburg', 57.71, 11.97],
      ['Vasteras', 59.61, 16.55],
    ],
  ],
  [
    'CH',
    1,
    0,
    '* AG',
    0.02,
    [
      ['Basel', 47.56, 7.59],
      ['Zurich', 47.38, 8.54],
    ],
  ],
  [
    'AT',
    1,
    1,
    '* GmbH',
    0.03,
    [
      ['Linz', 48.31, 14.29],
      ['Graz', 47.07, 15.44],
    ],
  ],
  [
    'TR',
    2,
    2,
    '* A.S.',
    0.2,
    [
      ['Bursa', 40.19, 29.06],
      ['Izmir', 38.42, 27.14],
      ['Izmit', 40.77, 29.92],
    ],
  ],
  ['IL', 1, 1, '* Ltd.', 0.1, [['Haifa', 32.79, 34.99]]],
  ['AE', 1, 2, '* FZE', 0.04, [['Jebel Ali', 25.01, 55.06]]],
  [
    'US',
    6,
    5,
    '* Inc.',
    0.08,
    [
      ['Detroit', 42.33, -83.05],
      ['Houston', 29.76, -95.37],
      ['San Jose', 37.34, -121.89],
      ['Greenville', 34.85, -82.4],
      ['Columbus', 39.96, -83.0],
      ['Phoenix', 33.45, -112.07],
    ],
  ],
  [
    'MX',
    4,
    2,
    '* S.A. de C.V.',
    0.12,
    [
      ['Monterrey', 25.67, -100.31],
      ['Guadalajara', 20.66, -103.35],
      ['Tijuana', 32.51, -117.04],
      ['Queretaro', 20.59, -100.39],
      ['Saltillo', 25.42, -101.0],
    ],
  ],
  [
    'CA',
    1,
    3,
    '* Inc.',
    0.03,
    [
      ['Windsor', 42.31, -83.04],
      ['Toronto', 43.65, -79.38],
      ['Sudbury', 46.49, -80.99],
    ],
  ],
  [
    'BR',
    2,
    4,
    '* Ltda.',
    0.07,
    [
      ['Sao Paulo', -23.55, -46.63],
      ['Manaus', -3.12, -60.02],
      ['Belo Horizonte', -19.92, -43.94],
    ],
  ],
  [
    'CL',
    1,
    5,
    '* S.A.',
    0.15,
    [
      ['Antofagasta', -23.65, -70.4],
      ['Santiago', -33.45, -70.67],
    ],
  ],
  [
    'PE',
    1,
    3,
    '* S.A.C.',
    0.15,
    [
      ['Arequipa', -16.41, -71.54],
      ['Lima', -12.05, -77.04],
    ],
  ],
  [
    'ZA',
    1,
    3,
    '* (Pty) Ltd',
    0.06,
    [
      ['Durban', -29.86, 31.02],
      ['Gqeberha', -33.96, 25.6],
      ['Rustenburg', -25.67, 27.24],
    ],
  ],
  [
    'MA',
    1,
    2,
    '* SARL',
    0.06,
    [
      ['Tangier', 35.76, -5.83],
      ['Kenitra', 34.26, -6.58],
    ],
  ],
  [
    'AU',
    1,
    5,
    '* Pty Ltd',
    0.05,
    [
      ['Perth', -31.95, 115.86],
      ['Melbourne', -37.81, 144.96],
      ['Kalgoorlie', -30.75, 121.47],
    ],
  ],
  [
    'CD',
    0,
    3,
    '* SARL',
    0.25,
    [
      ['Kolwezi', -10.71, 25.47],
      ['Lubumbashi', -11.66, 27.48],
    ],
  ],
];

export const COUNTRIES: readonly Country[] = ROWS.map(([code, weight, materials, legal, hazard, cities]) => ({
  code,
  weight,
  materials,
  legal,
  hazard,
  cities,
}));

/** Cumulative weights for component and assembly suppliers, and for raw-material suppliers. */
export const COUNTRY_WEIGHTS = cumulative(COUNTRIES.map((c) => c.weight));
export const MATERIAL_COUNTRY_WEIGHTS = cumulative(COUNTRIES.map((c) => c.materials));

/** Great-circle distance in km. */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = sin(dLat / 2) ** 2 + cos(lat1 * rad) * cos(lat2 * rad) * sin(dLon / 2) ** 2;
  return 12_742 * asin(min(1, sqrt(a)));
}
