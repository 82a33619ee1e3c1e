import { schemaEnumOf } from './epcis-schema';

/** The CBV / GS1 Web Vocabulary lists an EPCIS event draws standard values from. */
export type CbvVocabulary =
  'bizStep' | 'disposition' | 'bizTransactionType' | 'sourceDestType' | 'errorReason' | 'component' | 'measurementType' | 'sensorAlertType';

interface VocabularySpec {
  readonly label: string;
  /** The schema definition holding the bare words. */
  readonly definition: string;
  /** Web URI prefix a bare word expands to (EPCIS 2.0 JSON-LD context). */
  readonly web: string;
  /** The CBV 1.x URN prefix (the XML binding's form), when there is one. */
  readonly urn?: string;
}

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null && !Array.isArray(value);

const CBV_WEB = 'https://ref.gs1.org/cbv/';
const GS1_VOC = 'https://gs1.org/voc/';

const SPECS: Readonly<Record<CbvVocabulary, VocabularySpec>> = {
  bizStep: { label: 'business step', definition: 'bizStep', web: `${CBV_WEB}BizStep-`, urn: 'urn:epcglobal:cbv:bizstep:' },
  disposition: { label: 'disposition', definition: 'disposition', web: `${CBV_WEB}Disp-`, urn: 'urn:epcglobal:cbv:disp:' },
  bizTransactionType: {
    label: 'business transaction type',
    definition: 'bizTransaction-type',
    web: `${CBV_WEB}BTT-`,
    urn: 'urn:epcglobal:cbv:btt:',
  },
  sourceDestType: { label: 'source/destination type', definition: 'source-dest-type', web: `${CBV_WEB}SDT-`, urn: 'urn:epcglobal:cbv:sdt:' },
  errorReason: { label: 'error reason', definition: 'error-reason', web: `${CBV_WEB}ER-`, urn: 'urn:epcglobal:cbv:er:' },
  component: { label: 'sensor component', definition: 'component', web: `${CBV_WEB}Comp-` },
  measurementType: { label: 'measurement type', definition: 'measurementType', web: GS1_VOC },
  sensorAlertType: { label: 'sensor alert type', definition: 'sensorAlertType', web: GS1_VOC },
};

const VOCABULARIES = Object.keys(SPECS) as CbvVocabulary[];

let terms: ReadonlyMap<CbvVocabulary, ReadonlySet<string>> | undefined;

function termsOf(vocabulary: CbvVocabulary): ReadonlySet<string> {
  terms ??= new Map(VOCABULARIES.map((v) => [v, new Set(schemaEnumOf(SPECS[v].definition))]));
  return terms.get(vocabulary) as ReadonlySet<string>;
}

/** The prefixes of the EPCIS 2.0 JSON-LD context, which every EPCIS document imports. */
export const STANDARD_PREFIXES: Readonly<Record<string, string>> = {
  epcis: 'https://ref.gs1.org/epcis/',
  cbv: CBV_WEB,
  cbvmda: 'urn:epcglobal:cbv:mda:',
  gs1: GS1_VOC,
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  owl: 'http://www.w3.org/2002/07/owl#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcterms: 'http://purl.org/dc/terms/',
};

/** The prefix map of a JSON-LD `@context` (plain `"prefix": "iri"` entries and `{"@id": iri}` terms). */
export function prefixesOf(context: unknown): Record<string, string> {
  const prefixes: Record<string, string> = {};
  for (const entry of Array.isArray(context) ? (context as unknown[]) : [context]) {
    if (!isRecord(entry)) continue;
    for (const [name, definition] of Object.entries(entry)) {
      if (name.startsWith('@')) continue;
      if (typeof definition === 'string') prefixes[name] = definition;
      else if (isRecord(definition) && typeof definition['@id'] === 'string') prefixes[name] = definition['@id'];
    }
  }
  return prefixes;
}

