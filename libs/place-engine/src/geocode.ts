import { greatCircleKm } from '@tiersight/geo-engine';
import { addressWords, contextOf, GENERIC, type NameContext } from './address-words';
import { POSTAL_PREFIXES } from './admin1';
import { countryInText, countryName, resolveCountry, type CountryFailure } from './countries';
import { defaultGazetteer, effectivePopulation, isHan, type Gazetteer, type Place } from './gazetteer';
import { cleanCell, compactKey } from './text';

export type Precision = 'city' | 'admin1' | 'country';

/** What the geocoder reads: the address text and whatever structured columns the list has. */
export interface GeocodeInput {
  address?: unknown;
  city?: unknown;
  postalCode?: unknown;
  /** a province/state column, if the list has one */
  admin1?: unknown;
  /** the country cell as written (any spelling) */
  country?: unknown;
  /** an ISO alpha-2 code already resolved; wins over `country` */
  countryCode?: string | null;
}

export interface GeocodeHit {
  ok: true;
  lat: number;
  lon: number;
  country: string;
  /** GeoNames admin-1 code of the answer, when known */
  admin1: string | null;
  precision: Precision;
  /** how far the facility may be from the point */
  radiusKm: number;
  /** 0..1: how sure the match is (see README: Geocoding) */
  confidence: number;
  /** true when a person should place the pin: coarser than a city, or a doubtful city */
  needsConfirmation: boolean;
  /** what matched, in words, strongest first */
  how: string[];
  /** the gazetteer place, for a city answer */
  place: { id: number; name: string; featureCode: string; population: number } | null;
}

export type GeocodeFailure = CountryFailure | 'country-mismatch';

export interface GeocodeMiss {
  ok: false;
  reason: GeocodeFailure;
  message: string;
}

export type GeocodeResult = GeocodeHit | GeocodeMiss;

/** Below this confidence a city answer is still flagged for confirmation. */
export const CONFIRM_BELOW_CONFIDENCE = 0.5;
/** Two matched places this close support each other (a town and its city, a city and its district). */
const SUPPORT_KM = 40;
/** The longest run of words read as one name. */
const MAX_NGRAM = 4;
/** Names shorter than this (compact, in the address text) are too often ordinary words. */
const MIN_KEY_LENGTH = 4;
/** How many times a smaller place named beside the answer may refine it (prefecture → county → town). */
const MAX_REFINEMENTS = 3;
/** Alternate names shorter than this (compact) match in the address only as a whole part of it or with a city word after them. */
const MIN_ALTERNATE_KEY_LENGTH = 6;
/** Names at least this long may be matched with one typo. */
const FUZZY_MIN_LENGTH = 7;
/** A city answer's radius: grows with the square root of its population, within these bounds. */
const CITY_RADIUS_MIN_KM = 3;
const CITY_RADIUS_MAX_KM = 50;

/** Numbers of these lengths may be postal codes. */
const POSTAL_LENGTHS = new Set([4, 5, 6]);

interface Mention {
  start: number;
  end: number;
  key: string;
  places: readonly Place[];
  weight: number;
  source: 'address' | 'city column';
  fuzzy: boolean;
  context: NameContext;
}

interface AdminEvidence {
  code: string;
  weight: number;
  /** a close spelling of a division's name, not the name */
  fuzzy?: boolean;
  how: string;
}

/**
 * The province the evidence points to; `soft` when it rests only on close spellings ("Xizhang" may be
 * Xizang or a village) or other evidence names another province.
 */
interface Region {
  code: string;
  soft: boolean;
}

interface Scored {
  place: Place;
  mention: Mention;
  score: number;
  support: number;
  adminAgrees: boolean | null;
}

/**
 * Places an address offline: finds the names of towns, cities and districts in the text (and the
 * city/postal/province columns when the list has them), chooses among places of the same name by
 * country, province and size, and falls back to the province's then the country's centroid. Never
 * throws; a row without a usable country is a miss with its reason.
 */
