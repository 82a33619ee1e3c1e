import { Injectable } from '@nestjs/common';
import { AuditLog, type AuditActor } from '@tiersight/audit';
import { normaliseEpc } from '@tiersight/epcis-formats';
import { decodeEventCursor, encodeEventCursor, eventFilter, type EventQueryParams } from './event-query';
import { EpcisEventRepository, type EventLinks, type StoredEvent, type UnmappedLocation } from './epcis-event.repository';
import { buildReceipt, type EventReceipt } from './receipt';
import type { SensorReading } from './sensor-readings';
import { TraceabilityError, TraceabilityErrorCode } from './traceability.error';

/** The namespace of this repository's own fields in EPCIS documents it answers (an EPCIS user extension). */
export const TIERSIGHT_NS = 'https://tiersight.dev/epcis/';
const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

/** One captured event as GET /v1/epcis/events/:id shows it. */
export interface EpcisEventView {
  /** The declared eventID, or the event hash when the event declared none. */
  eventId: string;
  eventHash: string;
  declaredEventId: string | null;
  /** The declared eventID is a hash id that is not this event's hash (kept, flagged). */
  declaredHashDiffers: boolean;
  type: string;
  eventTime: string;
  recordTime: string;
  captureId: string;
  sites: EventLinks['sites'];
  lots: EventLinks['lots'];
  sensorReadings: SensorReading[];
  /** The event in EPCIS 2.0 JSON as captured, with the repository's recordTime (and the hash as eventID when none was declared). */
  event: Record<string, unknown>;
  links: { self: string; receipt: string };
}

export interface EpcisQueryDocument {
  '@context': unknown[];
  type: 'EPCISQueryDocument';
  schemaVersion: '2.0';
  creationDate: string;
  epcisBody: { queryResults: { queryName: 'SimpleEventQuery'; resultsBody: { eventList: Record<string, unknown>[] } } };
  /** The next page's cursor (`cursor=`), null on the last page; an EPCIS user extension. */
  'tiersight:nextCursor': string | null;
}

export interface UnmappedLocationView {
  location: string;
  /** The GLN a site would need (`gln` of a site, canonical form) to take these events; null when the location is not a GS1 location. */
  glnBase: string | null;
  eventCount: number;
  firstSeen: string;
  lastSeen: string;
}

const HEX_DIGEST = /^[0-9a-fA-F]{64}$/;
const HASH_ID = /^ni:\/\/\/sha-256;([0-9a-fA-F]{64})\?ver=CBV2\.0$/i;

export const eventPath = (eventId: string) => `/v1/epcis/events/${encodeURIComponent(eventId)}`;

/** The scope of a read: a supplier key sees events at its own sites only. */
const scopeOf = (actor: AuditActor): string | null => (actor.role === 'supplier' ? (actor.supplierId ?? '') : null);

/** Reads of captured events: the EPCIS query, one event, its receipt, the locations no site claims. */
@Injectable()
export class EpcisEventsService {
  constructor(
    private readonly events: EpcisEventRepository,
    private readonly audit: AuditLog,
  ) {}

  /** EPCIS 2.0 SimpleEventQuery over the captured events, oldest first, as an EPCISQueryDocument. */
  async query(params: EventQueryParams, limit: number, cursor: string | undefined, actor: AuditActor): Promise<EpcisQueryDocument> {
    const filter = eventFilter(params);
    const rows = await this.events.list(filter, scopeOf(actor), decodeEventCursor(cursor), limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      '@context': [EPCIS_CONTEXT, { tiersight: TIERSIGHT_NS }],
      type: 'EPCISQueryDocument',
      schemaVersion: '2.0',
      creationDate: new Date().toISOString(),
      epcisBody: { queryResults: { queryName: 'SimpleEventQuery', resultsBody: { eventList: page.map(asQueryResult) } } },
      'tiersight:nextCursor': rows.length > limit && last ? encodeEventCursor(last.eventTimeMs, last.eventHash) : null,
    };
  }

  /** One event by its eventID or its event hash (the `ni:///` id, or its 64 hex digits). */
  async event(id: string, actor: AuditActor): Promise<EpcisEventView> {
    const stored = await this.find(id, actor);
    const links = await this.events.links(stored.eventHash);
    const eventId = stored.eventId ?? stored.eventHash;
    return {
      eventId,
      eventHash: stored.eventHash,
      declaredEventId: stored.eventId,
      declaredHashDiffers: stored.declaredHashDiffers,
      type: stored.type,
      eventTime: stored.eventTime,
      recordTime: stored.recordTime,
      captureId: stored.captureId,
      sites: links.sites,
      lots: links.lots,
      sensorReadings: stored.sensorReadingsJson ? (JSON.parse(stored.sensorReadingsJson) as SensorReading[]) : [],
      event: asCaptured(stored),
      links: { self: eventPath(eventId), receipt: `${eventPath(eventId)}/receipt` },
    };
  }

