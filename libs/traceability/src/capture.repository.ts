import { Injectable } from '@nestjs/common';
import type { ManagedTransaction } from 'neo4j-driver';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { chunks } from '@tiersight/contracts';
import { Neo4jService } from '@tiersight/graph';
import type { LotRow, NewEventRow, SiteMatch } from './event-rows';
import type { TraceabilityFieldError } from './traceability.error';

/** Rows per UNWIND statement of a capture. */
const WRITE_BATCH = 5000;

const gzipped = promisify(gzip);
const gunzipped = promisify(gunzip);

export type CaptureStatus = 'pending' | 'running' | 'succeeded' | 'failed';

export interface CaptureRecord {
  id: string;
  status: CaptureStatus;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  eventCount: number;
  captured: number | null;
  duplicates: number | null;
  flagged: number | null;
  errors: TraceabilityFieldError[];
  merkleRoot: string | null;
  auditSeq: number | null;
  actorKeyId: string;
  actorRole: string;
  actorSupplierId: string | null;
  requestId: string | null;
}

export interface NewCapture {
  id: string;
  documentJson: string;
  documentSha256: string;
  eventCount: number;
  actorKeyId: string;
  actorRole: string;
  actorSupplierId: string | null;
  requestId: string | null;
}

export interface CaptureOutcome {
  captured: number;
  duplicates: number;
  flagged: number;
  merkleRoot: string;
  leafHashes: string[];
  auditSeq: number;
}

const CAPTURE_FIELDS = `c { .id, .status, .createdAt, .startedAt, .finishedAt, .eventCount, .captured, .duplicates, .flagged,
  .errorsJson, .merkleRoot, .auditSeq, .actorKeyId, .actorRole, .actorSupplierId, .requestId }`;

// The document waits for the worker gzipped (a byte array): an EPCIS document shrinks about 13×, and
// every capture writes it, reads it back and removes it (as text, ~0.55 MB per 1,000 events, some
// 4,600 string-store records each time).
const CREATE_CAPTURE = `
CREATE (c:EpcisCapture {id: $c.id, status: 'pending', createdAt: $now, documentGzip: $documentGzip, documentSha256: $c.documentSha256,
  eventCount: $c.eventCount, actorKeyId: $c.actorKeyId, actorRole: $c.actorRole, actorSupplierId: $c.actorSupplierId, requestId: $c.requestId})`;

const GET_CAPTURE = `MATCH (c:EpcisCapture {id: $id}) RETURN ${CAPTURE_FIELDS} AS c`;

// Only a capture not yet finished starts (again, when a worker died with it running); the capture
// and its document come back in the same round trip (gzipped; as text when stored before documents were gzipped).
const START = `
MATCH (c:EpcisCapture {id: $id}) WHERE c.status IN ['pending', 'running']
SET c.status = 'running', c.startedAt = $now, c.attempts = coalesce(c.attempts, 0) + 1
RETURN ${CAPTURE_FIELDS} AS c, c.documentGzip AS documentGzip, c.documentJson AS documentJson, c.documentSha256 AS documentSha256`;

const MARK_FAILED = `
MATCH (c:EpcisCapture {id: $id}) WHERE c.status IN ['pending', 'running']
SET c.status = 'failed', c.finishedAt = $now, c.errorsJson = $errorsJson, c.captured = 0, c.duplicates = 0, c.flagged = 0
REMOVE c.documentJson, c.documentGzip`;

// The document's @context is kept once here, not on each event: the events' hashes and receipts read it from their capture.
const COMPLETE = `
MATCH (c:EpcisCapture {id: $id})
SET c.status = 'succeeded', c.finishedAt = $now, c.captured = $o.captured, c.duplicates = $o.duplicates, c.flagged = $o.flagged,
    c.merkleRoot = $o.merkleRoot, c.leafHashes = $o.leafHashes, c.treeSize = size($o.leafHashes), c.auditSeq = $o.auditSeq, c.errorsJson = '[]',
    c.contextJson = $o.contextJson
REMOVE c.documentJson, c.documentGzip`;

const SITES_BY_GLN = `
UNWIND $keys AS key
MATCH (s:Site {gln: key})
RETURN key, s.id AS siteId, s.supplierId AS supplierId`;

