import { greatCircleKm } from '@tiersight/geo-engine';
import { countryName } from './countries';
import { compareNames, discriminatorConflict, facilityNameKey, round3, sharedWords, splitPlaceWords, type FacilityNameKey } from './facility-names';
import { PlaceEngineError, PlaceEngineErrorCode } from './errors';
import { words } from './text';

/** A facility to compare: a row of an uploaded list, or a site already in the network. */
export interface FacilityRecord {
  /** unique across the rows and sites passed together (e.g. "row:12", "SITE-9") */
  id: string;
  name: string;
  address?: string | null;
  /** ISO alpha-2 */
  country?: string | null;
  lat?: number | null;
  lon?: number | null;
  /** uncertainty of the point (a geocoded row's radiusKm; 0 or absent for a surveyed site) */
  radiusKm?: number | null;
}

export interface DuplicateOptions {
  /** sites already in the network: rows are compared with them too (sites are not compared with each other) */
  existingSites?: readonly FacilityRecord[];
  /** pairs a person has said are different facilities: never proposed again, in either order */
  rejectedPairs?: Iterable<readonly [string, string]>;
  /** proposals scoring below this are left out (default {@link DUPLICATE_THRESHOLD}) */
  threshold?: number;
  /** a blocking key shared by more records than this is not used to pair them (default 200) */
  maxBlockSize?: number;
}

export interface DuplicateEvidence {
  /** similarity of the names without legal forms and descriptive words, 0..1 */
  name: number;
  /** similarity of the addresses' distinguishing words and numbers, 0..1; null when either is missing */
  address: number | null;
  /** great-circle distance of the two points; null when either has none */
  distanceKm: number | null;
  /** closeness of the points given their uncertainty, 0..1; null when either has none */
  geo: number | null;
  /** the distinguishing name words both share */
  sharedNameWords: string[];
  /**
   * unit, branch, process or number words only one of the names has ("unit 3" / "unit 4"), or places each
   * name has and the other has not ("Nantong …" / "Suqian …"): a sign of two facilities
   */
  nameConflicts: string[];
}

export interface DuplicateProposal {
  /** the smaller id of the pair (string order) */
  a: string;
  b: string;
  /** which of the two are existing sites */
  aIsSite: boolean;
  bIsSite: boolean;
  /** 0..1, the weighted evidence (see README: Duplicates) */
  score: number;
  evidence: DuplicateEvidence;
}

/** Default threshold, chosen on the hand-labelled pairs of bench/onboarding (BENCHMARKS.md). */
export const DUPLICATE_THRESHOLD = 0.8;
const DEFAULT_MAX_BLOCK = 200;
/** Evidence weights: the name says most; the address confirms; the points confirm as much as their precision allows. */
const WEIGHT = { name: 0.6, address: 0.25, geo: 0.25 };
/** Names this different are not the same facility whatever the addresses say (two firms in one building). */
const NAME_FLOOR = 0.5;
/** Points this far apart, beyond their uncertainty, are two facilities; only when both points are precise (surveyed or given). */
const FAR_KM = 30;
const FAR_CAP = 0.5;
const PRECISE_KM = 5;
/** Names that differ in a unit, branch or number word score at most this. */
const CONFLICT_CAP = 0.6;

/** Address words that every address has and that say nothing of which facility it is. */
const ADDRESS_NOISE = new Set(
  (
    'no number road rd street st lane ln avenue ave av highway hwy district dist city town village county province state zone area park industrial ' +
    'industry estate development economic technology hi tech new building bldg floor fl block blk plot lot unit room the of and near opp ' +
    'export processing epz sez free region division sub p o po box ps thana upazila ward commune hamlet phuong xa huyen quan tinh khu cong nghiep ' +
    'jalan jl desa kecamatan kabupaten kota calle avenida carretera km zona parque rue via'
  ).split(' '),
);

interface Prepared {
  record: FacilityRecord;
  isSite: boolean;
  name: FacilityNameKey;
  address: string[];
  /** every word of the address and of the country's name: what a name may share with it is a place */
  placeWords: Set<string>;
  country: string;
}

