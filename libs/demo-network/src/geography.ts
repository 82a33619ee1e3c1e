/** Manufacturing countries (ISO 3166-1 alpha-2), a weight for how many suppliers sit there, and real industrial cities. */
export interface Country {
  code: string;
  weight: number;
  cities: ReadonlyArray<readonly [name: string, lat: number, lon: number]>;
}

export const COUNTRIES: readonly Country[] = [
  { code: 'CN', weight: 22, cities: [['Shenzhen', 22.54, 114.06], ['Suzhou', 31.3, 120.62], ['Dongguan', 23.02, 113.75], ['Ningbo', 29.87, 121.54], ['Chongqing', 29.56, 106.55]] },
  { code: 'TW', weight: 6, cities: [['Taichung', 24.15, 120.67], ['Hsinchu', 24.8, 120.97], ['Kaohsiung', 22.63, 120.3]] },
  { code: 'JP', weight: 6, cities: [['Nagoya', 35.18, 136.91], ['Osaka', 34.69, 135.5], ['Hamamatsu', 34.71, 137.73]] },
  { code: 'KR', weight: 4, cities: [['Ulsan', 35.54, 129.31], ['Suwon', 37.26, 127.03], ['Gumi', 36.12, 128.34]] },
  { code: 'VN', weight: 4, cities: [['Bac Ninh', 21.19, 106.08], ['Binh Duong', 11.17, 106.65], ['Hai Phong', 20.86, 106.68]] },
  { code: 'TH', weight: 3, cities: [['Rayong', 12.68, 101.28], ['Ayutthaya', 14.35, 100.57]] },
  { code: 'MY', weight: 3, cities: [['Penang', 5.41, 100.33], ['Johor Bahru', 1.49, 103.74]] },
  { code: 'IN', weight: 5, cities: [['Chennai', 13.08, 80.27], ['Pune', 18.52, 73.86], ['Bengaluru', 12.97, 77.59]] },
  { code: 'ID', weight: 2, cities: [['Batam', 1.05, 104.03], ['Bekasi', -6.24, 106.99]] },
  { code: 'PH', weight: 2, cities: [['Laguna', 14.27, 121.41], ['Cebu', 10.31, 123.89]] },
  { code: 'SG', weight: 1, cities: [['Singapore', 1.35, 103.82]] },
  { code: 'DE', weight: 6, cities: [['Stuttgart', 48.78, 9.18], ['Munich', 48.14, 11.58], ['Chemnitz', 50.83, 12.92]] },
  { code: 'IT', weight: 3, cities: [['Brescia', 45.54, 10.22], ['Turin', 45.07, 7.69]] },
  { code: 'FR', weight: 2, cities: [['Lyon', 45.76, 4.84], ['Toulouse', 43.6, 1.44]] },
  { code: 'PL', weight: 2, cities: [['Wroclaw', 51.11, 17.04], ['Katowice', 50.26, 19.02]] },
  { code: 'CZ', weight: 2, cities: [['Brno', 49.2, 16.61], ['Pilsen', 49.74, 13.38]] },
  { code: 'HU', weight: 1, cities: [['Gyor', 47.69, 17.63]] },
  { code: 'ES', weight: 1, cities: [['Valencia', 39.47, -0.38]] },
  { code: 'NL', weight: 1, cities: [['Eindhoven', 51.44, 5.47], ['Rotterdam', 51.92, 4.48]] },
  { code: 'GB', weight: 1, cities: [['Birmingham', 52.49, -1.89]] },
  { code: 'SE', weight: 1, cities: [['Gothenburg', 57.71, 11.97]] },
  { code: 'TR', weight: 2, cities: [['Bursa', 40.19, 29.06], ['Izmir', 38.42, 27.14]] },
  { code: 'US', weight: 6, cities: [['Detroit', 42.33, -83.05], ['Houston', 29.76, -95.37], ['San Jose', 37.34, -121.89], ['Greenville', 34.85, -82.4]] },
  { code: 'MX', weight: 4, cities: [['Monterrey', 25.67, -100.31], ['Guadalajara', 20.66, -103.35], ['Tijuana', 32.51, -117.04]] },
  { code: 'CA', weight: 1, cities: [['Windsor', 42.31, -83.04]] },
  { code: 'BR', weight: 2, cities: [['Sao Paulo', -23.55, -46.63], ['Manaus', -3.12, -60.02]] },
  { code: 'CL', weight: 1, cities: [['Antofagasta', -23.65, -70.4]] },
  { code: 'PE', weight: 1, cities: [['Arequipa', -16.41, -71.54]] },
  { code: 'ZA', weight: 1, cities: [['Durban', -29.86, 31.02]] },
  { code: 'MA', weight: 1, cities: [['Tangier', 35.76, -5.83]] },
  { code: 'AU', weight: 1, cities: [['Perth', -31.95, 115.86]] },
  { code: 'CD', weight: 1, cities: [['Kolwezi', -10.71, 25.47]] },
];

export const CUMULATIVE_COUNTRY_WEIGHTS: readonly number[] = COUNTRIES.reduce<number[]>(
  (acc, c) => [...acc, (acc[acc.length - 1] ?? 0) + c.weight],
  [],
);

export const SUPPLIER_WORDS = ['Precision', 'Advanced', 'United', 'Pacific', 'Golden', 'Northern', 'Allied', 'Summit', 'Prime', 'Delta'];
export const SUPPLIER_TRADES = ['Castings', 'Electronics', 'Plastics', 'Chemicals', 'Metalworks', 'Components', 'Circuits', 'Polymers', 'Magnetics', 'Assembly'];
export const PART_CATEGORIES = ['castings', 'electronics', 'plastics', 'chemicals', 'packaging', 'fasteners', 'pcb', 'batteries', 'magnets', 'rare-earths'];
export const SKU_CATEGORIES = ['audio', 'wearables', 'appliances', 'lighting', 'tools', 'networking'];
export const SKU_NOUNS = ['Speaker', 'Headphones', 'Smartwatch', 'Blender', 'Lamp', 'Drill', 'Router', 'Soundbar', 'Kettle', 'Tracker'];
