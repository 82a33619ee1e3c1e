import { Injectable } from '@nestjs/common';
import neo4j from 'neo4j-driver';
import { Neo4jService } from '@tiersight/graph';
import type { EventFilter } from './event-query';

/** An event as stored, with what the API shows of it. */
export interface StoredEvent {
  eventHash: string;
  eventId: string | null;
  declaredHashDiffers: boolean;
  type: string;
  eventTime: string;
  eventTimeMs: number;
  recordTime: string;
  rawJson: string;
  contextJson: string;
  errorDeclarationJson: string | null;
  captureId: string;
  sensorReadingsJson: string | null;
}

export interface EventLinks {
  sites: { siteId: string; supplierId: string | null; via: string }[];
  lots: { lotId: string; kind: string; role: string; byClass: boolean; quantity: number | null; uom: string | null }[];
}

/** What a receipt is built from: the capture that stored the event, its leaves and where its root is recorded. */
export interface ReceiptFacts {
  captureId: string;
  leafHashes: string[];
  merkleRoot: string;
  auditSeq: number;
}

export interface UnmappedLocation {
  id: string;
  glnBase: string | null;
  eventCount: number;
  firstSeenMs: number;
  lastSeenMs: number;
}

// The document's @context is kept on the capture (on the event itself for events stored before).
const EVENT_FIELDS = `e { .eventHash, .eventId, .declaredHashDiffers, .type, .eventTime, .eventTimeMs, .recordTime, .rawJson,
  contextJson: coalesce(e.contextJson, COLLECT { MATCH (c:EpcisCapture {id: e.captureId}) RETURN c.contextJson }[0]),
  .errorDeclarationJson, .captureId, .sensorReadingsJson }`;

// Lots an event names, in their roles (INPUT_OF and OUTPUT are a transformation's; OBSERVED carries its role).
const ROLE_OF = `CASE type(r) WHEN 'INPUT_OF' THEN 'input' WHEN 'OUTPUT' THEN 'output' ELSE r.role END`;

const SUPPLIER_SCOPE = `EXISTS { MATCH (e)-[:AT]->(site:Site) WHERE site.supplierId = $supplierId }`;

const lotCondition = (i: number) =>
  `EXISTS { MATCH (e)-[r:OBSERVED|INPUT_OF|OUTPUT]-(l:Lot) WHERE l.id IN $lots[${i}].ids AND r.byClass = $lots[${i}].byClass AND ${ROLE_OF} IN $lots[${i}].roles }`;

/** The conditions of a filter: fixed fragments, every value a parameter. */
function conditions(filter: EventFilter, scoped: boolean, paged: boolean): string[] {
  const where: string[] = [];
  if (filter.eventTimeFrom !== null) where.push('e.eventTimeMs >= $f.eventTimeFrom');
  if (filter.eventTimeBefore !== null) where.push('e.eventTimeMs < $f.eventTimeBefore');
  if (filter.recordTimeFrom !== null) where.push('e.recordTimeMs >= $f.recordTimeFrom');
  if (filter.recordTimeBefore !== null) where.push('e.recordTimeMs < $f.recordTimeBefore');
  if (filter.eventTypes !== null) where.push('e.type IN $f.eventTypes');
  if (filter.actions !== null) where.push('e.action IN $f.actions');
  if (filter.bizSteps !== null) where.push('e.bizStep IN $f.bizSteps');
  if (filter.dispositions !== null) where.push('e.disposition IN $f.dispositions');
  if (filter.readPoints !== null) where.push('e.readPoint IN $f.readPoints');
  if (filter.bizLocations !== null) where.push('e.bizLocation IN $f.bizLocations');
  if (filter.captureId !== null) where.push('e.captureId = $f.captureId');
  filter.lots.forEach((_m, i) => where.push(lotCondition(i)));
  if (paged) where.push('(e.eventTimeMs > $after.eventTimeMs OR (e.eventTimeMs = $after.eventTimeMs AND e.eventHash > $after.eventHash))');
  if (scoped) where.push(SUPPLIER_SCOPE);
  return where;
}

export function listQuery(filter: EventFilter, scoped: boolean, paged: boolean): string {
  const where = conditions(filter, scoped, paged);
  // Start from the lots named, when there are any: far fewer events carry one lot than fall in any time range.
  const start =
    filter.lots.length > 0
      ? `MATCH (l0:Lot) WHERE l0.id IN $lots[0].ids
MATCH (l0)-[r0:OBSERVED|INPUT_OF|OUTPUT]-(e:EpcisEvent)
WITH DISTINCT e`
      : 'MATCH (e:EpcisEvent)';
  return `${start}
${where.length ? `WHERE ${where.join('\n  AND ')}` : ''}
WITH e ORDER BY e.eventTimeMs, e.eventHash LIMIT $limit
RETURN ${EVENT_FIELDS} AS e`;
}

