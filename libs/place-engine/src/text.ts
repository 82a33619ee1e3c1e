import { decode, encode } from 'iconv-lite';

/** One problem found in a cell: a stable code for the pages and a sentence for people. */
export interface CellIssue {
  code: CellIssueCode;
  message: string;
}

export type CellIssueCode = 'control-characters' | 'replacement-characters' | 'mojibake-repaired' | 'formula' | 'empty';

/** A cleaned cell: `value` is null when nothing usable is left (or the cell was refused). */
export interface CleanCell {
  value: string | null;
  issues: CellIssue[];
}

/** C0/C1 control characters other than tab, newline and carriage return (which become spaces). */
function isControl(code: number): boolean {
  return (code <= 0x1f && code !== 0x09 && code !== 0x0a && code !== 0x0d) || (code >= 0x7f && code <= 0x9f);
}

/** Whether a text holds a control character of {@link isControl}. */
export function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isControl(text.charCodeAt(i))) return true;
  return false;
}

function replaceControl(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += isControl(text.charCodeAt(i)) ? ' ' : text[i];
  return out;
}
/** Zero-width characters and the byte-order mark: invisible, never meaningful in a supplier list. */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;
/**
 * What a lost character turns into on its way through spreadsheets and exports: the Unicode
 * replacement character and the white/black squares some tools print for an unmappable byte.
 */
const REPLACEMENT = /[\uFFFD\u25A1\u25A0\u2610]/g;
/** UTF-8 read as Windows-1252: a lead byte (Â, Ã, Ä, Å, â, ã, ä, å, Æ, Ð, Ñ …) followed by a continuation rendered as a 1252 glyph. */
const MOJIBAKE =
  /[\u00C2-\u00F4][\u0080-\u00BF\u0152\u0153\u0160\u0161\u0178\u017D\u017E\u0192\u02C6\u02DC\u2013\u2014\u2018-\u201E\u2020-\u2022\u2026\u2030\u2039\u203A\u20AC\u2122]/g;
