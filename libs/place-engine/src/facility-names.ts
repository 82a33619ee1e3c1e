import { distance } from 'fastest-levenshtein';
import { words } from './text';

/**
 * Legal forms, as folded words or runs of words ("co ltd", "s a de c v"), in the languages of
 * supplier lists. They say what kind of company owns the facility, not which facility it is.
 */
const LEGAL_FORMS: readonly string[] = [
  'co ltd',
  'company limited',
  'pvt ltd',
  'private limited',
  'pte ltd',
  'pty ltd',
  'sdn bhd',
  'sa de cv',
  's de rl de cv',
  's de rl',
  'sp zoo',
  'cong ty',
  'co phan',
  'sp z o o',
  'spzoo',
  'ltd',
  'ltda',
  'limited',
  'co',
  'company',
  'corp',
  'corporation',
  'inc',
  'incorporated',
  'llc',
  'llp',
  'lp',
  'plc',
  'gmbh',
  'mbh',
  'ag',
  'kg',
  'sa',
  'sas',
  'sarl',
  'srl',
  'spa',
  'sl',
  'slu',
  'bv',
  'nv',
  'oy',
  'ab',
  'aps',
  'pvt',
  'private',
  'pte',
  'pty',
  'jsc',
  'ojsc',
  'pjsc',
  'tbk',
  'pt',
  'cv',
  'sac',
  'saic',
  'bhd',
  'kk',
  'ooo',
  'zao',
  'tnhh',
  'mtv',
  'eireli',
  'cia',
];

/**
 * Words that describe what a facility makes or is rather than naming it ("Xinxing Footwear
 * Factory" and "Xinxing Shoes Co." are one plant).
 */
const NOISE_WORDS = new Set(
  (
    'factory factories plant plants garment garments industries industry industrial manufacturing manufacturer manufacturers mfg ' +
    'works mill mills group international intl enterprise enterprises trading the and of apparel apparels textile textiles clothing ' +
    'clothes fashion fashions knitting knitwear knit wear shoes shoe footwear products product export exports exporter exporters ' +
    'holdings holding accessories accessory textil industrias industria fabrica manufacturas industrie usine confeccion'
  ).split(' '),
);

/**
 * Words that tell two facilities of one company apart: unit and branch words, process stages, ordinals
 * and roman numerals. Numbers and lone letters count too ("Unit 3", "KAT 1", "MXP8", "Gimmill B").
 */
const DISCRIMINATING_WORDS = new Set(
  (
    'unit branch subsidiary annex division cutting sewing sew finishing laundry washing wash printing print embroidery dyeing ' +
    'molding moulding packing warehouse second third fourth fifth first 2nd 3rd 4th 5th ' +
    'ii iii iv vi vii viii ix'
  ).split(' '),
);

/** Legal forms of companies in Chinese, Japanese and Korean, written as part of the name. */
const CJK_LEGAL = /(?:股份有限公司|有限责任公司|有限公司|有限會社|有限会社|株式会社|株式會社|주식회사|유한회사|公司|集团|集團|工厂|工廠|厂|廠)/gu;

const LEGAL_SEQUENCES = LEGAL_FORMS.map((f) => f.split(' ')).sort((a, b) => b.length - a.length);

/** A facility name reduced to what identifies it. */
export interface FacilityNameKey {
  /** distinguishing words, in order */
  tokens: string[];
  /** the tokens joined without spaces ("xinxing"), for comparing names split differently ("Xin Xing") */
  joined: string;
  /** unit, branch, process and number words ("unit", "3", "cutting"): two names that differ here are two facilities */
  discriminators: string[];
}

/**
 * Reduces a facility name to the words that identify it: folded, legal forms (Ltd, Co., GmbH, S.A.,
 * Pvt, 有限公司 …) and descriptive words (factory, plant, garment, industries …) removed. A name made
 * only of such words keeps them, so it still compares with itself.
 */
export function facilityNameKey(name: string): FacilityNameKey {
  const base = words(name.replace(CJK_LEGAL, ' '));
  const merged = mergeInitials(base);
  const withoutLegal = removeLegal(merged);
  const discriminators = [...new Set(withoutLegal.filter(isDiscriminator))].sort();
  let tokens = withoutLegal.filter((w) => !NOISE_WORDS.has(w) && !isDiscriminator(w));
  if (tokens.length === 0) tokens = withoutLegal.length > 0 ? withoutLegal : merged;
  return { tokens, joined: tokens.join(''), discriminators };
}

/**
 * Splits two names' words into who and where: words found in either address (or the country's
 * name) are places ("Jiangyin" in "Jiangyin Chenguang Garment", Jiangyin City). Comparing the rest
 * keeps a shared city from making two firms look alike. When a name has nothing else, it keeps all.
 */
