import {
  checkEventHash,
  eventHashContext,
  expandCbvValue,
  normaliseEpc,
  STANDARD_PREFIXES,
  type EpcisDocument,
  type EpcisEvent,
  type EpcNormalisation,
  type EventHashContext,
  type QuantityElement,
} from '@tiersight/epcis-formats';
import { sensorReadings, type SensorReading } from './sensor-readings';

/** How an event names a lot or item: the kinds of `normaliseEpc`, and `other` for EPCs that are not GS1 trade items or containers (GIAI, GRAI, private URIs). */
export type LotKind = 'sgtin' | 'lgtin' | 'gtin' | 'sscc' | 'other';

/** What a lot was to an event. */
export type LotRole = 'observed' | 'parent' | 'child' | 'input' | 'output';

export interface LotObservation {
  /** The canonical id (constrained GS1 Digital Link), or the identifier as given for `other`. */
  lotId: string;
  kind: LotKind;
  gtin: string | null;
  lot: string | null;
  serial: string | null;
  sscc: string | null;
  role: LotRole;
  /** Named in a quantity list (a class: a lot or a product), not an EPC list. */
  byClass: boolean;
  quantity: number | null;
  uom: string | null;
}

/** A readPoint, bizLocation, source or destination. */
export interface EventLocation {
  /** As the event wrote it. */
  raw: string;
  /** The canonical Digital Link of a GS1 location or party, else the identifier as given. */
  id: string;
  /** `https://id.gs1.org/414/<gln>` without extension, for a GS1 location (SGLN): what a site's own GLN is matched against. */
  glnBase: string | null;
}

export interface PartyRef {
  type: string;
  location: EventLocation;
}

/** One event of a capture, read once into everything the graph stores of it. */
export interface PreparedEvent {
  /** Position in the document's eventList. */
  index: number;
  eventHash: string;
  /** The eventID the document declared, if any (it stays the event's identity). */
  declaredEventId: string | null;
  /** The declared eventID is a hash id (`ni:///…`) that is not this event's hash: kept, and flagged. */
  declaredHashDiffers: boolean;
  type: string;
  action: string | null;
  bizStep: string | null;
  disposition: string | null;
  eventTime: string;
  eventTimeMs: number;
  eventTimeZoneOffset: string;
  readPoint: EventLocation | null;
  bizLocation: EventLocation | null;
  transformationId: string | null;
  lots: LotObservation[];
  sources: PartyRef[];
  destinations: PartyRef[];
  bizTransactions: { type: string | null; id: string }[];
  readings: SensorReading[];
  errorDeclared: boolean;
  /** The event exactly as captured (JSON text), from which its hash can be computed again. */
  rawJson: string;
  /** The document's `@context` (JSON text): the prefixes the hash of the event was computed with. */
  contextJson: string;
}

/** A problem with one event of a document (a JSON pointer into the document). */
export interface CaptureEventError {
  eventIndex: number;
  pointer: string;
  message: string;
}

export interface PreparedCapture {
  /** Distinct events in document order (a repeat of an earlier event of the same document is left out). */
  events: PreparedEvent[];
  /** Events of the document that repeated an earlier one of the same document. */
  repeatsInDocument: number;
}

const HASH_ID = /^ni:\/\/\/sha-256;/i;
const GS1_LOCATION_BASE = 'https://id.gs1.org/414/';

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
const list = <T>(value: unknown): readonly T[] => (Array.isArray(value) ? (value as T[]) : []);

/** Whether an eventID is a CBV 2.0 hash id (whose mismatch is flagged rather than refused). */
export const isHashEventId = (eventId: string): boolean => HASH_ID.test(eventId);

/**
 * The hash context of one event: the document's `@context` prefixes, and the
 * event's own `@context` when it has one. Capture and receipt verification
 * both compute it this way.
 */
export function hashContextOf(documentContext: unknown, event: Readonly<Record<string, unknown>>): EventHashContext {
  const own = event['@context'];
  const contexts = [documentContext, ...(own === undefined ? [] : [own])].flatMap((c) => (Array.isArray(c) ? (c as unknown[]) : [c]));
  return eventHashContext({ '@context': contexts });
}

