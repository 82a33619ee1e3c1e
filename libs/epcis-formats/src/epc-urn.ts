import { gs1CheckDigit } from './gs1-check-digit';
import { gs1KeySyntaxProblem, isCset82, type Gs1Key, type PrimaryAi, type QualifierAi } from './gs1-key';

/** Outcome of reading a string as an EPC URI (GS1 EPC Tag Data Standard). */
export type EpcUrnReading =
  | { readonly status: 'gs1'; readonly scheme: string; readonly key: Gs1Key }
  /** A valid EPC scheme that is not a GS1 key (gid, usdod, adi, bic, imovn). */
  | { readonly status: 'other-epc'; readonly scheme: string }
  | { readonly status: 'invalid'; readonly reason: string }
  | { readonly status: 'not-urn' };

const URN = /^urn:epc:(id|class|idpat):([a-z0-9]+):(.*)$/i;
const NON_GS1_SCHEMES = new Set(['gid', 'usdod', 'adi', 'bic', 'imovn']);

// A company prefix has 6 to 12 digits; the URN carries its length by the dot.
const CP = '(\\d{6,12})';

interface Parts {
  readonly cp: string;
  readonly ref: string;
  readonly rest: readonly string[];
}

type Build = (p: Parts) => Gs1Key;

interface SchemeRule {
  readonly body: RegExp;
  /** Digits the company prefix and the reference together must have (0: any, bounded by the key's syntax). */
  readonly digits: number;
  readonly build: Build;
}

const gs1Key = (primary: PrimaryAi, value: string, qualifiers: Partial<Record<QualifierAi, string>> = {}): Gs1Key => ({
  primary,
  value,
  qualifiers,
});

/** GTIN-14 from an SGTIN-style split: indicator digit first, then prefix and item reference. */
const gtinOf = ({ cp, ref }: Parts): string => {
  const body = ref.slice(0, 1) + cp + ref.slice(1);
  return body + gs1CheckDigit(body);
};
const withCheck = (digits: string): string => digits + gs1CheckDigit(digits);

const ID_RULES: Readonly<Record<string, SchemeRule>> = {
  sgtin: { body: new RegExp(`^${CP}\\.(\\d{1,7})\\.(.+)$`), digits: 13, build: (p) => gs1Key('01', gtinOf(p), { '21': p.rest[0] }) },
  sscc: {
    body: new RegExp(`^${CP}\\.(\\d{5,11})$`),
    digits: 17,
    build: ({ cp, ref }) => gs1Key('00', withCheck(ref.slice(0, 1) + cp + ref.slice(1))),
  },
  // An SGLN extension of "0" means "no extension" (EPC Tag Data Standard, SGLN).
  sgln: {
    body: new RegExp(`^${CP}\\.(\\d{0,6})\\.(.+)$`),
    digits: 12,
    build: ({ cp, ref, rest }) => gs1Key('414', withCheck(cp + ref), rest[0] === '0' ? {} : { '254': rest[0] }),
  },
  pgln: { body: new RegExp(`^${CP}\\.(\\d{0,6})$`), digits: 12, build: ({ cp, ref }) => gs1Key('417', withCheck(cp + ref)) },
  grai: {
    body: new RegExp(`^${CP}\\.(\\d{0,6})\\.(.+)$`),
    digits: 12,
    build: ({ cp, ref, rest }) => gs1Key('8003', `0${withCheck(cp + ref)}${rest[0]}`),
  },
  giai: { body: new RegExp(`^${CP}\\.(.+)$`), digits: 0, build: ({ cp, ref }) => gs1Key('8004', cp + ref) },
  gsrn: { body: new RegExp(`^${CP}\\.(\\d{5,11})$`), digits: 17, build: ({ cp, ref }) => gs1Key('8018', withCheck(cp + ref)) },
  gsrnp: { body: new RegExp(`^${CP}\\.(\\d{5,11})$`), digits: 17, build: ({ cp, ref }) => gs1Key('8017', withCheck(cp + ref)) },
  gdti: {
    body: new RegExp(`^${CP}\\.(\\d{0,6})\\.(.+)$`),
    digits: 12,
    build: ({ cp, ref, rest }) => gs1Key('253', withCheck(cp + ref) + rest[0]),
  },
  sgcn: {
    body: new RegExp(`^${CP}\\.(\\d{0,6})\\.(\\d{1,12})$`),
    digits: 12,
    build: ({ cp, ref, rest }) => gs1Key('255', withCheck(cp + ref) + rest[0]),
  },
  ginc: { body: new RegExp(`^${CP}\\.(.+)$`), digits: 0, build: ({ cp, ref }) => gs1Key('401', cp + ref) },
  gsin: { body: new RegExp(`^${CP}\\.(\\d{4,10})$`), digits: 16, build: ({ cp, ref }) => gs1Key('402', withCheck(cp + ref)) },
  itip: {
    body: new RegExp(`^${CP}\\.(\\d{1,7})\\.(\\d{2})\\.(\\d{2})\\.(.+)$`),
    digits: 13,
    build: (p) => gs1Key('8006', gtinOf(p) + p.rest[0] + p.rest[1], { '21': p.rest[2] }),
  },
  upui: { body: new RegExp(`^${CP}\\.(\\d{1,7})\\.(.+)$`), digits: 13, build: (p) => gs1Key('01', gtinOf(p), { '235': p.rest[0] }) },
  cpi: {
    body: new RegExp(`^${CP}\\.([^.]+)\\.(\\d{1,12})$`),
    digits: 0,
    build: ({ cp, ref, rest }) => gs1Key('8010', cp + ref, { '8011': rest[0] }),
  },
};

