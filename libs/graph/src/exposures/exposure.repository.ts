import { Injectable } from '@nestjs/common';
import { chunks, type Exposure, type ExposureNumbers, type ExposureOutlook } from '@tiersight/contracts';
import neo4j from 'neo4j-driver';
import { GraphError, GraphErrorCode } from '../graph.errors';
import { Neo4jService } from '../neo4j.service';
import { InvalidCursorError } from '../read/pagination';

/** One SKU's exposure to one event alone (DESIGN §3.3 attribution). */
export interface StoredAttribution extends ExposureNumbers {
  eventId: string;
}

/**
 * One event's attribution as stored: every SKU its impacts alone reach (x > 0),
 * in columns. It depends only on the graph and the event's own impacts, so it
 * is written when those change, not when other events move the exposures;
 * readers keep the SKUs that are exposed. `inputKey` names what it was
 * computed from (graph and impacts), `contentKey` what it holds: a later run
 * that finds either equal to its own need not write it again.
 */
export interface EventAttributionRecord {
  eventId: string;
  inputKey: string;
  contentKey: string;
  skuIds: string[];
  x: number[];
  days: number[];
  onsetDays: number[];
  revenueAtRisk: number[];
}

/** The keys of an event's stored attribution. */
export interface StoredAttributionKeys {
  inputKey: string;
  contentKey: string;
}

/** Attribution records to change: those of `remove` go, `write` replace theirs, `rekey` keep theirs under a new input key. */
export interface AttributionWrite {
  remove: string[];
  write: EventAttributionRecord[];
  rekey: Array<{ eventId: string; inputKey: string }>;
}

/** What one run's write did in Neo4j, as its statements counted it. */
export interface ApplyCounts {
  /** Every entity written: exposures set or cleared, outlooks set or cleared, attribution records created, deleted or re-keyed. */
  rows: number;
  attributionRecords: number;
  attributionRecordsDeleted: number;
}

/**
 * An event's attribution is cut by SKU id into this many records, so that one
 * SKU's attribution is read from one record per event (index on the bucket),
 * and an event hitting thousands of SKUs is written as at most this many rows.
 */
export const ATTRIBUTION_BUCKETS = 256;

/** The record (bucket) holding a SKU's attribution: FNV-1a over the id's UTF-16 units. */
export function attributionBucket(skuId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < skuId.length; i++) h = Math.imul(h ^ skuId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % ATTRIBUTION_BUCKETS;
}

/** Outlook records (DESIGN §10) to write (`set`) and to remove (`clear`, SKU ids). */
export interface OutlookWrite {
  set: ExposureOutlook[];
  clear: string[];
}

/** A SKU with an outlook record: its observed exposure when it has one, and its outlook. */
export interface SkuOutlook {
  skuId: string;
  name: string;
  category: string | null;
  observed: Exposure | null;
  outlook: ExposureOutlook;
}

export interface ExposureFilter {
  category?: string;
  eventId?: string;
  minRevenueAtRisk?: number;
}

// Rows per statement in a run's write, sized so one statement's parameters stay a few MB.
/** SKU ids cleared per statement (ids only: small rows). */
const IDS_PER_STATEMENT = 5000;
/** Exposures written per statement (each carries its explanation as JSON). */
const EXPOSURES_PER_STATEMENT = 2000;
/** Attribution entries (SKU, event) per statement, over however many records they fill. */
const ATTRIBUTION_ENTRIES_PER_STATEMENT = 50_000;

/** SKUs stop being exposed: their exposure properties go (their attribution is the events' and goes with the events). */
const CLEAR_RESOLVED = `
UNWIND $skuIds AS id
MATCH (k:Sku {id: id})
REMOVE k.exposureX, k.exposureDays, k.exposureOnsetDays, k.revenueAtRisk, k.exposureJson, k.exposedAt`;

const WRITE_EXPOSURES = `
UNWIND $rows AS row
MATCH (k:Sku {id: row.skuId})
SET k.exposureX = row.x, k.exposureDays = row.days, k.exposureOnsetDays = row.onsetDays,
    k.revenueAtRisk = row.revenueAtRisk, k.exposureJson = row.json,
    k.exposedAt = coalesce(k.exposedAt, datetime())`;