/**
 * Proposes pairs of records that are probably one facility: the rows among themselves and each row
 * against the existing sites. Records are blocked by country and by each distinguishing name word
 * (and the first letters of the joined name), so the work grows with the size of the blocks, not
 * the square of the list. The result is sorted by score, then ids, and does not depend on the
 * order of the input. Throws {@link PlaceEngineError} `PLACE_DUPLICATE_ID` when two records share an id.
 */
export function proposeDuplicates(rows: readonly FacilityRecord[], options: DuplicateOptions = {}): DuplicateProposal[] {
  const threshold = options.threshold ?? DUPLICATE_THRESHOLD;
  const maxBlock = options.maxBlockSize ?? DEFAULT_MAX_BLOCK;
  const rejected = new Set<string>();
  for (const [x, y] of options.rejectedPairs ?? []) rejected.add(pairKey(x, y));

  const prepared: Prepared[] = [];
  const seen = new Set<string>();
  const add = (record: FacilityRecord, isSite: boolean) => {
    if (seen.has(record.id))
      throw new PlaceEngineError(PlaceEngineErrorCode.DuplicateId, `id "${record.id}" is used by two records; ids must be unique across rows and sites`);
    seen.add(record.id);
    prepared.push(prepare(record, isSite));
  };
  for (const row of rows) add(row, false);
  for (const site of options.existingSites ?? []) add(site, true);
  prepared.sort((p, q) => compareIds(p.record.id, q.record.id));

  const blocks = new Map<string, number[]>();
  prepared.forEach((p, i) => {
    for (const key of blockingKeys(p)) {
      const list = blocks.get(key);
      if (list) list.push(i);
      else blocks.set(key, [i]);
    }
  });

  const compared = new Set<number>();
  const proposals: DuplicateProposal[] = [];
  const n = prepared.length;
  for (const members of blocks.values()) {
    if (members.length < 2 || members.length > maxBlock) continue;
    for (let x = 0; x < members.length; x++) {
      for (let y = x + 1; y < members.length; y++) {
        const i = members[x];
        const j = members[y];
        const p = prepared[i];
        const q = prepared[j];
        if (p.isSite && q.isSite) continue;
        const id = i * n + j;
        if (compared.has(id)) continue;
        compared.add(id);
        if (rejected.has(pairKey(p.record.id, q.record.id))) continue;
        const proposal = compare(p, q);
        if (proposal.score >= threshold) proposals.push(proposal);
      }
    }
  }
  return proposals.sort((u, v) => v.score - u.score || compareIds(u.a, v.a) || compareIds(u.b, v.b));
}

/** The evidence and score for one pair, whatever the threshold: the same in either order. */
export function compareFacilities(x: FacilityRecord, y: FacilityRecord, xIsSite = false, yIsSite = false): DuplicateProposal {
  const p = prepare(x, xIsSite);
  const q = prepare(y, yIsSite);
  return compareIds(x.id, y.id) <= 0 ? compare(p, q) : compare(q, p);
}

function prepare(record: FacilityRecord, isSite: boolean): Prepared {
  const country = (record.country ?? '').toUpperCase();
  const addressTokens = words(record.address ?? '');
  const countryWords = country ? words(countryName(country)) : [];
  return {
    record,
    isSite,
    name: facilityNameKey(record.name ?? ''),
    address: addressWords(addressTokens, countryWords),
    placeWords: new Set([...addressTokens, ...countryWords]),
    country,
  };
}