const CLASS_RULES: Readonly<Record<string, SchemeRule>> = {
  lgtin: { body: new RegExp(`^${CP}\\.(\\d{1,7})\\.(.+)$`), digits: 13, build: (p) => gs1Key('01', gtinOf(p), { '10': p.rest[0] }) },
};

// Patterns name a class only when every field but the serial is given.
const PATTERN_RULES: Readonly<Record<string, SchemeRule>> = {
  sgtin: { body: new RegExp(`^${CP}\\.(\\d{1,7})\\.\\*$`), digits: 13, build: (p) => gs1Key('01', gtinOf(p)) },
  upui: { body: new RegExp(`^${CP}\\.(\\d{1,7})\\.\\*$`), digits: 13, build: (p) => gs1Key('01', gtinOf(p)) },
  grai: { body: new RegExp(`^${CP}\\.(\\d{0,6})\\.\\*$`), digits: 12, build: ({ cp, ref }) => gs1Key('8003', `0${withCheck(cp + ref)}`) },
  gdti: { body: new RegExp(`^${CP}\\.(\\d{0,6})\\.\\*$`), digits: 12, build: ({ cp, ref }) => gs1Key('253', withCheck(cp + ref)) },
  sgcn: { body: new RegExp(`^${CP}\\.(\\d{0,6})\\.\\*$`), digits: 12, build: ({ cp, ref }) => gs1Key('255', withCheck(cp + ref)) },
  cpi: { body: new RegExp(`^${CP}\\.([^.]+)\\.\\*$`), digits: 0, build: ({ cp, ref }) => gs1Key('8010', cp + ref) },
  itip: {
    body: new RegExp(`^${CP}\\.(\\d{1,7})\\.(\\d{2})\\.(\\d{2})\\.\\*$`),
    digits: 13,
    build: (p) => gs1Key('8006', gtinOf(p) + p.rest[0] + p.rest[1]),
  },
};

const RULES: Readonly<Record<string, Readonly<Record<string, SchemeRule>>>> = {
  id: ID_RULES,
  class: CLASS_RULES,
  idpat: PATTERN_RULES,
};

/** Decodes the %HH escapes of an EPC URI component; undefined when one is malformed or leaves the GS1 character set. */
function decodeUrnComponent(component: string): string | undefined {
  if (/%(?![0-9A-Fa-f]{2})/.test(component)) return undefined;
  const decoded = component.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return decoded === '' || isCset82(decoded) ? decoded : undefined;
}

// The characters the Tag Data Standard escapes in the URI body.
const URN_ESCAPED: Readonly<Record<string, string>> = { '"': '%22', '%': '%25', '&': '%26', '/': '%2F', '<': '%3C', '>': '%3E', '?': '%3F' };

export function encodeUrnComponent(value: string): string {
  return value.replace(/["%&/<>?]/g, (ch) => URN_ESCAPED[ch] as string);
}

export function readEpcUrn(uri: string): EpcUrnReading {
  const m = URN.exec(uri);
  if (m === null) return { status: 'not-urn' };
  const category = (m[1] as string).toLowerCase();
  const scheme = (m[2] as string).toLowerCase();
  const body = m[3] as string;
  if (category === 'id' && NON_GS1_SCHEMES.has(scheme)) return { status: 'other-epc', scheme };
  const rule = RULES[category]?.[scheme];
  if (rule === undefined) return { status: 'invalid', reason: `unknown EPC ${category} scheme '${scheme}'` };
  const parts = rule.body.exec(body);
  if (parts === null) return { status: 'invalid', reason: `malformed ${scheme} EPC URI '${uri}'` };
  const cp = parts[1] as string;
  const ref = parts[2] as string;
  if (rule.digits > 0 && cp.length + ref.length !== rule.digits) {
    return { status: 'invalid', reason: `${scheme}: company prefix and reference must have ${rule.digits} digits together in '${uri}'` };
  }
  const decodedRef = decodeUrnComponent(ref);
  const rest: string[] = [];
  for (const raw of parts.slice(3)) {
    const decoded = decodeUrnComponent(raw as string);
    if (decoded === undefined) return { status: 'invalid', reason: `bad character or escape in '${raw}'` };
    rest.push(decoded);
  }
  if (decodedRef === undefined) return { status: 'invalid', reason: `bad character or escape in '${ref}'` };
  const key = rule.build({ cp, ref: decodedRef, rest });
  // Lengths of serials, lots and references are the key's own rules, whatever form it came in.
  const problem = gs1KeySyntaxProblem(key);
  if (problem !== undefined) return { status: 'invalid', reason: `${problem} in '${uri}'` };
  return { status: 'gs1', scheme: category === 'id' ? scheme : `${category}:${scheme}`, key };
}