/** A spreadsheet formula (`=HYPERLINK(…)`, `+SUM(…)`, `@IMPORT(…)`): the CSV-injection shapes. */
const FORMULA = /^\s*(?:=|[+\-@]\s*[A-Za-z_][A-Za-z0-9_.]*\s*\()/;

/**
 * Combining diacritical marks (the blocks Latin, Greek and Cyrillic accents decompose to under NFKD),
 * dropped to fold "Thủ Dầu Một" to "thu dau mot"; other scripts' marks stay.
 */
// eslint-disable-next-line no-misleading-character-class -- ranges of lone combining marks, matched one at a time on purpose
const COMBINING = /[\u0300-\u036F\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F]/gu;
/** Letters NFKD does not decompose to ASCII. */
const FOLD_EXTRA: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', ł: 'l', ı: 'i', þ: 'th', ŀ: 'l' };
const FOLD_EXTRA_RE = new RegExp(`[${Object.keys(FOLD_EXTRA).join('')}]`, 'g');

/** How many Windows-1252 mojibake pairs a text holds. */
function mojibakeScore(text: string): number {
  return text.match(MOJIBAKE)?.length ?? 0;
}

/**
 * Repairs UTF-8 text that was decoded as Windows-1252 ("Ã¼" for "ü", "â€™" for "’"), when the
 * repair is unambiguous: the text re-encodes to 1252 without loss, the bytes are valid UTF-8, and
 * the result has fewer mojibake pairs. Returns the input unchanged otherwise.
 */
export function repairMojibake(text: string): string {
  if (mojibakeScore(text) === 0) return text;
  let current = text;
  // Text that went through the wrong decoding twice needs two rounds.
  for (let round = 0; round < 2; round++) {
    const bytes = encode(current, 'win1252');
    if (decode(bytes, 'win1252') !== current) return current;
    const repaired = Buffer.from(bytes).toString('utf8');
    if (repaired.includes('\uFFFD') || mojibakeScore(repaired) >= mojibakeScore(current)) return current;
    current = repaired;
    if (mojibakeScore(current) === 0) break;
  }
  return current;
}

/**
 * Cleans one cell of an uploaded list for storage and display: Unicode NFKC, control and invisible
 * characters out, replacement characters out, Windows-1252 mojibake repaired, whitespace collapsed,
 * spaces before punctuation removed. A formula-looking cell is refused (value null), never evaluated.
 * Case is kept: display is the buyer's; matching uses {@link foldForMatch}.
 */
export function cleanCell(raw: unknown): CleanCell {
  const issues: CellIssue[] = [];
  if (raw == null) return { value: null, issues: [{ code: 'empty', message: 'the cell is empty' }] };
  let text = typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : '';
  if (FORMULA.test(text)) {
    return {
      value: null,
      issues: [{ code: 'formula', message: `the cell holds a spreadsheet formula (${truncate(text.trim(), 40)}), not text; it was not used` }],
    };
  }
  const repaired = repairMojibake(text);
  if (repaired !== text) {
    issues.push({ code: 'mojibake-repaired', message: 'garbled accents (UTF-8 read as Windows-1252) were repaired' });
    text = repaired;
  }
  text = text.normalize('NFKC');
  if (hasControlCharacters(text)) issues.push({ code: 'control-characters', message: 'control characters were removed' });
  if (REPLACEMENT.test(text)) issues.push({ code: 'replacement-characters', message: 'lost-character marks (� or □) were removed' });
  REPLACEMENT.lastIndex = 0;
  text = replaceControl(text)
    .replace(REPLACEMENT, ' ')
    .replace(INVISIBLE, '')
    .replace(/[\t\r\n]+/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/\s+([,.;:)\]])/g, '$1')
    .replace(/([([])\s+/g, '$1')
    .replace(/[,;]{2,}/g, ',')
    .replace(/^[\s,;.:-]+|[\s,;:-]+$/g, '')
    .trim();
  if (text === '') {
    issues.push({ code: 'empty', message: 'the cell is empty' });
    return { value: null, issues };
  }
  return { value: text, issues };
}

/**
 * Folds text for comparison: NFKD with the Latin accents stripped, lower case, every run of
 * punctuation or symbols turned into one space. Letters and vowel signs of other scripts
 * (Chinese, Thai, Devanagari …) are kept as they are.
 */
export function foldForMatch(text: string): string {
  // Plain ASCII (most names and addresses): the same result in one pass, without Unicode normalisation.
  const ascii = foldAscii(text);
  if (ascii !== null) return ascii;
  return text
    .normalize('NFKD')
    .replace(COMBINING, '')
    .toLowerCase()
    .replace(FOLD_EXTRA_RE, (ch) => FOLD_EXTRA[ch])
    .replace(/['’‘`´ʼ]/g, '')
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ')
    .trim()
    .normalize('NFC');
}

/** {@link foldForMatch} of a text that is plain ASCII; null for any other text. */
function foldAscii(text: string): string | null {
  let out = '';
  let pendingSpace = false;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c > 0x7f) return null;
    if (c === 0x27 || c === 0x60) continue; // ' and ` join: "Xi'an" → "xian"
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) {
      if (pendingSpace && out !== '') out += ' ';
      pendingSpace = false;
      out += String.fromCharCode(c);
    } else pendingSpace = true;
  }
  return out;
}

/** The folded text with its spaces removed: "Dong Guan" and "DongGuan" give the same key. */
export function compactKey(text: string): string {
  return foldForMatch(text).replace(/ /g, '');
}

/**
 * Words of a folded text. Runs of Han, Kana or Hangul characters are kept as one word each;
 * letters glued to digits ("dhaka1340", "no8") are split.
 */
export function words(text: string): string[] {
  const folded = foldForMatch(text)
    .replace(/(\p{L})(\p{N})/gu, '$1 $2')
    .replace(/(\p{N})(\p{L})/gu, '$1 $2');
  return folded === '' ? [] : folded.split(' ');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** One insertion, deletion, substitution, or swap of two neighbouring letters ("guangzhuo" → "guangzhou"). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return false;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