const REMOVE_ATTRIBUTION = `
UNWIND $ids AS id
MATCH (a:Attribution {eventId: id})
DELETE a`;

const CREATE_ATTRIBUTION = `
UNWIND $rows AS r
CREATE (:Attribution {id: r.id, eventId: r.eventId, bucket: toInteger(r.bucket), inputKey: r.inputKey, contentKey: r.contentKey,
                      skuIds: r.skuIds, x: r.x, days: r.days, onsetDays: r.onsetDays, revenueAtRisk: r.revenueAtRisk})`;

const REKEY_ATTRIBUTION = `
UNWIND $rows AS r
MATCH (a:Attribution {eventId: r.eventId})
SET a.inputKey = r.inputKey`;

/** Events stored with at least one SKU; an event whose impacts reach none has no record. */
const ATTRIBUTION_KEYS = `
MATCH (a:Attribution)
RETURN a.eventId AS eventId, collect(DISTINCT a.inputKey) AS inputKeys, collect(DISTINCT a.contentKey) AS contentKeys`;

// Outlook records sit beside the exposure on the SKU: the JSON, and what the list filters and sorts on.
const WRITE_OUTLOOKS = `
UNWIND $rows AS row
MATCH (k:Sku {id: row.skuId})
SET k.outlookRevenueAtRisk = row.revenueAtRisk, k.outlookEventIds = row.eventIds, k.outlookJson = row.json`;

const CLEAR_OUTLOOKS = `
UNWIND $skuIds AS id
MATCH (k:Sku {id: id})
REMOVE k.outlookRevenueAtRisk, k.outlookEventIds, k.outlookJson`;

const STORED_OUTLOOKS = `MATCH (k:Sku) WHERE k.outlookJson IS NOT NULL RETURN k.id AS id, k.outlookJson AS json`;

/** The forecast basis of each event behind a SKU's outlook that records one (DESIGN §10: the why of an anticipation). */
const OUTLOOK_FORECASTS = `
CALL (k) {
  UNWIND coalesce(k.outlookEventIds, []) AS id
  MATCH (e:Event {id: id}) WHERE e.forecastBasisJson IS NOT NULL
  RETURN collect({id: id, json: e.forecastBasisJson}) AS forecasts
}`;

const LIST_OUTLOOKS = `
MATCH (k:Sku) WHERE k.outlookJson IS NOT NULL
  AND ($category IS NULL OR k.category = $category)
  AND ($minRevenue IS NULL OR k.outlookRevenueAtRisk >= $minRevenue)
  AND ($eventId IS NULL OR $eventId IN k.outlookEventIds)
  AND ($after IS NULL OR k.outlookRevenueAtRisk < $after.r OR (k.outlookRevenueAtRisk = $after.r AND k.id > $after.id))
WITH k ORDER BY k.outlookRevenueAtRisk DESC, k.id ASC LIMIT $limit
${OUTLOOK_FORECASTS}
RETURN k.id AS skuId, k.exposureJson AS observed, k.outlookJson AS outlook, k.category AS category, k.name AS name, forecasts`;

const ONE_OUTLOOK = `
MATCH (k:Sku {id: $id})
${OUTLOOK_FORECASTS}
RETURN k.id AS skuId, k.exposureJson AS observed, k.outlookJson AS outlook, k.category AS category, k.name AS name, forecasts`;

/** Who wrote the stored exposures last: a run that wrote them itself may trust what it remembers. */
const READ_STAMP = `OPTIONAL MATCH (m:ExposureMeta {id: 'exposures'}) RETURN m.stamp AS stamp`;
/** Taken first in every write: the node's write lock serialises writers, and the stamp it replaces says who wrote before. */
const SWAP_STAMP = `
MERGE (m:ExposureMeta {id: 'exposures'})
WITH m, m.stamp AS previous
SET m.stamp = $stamp, m.writtenAt = datetime()
RETURN previous`;

/** Another writer's stamp where the run expected its own: what it remembered is out of date. */
export class ExposuresChangedError extends Error {
  constructor() {
    super('the stored exposures were written by another run since this one read them');
    this.name = 'ExposuresChangedError';
  }
}

const EXPOSED_IDS = `MATCH (k:Sku) WHERE k.exposureJson IS NOT NULL RETURN k.id AS id, k.exposureJson AS json`;