export function splitPlaceWords(
  a: FacilityNameKey,
  b: FacilityNameKey,
  isPlace: (word: string) => boolean,
): { a: FacilityNameKey; b: FacilityNameKey; placesA: string[]; placesB: string[] } {
  const restA = a.tokens.filter((w) => !isPlace(w));
  const restB = b.tokens.filter((w) => !isPlace(w));
  if (restA.length === 0 || restB.length === 0) return { a, b, placesA: [], placesB: [] };
  return {
    a: { ...a, tokens: restA, joined: restA.join('') },
    b: { ...b, tokens: restB, joined: restB.join('') },
    placesA: a.tokens.filter((w) => isPlace(w)),
    placesB: b.tokens.filter((w) => isPlace(w)),
  };
}

function isDiscriminator(w: string): boolean {
  return DISCRIMINATING_WORDS.has(w) || /^\d+$/.test(w) || (w.length === 1 && /\p{L}/u.test(w));
}

/** The discriminating words one name has and the other has not (empty when the two agree). */
export function discriminatorConflict(a: FacilityNameKey, b: FacilityNameKey): string[] {
  const x = new Set(a.discriminators);
  const y = new Set(b.discriminators);
  return [...new Set([...a.discriminators.filter((w) => !y.has(w)), ...b.discriminators.filter((w) => !x.has(w))])].sort();
}

/** "s a" → "sa", "p t" → "pt": initials written with dots fold to separate letters. */
function mergeInitials(list: string[]): string[] {
  const out: string[] = [];
  let run = '';
  for (const w of list) {
    if (w.length === 1 && /\p{L}/u.test(w)) {
      run += w;
      continue;
    }
    if (run) out.push(run);
    run = '';
    out.push(w);
  }
  if (run) out.push(run);
  return out;
}

function removeLegal(list: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < list.length;) {
    const form = LEGAL_SEQUENCES.find((seq) => seq.every((w, k) => list[i + k] === w));
    if (form) {
      i += form.length;
      continue;
    }
    out.push(list[i]);
    i++;
  }
  return out;
}

/** 1 − edit distance ÷ longer length. */
export function editSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 1 : 1 - distance(a, b) / longer;
}

/** Words this close count as the same word ("apparel"/"aparel", "xinxing"/"xingxing"). */
const SAME_WORD = 0.8;
const SAME_WORD_MIN_LENGTH = 5;

/**
 * Shared words of two lists (each word used once), counting near-identical long words as shared;
 * numbers must match exactly. Symmetric.
 */
export function sharedWords(a: readonly string[], b: readonly string[]): string[] {
  const [x, y] = orderPair(a, b);
  const used = new Set<number>();
  const shared: string[] = [];
  for (const w of x) {
    let found = y.findIndex((v, i) => !used.has(i) && v === w);
    if (found < 0 && w.length >= SAME_WORD_MIN_LENGTH && !/\d/.test(w)) {
      found = y.findIndex((v, i) => !used.has(i) && v.length >= SAME_WORD_MIN_LENGTH && !/\d/.test(v) && editSimilarity(v, w) >= SAME_WORD);
    }
    if (found >= 0) {
      used.add(found);
      shared.push(w);
    }
  }
  return shared;
}

/** Orders two word lists by their text, so that comparing (a, b) and (b, a) do the same work. */
function orderPair(a: readonly string[], b: readonly string[]): [readonly string[], readonly string[]] {
  return a.join(' ') <= b.join(' ') ? [a, b] : [b, a];
}

/**
 * Similarity of two facility names, 0..1: the better of the edit similarity of their joined
 * distinguishing words and the share of words they have in common (mean of the shares of the
 * shorter and the longer name). Symmetric.
 */
export function nameSimilarity(a: string | FacilityNameKey, b: string | FacilityNameKey): number {
  return compareNames(typeof a === 'string' ? facilityNameKey(a) : a, typeof b === 'string' ? facilityNameKey(b) : b).similarity;
}

/** {@link nameSimilarity} of two name keys, with the words they share ({@link sharedWords}). */
export function compareNames(a: FacilityNameKey, b: FacilityNameKey): { similarity: number; shared: string[] } {
  const shared = sharedWords(a.tokens, b.tokens);
  if (a.joined === '' || b.joined === '') return { similarity: 0, shared };
  const edit = editSimilarity(a.joined, b.joined);
  const n = shared.length;
  const overlap = n === 0 ? 0 : (n / Math.min(a.tokens.length, b.tokens.length) + n / Math.max(a.tokens.length, b.tokens.length)) / 2;
  return { similarity: round3(Math.max(edit, overlap)), shared };
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