function compare(p: Prepared, q: Prepared): DuplicateProposal {
  const split = splitPlaceWords(p.name, q.name, (w) => p.placeWords.has(w) || q.placeWords.has(w));
  const { similarity: name, shared: sharedNameWords } = compareNames(split.a, split.b);
  // Two plants of one firm named after their towns ("Nantong Solamoda", "Suqian Solamoda").
  const placesOnlyA = split.placesA.filter((w) => !split.placesB.includes(w));
  const placesOnlyB = split.placesB.filter((w) => !split.placesA.includes(w));
  const joinedA = placesOnlyA.join('');
  const joinedB = placesOnlyB.join('');
  const placeConflict = joinedA && joinedB && !joinedA.includes(joinedB) && !joinedB.includes(joinedA) ? [...placesOnlyA, ...placesOnlyB].sort() : [];
  const address = p.address.length > 0 && q.address.length > 0 ? addressSimilarity(p.address, q.address) : null;
  const { distanceKm, geo, geoWeight, far } = geoEvidence(p.record, q.record);
  let total = WEIGHT.name * name;
  let weights = WEIGHT.name;
  if (address !== null) {
    total += WEIGHT.address * address;
    weights += WEIGHT.address;
  }
  if (geo !== null) {
    total += geoWeight * geo;
    weights += geoWeight;
  }
  let score = total / weights;
  const nameConflicts = [...discriminatorConflict(p.name, q.name), ...placeConflict];
  if (name < NAME_FLOOR) score = Math.min(score, name);
  if (nameConflicts.length > 0) score = Math.min(score, CONFLICT_CAP);
  if (far) score = Math.min(score, FAR_CAP);
  if (p.country && q.country && p.country !== q.country) score = 0;
  return {
    a: p.record.id,
    b: q.record.id,
    aIsSite: p.isSite,
    bIsSite: q.isSite,
    score: round3(score),
    evidence: {
      name,
      address,
      distanceKm: distanceKm === null ? null : Math.round(distanceKm * 10) / 10,
      geo,
      sharedNameWords,
      nameConflicts,
    },
  };
}

/**
 * Closeness of two points given their uncertainty: 1 at the same spot, falling with distance
 * over the larger radius; its weight shrinks as the points get coarser (two rows placed at the
 * same city centre are not evidence of one facility).
 */
function geoEvidence(x: FacilityRecord, y: FacilityRecord): { distanceKm: number | null; geo: number | null; geoWeight: number; far: boolean } {
  if (!isPoint(x) || !isPoint(y)) return { distanceKm: null, geo: null, geoWeight: 0, far: false };
  const d = greatCircleKm(x.lat, x.lon, y.lat, y.lon);
  const r = Math.max(x.radiusKm ?? 0, y.radiusKm ?? 0, 0.5);
  const geo = round3(Math.exp(-d / r));
  const geoWeight = WEIGHT.geo * (r <= 2 ? 1 : r <= 10 ? 0.5 : 0.2);
  return { distanceKm: d, geo, geoWeight, far: r <= PRECISE_KM && d - (x.radiusKm ?? 0) - (y.radiusKm ?? 0) > FAR_KM };
}

function isPoint(r: FacilityRecord): r is FacilityRecord & { lat: number; lon: number } {
  return typeof r.lat === 'number' && typeof r.lon === 'number' && Number.isFinite(r.lat) && Number.isFinite(r.lon);
}

/** The words of an address that tell one facility from another: names and numbers, not "Road" or the country. */
function addressWords(addressTokens: readonly string[], countryWords: readonly string[]): string[] {
  return addressTokens.filter((w) => !ADDRESS_NOISE.has(w) && !countryWords.includes(w) && w !== 'china');
}

/** Shared distinguishing words over the mean length of the two address word lists. */
function addressSimilarity(a: readonly string[], b: readonly string[]): number {
  const shared = sharedWords(a, b).length;
  return round3((2 * shared) / (a.length + b.length));
}

/** Blocking keys: country + each distinguishing name word of three letters or more, and country + the joined name's first six letters. */
function blockingKeys(p: Prepared): string[] {
  const country = p.country || '??';
  const keys = new Set<string>();
  for (const w of p.name.tokens) if (w.length >= 3) keys.add(`${country}:${w}`);
  const { tokens } = p.name;
  for (let i = 0; i + 1 < tokens.length; i++) keys.add(`${country}:${tokens[i]}${tokens[i + 1]}`);
  if (p.name.joined.length >= 4) keys.add(`${country}:^${p.name.joined.slice(0, 6)}`);
  return [...keys];
}

function pairKey(x: string, y: string): string {
  return compareIds(x, y) <= 0 ? `${x}\u0000${y}` : `${y}\u0000${x}`;
}

/** Plain code-unit order: the same on every machine and locale. */
function compareIds(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
