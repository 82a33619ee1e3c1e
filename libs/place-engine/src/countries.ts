import * as isoCountries from 'i18n-iso-countries';
import { distance } from 'fastest-levenshtein';
import { cleanCell, compactKey, withinOneEdit, words } from './text';

/** How a country cell was read. */
export type CountryMatch = 'alpha2' | 'alpha3' | 'name' | 'variant' | 'fuzzy' | 'address';

export type CountryFailure = 'country-empty' | 'country-unknown' | 'country-ambiguous' | 'country-formula';

export type CountryResolution =
  { ok: true; code: string; how: CountryMatch; input: string } | { ok: false; reason: CountryFailure; message: string; input: string; candidates?: string[] };

/**
 * Spellings buyers use that the ISO names in i18n-iso-countries do not cover (compact keys:
 * folded, spaces and punctuation removed, so "U.K." and "U K" are "uk").
 */
const VARIANTS: Record<string, string> = {
  uk: 'GB',
  britain: 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  northernireland: 'GB',
  america: 'US',
  unitedstatesofamerica: 'US',
  usofa: 'US',
  uae: 'AE',
  emirates: 'AE',
  korea: 'KR',
  rok: 'KR',
  northkorea: 'KP',
  dprk: 'KP',
  prc: 'CN',
  prchina: 'CN',
  peoplesrepublicofchina: 'CN',
  mainlandchina: 'CN',
  chinamainland: 'CN',
  chinaprc: 'CN',
  hongkongsar: 'HK',
  hongkongchina: 'HK',
  macao: 'MO',
  macau: 'MO',
  macaosar: 'MO',
  republicofchina: 'TW',
  chinesetaipei: 'TW',
  taiwanroc: 'TW',
  burma: 'MM',
  ivorycoast: 'CI',
  czechrepublic: 'CZ',
  slovakrepublic: 'SK',
  swaziland: 'SZ',
  macedonia: 'MK',
  holland: 'NL',
  russia: 'RU',
  laos: 'LA',
  syria: 'SY',
  iran: 'IR',
  moldova: 'MD',
  tanzania: 'TZ',
  bolivia: 'BO',
  venezuela: 'VE',
  brunei: 'BN',
  capeverde: 'CV',
  easttimor: 'TL',
  vatican: 'VA',
  palestine: 'PS',
  ksa: 'SA',
  saudi: 'SA',
  bosnia: 'BA',
  drc: 'CD',
  drcongo: 'CD',
  congokinshasa: 'CD',
  democraticrepublicofcongo: 'CD',
  congobrazzaville: 'CG',
  srilanka: 'LK',
  ceylon: 'LK',
};

/** Two-letter forms that are not ISO codes but mean one country. */
const CODE_VARIANTS: Record<string, string> = { UK: 'GB' };

/** Languages whose names take part in fuzzy matching (Latin script, where one typo is one letter). */
const FUZZY_LANGUAGES = new Set(['en', 'fr', 'es', 'de', 'pt', 'it', 'nl', 'id', 'vi', 'tr', 'ms', 'pl']);
const FUZZY_MIN_LENGTH = 6;
const FUZZY_LONG_LENGTH = 10;

interface CountryNames {
  /** compact key → alpha-2, or null when two countries share the key */
  byKey: Map<string, string | null>;
  /** keys whose meaning is ambiguous → the candidates */
  ambiguous: Map<string, Set<string>>;
  /** keys used for fuzzy matching */
  fuzzyKeys: string[];
  /** English names and the variants only: what an address written in any language names as its country */
  english: Map<string, string>;
}

let names: CountryNames | null = null;

/** Every country name in every language i18n-iso-countries ships, English first (it wins a clash). */
function countryNames(): CountryNames {
  if (names) return names;
  const byKey = new Map<string, string | null>();
  const ambiguous = new Map<string, Set<string>>();
  const fuzzy = new Set<string>();
  const origin = new Map<string, string>();
  const add = (key: string, code: string, lang: string) => {
    if (key.length < 2) return;
    const prev = byKey.get(key);
    if (prev === undefined) {
      byKey.set(key, code);
      origin.set(key, lang);
      if (FUZZY_LANGUAGES.has(lang) && key.length >= FUZZY_MIN_LENGTH) fuzzy.add(key);
    } else if (prev === null) {
      if (origin.get(key) === lang || lang === 'en') ambiguous.get(key)?.add(code);
    } else if (prev !== code && !(origin.get(key) === 'en' && lang !== 'en')) {
      ambiguous.set(key, new Set([prev, code]));
      byKey.set(key, null);
      fuzzy.delete(key);
    }
  };
  const languages = ['en', ...isoCountries.getSupportedLanguages().filter((l) => l !== 'en')];
  for (const lang of languages) {
    const all = isoCountries.getNames(lang, { select: 'all' });
    for (const [code, list] of Object.entries(all)) {
      for (const name of list) {
        add(compactKey(name), code, lang);
        const inverted = invertComma(name);
        if (inverted) add(compactKey(inverted), code, lang);
      }
    }
  }
  for (const [key, code] of Object.entries(VARIANTS)) {
    byKey.set(key, code);
    ambiguous.delete(key);
    fuzzy.add(key);
  }
  const english = new Map<string, string>();
  for (const [key, lang] of origin) {
    const code = byKey.get(key);
    if (lang === 'en' && code) english.set(key, code);
  }
  for (const [key, code] of Object.entries(VARIANTS)) english.set(key, code);
  names = { byKey, ambiguous, fuzzyKeys: [...fuzzy].sort(), english };
  return names;
}

