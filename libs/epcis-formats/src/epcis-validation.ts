import { hasZonedTime } from './canonical-values';
import { cbvValueProblem, prefixesOf, STANDARD_PREFIXES, type CbvVocabulary } from './cbv-vocabulary';
import { readGs1Identifier } from './epc-identity';
import { epcisSchemaValidator } from './epcis-schema';
import type { EpcisDocument } from './epcis-types';
import type { Gs1Key } from './gs1-key';
import { dedupe, escapePointerToken, locate, schemaErrors, type EpcisValidationError } from './schema-errors';

export type EpcisValidationResult =
  { readonly ok: true; readonly document: EpcisDocument } | { readonly ok: false; readonly errors: readonly EpcisValidationError[] };

type Json = unknown;
type JsonRecord = Readonly<Record<string, Json>>;
type Prefixes = Readonly<Record<string, string>>;

const isRecord = (value: Json): value is JsonRecord => typeof value === 'object' && value !== null && !Array.isArray(value);
const itemsOf = (value: Json): readonly Json[] => (Array.isArray(value) ? value : []);
const at = (pointer: string, ...tokens: (string | number)[]): string => pointer + tokens.map((t) => `/${escapePointerToken(String(t))}`).join('');

interface RuleError {
  readonly error: EpcisValidationError;
  /** The rule explains this place better than the schema: drop the schema's messages there. */
  readonly supersedesSchema: boolean;
}

// A GRAI value is '0' and 13 digits, a GDTI or GCN 13 digits, before any serial.
const GRAI_KEY_CHARS = 14;
const GDTI_GCN_KEY_DIGITS = 13;

type Granularity = 'instance' | 'class' | 'location' | 'party';

/** How specific a GS1 key is: an instance (one item), a class (a product, a lot), a location or a party. */
function granularity(key: Gs1Key): Granularity {
  const q = key.qualifiers;
  switch (key.primary) {
    case '01':
    case '8006':
      return q['21'] !== undefined || q['235'] !== undefined ? 'instance' : 'class';
    case '00':
    case '8004':
    case '8017':
    case '8018':
    case '401':
    case '402':
      return 'instance';
    // GRAI, GDTI and GCN name a class (asset type, document type, coupon) until a serial follows the key digits.
    case '8003':
      return key.value.length > GRAI_KEY_CHARS ? 'instance' : 'class';
    case '253':
    case '255':
      return key.value.length > GDTI_GCN_KEY_DIGITS ? 'instance' : 'class';
    case '8010':
      return q['8011'] !== undefined ? 'instance' : 'class';
    case '414':
      return 'location';
    case '417':
      return 'party';
  }
}

type IdentifierRole = 'instance' | 'class' | 'location' | 'party-or-location' | 'any';

const ROLE_KINDS: Readonly<Record<IdentifierRole, readonly Granularity[]>> = {
  instance: ['instance'],
  class: ['class'],
  location: ['location'],
  'party-or-location': ['party', 'location'],
  any: ['instance', 'class', 'location', 'party'],
};

const ROLE_WORDING: Readonly<Record<IdentifierRole, string>> = {
  instance: 'an instance (SGTIN, SSCC, GRAI with serial…)',
  class: 'a class (GTIN, GTIN + lot…)',
  location: 'a location (SGLN / 414)',
  'party-or-location': 'a party or location (PGLN / 417, SGLN / 414)',
  any: 'a GS1 key',
};

/** Identifier checks remembered: a lot, a location or a pallet recurs across the events of a document. */
const IDENTIFIER_CACHE_SIZE = 10_000;
const identifierProblems = new Map<string, string | null>();

/** `readIdentifierProblem`, remembered (a pure function of the text and role; the cache starts over when full). */
function identifierProblem(value: string, role: IdentifierRole): string | undefined {
  const key = `${role} ${value}`;
  const known = identifierProblems.get(key);
  if (known !== undefined) return known ?? undefined;
  const problem = readIdentifierProblem(value, role);
  if (identifierProblems.size >= IDENTIFIER_CACHE_SIZE) identifierProblems.clear();
  identifierProblems.set(key, problem ?? null);
  return problem;
}