// What a capture needs to know of the store before it writes, in one read: the sites its locations
// are (by GLN), the events of it already stored (by hash), and declared eventIDs naming another event.
const STORE_FACTS = `
CALL () {
  UNWIND $keys AS key
  MATCH (s:Site {gln: key})
  RETURN collect({ key: key, siteId: s.id, supplierId: s.supplierId }) AS sites
}
CALL () {
  UNWIND $hashes AS hash
  MATCH (e:EpcisEvent {eventHash: hash})
  RETURN collect(hash) AS stored
}
CALL () {
  UNWIND $named AS row
  MATCH (e:EpcisEvent {eventId: row.eventId}) WHERE e.eventHash <> row.eventHash
  RETURN collect({ index: row.index, eventId: row.eventId, storedHash: e.eventHash }) AS clashes
}
RETURN sites, stored, clashes`;

// The properties of a new event in the order its row carries them: a row is a list, not a map, so
// the driver does not pack the same 21 keys again for each of 1,000 events.
const EVENT_ROW_FIELDS = [
  'eventHash',
  'eventId',
  'declaredHashDiffers',
  'type',
  'action',
  'bizStep',
  'disposition',
  'eventTime',
  'eventTimeMs',
  'eventTimeZoneOffset',
  'readPoint',
  'bizLocation',
  'transformationId',
  'sources',
  'destinations',
  'bizTransactions',
  'sensorTypes',
  'sensorReadingsJson',
  'errorDeclarationJson',
  'rawJson',
  'index',
] as const satisfies readonly (keyof NewEventRow)[];
const LOTS_AT = EVENT_ROW_FIELDS.length;
const SITES_AT = LOTS_AT + 1;
const eventProperty = (field: (typeof EVENT_ROW_FIELDS)[number], i: number) => `${field === 'index' ? 'seq' : field}: row[${i}]`;

// Events the read above found absent are CREATEd (no MERGE lookup), each with its links to its lots
// (merged just before) and to the sites it happened at, in the same statement: the new event is in
// hand, so no link has to find it again. Its properties are named one by one from the row: a map
// SET (`e = map`), or a projection of the row before the CREATE, made the planner hold every row
// (an Eager) before the link lookups. What every event of a capture shares (record time, capture)
// is sent once, not per row; the document's @context is kept on the capture (COMPLETE). An event
// names its capture by `captureId` (indexed), not by an edge: 1,000 edges on one capture node were a
// fifth of the relationships a capture wrote. Two captures racing on one new event fail one of them
// on the unique constraint; its job is tried again and finds the event stored.
const CREATE_EVENTS = `
UNWIND $rows AS row
CREATE (e:EpcisEvent {${EVENT_ROW_FIELDS.map(eventProperty).join(', ')},
  recordTime: $recordTime, recordTimeMs: $recordTimeMs, captureId: $captureId})
WITH e, row
CALL (e, row) {
  UNWIND row[${LOTS_AT}] AS link
  MATCH (l:Lot {id: link[0]})
  FOREACH (_ IN CASE WHEN link[1] = 'input' THEN [1] ELSE [] END |
    CREATE (l)-[:INPUT_OF {byClass: link[2], quantity: link[3], uom: link[4]}]->(e))
  FOREACH (_ IN CASE WHEN link[1] = 'output' THEN [1] ELSE [] END |
    CREATE (e)-[:OUTPUT {byClass: link[2], quantity: link[3], uom: link[4]}]->(l))
  FOREACH (_ IN CASE WHEN link[1] <> 'input' AND link[1] <> 'output' THEN [1] ELSE [] END |
    CREATE (e)-[:OBSERVED {role: link[1], byClass: link[2], quantity: link[3], uom: link[4]}]->(l))
}
CALL (e, row) {
  UNWIND row[${SITES_AT}] AS link
  MATCH (s:Site {id: link[0]})
  FOREACH (_ IN CASE WHEN link[1] = 'AT' THEN [1] ELSE [] END | CREATE (e)-[:AT {via: link[2]}]->(s))
  FOREACH (_ IN CASE WHEN link[1] = 'SOURCE' THEN [1] ELSE [] END | CREATE (e)-[:SOURCE {type: link[2]}]->(s))
  FOREACH (_ IN CASE WHEN link[1] = 'DESTINATION' THEN [1] ELSE [] END | CREATE (e)-[:DESTINATION {type: link[2]}]->(s))
}`;