// A lot, a location or a pallet recurs across the events of a capture (and the next captures): each
// identifier is normalised once. The results are only read; the cache is emptied when it grows large.
const NORMALISED_LIMIT = 100_000;
const normalisedIds = new Map<string, EpcNormalisation>();
function normalisedId(id: string): EpcNormalisation {
  let result = normalisedIds.get(id);
  if (result === undefined) {
    if (normalisedIds.size >= NORMALISED_LIMIT) normalisedIds.clear();
    result = normaliseEpc(id);
    normalisedIds.set(id, result);
  }
  return result;
}

/** A readPoint / bizLocation / source / destination identifier in the form the graph keeps. */
export function eventLocation(raw: string): EventLocation {
  const normalised = normalisedId(raw);
  if (!normalised.ok) return { raw, id: raw, glnBase: null };
  const glnBase = normalised.kind === 'sgln' && normalised.gln !== undefined ? GS1_LOCATION_BASE + normalised.gln : null;
  return { raw, id: normalised.canonical, glnBase };
}

function lotOf(id: string, role: LotRole, quantity?: QuantityElement): LotObservation {
  const normalised = normalisedId(id);
  const base = { role, byClass: quantity !== undefined, quantity: quantity?.quantity ?? null, uom: quantity?.uom ?? null };
  if (!normalised.ok || normalised.kind === 'sgln' || normalised.kind === 'pgln') {
    return { ...base, lotId: id.trim(), kind: 'other', gtin: null, lot: null, serial: null, sscc: null };
  }
  return {
    ...base,
    lotId: normalised.canonical,
    kind: normalised.kind,
    gtin: normalised.gtin ?? null,
    lot: normalised.lot ?? null,
    serial: normalised.serial ?? null,
    sscc: normalised.sscc ?? null,
  };
}

/** Every lot, item and container an event names, with its role (EPCIS 2.0 §7.4: what each event type's lists mean). */
export function lotsOf(event: EpcisEvent): LotObservation[] {
  const lots: LotObservation[] = [];
  const epcs = (field: string, role: LotRole) => {
    for (const epc of list<unknown>(event[field])) if (text(epc) !== null) lots.push(lotOf(epc as string, role));
  };
  const quantities = (field: string, role: LotRole) => {
    for (const q of list<QuantityElement>(event[field])) if (isRecord(q) && text(q.epcClass) !== null) lots.push(lotOf(q.epcClass, role, q));
  };
  const parent = text(event.parentID);
  switch (event.type) {
    case 'AggregationEvent':
    case 'AssociationEvent':
      if (parent !== null) lots.push(lotOf(parent, 'parent'));
      epcs('childEPCs', 'child');
      quantities('childQuantityList', 'child');
      break;
    case 'TransformationEvent':
      epcs('inputEPCList', 'input');
      quantities('inputQuantityList', 'input');
      epcs('outputEPCList', 'output');
      quantities('outputQuantityList', 'output');
      break;
    default:
      // ObjectEvent, TransactionEvent (a transaction's parentID is a container of what it lists).
      if (parent !== null) lots.push(lotOf(parent, 'parent'));
      epcs('epcList', 'observed');
      quantities('quantityList', 'observed');
  }
  // One observation per (lot, role): a lot listed twice in one role is one fact, quantities summed.
  const merged = new Map<string, LotObservation>();
  for (const lot of lots) {
    const key = `${lot.role}\u0000${lot.lotId}`;
    const seen = merged.get(key);
    if (!seen) merged.set(key, lot);
    else if (seen.quantity !== null && lot.quantity !== null && seen.uom === lot.uom) seen.quantity += lot.quantity;
  }
  return [...merged.values()];
}

function parties(raw: unknown, field: 'source' | 'destination'): PartyRef[] {
  return list<unknown>(raw).flatMap((element) => {
    if (!isRecord(element)) return [];
    const id = text(element[field]);
    const type = text(element['type']);
    return id === null || type === null
      ? []
      : [{ type: expandCbvValue('sourceDestType', type).replace(/^https:\/\/ref\.gs1\.org\/cbv\/SDT-/, ''), location: eventLocation(id) }];
  });
}