export function geocode(input: GeocodeInput, gazetteer: Gazetteer = defaultGazetteer()): GeocodeResult {
  const how: string[] = [];
  const address = cleanCell(input.address).value ?? '';
  const cityCell = cleanCell(input.city).value;
  const postalCell = cleanCell(input.postalCode).value;
  const adminCell = cleanCell(input.admin1).value;

  let country: string;
  const named = countryInText(address);
  const resolved = input.countryCode && /^[A-Z]{2}$/.test(input.countryCode) ? null : resolveCountry(input.country);
  if (resolved === null) country = input.countryCode as string;
  else if (resolved.ok) country = resolved.code;
  else {
    if (!named || resolved.reason !== 'country-empty') return { ok: false, reason: resolved.reason, message: resolved.message };
    country = named;
    how.push(`country ${named} read from the address`);
  }
  const mismatch = named !== null && named !== country;
  if (mismatch) how.push(`the address names ${countryName(named)} but the country is ${countryName(country)}`);

  const { tokens, startsPart } = addressWords(address);
  const countryKeys = new Set([compactKey(countryName(country)), country.toLowerCase()]);
  const admin = adminEvidence(country, address, tokens, startsPart, adminCell, postalCell, countryKeys, gazetteer);
  const region = strongestAdmin(admin);
  const mentions = findMentions(country, tokens, startsPart, cityCell, countryKeys, admin, gazetteer);
  const best = choose(mentions, region, gazetteer);

  if (best) {
    const { place, mention } = best.top;
    how.push(describeMatch(place, mention));
    if (best.top.adminAgrees) how.push(...admin.filter((a) => a.code === place.admin1).map((a) => a.how));
    const support = best.top.support;
    if (support > 0) how.push(support > 1 ? `${support} other names in the address agree` : 'another name in the address agrees');
    if (best.refinedFrom) how.push(`inside ${best.refinedFrom.name}, also named`);
    let confidence = cityConfidence(best.top, best.runnerUp, region !== null);
    if (mismatch) confidence = Math.min(confidence, 0.3);
    return {
      ok: true,
      lat: place.lat,
      lon: place.lon,
      country,
      admin1: place.admin1 || null,
      precision: 'city',
      radiusKm: cityRadiusKm(place),
      confidence,
      needsConfirmation: confidence < CONFIRM_BELOW_CONFIDENCE,
      how,
      place: { id: place.id, name: place.name, featureCode: place.featureCode, population: place.population },
    };
  }

  if (region) {
    const area = gazetteer.admin1Area(country, region.code);
    if (area) {
      how.push(
        ...admin.filter((a) => a.code === region.code).map((a) => a.how),
        `no town or city of it recognised; centre of admin-1 ${country}-${region.code} (population-weighted mean of its ${area.cities} cities)`,
      );
      return {
        ok: true,
        lat: area.lat,
        lon: area.lon,
        country,
        admin1: region.code,
        precision: 'admin1',
        radiusKm: area.radiusKm,
        confidence: 0.3,
        needsConfirmation: true,
        how,
        place: null,
      };
    }
  }
  const area = gazetteer.countryArea(country);
  if (!area) return { ok: false, reason: 'country-unknown', message: `no places known for country ${country}` };
  how.push(address === '' && !cityCell ? 'no address given; centre of the country' : `no town, city or province recognised; centre of ${countryName(country)}`);
  return {
    ok: true,
    lat: area.lat,
    lon: area.lon,
    country,
    admin1: null,
    precision: 'country',
    radiusKm: area.radiusKm,
    confidence: 0.1,
    needsConfirmation: true,
    how,
    place: null,
  };
}

/** Evidence weights: a province column is explicit; a name marked "Province" is near certain; a postal prefix can be a misread number. */
const ADMIN_WEIGHT = { column: 2, marked: 1.5, name: 1, near: 0.7, postal: 0.8, usState: 1.5 };