/** A new event as the list CREATE_EVENTS reads: its properties, then its lot links, then its site links. */
function compactEventRow(row: NewEventRow): unknown[] {
  return [
    ...EVENT_ROW_FIELDS.map((field) => row[field]),
    row.lots.map((l) => [l.lotId, l.role, l.byClass, l.quantity, l.uom]),
    row.sites.map((l) => [l.siteId, l.rel, l.via]),
  ];
}

// A repeat of a stored event that declares an error (EPCIS error declaration) adds it; the hash leaves it out.
const DECLARE_ERRORS = `
UNWIND $rows AS row
MATCH (e:EpcisEvent {eventHash: row.eventHash}) WHERE e.errorDeclarationJson IS NULL
SET e.errorDeclarationJson = row.json`;

// A row per lot, as a list: [id, kind, gtin, lot, serial, sscc, firstSeenMs, lastSeenMs].
const MERGE_LOTS = `
UNWIND $rows AS row
MERGE (l:Lot {id: row[0]})
ON CREATE SET l.kind = row[1], l.gtin = row[2], l.lot = row[3], l.serial = row[4], l.sscc = row[5],
  l.firstSeenMs = row[6], l.lastSeenMs = row[7]
ON MATCH SET l.firstSeenMs = CASE WHEN row[6] < l.firstSeenMs THEN row[6] ELSE l.firstSeenMs END,
  l.lastSeenMs = CASE WHEN row[7] > l.lastSeenMs THEN row[7] ELSE l.lastSeenMs END`;

// The derived lot → lot edge a trace walks: one per (input, output, transformation event). The rows
// are events this capture creates (their hash was absent from the store) with distinct inputs and
// distinct outputs, so no such edge exists yet: CREATE, not MERGE (which walked every edge between
// the two lots to look for it).
const WRITE_WENT_INTO = `
UNWIND $rows AS row
UNWIND row.inputs AS input
UNWIND row.outputs AS output
MATCH (a:Lot {id: input})
MATCH (b:Lot {id: output})
CREATE (a)-[:WENT_INTO {eventHash: row.eventHash, eventTimeMs: row.eventTimeMs}]->(b)`;

// Events sharing a transformationID are one transformation (inputs and outputs may come in different events, even captures).
const JOIN_TRANSFORMATIONS = `
UNWIND $ids AS tid
MATCH (a:Lot)-[:INPUT_OF]->(:EpcisEvent {transformationId: tid})
MATCH (out:EpcisEvent {transformationId: tid})-[:OUTPUT]->(b:Lot)
MERGE (a)-[w:WENT_INTO {eventHash: out.eventHash}]->(b)
ON CREATE SET w.eventTimeMs = out.eventTimeMs, w.transformationId = tid`;

// Packing (ADD, OBSERVE) links children to their parent; unpacking (DELETE) removes the links it names, or all of the parent's when it names none.
const PACK = `
UNWIND $rows AS row
MATCH (p:Lot {id: row.parent})
UNWIND row.children AS childId
MATCH (c:Lot {id: childId})
MERGE (c)-[r:PACKED_IN]->(p)
SET r.sinceMs = row.eventTimeMs, r.eventHash = row.eventHash`;

const UNPACK = `
UNWIND $rows AS row
MATCH (c:Lot)-[r:PACKED_IN]->(:Lot {id: row.parent})
WHERE (size(row.children) = 0 OR c.id IN row.children) AND r.sinceMs <= row.eventTimeMs
DELETE r`;

// Every location events name, with how many and when: the unmapped ones are listed for admins.
const COUNT_LOCATIONS = `
UNWIND $rows AS row
MERGE (l:EpcisLocation {id: row.id})
ON CREATE SET l.glnBase = row.glnBase, l.eventCount = 0, l.firstSeenMs = row.firstSeenMs, l.lastSeenMs = row.lastSeenMs
SET l.eventCount = l.eventCount + row.events,
    l.firstSeenMs = CASE WHEN row.firstSeenMs < l.firstSeenMs THEN row.firstSeenMs ELSE l.firstSeenMs END,
    l.lastSeenMs = CASE WHEN row.lastSeenMs > l.lastSeenMs THEN row.lastSeenMs ELSE l.lastSeenMs END`;

/** A capture the worker has started: its record, the document it holds and the digest recorded with it. */
export interface StartedCapture {
  capture: CaptureRecord;
  documentJson: string | null;
  documentSha256: string | null;
}