function readIdentifierProblem(value: string, role: IdentifierRole): string | undefined {
  const reading = readGs1Identifier(value, true);
  if (reading.status === 'invalid') return reading.reason;
  if (reading.status !== 'gs1') return undefined;
  const fits = ROLE_KINDS[role].includes(granularity(reading.key));
  return fits ? undefined : `'${value}' is not ${ROLE_WORDING[role]}`;
}

const ZONELESS_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?$/;

class EventRules {
  readonly found: RuleError[] = [];

  constructor(private readonly prefixes: Prefixes) {}

  private add(pointer: string, message: string, supersedesSchema: boolean): void {
    this.found.push({ error: locate(pointer, message), supersedesSchema });
  }

  vocabulary(pointer: string, vocabulary: CbvVocabulary, value: Json): void {
    if (typeof value !== 'string') return;
    const problem = cbvValueProblem(vocabulary, value, this.prefixes);
    if (problem !== undefined) this.add(pointer, problem, true);
  }

  identifier(pointer: string, value: Json, role: IdentifierRole): void {
    if (typeof value !== 'string') return;
    const problem = identifierProblem(value, role);
    if (problem !== undefined) this.add(pointer, problem, false);
  }

  time(pointer: string, value: Json): void {
    if (typeof value !== 'string' || hasZonedTime(value)) return;
    if (ZONELESS_TIME.test(value.trim())) this.add(pointer, `'${value}' has no UTC offset; an EPCIS time must say its zone (Z or ±hh:mm)`, true);
  }

  quantities(pointer: string, list: Json): void {
    itemsOf(list).forEach((item, i) => {
      if (!isRecord(item)) return;
      this.identifier(at(pointer, i, 'epcClass'), item['epcClass'], 'class');
      const quantity = item['quantity'];
      // Without a unit of measure, a quantity is a count of instances.
      if (typeof quantity === 'number' && item['uom'] === undefined && !Number.isInteger(quantity)) {
        this.add(at(pointer, i, 'quantity'), `a quantity without uom is a count and must be a whole number, got ${quantity}`, false);
      }
    });
  }

  event(pointer: string, event: JsonRecord): void {
    this.time(at(pointer, 'eventTime'), event['eventTime']);
    this.time(at(pointer, 'recordTime'), event['recordTime']);
    for (const list of ['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList']) {
      itemsOf(event[list]).forEach((epc, i) => this.identifier(at(pointer, list, i), epc, 'instance'));
    }
    this.identifier(at(pointer, 'parentID'), event['parentID'], 'instance');
    for (const list of ['quantityList', 'childQuantityList', 'inputQuantityList', 'outputQuantityList']) this.quantities(at(pointer, list), event[list]);
    this.vocabulary(at(pointer, 'bizStep'), 'bizStep', event['bizStep']);
    this.vocabulary(at(pointer, 'disposition'), 'disposition', event['disposition']);
    const persistent = event['persistentDisposition'];
    if (isRecord(persistent)) {
      for (const side of ['set', 'unset']) {
        itemsOf(persistent[side]).forEach((d, i) => this.vocabulary(at(pointer, 'persistentDisposition', side, i), 'disposition', d));
      }
    }
    for (const place of ['readPoint', 'bizLocation']) {
      const location = event[place];
      if (isRecord(location)) this.identifier(at(pointer, place, 'id'), location['id'], 'location');
    }
    itemsOf(event['bizTransactionList']).forEach((bt, i) => {
      if (!isRecord(bt)) return;
      this.vocabulary(at(pointer, 'bizTransactionList', i, 'type'), 'bizTransactionType', bt['type']);
      this.identifier(at(pointer, 'bizTransactionList', i, 'bizTransaction'), bt['bizTransaction'], 'any');
    });
    for (const [list, field] of [
      ['sourceList', 'source'],
      ['destinationList', 'destination'],
    ] as const) {
      itemsOf(event[list]).forEach((element, i) => {
        if (!isRecord(element)) return;
        this.vocabulary(at(pointer, list, i, 'type'), 'sourceDestType', element['type']);
        const role: IdentifierRole =
          element['type'] === 'location'
            ? 'location'
            : element['type'] === 'owning_party' || element['type'] === 'possessing_party'
              ? 'party-or-location'
              : 'any';
        this.identifier(at(pointer, list, i, field), element[field], role);
      });
    }
    const declaration = event['errorDeclaration'];
    if (isRecord(declaration)) {
      this.time(at(pointer, 'errorDeclaration', 'declarationTime'), declaration['declarationTime']);
      this.vocabulary(at(pointer, 'errorDeclaration', 'reason'), 'errorReason', declaration['reason']);
    }
    itemsOf(event['sensorElementList']).forEach((element, i) => this.sensorElement(at(pointer, 'sensorElementList', i), element));
  }