/** "Korea, Republic of" → "Republic of Korea". */
function invertComma(name: string): string | null {
  const m = /^([^,]+),\s*([^,]+)$/.exec(name.trim());
  return m ? `${m[2]} ${m[1]}` : null;
}

/** Leading or trailing words that do not change which country is meant. */
function stripFillers(key: string): string {
  return key.replace(/^the/, '').replace(/(?:the)$/, '');
}

/**
 * Reads a country cell in any common spelling: ISO alpha-2 or alpha-3 in any case and with dots
 * ("u.s.a."), names in the languages i18n-iso-countries ships ("Deutschland", "中国", "Viet Nam"),
 * inverted names ("Korea, Republic of"), common variants ("USA", "U.K.", "Türkiye", "Holland") and
 * one-letter typos of names of six letters or more. Never throws.
 */
export function resolveCountry(raw: unknown): CountryResolution {
  const cell = cleanCell(raw);
  const input = typeof raw === 'string' ? raw : raw == null ? '' : String(raw);
  if (cell.issues.some((i) => i.code === 'formula')) {
    return { ok: false, reason: 'country-formula', message: 'the country cell holds a spreadsheet formula, not a country', input };
  }
  if (cell.value === null) return { ok: false, reason: 'country-empty', message: 'no country given', input };
  const text = cell.value;
  const letters = text.replace(/[.\s]/g, '');
  if (/^[A-Za-z]{2}$/.test(letters)) {
    const upper = letters.toUpperCase();
    if (CODE_VARIANTS[upper]) return { ok: true, code: CODE_VARIANTS[upper], how: 'variant', input };
    if (isoCountries.isValid(upper)) return { ok: true, code: upper, how: 'alpha2', input };
  }
  if (/^[A-Za-z]{3}$/.test(letters)) {
    const alpha2 = isoCountries.alpha3ToAlpha2(letters.toUpperCase());
    if (alpha2) return { ok: true, code: alpha2, how: 'alpha3', input };
  }
  const { byKey, ambiguous, fuzzyKeys } = countryNames();
  const folded = compactKey(text);
  const keys = [folded, stripFillers(folded)];
  const inverted = invertComma(text);
  if (inverted) keys.push(compactKey(inverted));
  for (const key of keys) {
    if (!byKey.has(key)) continue;
    const code = byKey.get(key);
    if (code == null) {
      const candidates = [...(ambiguous.get(key) ?? [])].sort();
      return { ok: false, reason: 'country-ambiguous', message: `"${text}" can mean ${candidates.join(' or ')}; write the ISO code`, input, candidates };
    }
    return { ok: true, code, how: VARIANTS[key] ? 'variant' : 'name', input };
  }
  const fuzzy = fuzzyCountry(keys[0], fuzzyKeys, byKey);
  if (fuzzy) return { ok: true, code: fuzzy, how: 'fuzzy', input };
  return { ok: false, reason: 'country-unknown', message: `"${text}" is not a country name or ISO 3166-1 code that we know`, input };
}

/** The one country whose name is within one edit (two for long names) of the key, if exactly one is. */
function fuzzyCountry(key: string, fuzzyKeys: string[], byKey: Map<string, string | null>): string | null {
  if (key.length < FUZZY_MIN_LENGTH) return null;
  const limit = key.length >= FUZZY_LONG_LENGTH ? 2 : 1;
  let best = limit + 1;
  const found = new Set<string>();
  for (const candidate of fuzzyKeys) {
    if (Math.abs(candidate.length - key.length) > limit) continue;
    // One swap of neighbouring letters ("Camboida") counts as one edit.
    const d = withinOneEdit(key, candidate) ? 1 : distance(key, candidate);
    if (d > limit || d > best) continue;
    const code = byKey.get(candidate);
    if (!code) continue;
    if (d < best) {
      best = d;
      found.clear();
    }
    found.add(code);
  }
  return found.size === 1 ? [...found][0] : null;
}

/**
 * A country named in an address, read from its last words ("…, Dhaka 1341, Bangladesh"): only
 * English names and the variants of four letters or more count (never two-letter codes, which are
 * common words in addresses, nor other languages' names, which are often words of addresses:
 * "Zona Franca", "Rua de São Bartolomeu"). Returns the alpha-2 code or null.
 */
export function countryInText(address: string): string | null {
  const list = words(address).filter((w) => !/^\d+$/.test(w));
  const { english: byKey } = countryNames();
  const tail = list.slice(-6);
  for (let end = tail.length; end > 0; end--) {
    for (let n = Math.min(4, end); n >= 1; n--) {
      const key = tail.slice(end - n, end).join('');
      if (key.length < 4) continue;
      const code = byKey.get(key);
      if (code) return code;
    }
  }
  return null;
}

/** The English short name of a country, for messages. */
export function countryName(code: string): string {
  return isoCountries.getName(code, 'en') ?? code;
}

/** Whether a string is an assigned ISO 3166-1 alpha-2 code (upper case). */
export function isCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && isoCountries.isValid(code);
}