const BY_HASH = `MATCH (e:EpcisEvent {eventHash: $hash}) WHERE $supplierId IS NULL OR ${SUPPLIER_SCOPE} RETURN ${EVENT_FIELDS} AS e`;

// An eventID may name more than one event only when it is a declared hash id that differs from theirs: the first captured is taken.
const BY_EVENT_ID = `
MATCH (e:EpcisEvent {eventId: $id}) WHERE $supplierId IS NULL OR ${SUPPLIER_SCOPE}
WITH e ORDER BY e.recordTimeMs, e.seq LIMIT 1
RETURN ${EVENT_FIELDS} AS e`;

const LINKS = `
MATCH (e:EpcisEvent {eventHash: $hash})
RETURN [(e)-[a:AT]->(s:Site) | { siteId: s.id, supplierId: s.supplierId, via: a.via }] AS sites,
       [(e)-[r:OBSERVED|INPUT_OF|OUTPUT]-(l:Lot) | { lotId: l.id, kind: l.kind, role: ${ROLE_OF}, byClass: r.byClass, quantity: r.quantity, uom: r.uom }] AS lots`;

const RECEIPT = `
MATCH (c:EpcisCapture {id: $captureId}) WHERE c.status = 'succeeded'
RETURN c.id AS captureId, c.leafHashes AS leafHashes, c.merkleRoot AS merkleRoot, c.auditSeq AS auditSeq`;

const UNMAPPED = `
MATCH (l:EpcisLocation) WHERE ($after IS NULL OR l.id > $after)
  AND NOT EXISTS { MATCH (s:Site) WHERE s.gln = l.id }
  AND (l.glnBase IS NULL OR NOT EXISTS { MATCH (s:Site) WHERE s.gln = l.glnBase })
RETURN l { .id, .glnBase, .eventCount, .firstSeenMs, .lastSeenMs } AS l
ORDER BY l.id LIMIT $limit`;

/** Reads of captured events. */
@Injectable()
export class EpcisEventRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  /** One page (limit + 1 rows, so the caller knows whether more follow), oldest event first. */
  async list(filter: EventFilter, supplierId: string | null, after: { eventTimeMs: number; eventHash: string } | null, limit: number): Promise<StoredEvent[]> {
    const query = listQuery(filter, supplierId !== null, after !== null);
    const res = await this.neo4j.read((tx) => tx.run(query, { f: filter, lots: filter.lots, supplierId, after, limit: neo4j.int(limit) }));
    return res.records.map((r) => r.get('e') as StoredEvent);
  }

  async byHash(hash: string, supplierId: string | null): Promise<StoredEvent | null> {
    const res = await this.neo4j.read((tx) => tx.run(BY_HASH, { hash, supplierId }));
    return res.records.length ? (res.records[0].get('e') as StoredEvent) : null;
  }

  async byEventId(id: string, supplierId: string | null): Promise<StoredEvent | null> {
    const res = await this.neo4j.read((tx) => tx.run(BY_EVENT_ID, { id, supplierId }));
    return res.records.length ? (res.records[0].get('e') as StoredEvent) : null;
  }

  async links(hash: string): Promise<EventLinks> {
    const res = await this.neo4j.read((tx) => tx.run(LINKS, { hash }));
    if (res.records.length === 0) return { sites: [], lots: [] };
    return { sites: res.records[0].get('sites') as EventLinks['sites'], lots: res.records[0].get('lots') as EventLinks['lots'] };
  }

  async receiptFacts(captureId: string): Promise<ReceiptFacts | null> {
    const res = await this.neo4j.read((tx) => tx.run(RECEIPT, { captureId }));
    if (res.records.length === 0) return null;
    const r = res.records[0];
    return {
      captureId: r.get('captureId') as string,
      leafHashes: r.get('leafHashes') as string[],
      merkleRoot: r.get('merkleRoot') as string,
      auditSeq: r.get('auditSeq') as number,
    };
  }

  async unmapped(after: string | null, limit: number): Promise<UnmappedLocation[]> {
    const res = await this.neo4j.read((tx) => tx.run(UNMAPPED, { after, limit: neo4j.int(limit) }));
    return res.records.map((r) => r.get('l') as UnmappedLocation);
  }
}