const LIST_WHERE = `k.exposureJson IS NOT NULL
  AND ($category IS NULL OR k.category = $category)
  AND ($minRevenue IS NULL OR k.revenueAtRisk >= $minRevenue)
  AND ($after IS NULL OR k.revenueAtRisk < $after.r OR (k.revenueAtRisk = $after.r AND k.id > $after.id))`;

const LIST_RETURN = `
RETURN k.exposureJson AS json, k.category AS category, k.name AS name
ORDER BY k.revenueAtRisk DESC, k.id ASC
LIMIT $limit`;

const LIST = `
MATCH (k:Sku) WHERE ${LIST_WHERE}${LIST_RETURN}`;

/** Only the SKUs the event reaches alone: its attribution records name them. */
const LIST_BY_EVENT = `
MATCH (a:Attribution {eventId: $eventId})
UNWIND a.skuIds AS id
MATCH (k:Sku {id: id}) WHERE ${LIST_WHERE}${LIST_RETURN}`;

/** The SKU's entry in each event's record of its bucket, largest revenue at risk first; records of deleted events are left out. */
const ONE = `
MATCH (k:Sku {id: $id})
${OUTLOOK_FORECASTS}
CALL (k) {
  MATCH (a:Attribution {bucket: $bucket})
  WITH a, [i IN range(0, size(a.skuIds) - 1) WHERE a.skuIds[i] = k.id] AS at
  WHERE size(at) > 0
  MATCH (e:Event {id: a.eventId})
  WITH a, e, at[0] AS i
  ORDER BY a.revenueAtRisk[i] DESC, e.id
  RETURN collect({eventId: e.id, title: e.title, x: a.x[i], days: a.days[i], onsetDays: a.onsetDays[i], revenueAtRisk: a.revenueAtRisk[i]}) AS attribution
}
RETURN k.exposureJson AS json, k.outlookJson AS outlook, k.name AS name, k.category AS category, forecasts, attribution`;