/** Province evidence: division names in the text or column, a postal code's prefix, a US state code. */
function adminEvidence(
  country: string,
  address: string,
  tokens: string[],
  startsPart: readonly boolean[],
  adminCell: string | null,
  postalCell: string | null,
  countryKeys: Set<string>,
  gazetteer: Gazetteer,
): AdminEvidence[] {
  const out: AdminEvidence[] = [];
  if (adminCell) {
    const key = compactKey(adminCell);
    const code =
      gazetteer.admin1ByName(country, key) ?? gazetteer.admin1NearName(country, key) ?? (gazetteer.admin1Area(country, adminCell) ? adminCell : null);
    if (code) out.push({ code, weight: ADMIN_WEIGHT.column, how: `province column "${adminCell}" → admin-1 ${country}-${code}` });
  }
  if (gazetteer.hasAdmin1Names(country)) {
    for (let start = 0; start < tokens.length; start++) {
      for (let n = Math.min(MAX_NGRAM, tokens.length - start); n >= 1; n--) {
        const key = tokens.slice(start, start + n).join('');
        if (countryKeys.has(key) || key.length < (isHan(key) ? 2 : 3)) continue;
        const exact = gazetteer.admin1ByName(country, key);
        const code = exact ?? (n <= 2 && !gazetteer.lookup(country, key).length ? gazetteer.admin1NearName(country, key) : null);
        const context = contextOf(tokens, startsPart, start, start + n);
        if (!code || context === 'street') continue;
        const marked = context === 'region';
        const weight = !exact ? ADMIN_WEIGHT.near : marked ? ADMIN_WEIGHT.marked : ADMIN_WEIGHT.name;
        out.push({
          code,
          weight,
          fuzzy: !exact,
          how: `${exact ? 'province' : 'close spelling of province'} "${tokens.slice(start, start + n).join(' ')}" → admin-1 ${country}-${code}`,
        });
        start += n - 1;
        break;
      }
    }
  }
  const postal = POSTAL_PREFIXES[country];
  if (postal) {
    const candidates = [...(postalCell ? [postalCell.replace(/\s/g, '')] : []), ...postalNumbers(address)];
    for (const code of candidates) {
      if (code.length !== postal.digits || !/^\d+$/.test(code)) continue;
      const admin1 = postal.admin1[code.slice(0, postal.prefixLength)];
      if (admin1) {
        out.push({ code: admin1, weight: ADMIN_WEIGHT.postal, how: `postal code ${code} → admin-1 ${country}-${admin1}` });
        break;
      }
    }
  }
  if (country === 'US') {
    const m = /(?:^|[\s,])([A-Z]{2})(?:[\s,]+\d{5}(?:-\d{4})?)?[\s,.;]*$/.exec(address) ?? /\b([A-Z]{2})[\s,]+\d{5}(?:-\d{4})?\b/.exec(address);
    if (m && gazetteer.admin1Area('US', m[1])) out.push({ code: m[1], weight: ADMIN_WEIGHT.usState, how: `state ${m[1]}` });
  }
  return out;
}

/** Numbers in the address that could be postal codes, including ones written with a space ("600 058"). */
function postalNumbers(address: string): string[] {
  const out: string[] = [];
  for (const m of address.matchAll(/(?<![\d-])(\d{3})\s(\d{3})(?![\d-])/g)) out.push(m[1] + m[2]);
  for (const m of address.matchAll(/(?<![\d/.-])(\d{4,6})(?![\d/.])/g)) if (POSTAL_LENGTHS.has(m[1].length)) out.push(m[1]);
  return out;
}

/** The division with the most evidence, if one has strictly more than any other. */
function strongestAdmin(admin: AdminEvidence[]): Region | null {
  const totals = new Map<string, number>();
  for (const a of admin) totals.set(a.code, (totals.get(a.code) ?? 0) + a.weight);
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (ranked.length === 0 || (ranked.length > 1 && ranked[1][1] === ranked[0][1])) return null;
  const code = ranked[0][0];
  // Conflicting evidence ("Songjiang District, Shanghai, Jiangsu Province") makes the choice a preference, not a filter.
  return { code, soft: ranked.length > 1 || admin.every((a) => a.code !== code || a.fuzzy === true) };
}