/** Expands a compact IRI (`prefix:suffix`) whose prefix is known; anything else is returned as is. */
export function expandCurie(value: string, prefixes: Readonly<Record<string, string>>): string {
  const colon = value.indexOf(':');
  if (colon <= 0 || value.startsWith('//', colon + 1)) return value;
  const ns = Object.prototype.hasOwnProperty.call(prefixes, value.slice(0, colon)) ? prefixes[value.slice(0, colon)] : undefined;
  return ns === undefined ? value : ns + value.slice(colon + 1);
}

/** The term a full URI names in a vocabulary (web or URN form), or undefined. */
function termOfUri(vocabulary: CbvVocabulary, uri: string): string | undefined {
  const spec = SPECS[vocabulary];
  const insecure = spec.web.replace(/^https:/, 'http:');
  for (const prefix of [spec.web, insecure, spec.urn]) {
    if (prefix !== undefined && uri.startsWith(prefix)) return uri.slice(prefix.length);
  }
  return undefined;
}

/**
 * The Web URI of a standard value given as a bare word, a CBV URN, a Web URI or
 * a compact IRI; other values (private vocabularies) come back unchanged.
 */
export function expandCbvValue(vocabulary: CbvVocabulary, value: string, prefixes: Readonly<Record<string, string>> = STANDARD_PREFIXES): string {
  const spec = SPECS[vocabulary];
  if (termsOf(vocabulary).has(value)) return spec.web + value;
  const expanded = expandCurie(value, prefixes);
  // A URN with an unlisted term still belongs to the CBV namespace; write it in the Web form all the same.
  if (spec.urn !== undefined && expanded.startsWith(spec.urn)) return spec.web + expanded.slice(spec.urn.length);
  return expanded;
}

const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;
const CBV_NAMESPACES = [CBV_WEB, 'http://ref.gs1.org/cbv/', 'https://ns.gs1.org/cbv/', 'http://ns.gs1.org/cbv/', 'urn:epcglobal:cbv:'];

/**
 * Why a value is not acceptable for a vocabulary field of an EPCIS 2.0 JSON
 * document, or undefined when it is. Accepted: a listed bare word, its Web
 * URI or compact IRI, or an absolute URI outside the CBV namespace (a private
 * vocabulary). Refused: unlisted bare words, unlisted terms inside the CBV
 * namespace, and the URN form, which the EPCIS 2.0 JSON schema excludes (the
 * URN form belongs to the XML binding).
 */
export function cbvValueProblem(vocabulary: CbvVocabulary, value: string, prefixes: Readonly<Record<string, string>> = STANDARD_PREFIXES): string | undefined {
  const spec = SPECS[vocabulary];
  const known = termsOf(vocabulary);
  if (known.has(value)) return undefined;
  const standard = spec.web === GS1_VOC ? 'GS1' : 'CBV';
  if (!value.includes(':')) {
    return `'${value}' is not a ${standard} ${spec.label}; use a standard value or an absolute URI of your own vocabulary`;
  }
  if (spec.urn !== undefined && value.startsWith(spec.urn)) {
    const term = value.slice(spec.urn.length);
    return known.has(term) ? `'${value}' is the CBV URN form, which EPCIS 2.0 JSON does not take; write '${term}'` : `'${value}' is not a CBV ${spec.label}`;
  }
  const expanded = expandCurie(value, prefixes);
  const term = termOfUri(vocabulary, expanded);
  if (term !== undefined) {
    if (!known.has(term)) return `'${value}' is not a ${standard} ${spec.label}`;
    // The schema keeps GS1 Web Vocabulary URIs out of sensor fields: only the bare word is allowed there.
    return spec.web === GS1_VOC && expanded === value ? `write the GS1 ${spec.label} '${value}' as '${term}'` : undefined;
  }
  if (CBV_NAMESPACES.some((ns) => expanded.startsWith(ns))) {
    const other = VOCABULARIES.find((v) => v !== vocabulary && termOfUri(v, expanded) !== undefined && termsOf(v).has(termOfUri(v, expanded) as string));
    return other === undefined ? `'${value}' is not a CBV ${spec.label}` : `'${value}' is a CBV ${SPECS[other].label}, not a ${spec.label}`;
  }
  return ABSOLUTE_URI.test(value) ? undefined : `'${value}' is neither a ${standard} ${spec.label} nor an absolute URI`;
}
