import { hasValidGs1CheckDigit } from './gs1-check-digit';

/** GS1 Application Identifiers of the keys EPCIS events carry (a GS1 key stands alone). */
export type PrimaryAi = '00' | '01' | '253' | '255' | '401' | '402' | '414' | '417' | '8003' | '8004' | '8006' | '8010' | '8017' | '8018';
/** Key qualifiers that may follow a primary key in a GS1 Digital Link path. */
export type QualifierAi = '10' | '21' | '22' | '235' | '254' | '8011' | '8019';

/** A GS1 key with its qualifiers, values decoded (no percent escapes). */
export interface Gs1Key {
  readonly primary: PrimaryAi;
  readonly value: string;
  readonly qualifiers: Readonly<Partial<Record<QualifierAi, string>>>;
}

const CANONICAL_DL_ORIGIN = 'https://id.gs1.org';

// The 82 characters a GS1 AI value may hold (GS1 General Specifications, Figure 7.11-1).
const CSET82 = `[!"%&'()*+,\\-./0-9:;<=>?A-Z_a-z]`;
const cset82 = (min: number, max: number): RegExp => new RegExp(`^${CSET82}{${min},${max}}$`);
// CPID (AI 8010) takes the 39-character set.
const CSET39 = /^[#\-/0-9A-Z]{1,30}$/;

interface PrimarySpec {
  readonly syntax: RegExp;
  /** Length of the leading digits that end in a check digit (0: none). */
  readonly checkedDigits: number;
  readonly qualifiers: readonly QualifierAi[];
  /**
   * The qualifier kept in the constrained canonical form, most fine-grained first
   * (CBV 2.0 event hash: "only the most fine-granular level of identification").
   */
  readonly kept: readonly QualifierAi[];
}

const PRIMARY: Readonly<Record<PrimaryAi, PrimarySpec>> = {
  '00': { syntax: /^\d{18}$/, checkedDigits: 18, qualifiers: [], kept: [] },
  '01': { syntax: /^\d{14}$/, checkedDigits: 14, qualifiers: ['22', '10', '21', '235'], kept: ['21', '235', '10'] },
  '253': { syntax: new RegExp(`^\\d{13}${CSET82}{0,17}$`), checkedDigits: 13, qualifiers: [], kept: [] },
  '255': { syntax: /^\d{13}\d{0,12}$/, checkedDigits: 13, qualifiers: [], kept: [] },
  '401': { syntax: cset82(1, 30), checkedDigits: 0, qualifiers: [], kept: [] },
  '402': { syntax: /^\d{17}$/, checkedDigits: 17, qualifiers: [], kept: [] },
  '414': { syntax: /^\d{13}$/, checkedDigits: 13, qualifiers: ['254'], kept: ['254'] },
  '417': { syntax: /^\d{13}$/, checkedDigits: 13, qualifiers: [], kept: [] },
  // GRAI: a leading zero, the 13-digit asset type with its check digit, an optional serial.
  '8003': { syntax: new RegExp(`^0\\d{13}${CSET82}{0,16}$`), checkedDigits: 14, qualifiers: [], kept: [] },
  '8004': { syntax: cset82(1, 30), checkedDigits: 0, qualifiers: [], kept: [] },
  // ITIP: GTIN, piece number, total count.
  '8006': { syntax: /^\d{18}$/, checkedDigits: 14, qualifiers: ['22', '10', '21'], kept: ['21', '10'] },
  '8010': { syntax: CSET39, checkedDigits: 0, qualifiers: ['8011'], kept: ['8011'] },
  '8017': { syntax: /^\d{18}$/, checkedDigits: 18, qualifiers: [], kept: [] },
  '8018': { syntax: /^\d{18}$/, checkedDigits: 18, qualifiers: ['8019'], kept: [] },
};

const QUALIFIER_SYNTAX: Readonly<Record<QualifierAi, RegExp>> = {
  '10': cset82(1, 20),
  '21': cset82(1, 20),
  '22': cset82(1, 20),
  '235': cset82(1, 28),
  '254': cset82(1, 20),
  '8011': /^\d{1,12}$/,
  '8019': /^\d{1,10}$/,
};

export function isPrimaryAi(ai: string): ai is PrimaryAi {
  return Object.prototype.hasOwnProperty.call(PRIMARY, ai);
}

export function isQualifierOf(primary: PrimaryAi, ai: string): ai is QualifierAi {
  return (PRIMARY[primary].qualifiers as readonly string[]).includes(ai);
}

const CSET82_ONLY = new RegExp(`^${CSET82}+$`);

export function isCset82(value: string): boolean {
  return CSET82_ONLY.test(value);
}

/** Why a key is malformed, or undefined when its syntax (lengths, characters) is right. */
export function gs1KeySyntaxProblem(key: Gs1Key): string | undefined {
  const spec = PRIMARY[key.primary];
  if (!spec.syntax.test(key.value)) return `'${key.value}' is not a valid value for GS1 AI (${key.primary})`;
  for (const [ai, value] of Object.entries(key.qualifiers) as [QualifierAi, string][]) {
    if (!isQualifierOf(key.primary, ai)) return `AI (${ai}) cannot qualify AI (${key.primary})`;
    if (!QUALIFIER_SYNTAX[ai].test(value)) return `'${value}' is not a valid value for GS1 AI (${ai})`;
  }
  return undefined;
}

/** Why the key's check digit is wrong, or undefined when it is right (or the key has none). */
export function gs1KeyCheckDigitProblem(key: Gs1Key): string | undefined {
  const n = PRIMARY[key.primary].checkedDigits;
  if (n === 0) return undefined;
  const digits = key.value.slice(0, n);
  return hasValidGs1CheckDigit(digits) ? undefined : `bad check digit in AI (${key.primary}) '${digits}'`;
}

// Characters left as they are in a canonical path segment; everything else is
// percent-encoded (upper-case hex), so one identity has one spelling. The set
// matches what the GS1 reference event hash generator produces from EPC URIs.
const DL_SAFE = /[A-Za-z0-9\-._';=]/;

function encodeDlSegment(value: string): string {
  let out = '';
  for (const ch of value) {
    if (DL_SAFE.test(ch)) {
      out += ch;
    } else {
      for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

/**
 * The constrained canonical GS1 Digital Link URI of a key: id.gs1.org, AI
 * numbers, no query, and only the finest qualifier (a serial wins over a lot;
 * a CPV is dropped).
 */
export function canonicalDigitalLink(key: Gs1Key): string {
  let uri = `${CANONICAL_DL_ORIGIN}/${key.primary}/${encodeDlSegment(key.value)}`;
  const kept = PRIMARY[key.primary].kept.find((ai) => key.qualifiers[ai] !== undefined);
  if (kept !== undefined) uri += `/${kept}/${encodeDlSegment(key.qualifiers[kept] as string)}`;
  return uri;
}