/** Every run of one to four words (and the city column) that names places of the country. */
function findMentions(
  country: string,
  tokens: string[],
  startsPart: readonly boolean[],
  cityCell: string | null,
  countryKeys: Set<string>,
  admin: AdminEvidence[],
  gazetteer: Gazetteer,
): Mention[] {
  const mentions: Mention[] = [];
  if (cityCell) {
    const key = compactKey(cityCell);
    let places = gazetteer.lookup(country, key);
    let fuzzy = false;
    if (places.length === 0 && key.length >= FUZZY_MIN_LENGTH) {
      places = gazetteer.nearKeys(country, key).flatMap((k) => gazetteer.lookup(country, k));
      fuzzy = places.length > 0;
    }
    if (places.length > 0) mentions.push({ start: -1, end: -1, key, places, weight: 3, source: 'city column', fuzzy, context: 'city' });
  }
  for (let start = 0; start < tokens.length; start++) {
    for (let n = Math.min(MAX_NGRAM, tokens.length - start); n >= 1; n--) {
      const span = tokens.slice(start, start + n);
      if (span.every((w) => GENERIC.has(w) || /^\d+$/.test(w))) continue;
      if (/^\d/.test(span[0]) || /^\d/.test(span[n - 1])) continue;
      const key = span.join('');
      const context = contextOf(tokens, startsPart, start, start + n);
      if (key.length < (isHan(key) ? 2 : context === 'city' ? 3 : MIN_KEY_LENGTH) || countryKeys.has(key)) continue;
      let places = gazetteer.lookup(country, key);
      // A short alternate name ("Cheng", an old name of Zhengzhou) is too often a syllable of a street or village name,
      // unless it is a whole part of the address or a city word follows it.
      const wholePart = startsPart[start] && (start + n === tokens.length || startsPart[start + n]);
      if (key.length < MIN_ALTERNATE_KEY_LENGTH && context !== 'city' && !wholePart && !isHan(key)) {
        places = places.filter((p) => !gazetteer.byAlternateName(p, key));
      }
      // A province's name matches its capital only ("Shanghai", "Phnom Penh"), never a namesake town ("Texas City"),
      // nor a city of the province that shares its name ("Jilin", Jilin) unless a city word follows ("Jilin City").
      const adminCode = gazetteer.admin1ByName(country, key);
      if (adminCode) places = places.filter((p) => p.admin1 === adminCode && (context === 'city' ? SEATS : CAPITALS).has(p.featureCode));
      if (places.length === 0) continue;
      mentions.push({ start, end: start + n, key, places, weight: 1 + 0.3 * (n - 1), source: 'address', fuzzy: false, context });
    }
  }
  if (mentions.length > 0) return mentions;
  // Last resort: one typo in a long word or pair of words ("Guangzhuo", "Yagon"), never a province's name.
  for (let start = 0; start < tokens.length; start++) {
    for (const n of [1, 2]) {
      if (start + n > tokens.length) continue;
      const span = tokens.slice(start, start + n);
      if (span.some((w) => GENERIC.has(w) || /\d/.test(w))) continue;
      const key = span.join('');
      if (key.length < FUZZY_MIN_LENGTH || countryKeys.has(key) || gazetteer.admin1ByName(country, key) || gazetteer.admin1NearName(country, key)) continue;
      const context = contextOf(tokens, startsPart, start, start + n);
      if (context === 'street') continue;
      const places = gazetteer.nearKeys(country, key).flatMap((k) => gazetteer.lookup(country, k));
      if (places.length === 0) continue;
      mentions.push({ start, end: start + n, key, places, weight: 0.6, source: 'address', fuzzy: true, context });
    }
  }
  return mentions.filter((m) => admin.length === 0 || m.places.some((p) => admin.some((a) => a.code === p.admin1)));
}

