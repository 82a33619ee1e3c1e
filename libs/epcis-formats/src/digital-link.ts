import { gs1KeySyntaxProblem, isPrimaryAi, isQualifierOf, type Gs1Key, type PrimaryAi, type QualifierAi } from './gs1-key';

/** Outcome of reading a string as a GS1 Digital Link URI (DL URI Syntax 1.2). */
export type DigitalLinkReading =
  { readonly status: 'gs1'; readonly key: Gs1Key } | { readonly status: 'invalid'; readonly reason: string } | { readonly status: 'not-dl' };

const HTTP_URI = /^(https?):\/\/([^/?#]+)([^?#]*)(?:\?[^#]*)?(?:#.*)?$/i;
const GS1_RESOLVER_HOST = 'id.gs1.org';

// Short names from DL 1.0, still resolved by id.gs1.org.
const KEY_ALIASES: Readonly<Record<string, PrimaryAi>> = {
  sscc: '00',
  gtin: '01',
  gdti: '253',
  gcn: '255',
  ginc: '401',
  gsin: '402',
  gln: '414',
  party: '417',
  grai: '8003',
  giai: '8004',
  itip: '8006',
  cpid: '8010',
  gsrnp: '8017',
  gsrn: '8018',
};
const QUALIFIER_ALIASES: Readonly<Record<string, QualifierAi>> = { lot: '10', ser: '21', cpv: '22', glnx: '254' };

// A GTIN-8, -12 or -13 is the same key as its 14-digit form with leading zeros.
const SHORT_GTIN = /^(\d{8}|\d{12}|\d{13})$/;
const GTIN_LENGTH = 14;

const primaryOf = (segment: string): PrimaryAi | undefined => {
  if (isPrimaryAi(segment)) return segment;
  return KEY_ALIASES[segment];
};

const qualifierOf = (primary: PrimaryAi, segment: string): QualifierAi | undefined => {
  const ai = QUALIFIER_ALIASES[segment] ?? segment;
  return isQualifierOf(primary, ai) ? ai : undefined;
};

interface KeyPath {
  readonly primary: PrimaryAi;
  readonly rawValue: string;
  readonly rawQualifiers: readonly (readonly [QualifierAi, string])[];
}

/** Finds the key in the path; anything before it is the resolver's own path prefix, which DL allows. */
function findKeyPath(segments: readonly string[]): KeyPath | undefined {
  for (let i = 0; i < segments.length - 1; i += 1) {
    const primary = primaryOf(segments[i] as string);
    if (primary === undefined || (segments.length - i) % 2 !== 0 || segments[i + 1] === '') continue;
    const rawQualifiers: [QualifierAi, string][] = [];
    let fits = true;
    for (let j = i + 2; j < segments.length; j += 2) {
      const ai = qualifierOf(primary, segments[j] as string);
      if (ai === undefined || segments[j + 1] === '' || rawQualifiers.some(([seen]) => seen === ai)) {
        fits = false;
        break;
      }
      rawQualifiers.push([ai, segments[j + 1] as string]);
    }
    if (fits) return { primary, rawValue: segments[i + 1] as string, rawQualifiers };
  }
  return undefined;
}

const decode = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

/**
 * Reads a GS1 Digital Link URI on any domain. On id.gs1.org every path must be
 * a valid key; elsewhere a path that does not hold a well-formed key is taken
 * as an ordinary web URI, since brand domains carry other pages too.
 */
export function readDigitalLink(uri: string): DigitalLinkReading {
  const m = HTTP_URI.exec(uri);
  if (m === null) return { status: 'not-dl' };
  const onResolver = (m[2] as string).toLowerCase() === GS1_RESOLVER_HOST;
  const segments = (m[3] as string).split('/').slice(1);
  if (segments[segments.length - 1] === '') segments.pop();
  const refuse = (reason: string): DigitalLinkReading => (onResolver ? { status: 'invalid', reason } : { status: 'not-dl' });

  const path = findKeyPath(segments);
  if (path === undefined) return refuse(`'${uri}' has no GS1 key in its path`);
  let value = decode(path.rawValue);
  const qualifiers: Partial<Record<QualifierAi, string>> = {};
  for (const [ai, raw] of path.rawQualifiers) {
    const decoded = decode(raw);
    if (decoded === undefined) return refuse(`bad percent-encoding in '${uri}'`);
    // The EPC URI writes "no extension" as extension 0; read /254/0 the same way so a GLN has one spelling.
    if (ai === '254' && decoded === '0') continue;
    qualifiers[ai] = decoded;
  }
  if (value === undefined) return refuse(`bad percent-encoding in '${uri}'`);
  if (path.primary === '01' && SHORT_GTIN.test(value)) value = value.padStart(GTIN_LENGTH, '0');
  const key: Gs1Key = { primary: path.primary, value, qualifiers };
  const problem = gs1KeySyntaxProblem(key);
  return problem === undefined ? { status: 'gs1', key } : refuse(problem);
}