@Injectable()
export class ExposureRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  /** The stored exposures keyed by SKU id (what the last run wrote). */
  async storedById(): Promise<Map<string, Exposure>> {
    const res = await this.neo4j.query(EXPOSED_IDS);
    return new Map(res.records.map((r) => [r.get('id') as string, JSON.parse(r.get('json') as string) as Exposure]));
  }

  /** The stored outlook records keyed by SKU id (what the last run wrote). */
  async storedOutlooks(): Promise<Map<string, ExposureOutlook>> {
    const res = await this.neo4j.query(STORED_OUTLOOKS);
    return new Map(res.records.map((r) => [r.get('id') as string, JSON.parse(r.get('json') as string) as ExposureOutlook]));
  }

  /** The stamp of the last run that wrote exposures (null before the first). */
  async stamp(): Promise<string | null> {
    const res = await this.neo4j.query(READ_STAMP);
    return (res.records[0]?.get('stamp') as string | null) ?? null;
  }

  /** The keys of every event's stored attribution; an event with several (a write cut short by an older version) is to be written again. */
  async storedAttributionKeys(): Promise<Map<string, StoredAttributionKeys | null>> {
    const res = await this.neo4j.query(ATTRIBUTION_KEYS);
    return new Map(
      res.records.map((r) => {
        const inputKeys = r.get('inputKeys') as string[];
        const contentKeys = r.get('contentKeys') as string[];
        const one = inputKeys.length === 1 && contentKeys.length === 1;
        return [r.get('eventId') as string, one ? { inputKey: inputKeys[0], contentKey: contentKeys[0] } : null];
      }),
    );
  }

  /**
   * Writes one run's outcome in one transaction, stamped: changed exposures,
   * resolved ones cleared, attribution records removed, replaced and
   * re-keyed as `attribution` says, and outlook records set and cleared
   * as `outlooks` says. Unchanged SKUs and events are not touched.
   * With `expectStamp` (null: no write yet), the write is refused
   * (ExposuresChangedError, nothing written) unless the stamp is still that one.
   */
  async apply(
    changed: Exposure[],
    resolvedSkuIds: string[],
    attribution: AttributionWrite,
    stamp: string,
    expectStamp?: string | null,
    outlooks: OutlookWrite = { set: [], clear: [] },
  ): Promise<ApplyCounts> {
    return this.neo4j.write(async (tx) => {
      const swapped = await tx.run(SWAP_STAMP, { stamp });
      if (expectStamp !== undefined && (swapped.records[0].get('previous') ?? null) !== expectStamp) throw new ExposuresChangedError();
      let deleted = 0;
      let created = 0;
      let rekeyed = 0;
      for (const skuIds of chunks(resolvedSkuIds, IDS_PER_STATEMENT)) await tx.run(CLEAR_RESOLVED, { skuIds });
      for (const part of chunks(changed, EXPOSURES_PER_STATEMENT)) {
        // The JSON carries the explanation; only the numbers the queries filter and sort on go as properties.
        const rows = part.map((e) => ({
          skuId: e.skuId,
          x: e.x,
          days: e.days,
          onsetDays: e.onsetDays,
          revenueAtRisk: e.revenueAtRisk,
          json: JSON.stringify(e),
        }));
        await tx.run(WRITE_EXPOSURES, { rows });
      }
      const removed = [...new Set([...attribution.remove, ...attribution.write.map((r) => r.eventId)])];
      for (const ids of chunks(removed, IDS_PER_STATEMENT)) deleted += (await tx.run(REMOVE_ATTRIBUTION, { ids })).summary.counters.updates().nodesDeleted;
      for (const rows of attributionStatements(attribution.write)) {
        await tx.run(CREATE_ATTRIBUTION, { rows });
        created += rows.length;
      }
      for (const rows of chunks(attribution.rekey, IDS_PER_STATEMENT)) {
        rekeyed += (await tx.run(REKEY_ATTRIBUTION, { rows })).summary.counters.updates().propertiesSet;
      }
      for (const skuIds of chunks(outlooks.clear, IDS_PER_STATEMENT)) await tx.run(CLEAR_OUTLOOKS, { skuIds });
      for (const part of chunks(outlooks.set, EXPOSURES_PER_STATEMENT)) {
        const outlookRows = part.map((o) => ({
          skuId: o.skuId,
          revenueAtRisk: o.revenueAtRisk,
          eventIds: o.events.map((e) => e.eventId),
          json: JSON.stringify(o),
        }));
        await tx.run(WRITE_OUTLOOKS, { rows: outlookRows });
      }
      const rows = changed.length + resolvedSkuIds.length + deleted + created + rekeyed + outlooks.set.length + outlooks.clear.length;
      return { rows, attributionRecords: created, attributionRecordsDeleted: deleted };
    });
  }

  async list(limit: number, cursor: string | undefined, filter: ExposureFilter) {
    const after = decodeExposureCursor(cursor);
    const res = await this.neo4j.read((tx) =>
      tx.run(filter.eventId === undefined ? LIST : LIST_BY_EVENT, {
        category: filter.category ?? null,
        eventId: filter.eventId ?? null,
        minRevenue: filter.minRevenueAtRisk ?? null,
        after,
        limit: neo4j.int(limit + 1),
      }),
    );
    const rows = res.records.map((r) => ({
      ...(JSON.parse(r.get('json') as string) as Exposure),
      name: r.get('name') as string,
      category: r.get('category') as string | null,
    }));
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit ? encodeExposureCursor(last.revenueAtRisk, last.skuId) : null };
  }

  /** SKUs with an outlook record, by outlook revenue at risk, each with its observed exposure (null when it has none). */
  async listOutlooks(limit: number, cursor: string | undefined, filter: ExposureFilter): Promise<{ items: SkuOutlook[]; nextCursor: string | null }> {
    const after = decodeExposureCursor(cursor);
    const res = await this.neo4j.read((tx) =>
      tx.run(LIST_OUTLOOKS, {
        category: filter.category ?? null,
        eventId: filter.eventId ?? null,
        minRevenue: filter.minRevenueAtRisk ?? null,
        after,
        limit: neo4j.int(limit + 1),
      }),
    );
    const rows = res.records.map(toSkuOutlook);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit ? encodeExposureCursor(last.outlook.revenueAtRisk, last.skuId) : null };
  }

  /** One SKU's outlook record with its observed exposure (null when none); NotFound when the SKU does not exist or has no outlook. */
  async outlookOf(skuId: string): Promise<SkuOutlook> {
    const res = await this.neo4j.read((tx) => tx.run(ONE_OUTLOOK, { id: skuId }));
    if (res.records.length === 0) throw new GraphError(GraphErrorCode.NotFound, `SKU ${skuId} does not exist`);
    if (res.records[0].get('outlook') === null)
      throw new GraphError(GraphErrorCode.NotFound, `SKU ${skuId} has no outlook: anticipated impacts do not make it worse`);
    return toSkuOutlook(res.records[0]);
  }

  async one(skuId: string) {
    const res = await this.neo4j.read((tx) => tx.run(ONE, { id: skuId, bucket: neo4j.int(attributionBucket(skuId)) }));
    if (res.records.length === 0) throw new GraphError(GraphErrorCode.NotFound, `SKU ${skuId} does not exist`);
    const r = res.records[0];
    const json = r.get('json') as string | null;
    if (!json) throw new GraphError(GraphErrorCode.NotFound, `SKU ${skuId} is not exposed`);
    return {
      ...(JSON.parse(json) as Exposure),
      name: r.get('name') as string,
      category: r.get('category') as string | null,
      attribution: r.get('attribution'),
      outlook: parseOutlook(r.get('outlook') as string | null, r.get('forecasts') as StoredForecast[]),
    };
  }
}