  /** The event's inclusion proof in its capture's Merkle tree, with the audit entry recording the root. */
  async receipt(id: string, actor: AuditActor): Promise<EventReceipt> {
    const stored = await this.find(id, actor);
    const facts = await this.events.receiptFacts(stored.captureId);
    const leafIndex = facts ? facts.leafHashes.indexOf(stored.eventHash) : -1;
    const entry = facts ? await this.audit.entry(facts.auditSeq) : null;
    if (!facts || leafIndex < 0 || !entry) {
      throw new TraceabilityError(TraceabilityErrorCode.EventNotFound, `no receipt for event ${id}: its capture record is incomplete`);
    }
    return buildReceipt({
      eventId: stored.eventId ?? stored.eventHash,
      eventHash: stored.eventHash,
      event: parseStored(stored.rawJson),
      context: parseStored(stored.contextJson),
      captureId: facts.captureId,
      leafHashes: facts.leafHashes,
      leafIndex,
      root: facts.merkleRoot,
      auditEntry: entry,
    });
  }

  async unmappedLocations(limit: number, cursor: string | undefined): Promise<{ items: UnmappedLocationView[]; nextCursor: string | null }> {
    const after = cursor ? Buffer.from(cursor, 'base64url').toString('utf8') : null;
    const rows = await this.events.unmapped(after, limit + 1);
    const page = rows.slice(0, limit);
    return {
      items: page.map(toUnmappedView),
      nextCursor: rows.length > limit ? Buffer.from(page[page.length - 1].id, 'utf8').toString('base64url') : null,
    };
  }

  private async find(id: string, actor: AuditActor): Promise<StoredEvent> {
    const scope = scopeOf(actor);
    const trimmed = id.trim();
    const hex = HEX_DIGEST.test(trimmed) ? trimmed : (HASH_ID.exec(trimmed)?.[1] ?? null);
    // A hash id finds the event it is the hash of, else an event that declared it as its eventID.
    const byHash = hex !== null ? await this.events.byHash(`ni:///sha-256;${hex.toLowerCase()}?ver=CBV2.0`, scope) : null;
    const found = byHash ?? (await this.events.byEventId(trimmed, scope));
    if (!found) throw new TraceabilityError(TraceabilityErrorCode.EventNotFound, `no captured event has the eventID or event hash ${id}`);
    return found;
  }
}

function parseStored(json: string): Record<string, unknown> {
  const value = JSON.parse(json) as unknown;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
}

/** The event as captured, with the repository's recordTime, an error declared later, and the hash as eventID when it had none. */
function asCaptured(stored: StoredEvent): Record<string, unknown> {
  const event = parseStored(stored.rawJson);
  const out: Record<string, unknown> = { ...event, recordTime: stored.recordTime };
  if (out.eventID === undefined) out.eventID = stored.eventHash;
  if (out.errorDeclaration === undefined && stored.errorDeclarationJson) out.errorDeclaration = JSON.parse(stored.errorDeclarationJson) as unknown;
  return out;
}

/** In a query document: the event as captured, with its own document's prefixes as an event `@context` and its hash as a user extension. */
function asQueryResult(stored: StoredEvent): Record<string, unknown> {
  const out = asCaptured(stored);
  const context = JSON.parse(stored.contextJson) as unknown;
  const extra = (Array.isArray(context) ? context : [context]).filter((c) => typeof c === 'object' && c !== null);
  if (extra.length > 0 && out['@context'] === undefined) out['@context'] = extra;
  out['tiersight:eventHash'] = stored.eventHash;
  return out;
}

function toUnmappedView(l: UnmappedLocation): UnmappedLocationView {
  return {
    location: l.id,
    glnBase: l.glnBase,
    eventCount: l.eventCount,
    firstSeen: new Date(l.firstSeenMs).toISOString(),
    lastSeen: new Date(l.lastSeenMs).toISOString(),
  };
}

/** The canonical form of a lot or item identifier (for routes that take one), or null. */
export function canonicalLotId(id: string): string | null {
  const normalised = normaliseEpc(id);
  return normalised.ok ? normalised.canonical : null;
}