export interface StoreFactsQuery {
  /** GLN keys of the locations and parties the events name. */
  keys: readonly string[];
  hashes: readonly string[];
  /** Declared eventIDs (other than hash ids) with the hash of the event declaring each. */
  named: readonly { index: number; eventId: string; eventHash: string }[];
}

export interface StoreFacts {
  sites: Map<string, SiteMatch>;
  stored: Set<string>;
  clashes: { index: number; eventId: string; storedHash: string }[];
}

interface StoredCapture extends Omit<CaptureRecord, 'errors'> {
  errorsJson: string | null;
}

/** The capture records and the writes of captured events. */
@Injectable()
export class CaptureRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  async create(capture: NewCapture): Promise<void> {
    const { documentJson, ...c } = capture;
    const documentGzip = asBoltBytes(await gzipped(documentJson, { level: 1 }));
    await this.neo4j.write((tx) => tx.run(CREATE_CAPTURE, { c, documentGzip, now: new Date().toISOString() }));
  }

  async get(id: string): Promise<CaptureRecord | null> {
    const res = await this.neo4j.read((tx) => tx.run(GET_CAPTURE, { id }));
    return res.records.length ? toCapture(res.records[0].get('c') as StoredCapture) : null;
  }

  /** Marks a capture running and reads it with its document; null when it is gone or already finished. */
  async start(id: string): Promise<StartedCapture | null> {
    const res = await this.neo4j.write((tx) => tx.run(START, { id, now: new Date().toISOString() }));
    if (res.records.length === 0) return null;
    const r = res.records[0];
    const packed = r.get('documentGzip') as Int8Array | null;
    const text = (r.get('documentJson') as string | null) ?? null;
    return {
      capture: toCapture(r.get('c') as StoredCapture),
      documentJson: packed ? (await gunzipped(Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength))).toString('utf8') : text,
      documentSha256: (r.get('documentSha256') as string | null) ?? null,
    };
  }

  /** What the store holds of a capture's sites (by GLN key), events (by hash) and declared eventIDs, in one read. */
  async storeFacts(tx: ManagedTransaction, query: StoreFactsQuery): Promise<StoreFacts> {
    const res = await tx.run(STORE_FACTS, { keys: [...new Set(query.keys)], hashes: query.hashes, named: query.named });
    const r = res.records[0];
    const sites = r.get('sites') as { key: string; siteId: string; supplierId: string | null }[];
    return {
      sites: new Map(sites.map((s) => [s.key, { siteId: s.siteId, supplierId: s.supplierId ?? null }])),
      stored: new Set(r.get('stored') as string[]),
      clashes: r.get('clashes') as { index: number; eventId: string; storedHash: string }[],
    };
  }

  async markFailed(id: string, errors: TraceabilityFieldError[]): Promise<void> {
    await this.neo4j.write((tx) => tx.run(MARK_FAILED, { id, now: new Date().toISOString(), errorsJson: JSON.stringify(errors) }));
  }

  /** Sites by GLN key (a site's `gln` in canonical form). */
  async sitesByGln(keys: readonly string[], tx?: ManagedTransaction): Promise<Map<string, SiteMatch>> {
    if (keys.length === 0) return new Map();
    const run = (t: ManagedTransaction) => t.run(SITES_BY_GLN, { keys: [...new Set(keys)] });
    const res = tx ? await run(tx) : await this.neo4j.read(run);
    return new Map(
      res.records.map((r) => [r.get('key') as string, { siteId: r.get('siteId') as string, supplierId: (r.get('supplierId') as string | null) ?? null }]),
    );
  }

  /** Creates new events of a capture, each linked to its lots (written before) and to its sites. */
  async createEvents(tx: ManagedTransaction, captureId: string, recordTime: Date, rows: NewEventRow[]): Promise<void> {
    const shared = { captureId, recordTime: recordTime.toISOString(), recordTimeMs: recordTime.getTime() };
    for (const batch of chunks(rows, WRITE_BATCH)) await tx.run(CREATE_EVENTS, { ...shared, rows: batch.map(compactEventRow) });
  }

  async declareErrors(tx: ManagedTransaction, rows: { eventHash: string; json: string }[]): Promise<void> {
    for (const batch of chunks(rows, WRITE_BATCH)) await tx.run(DECLARE_ERRORS, { rows: batch });
  }

  /** Every lot once, with the span of its events (their links are written with the events). */
  async writeLots(tx: ManagedTransaction, rows: LotRow[]): Promise<void> {
    const lots = new Map<string, LotRow & { firstSeenMs: number; lastSeenMs: number }>();
    for (const row of rows) {
      const seen = lots.get(row.lotId);
      if (!seen) lots.set(row.lotId, { ...row, firstSeenMs: row.eventTimeMs, lastSeenMs: row.eventTimeMs });
      else {
        seen.firstSeenMs = Math.min(seen.firstSeenMs, row.eventTimeMs);
        seen.lastSeenMs = Math.max(seen.lastSeenMs, row.eventTimeMs);
      }
    }
    const lotRows = [...lots.values()].map((l) => [l.lotId, l.kind, l.gtin, l.lot, l.serial, l.sscc, l.firstSeenMs, l.lastSeenMs]);
    for (const batch of chunks(lotRows, WRITE_BATCH)) await tx.run(MERGE_LOTS, { rows: batch });
  }

  async writeTransformations(tx: ManagedTransaction, rows: object[], transformationIds: string[]): Promise<void> {
    for (const batch of chunks(rows, WRITE_BATCH)) await tx.run(WRITE_WENT_INTO, { rows: batch });
    for (const batch of chunks(transformationIds, WRITE_BATCH)) await tx.run(JOIN_TRANSFORMATIONS, { ids: batch });
  }

  /**
   * In the order given (event time) for each parent: a later unpacking must find what an earlier
   * packing linked. Only rows about the same parent depend on each other, so the n-th row of every
   * parent goes in round n, each round's packings and unpackings one statement each.
   */
  async writeAggregations(tx: ManagedTransaction, rows: { action: string; parent: string }[]): Promise<void> {
    const rounds: { pack: object[]; unpack: object[] }[] = [];
    const seen = new Map<string, number>();
    for (const row of rows) {
      const round = seen.get(row.parent) ?? 0;
      seen.set(row.parent, round + 1);
      rounds[round] ??= { pack: [], unpack: [] };
      rounds[round][row.action === 'DELETE' ? 'unpack' : 'pack'].push(row);
    }
    for (const { pack, unpack } of rounds) {
      for (const batch of chunks(pack, WRITE_BATCH)) await tx.run(PACK, { rows: batch });
      for (const batch of chunks(unpack, WRITE_BATCH)) await tx.run(UNPACK, { rows: batch });
    }
  }

  async countLocations(
    tx: ManagedTransaction,
    rows: { id: string; glnBase: string | null; events: number; firstSeenMs: number; lastSeenMs: number }[],
  ): Promise<void> {
    for (const batch of chunks(rows, WRITE_BATCH)) await tx.run(COUNT_LOCATIONS, { rows: batch });
  }

  /** Records a capture's outcome; `contextJson` is its document's `@context` (JSON text), which its events' hashes were computed with. */
  async complete(tx: ManagedTransaction, id: string, outcome: CaptureOutcome, contextJson: string): Promise<void> {
    await tx.run(COMPLETE, { id, o: { ...outcome, contextJson }, now: new Date().toISOString() });
  }

  write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    return this.neo4j.write(work);
  }
}

/** The driver sends only an Int8Array as Bolt bytes (a byte array property). */
function asBoltBytes(bytes: Buffer): Int8Array {
  return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function toCapture(stored: StoredCapture): CaptureRecord {
  const { errorsJson, ...rest } = stored;
  let errors: TraceabilityFieldError[] = [];
  if (errorsJson) {
    try {
      errors = JSON.parse(errorsJson) as TraceabilityFieldError[];
    } catch {
      errors = [{ message: 'the stored error list cannot be read' }];
    }
  }
  return {
    ...rest,
    startedAt: rest.startedAt ?? null,
    finishedAt: rest.finishedAt ?? null,
    captured: rest.captured ?? null,
    duplicates: rest.duplicates ?? null,
    flagged: rest.flagged ?? null,
    merkleRoot: rest.merkleRoot ?? null,
    auditSeq: rest.auditSeq ?? null,
    actorSupplierId: rest.actorSupplierId ?? null,
    requestId: rest.requestId ?? null,
    errors,
  };
}