function toSkuOutlook(r: { get(key: string): unknown }): SkuOutlook {
  const observed = r.get('observed') as string | null;
  return {
    skuId: r.get('skuId') as string,
    name: r.get('name') as string,
    category: r.get('category') as string | null,
    observed: observed ? (JSON.parse(observed) as Exposure) : null,
    outlook: parseOutlook(r.get('outlook') as string, r.get('forecasts') as StoredForecast[])!,
  };
}

interface StoredForecast {
  id: string;
  json: string;
}

/** The stored outlook, each event beside the forecast it stands on when the event records one. */
function parseOutlook(json: string | null, forecasts: readonly StoredForecast[]): ExposureOutlook | null {
  if (!json) return null;
  const outlook = JSON.parse(json) as ExposureOutlook;
  if (forecasts.length === 0) return outlook;
  const byEvent = new Map(forecasts.map((f) => [f.id, JSON.parse(f.json) as unknown]));
  return { ...outlook, events: outlook.events.map((e) => (byEvent.has(e.eventId) ? { ...e, forecast: byEvent.get(e.eventId) } : e)) };
}

/** One stored record: an event's attribution for the SKUs of one bucket. */
type AttributionRow = EventAttributionRecord & { id: string; bucket: number };

/** The records' rows, one per (event, bucket) holding at least one SKU, gathered into statements of about ATTRIBUTION_ENTRIES_PER_STATEMENT entries. */
function* attributionStatements(records: readonly EventAttributionRecord[]): Generator<AttributionRow[]> {
  let batch: AttributionRow[] = [];
  let entries = 0;
  for (const record of records) {
    const rows = new Map<number, AttributionRow>();
    for (let i = 0; i < record.skuIds.length; i++) {
      const bucket = attributionBucket(record.skuIds[i]);
      let row = rows.get(bucket);
      if (!row) {
        const { eventId, inputKey, contentKey } = record;
        row = { id: `${eventId}#${bucket}`, eventId, bucket, inputKey, contentKey, skuIds: [], x: [], days: [], onsetDays: [], revenueAtRisk: [] };
        rows.set(bucket, row);
      }
      row.skuIds.push(record.skuIds[i]);
      row.x.push(record.x[i]);
      row.days.push(record.days[i]);
      row.onsetDays.push(record.onsetDays[i]);
      row.revenueAtRisk.push(record.revenueAtRisk[i]);
    }
    for (const row of rows.values()) {
      batch.push(row);
      entries += row.skuIds.length;
      if (entries >= ATTRIBUTION_ENTRIES_PER_STATEMENT) {
        yield batch;
        batch = [];
        entries = 0;
      }
    }
  }
  if (batch.length) yield batch;
}

function encodeExposureCursor(revenueAtRisk: number, skuId: string): string {
  return Buffer.from(JSON.stringify([revenueAtRisk, skuId]), 'utf8').toString('base64url');
}

function decodeExposureCursor(cursor: string | undefined): { r: number; id: string } | null {
  if (!cursor) return null;
  try {
    const [r, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof r === 'number' && typeof id === 'string') return { r, id };
  } catch {
    // fall through
  }
  throw new InvalidCursorError();
}