/** One event of a validated document, read into what the graph stores of it. */
export function prepareEvent(
  event: EpcisEvent,
  index: number,
  documentContext: unknown,
  contextJson: string = JSON.stringify(documentContext ?? null),
): PreparedEvent {
  const context = hashContextOf(documentContext, event);
  // The EPCIS context's own prefixes (gs1:, cbv:) hold in every document.
  const prefixes = { ...STANDARD_PREFIXES, ...(context.prefixes ?? {}) };
  const check = checkEventHash(event, context);
  const declaredEventId = text(event.eventID);
  const readPoint = isRecord(event.readPoint) ? text(event.readPoint.id) : null;
  const bizLocation = isRecord(event.bizLocation) ? text(event.bizLocation.id) : null;
  const bizStep = text(event.bizStep);
  const disposition = text(event.disposition);
  return {
    index,
    eventHash: check.hashId,
    declaredEventId,
    declaredHashDiffers: check.declaredHashDiffers,
    type: event.type,
    action: text(event.action),
    bizStep: bizStep === null ? null : expandCbvValue('bizStep', bizStep, prefixes),
    disposition: disposition === null ? null : expandCbvValue('disposition', disposition, prefixes),
    eventTime: event.eventTime,
    eventTimeMs: Date.parse(event.eventTime),
    eventTimeZoneOffset: event.eventTimeZoneOffset,
    readPoint: readPoint === null ? null : eventLocation(readPoint),
    bizLocation: bizLocation === null ? null : eventLocation(bizLocation),
    transformationId: text(event.transformationID),
    lots: lotsOf(event),
    sources: parties(event.sourceList, 'source'),
    destinations: parties(event.destinationList, 'destination'),
    bizTransactions: list<unknown>(event.bizTransactionList).flatMap((bt) =>
      isRecord(bt) && text(bt['bizTransaction']) !== null ? [{ type: text(bt['type']), id: text(bt['bizTransaction']) as string }] : [],
    ),
    readings: sensorReadings(event, prefixes),
    errorDeclared: isRecord(event.errorDeclaration),
    rawJson: JSON.stringify(event),
    contextJson,
  };
}

/**
 * Reads every event of a validated document. Events repeating an earlier one
 * (same event hash) are left out; two different events declaring the same
 * eventID (other than a hash id) are refused, since an eventID names one event.
 */
export function prepareCapture(document: EpcisDocument): { ok: true; capture: PreparedCapture } | { ok: false; errors: CaptureEventError[] } {
  const events: PreparedEvent[] = [];
  const byHash = new Set<string>();
  const byEventId = new Map<string, PreparedEvent>();
  const errors: CaptureEventError[] = [];
  let repeatsInDocument = 0;
  const contextJson = JSON.stringify(document['@context'] ?? null);
  document.epcisBody.eventList.forEach((event, index) => {
    const prepared = prepareEvent(event, index, document['@context'], contextJson);
    if (byHash.has(prepared.eventHash)) {
      repeatsInDocument++;
      return;
    }
    const id = prepared.declaredEventId;
    if (id !== null && !isHashEventId(id)) {
      const earlier = byEventId.get(id);
      if (earlier) {
        errors.push({
          eventIndex: index,
          pointer: `/epcisBody/eventList/${index}/eventID`,
          message: `eventID ${id} is already the id of event ${earlier.index} of this document, whose content differs (an eventID names one event)`,
        });
        return;
      }
      byEventId.set(id, prepared);
    }
    byHash.add(prepared.eventHash);
    events.push(prepared);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, capture: { events, repeatsInDocument } };
}

/** The GS1 locations (readPoint, bizLocation) of an event. */
export function siteLocationsOf(event: PreparedEvent): { field: 'readPoint' | 'bizLocation'; location: EventLocation }[] {
  const out: { field: 'readPoint' | 'bizLocation'; location: EventLocation }[] = [];
  if (event.readPoint) out.push({ field: 'readPoint', location: event.readPoint });
  if (event.bizLocation) out.push({ field: 'bizLocation', location: event.bizLocation });
  return out;
}