/** Feature codes of capitals and seats of administration. */
const SEATS = new Set(['PPLC', 'PPLA', 'PPLA2', 'PPLA3', 'PPLA4', 'PPLG']);
/**
 * Seats of county-level units (a Chinese district, county or county-level city; an Indian or
 * Vietnamese district): what "X District", "X County" or "X City" names, rather than a township or
 * village that shares the name.
 */
const COUNTY_SEATS = new Set(['PPLA2', 'PPLA3']);
const COUNTY_SEAT_BONUS = 0.5;
/** Feature codes of the capitals of a country or a province. */
const CAPITALS = new Set(['PPLC', 'PPLA', 'PPLG']);
/** Seats whose admin-2 division is the whole unit they are the seat of (a prefecture, a district), so a place named beside them in that division lies in it. */
const DIVISION_SEATS = new Set(['PPLC', 'PPLA', 'PPLA2']);
/** What matching a place by one of its alternate names rather than its own costs: a short form ("Johor" for Johor Bahru) often names something else. */
const ALTERNATE_NAME_PENALTY = 0.5;
/** How much a seat of administration adds to a place's importance: it is what a name without more context usually means. */
const SEAT_BONUS: Record<string, number> = { PPLC: 0.6, PPLA: 0.5, PPLA2: 0.45, PPLA3: 0.2, PPLA4: 0.1 };

interface Choice {
  top: Scored;
  runnerUp: Scored | null;
  refinedFrom: Place | null;
}

/**
 * Scores every candidate place and returns the best. With a province known, only its places
 * qualify. A smaller place named beside the winner and lying near it (a town of the city, a
 * district of the prefecture) refines the answer. The runner-up is the best place over 50 km away.
 */
function choose(mentions: Mention[], region: Region | null, gazetteer: Gazetteer): Choice | null {
  if (mentions.length === 0) return null;
  const lastEnd = Math.max(1, ...mentions.map((m) => m.end));
  const scored: Scored[] = [];
  for (const mention of mentions) {
    for (const place of mention.places) {
      let score = mention.weight;
      if (mention.source === 'address') score *= 0.6 + (0.8 * mention.end) / lastEnd;
      if (mention.context === 'city') score += 0.8 + (COUNTY_SEATS.has(place.featureCode) ? COUNTY_SEAT_BONUS : 0);
      if (mention.context === 'street') score -= 1.2;
      score += 0.35 * Math.log10(effectivePopulation(place)) + (SEAT_BONUS[place.featureCode] ?? 0);
      if (gazetteer.byAlternateName(place, mention.key)) score -= ALTERNATE_NAME_PENALTY;
      let adminAgrees: boolean | null = null;
      if (region) {
        adminAgrees = region.code === place.admin1;
        score += region.soft ? (adminAgrees ? 0.7 : -1) : adminAgrees ? 1.5 : -2;
      }
      let support = 0;
      for (const other of mentions) {
        // The same name twice is one piece of evidence; two names of one place (its name and an old one) are two.
        if (other === mention || other.key === mention.key || overlaps(other, mention)) continue;
        if (other.places.some((q) => q === place || near(q, place, gazetteer))) support++;
      }
      score += 0.8 * Math.min(support, 3);
      scored.push({ place, mention, score, support, adminAgrees });
    }
  }
  // A name read as a street ("Jinniu Rd") supports the towns near it but is never the answer itself.
  const eligible = scored.filter((s) => (s.adminAgrees !== false || region?.soft) && s.mention.context !== 'street');
  if (eligible.length === 0) return null;
  eligible.sort((a, b) => b.score - a.score || a.place.id - b.place.id);
  let top = eligible[0];
  let refinedFrom: Place | null = null;
  // From the city to the county to the town: each step a smaller place, named apart, inside or near the last.
  for (let step = 0; step < MAX_REFINEMENTS; step++) {
    const current = top;
    const finer = eligible.find(
      (s) =>
        s.mention.key !== current.mention.key &&
        !overlaps(s.mention, current.mention) &&
        // past the first step, the chain follows the address back to its smaller units ("Linping, Yuhang, Hangzhou": not from Linping to Yuhang)
        !(step > 0 && s.mention.source === 'address' && current.mention.source === 'address' && s.mention.start > current.mention.start) &&
        !s.mention.fuzzy &&
        s.mention.context !== 'street' &&
        s.mention.key.length >= (isHan(s.mention.key) ? 2 : 5) &&
        effectivePopulation(s.place) < effectivePopulation(current.place) &&
        (inDivisionOf(s.place, current.place, gazetteer) || greatCircleKm(s.place.lat, s.place.lon, current.place.lat, current.place.lon) <= SUPPORT_KM),
    );
    if (!finer) break;
    refinedFrom = current.place;
    top = finer;
  }
  const runnerUp = eligible.find((s) => greatCircleKm(s.place.lat, s.place.lon, top.place.lat, top.place.lon) > 50) ?? null;
  return { top, runnerUp, refinedFrom };
}

