import { Injectable } from '@nestjs/common';
import { chunks, type Exposure, type ExposureNumbers, type ExposureOutlook } from '@tiersight/contracts';
import neo4j from 'neo4j-driver';
import { GraphError, GraphErrorCode } from '../graph.errors';
import { Neo4jService } from '../neo4j.service';
import { InvalidCursorError } from '../read/pagination';

/** One SKU's exposure to one event alone (DESIGN §3.3 attribution), stored as an EXPOSED_TO edge. */
export interface StoredAttribution extends ExposureNumbers {
  eventId: string;
}

/** Attribution edges to replace: all of `clearSkus`, all to `clearEvents`, then `rows` created. */
export interface AttributionWrite {
  clearSkus: string[];
  clearEvents: string[];
  rows: StoredAttribution[];
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

/** SKUs stop being exposed: their exposure properties and EXPOSED_TO edges go. */
// Rows per statement in a run's write, sized so one statement's parameters stay a few MB.
/** SKU ids cleared per statement (ids only: small rows). */
const IDS_PER_STATEMENT = 5000;
/** Exposures written per statement (each carries its explanation as JSON). */
const EXPOSURES_PER_STATEMENT = 2000;
/** Events whose attribution edges are cleared per statement (each may fan out to thousands of edges). */
const EVENTS_CLEARED_PER_STATEMENT = 50;
/** Attribution rows created per statement. */
const ATTRIBUTION_ROWS_PER_STATEMENT = 10_000;

const CLEAR_RESOLVED = `
UNWIND $skuIds AS id
MATCH (k:Sku {id: id})
REMOVE k.exposureX, k.exposureDays, k.exposureOnsetDays, k.revenueAtRisk, k.exposureJson, k.exposedAt
WITH k
OPTIONAL MATCH (k)-[r:EXPOSED_TO]->(:Event)
DELETE r`;

const WRITE_EXPOSURES = `
UNWIND $rows AS row
MATCH (k:Sku {id: row.skuId})
SET k.exposureX = row.x, k.exposureDays = row.days, k.exposureOnsetDays = row.onsetDays,
    k.revenueAtRisk = row.revenueAtRisk, k.exposureJson = row.json,
    k.exposedAt = coalesce(k.exposedAt, datetime())`;

const CLEAR_SKU_ATTRIBUTION = `
UNWIND $ids AS id
MATCH (k:Sku {id: id})-[old:EXPOSED_TO]->(:Event)
DELETE old`;

const CLEAR_EVENT_ATTRIBUTION = `
UNWIND $ids AS id
MATCH (:Sku)-[old:EXPOSED_TO]->(e:Event {id: id})
DELETE old`;

// Rows grouped by event: each event is looked up once, whatever the number of its SKUs.
const CREATE_ATTRIBUTION = `
UNWIND $events AS ev
MATCH (e:Event {id: ev.eventId})
UNWIND ev.rows AS a
MATCH (k:Sku {id: a.skuId})
CREATE (k)-[:EXPOSED_TO {intensity: a.x, shortageDays: a.days, onsetDays: a.onsetDays, revenueAtRisk: a.revenueAtRisk}]->(e)`;

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

const LIST = `
MATCH (k:Sku) WHERE k.exposureJson IS NOT NULL
  AND ($category IS NULL OR k.category = $category)
  AND ($minRevenue IS NULL OR k.revenueAtRisk >= $minRevenue)
  AND ($eventId IS NULL OR EXISTS { (k)-[:EXPOSED_TO]->(:Event {id: $eventId}) })
  AND ($after IS NULL OR k.revenueAtRisk < $after.r OR (k.revenueAtRisk = $after.r AND k.id > $after.id))
RETURN k.exposureJson AS json, k.category AS category, k.name AS name
ORDER BY k.revenueAtRisk DESC, k.id ASC
LIMIT $limit`;

const ONE = `
MATCH (k:Sku {id: $id})
${OUTLOOK_FORECASTS}
OPTIONAL MATCH (k)-[a:EXPOSED_TO]->(e:Event)
WITH k, forecasts, a, e ORDER BY a.revenueAtRisk DESC, e.id
RETURN k.exposureJson AS json, k.outlookJson AS outlook, k.name AS name, k.category AS category, forecasts,
       [x IN collect({eventId: e.id, title: e.title, x: a.intensity, days: a.shortageDays, onsetDays: a.onsetDays, revenueAtRisk: a.revenueAtRisk}) WHERE x.eventId IS NOT NULL] AS attribution`;

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

  /**
   * Writes one run's outcome in one transaction, stamped: changed exposures,
   * resolved ones cleared (with their attribution edges), attribution
   * edges replaced as `attribution` says, and outlook records set and cleared
   * as `outlooks` says. Unchanged SKUs are not touched.
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
  ): Promise<void> {
    await this.neo4j.write(async (tx) => {
      const swapped = await tx.run(SWAP_STAMP, { stamp });
      if (expectStamp !== undefined && (swapped.records[0].get('previous') ?? null) !== expectStamp) throw new ExposuresChangedError();
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
      const { clearSkus, clearEvents, rows } = attribution;
      for (const ids of chunks(clearSkus, IDS_PER_STATEMENT)) await tx.run(CLEAR_SKU_ATTRIBUTION, { ids });
      for (const ids of chunks(clearEvents, EVENTS_CLEARED_PER_STATEMENT)) await tx.run(CLEAR_EVENT_ATTRIBUTION, { ids });
      for (const part of chunks(rows, ATTRIBUTION_ROWS_PER_STATEMENT)) await tx.run(CREATE_ATTRIBUTION, { events: byEvent(part) });
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
    });
  }

  async list(limit: number, cursor: string | undefined, filter: ExposureFilter) {
    const after = decodeExposureCursor(cursor);
    const res = await this.neo4j.read((tx) =>
      tx.run(LIST, {
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
    const res = await this.neo4j.read((tx) => tx.run(ONE, { id: skuId }));
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

function byEvent(rows: StoredAttribution[]): Array<{ eventId: string; rows: Array<Omit<StoredAttribution, 'eventId'>> }> {
  const out = new Map<string, Array<Omit<StoredAttribution, 'eventId'>>>();
  for (const { eventId, ...row } of rows) {
    const list = out.get(eventId);
    if (list) list.push(row);
    else out.set(eventId, [row]);
  }
  return [...out].map(([eventId, list]) => ({ eventId, rows: list }));
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