  private sensorElement(pointer: string, element: Json): void {
    if (!isRecord(element)) return;
    const metadata = element['sensorMetadata'];
    if (isRecord(metadata)) {
      for (const field of ['time', 'startTime', 'endTime']) this.time(at(pointer, 'sensorMetadata', field), metadata[field]);
    }
    itemsOf(element['sensorReport']).forEach((report, i) => {
      if (!isRecord(report)) return;
      const where = at(pointer, 'sensorReport', i);
      this.vocabulary(at(where, 'type'), 'measurementType', report['type']);
      this.vocabulary(at(where, 'exception'), 'sensorAlertType', report['exception']);
      this.vocabulary(at(where, 'component'), 'component', report['component']);
      this.time(at(where, 'time'), report['time']);
    });
  }
}

const EVENT_LIST = '/epcisBody/eventList';

/**
 * Validates an EPCIS 2.0 JSON / JSON-LD capture document: the GS1 EPCIS 2.0
 * JSON schema (formats enforced), then what the schema cannot say:
 * - vocabulary fields hold a listed CBV / GS1 value or an absolute URI of a
 *   private vocabulary; an unlisted term inside the CBV namespace is refused;
 * - GS1 identifiers (EPC URIs, Digital Links) are well formed with right check
 *   digits, and of the right granularity: instances in EPC lists and parentID,
 *   classes in quantity lists, locations in readPoint / bizLocation;
 * - a quantity without a unit of measure is a whole count;
 * - every time names its UTC offset.
 * All errors are reported, each at its JSON pointer.
 */
export function validateEpcisDocument(doc: unknown): EpcisValidationResult {
  if (!isRecord(doc)) return { ok: false, errors: [locate('', 'an EPCIS document is a JSON object')] };
  const errors: EpcisValidationError[] = [];
  if (doc['type'] !== 'EPCISDocument') errors.push(locate('/type', "capture takes an 'EPCISDocument'"));

  const rules = new EventRules({ ...STANDARD_PREFIXES, ...prefixesOf(doc['@context']) });
  rules.time('/creationDate', doc['creationDate']);
  const body = doc['epcisBody'];
  const events = isRecord(body) ? itemsOf(body['eventList']) : [];
  events.forEach((event, i) => {
    if (!isRecord(event)) return;
    // An event may declare prefixes of its own.
    const scoped =
      event['@context'] !== undefined ? new EventRules({ ...STANDARD_PREFIXES, ...prefixesOf(doc['@context']), ...prefixesOf(event['@context']) }) : rules;
    scoped.event(at(EVENT_LIST, i), event);
    if (scoped !== rules) rules.found.push(...scoped.found);
  });

  const validate = epcisSchemaValidator();
  const fromSchema = validate(doc) ? [] : schemaErrors(validate.errors ?? []);
  const superseded = new Set(rules.found.filter((r) => r.supersedesSchema).map((r) => r.error.pointer));
  errors.push(...fromSchema.filter((e) => !superseded.has(e.pointer)), ...rules.found.map((r) => r.error));
  if (errors.length > 0) return { ok: false, errors: dedupe(errors) };
  // The schema has just checked the shape the type describes.
  return { ok: true, document: doc as EpcisDocument };
}