/** Two places that support each other: within {@link SUPPORT_KM}, or one in the division the other is the seat of. */
function near(a: Place, b: Place, gazetteer: Gazetteer): boolean {
  return inDivisionOf(a, b, gazetteer) || inDivisionOf(b, a, gazetteer) || greatCircleKm(a.lat, a.lon, b.lat, b.lon) <= SUPPORT_KM;
}

/**
 * Whether `place` lies in the prefecture or district that `seat` stands for: the same admin-1 and
 * admin-2, with `seat` the division's seat or its largest place (GeoNames codes some prefecture
 * cities PPL).
 */
function inDivisionOf(place: Place, seat: Place, gazetteer: Gazetteer): boolean {
  if (seat.admin2 === '' || place.admin1 !== seat.admin1 || place.admin2 !== seat.admin2) return false;
  return DIVISION_SEATS.has(seat.featureCode) || gazetteer.leadsDivision(seat);
}

function overlaps(a: Mention, b: Mention): boolean {
  if (a.source !== 'address' || b.source !== 'address') return false;
  return a.start < b.end && b.start < a.end;
}

/**
 * Confidence of a city answer: a base for the match, more when other names or the province agree,
 * when the city column named it, and when no place elsewhere scored close.
 */
function cityConfidence(top: Scored, runnerUp: Scored | null, hadAdmin: boolean): number {
  let c = 0.45;
  if (top.mention.source === 'city column') c += 0.2;
  if (top.adminAgrees) c += 0.15;
  else if (hadAdmin) c -= 0.15;
  c += 0.08 * Math.min(top.support, 2);
  if (top.mention.context === 'city') c += 0.05;
  if (top.mention.context === 'street') c -= 0.15;
  if (top.mention.fuzzy) c -= 0.15;
  const margin = runnerUp ? top.score - runnerUp.score : 3;
  if (margin < 0.5) c -= 0.2;
  else if (margin >= 2) c += 0.1;
  return Math.round(Math.min(0.95, Math.max(0.05, c)) * 100) / 100;
}

function cityRadiusKm(place: Place): number {
  const r = 2 + 1.5 * Math.sqrt(effectivePopulation(place) / 10_000);
  return Math.round(Math.min(CITY_RADIUS_MAX_KM, Math.max(CITY_RADIUS_MIN_KM, r)));
}

function describeMatch(place: Place, mention: Mention): string {
  const where = `${place.country}-${place.admin1}`;
  const what = `${place.name} (${where}, ${place.featureCode}, population ${place.population.toLocaleString('en-US')})`;
  const from = mention.source === 'city column' ? 'the city column' : `"${mention.key}" in the address`;
  return `${mention.fuzzy ? 'close spelling of ' : ''}${what} from ${from}`;
}
