import { Injectable } from '@nestjs/common';
import neo4j, { type ManagedTransaction, type QueryResult } from 'neo4j-driver';
import type { AnticipatedEventHit, DisruptionEvent, EventForecast, EventGeometry, EventHit } from '@tiersight/contracts';
import {
  candidateBoxes,
  containsLocation,
  DEFAULT_FORECAST_P,
  forecastAnticipation,
  forecastBoxes,
  type ForecastPOptions,
  parseEventForecast,
} from '@tiersight/geo-engine';
import { GraphError, GraphErrorCode } from '../graph.errors';
import { Neo4jService } from '../neo4j.service';
import { decodeCursor, Page, toPage } from '../read/pagination';
import { createHash } from 'node:crypto';
import type { ActiveImpact, AnticipatedImpact, EventView } from './event.types';

/**
 * The why of an advisory's anticipated hits as outlooks and alerts carry it
 * (`forecastBasisJson`, beside the sensor forecasts' own): which advisory,
 * issued when, from where, and the times it forecasts. Each hit adds its own
 * lead time and basis (`GET /v1/events/:id`).
 */
function advisoryBasis(event: StoredEvent) {
  const f = event.forecast!;
  return {
    kind: 'advisory',
    title: event.title,
    source: event.source,
    sourceUrl: event.sourceUrl ?? null,
    issuedAt: f.issuedAt,
    areasAt: f.areas.map((a) => a.at),
    cone: Boolean(f.cone),
    trackPoints: f.track.length,
  };
}

/** An event as stored: a feed may add when its issuer says it ends and where to read more. */
export type StoredEvent = DisruptionEvent & { expiresAt?: string | null; sourceUrl?: string | null };

/**
 * A digest of everything stored about an event, to tell a real update from a
 * re-pull. A forecast counts (a new advisory is a change); an event without
 * one hashes as it did before forecasts existed.
 */
export function eventContentHash(event: StoredEvent): string {
  const { id, source, type, title, severity, expectedDurationDays, geometry, country, startsAt } = event;
  const stored = [id, source, type, title, severity, expectedDurationDays, geometry, country, startsAt, event.expiresAt ?? null, event.sourceUrl ?? null];
  const content = event.forecast ? [...stored, event.forecast] : stored;
  return createHash('sha256').update(JSON.stringify(content)).digest('base64url');
}

// Candidates from the point index (one box, or two across the antimeridian); the exact test runs in code.
const CANDIDATE_SITES = `
UNWIND $boxes AS box
MATCH (s:Site)
WHERE point.withinBBox(s.location, point({latitude: box.south, longitude: box.west}), point({latitude: box.north, longitude: box.east}))
RETURN DISTINCT s.id AS id, s.location.latitude AS lat, s.location.longitude AS lon`;

const COUNTRY_SITES = `
MATCH (s:Site) WHERE s.country IN $countries
RETURN s.id AS id`;

// Writes the event only when its content changed (or it was closed): re-pulling a feed is a no-op.
const SAVE_EVENT = `
MERGE (e:Event {id: $event.id})
ON CREATE SET e.createdAt = datetime()
WITH e, (e.contentHash IS NULL OR e.contentHash <> $hash OR e.status <> 'active') AS changed
CALL (e, changed) {
  WITH e WHERE changed
  SET e.source = $event.source, e.type = $event.type, e.title = $event.title, e.severity = $event.severity,
      e.expectedDurationDays = $event.expectedDurationDays, e.geometryJson = $geometryJson, e.radiusKm = $radiusKm,
      e.country = $event.country, e.startsAt = datetime($event.startsAt),
      e.expiresAt = CASE WHEN $event.expiresAt IS NULL THEN null ELSE datetime($event.expiresAt) END,
      e.sourceUrl = $event.sourceUrl, e.forecastJson = $forecastJson, e.forecastBasisJson = $forecastBasisJson, e.contentHash = $hash,
      e.status = 'active', e.closedAt = null, e.closedReason = null, e.updatedAt = datetime()
}
CALL (e, changed) {
  // An update of the event asks its suppliers again: answered surveys are potential until answered anew.
  WITH e WHERE changed
  MATCH (sv:Survey {eventId: e.id}) WHERE sv.state <> 'potential'
  SET sv.previousState = sv.state
  SET sv.state = 'potential', sv.capacityLoss = null, sv.recoveryDays = null, sv.reopenedAt = datetime()
}
CALL db.info() YIELD id AS databaseId
RETURN changed, databaseId`;

// Replaces the geo-matched hits of an active event (a closed one keeps none).
const WRITE_HITS = `
MATCH (e:Event {id: $id})
OPTIONAL MATCH (e)-[old:HITS {source: 'geo'}]->(s:Site) WHERE NOT s.id IN [h IN $hits | h.siteId]
DELETE old
WITH DISTINCT e
UNWIND $hits AS hit
MATCH (s:Site {id: hit.siteId})
MERGE (e)-[h:HITS {source: 'geo'}]->(s)
ON CREATE SET h.askedAt = datetime()
SET h.intensity = hit.x, h.durationDays = hit.days`;

// Replaces the forecast's anticipated hits (DESIGN §10): the next advisory replaces the last; a closed event keeps none.
const WRITE_FORECAST_HITS = `
MATCH (e:Event {id: $id})
OPTIONAL MATCH (e)-[old:HITS {source: 'forecast'}]->(s:Site) WHERE NOT s.id IN [h IN $hits | h.siteId]
DELETE old
WITH DISTINCT e
UNWIND $hits AS hit
MATCH (s:Site {id: hit.siteId})
MERGE (e)-[h:HITS {source: 'forecast'}]->(s)
SET h.anticipated = true, h.p = hit.p, h.intensity = hit.x, h.durationDays = hit.days, h.leadHours = hit.leadHours,
    h.basis = hit.basis, h.basisAt = hit.basisAt, h.issuedAt = hit.issuedAt`;

const STORED_EVENT = `
MATCH (e:Event {id: $id})
RETURN e.status AS status, e.geometryJson AS geometryJson, e.radiusKm AS radiusKm, e.severity AS severity,
       e.expectedDurationDays AS days, e.forecastJson AS forecastJson`;

const ACTIVE_IDS_OF_SOURCE = `
MATCH (e:Event {status: 'active'}) WHERE e.source = $source
RETURN e.id AS id`;

const EXPIRED_EVENTS = `
MATCH (e:Event {status: 'active'}) WHERE e.expiresAt IS NOT NULL AND e.expiresAt <= datetime($now)
SET e.status = 'closed', e.updatedAt = datetime(), e.closedAt = datetime(), e.closedReason = 'expired'
RETURN e.id AS id`;

const CLOSE_EVENT = `
MATCH (e:Event {id: $id})
WITH e, e.status = 'active' AS wasActive
SET e.status = 'closed', e.updatedAt = CASE WHEN wasActive THEN datetime() ELSE e.updatedAt END,
    e.closedAt = coalesce(e.closedAt, datetime()), e.closedReason = coalesce(e.closedReason, $reason)
RETURN e.id AS id, wasActive`;

const EVENT_FIELDS = `e { .id, .source, .type, .title, .severity, .expectedDurationDays, .geometryJson, .radiusKm, .country, .status,
  .sourceUrl, .closedReason, .forecastJson, startsAt: toString(e.startsAt), updatedAt: toString(e.updatedAt), expiresAt: toString(e.expiresAt),
  closedAt: toString(e.closedAt) }`;

// The observed hits, and apart from them the anticipated ones with their p and why (collect skips the CASE's nulls).
const EVENT_HITS = `
OPTIONAL MATCH (e)-[h:HITS]->(s:Site)
WITH e, h, s ORDER BY s.id
WITH e,
     collect(CASE WHEN s IS NOT NULL AND coalesce(h.anticipated, false) = false THEN {siteId: s.id, x: h.intensity, days: h.durationDays} END) AS hits,
     collect(CASE WHEN s IS NOT NULL AND h.anticipated = true THEN {siteId: s.id, x: h.intensity, days: h.durationDays, p: h.p, source: h.source,
       leadHours: h.leadHours, basis: h.basis, basisAt: h.basisAt, issuedAt: h.issuedAt} END) AS anticipatedHits
RETURN ${EVENT_FIELDS} AS event, hits, anticipatedHits`;

const GET_EVENT = `
MATCH (e:Event {id: $id})
${EVENT_HITS}`;

const LIST_EVENTS = `
MATCH (e:Event) WHERE ($status IS NULL OR e.status = $status) AND ($source IS NULL OR e.source = $source) AND ($after IS NULL OR e.id > $after)
WITH e ORDER BY e.id LIMIT $limit
${EVENT_HITS}
ORDER BY event.id`;

// A supplier's survey answer for (event, site) replaces the geo estimate (DESIGN §3.1): confirmed by its
// (capacityLoss, recoveryDays), no-impact and restored by (0, 0); potential leaves the estimate (libs/portal).
const ACTIVE_IMPACTS = `
MATCH (e:Event {status: 'active'}) WHERE $ids IS NULL OR e.id IN $ids
MATCH (e)-[h:HITS]->(s:Site) WHERE h.anticipated IS NULL OR h.anticipated = false
OPTIONAL MATCH (sv:Survey {eventId: e.id, siteId: s.id}) WHERE h.source = 'geo' AND sv.state <> 'potential'
WITH e, s, h, sv
WITH e.id AS eventId, s.id AS siteId,
     CASE WHEN sv IS NULL THEN h.intensity WHEN sv.state = 'confirmed' THEN sv.capacityLoss ELSE 0.0 END AS x,
     CASE WHEN sv IS NULL THEN h.durationDays WHEN sv.state = 'confirmed' THEN sv.recoveryDays ELSE 0.0 END AS days,
     e.type AS eventType, CASE WHEN sv IS NOT NULL THEN 'survey' WHEN h.source = 'sensor' THEN 'sensor' ELSE 'estimate' END AS source
WHERE x > 0
RETURN eventId, siteId, x, days, eventType, source`;

// Impacts that may come (DESIGN §10): HITS marked anticipated, with their probability.
const ANTICIPATED_IMPACTS = `
MATCH (e:Event)-[h:HITS]->(s:Site)
WHERE h.anticipated = true AND e.status = 'active' AND h.intensity > 0 AND h.durationDays >= 0 AND h.p > 0 AND h.p < 1
RETURN e.id AS eventId, s.id AS siteId, h.intensity AS x, h.durationDays AS days, h.p AS p, e.type AS eventType, h.source AS source`;

@Injectable()
export class EventRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  /** See Neo4jService.databaseId. */
  databaseId(): Promise<string> {
    return this.neo4j.databaseId();
  }

  /** A write transaction for the `…In(tx)` methods, so that a caller's own writes (an audit entry) commit with them. */
  write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    return this.neo4j.write(work);
  }

  /** The sites inside the area: index candidates, then the exact great-circle or polygon test; a Country area by site country. */
  sitesInside(geometry: EventGeometry): Promise<string[]> {
    return this.sitesInsideWith((query, params) => this.neo4j.query(query, params), geometry);
  }

  private async sitesInsideWith(run: (query: string, params: Record<string, unknown>) => PromiseLike<QueryResult>, geometry: EventGeometry): Promise<string[]> {
    if (geometry.type === 'Country') {
      const res = await run(COUNTRY_SITES, { countries: geometry.countries });
      return res.records.map((r) => r.get('id') as string).sort();
    }
    const res = await run(CANDIDATE_SITES, { boxes: candidateBoxes(geometry) });
    return res.records
      .filter((r) => containsLocation(geometry, r.get('lat') as number, r.get('lon') as number))
      .map((r) => r.get('id') as string)
      .sort();
  }

  /**
   * Creates or updates the event in place and replaces its matched hits (the synchronous path of a push), in one
   * transaction; `forecast` sets how p falls with lead time for a forecast's anticipated hits (see `matchSites`).
   */
  upsert(event: StoredEvent, forecast?: ForecastPOptions): Promise<EventHit[]> {
    return this.write((tx) => this.upsertIn(tx, event, forecast));
  }

  /** `upsert` inside the caller's transaction. */
  async upsertIn(tx: ManagedTransaction, event: StoredEvent, forecast?: ForecastPOptions): Promise<EventHit[]> {
    await this.saveIn(tx, event);
    return this.matchSitesIn(tx, event.id, forecast);
  }

  /**
   * Stores the event (hits untouched). `changed` is false when the stored
   * event is active with the same content: a re-pull that needs no matching.
   * `databaseId` is the id of the database it was written to (see
   * Neo4jService.databaseId), read in the same transaction.
   */
  save(event: StoredEvent): Promise<{ changed: boolean; databaseId: string }> {
    return this.write((tx) => this.saveIn(tx, event));
  }

  private async saveIn(tx: ManagedTransaction, event: StoredEvent): Promise<{ changed: boolean; databaseId: string }> {
    const { radiusKm, ...geometry } = event.geometry as EventGeometry & { radiusKm?: number };
    const geometryJson = JSON.stringify(geometry);
    const hash = eventContentHash(event);
    const res = await tx.run(SAVE_EVENT, {
      event: { ...event, geometry: undefined, forecast: undefined, expiresAt: event.expiresAt ?? null, sourceUrl: event.sourceUrl ?? null },
      geometryJson,
      radiusKm: radiusKm ?? null,
      forecastJson: event.forecast ? JSON.stringify(event.forecast) : null,
      forecastBasisJson: event.forecast ? JSON.stringify(advisoryBasis(event)) : null,
      hash,
    });
    return { changed: res.records[0].get('changed') as boolean, databaseId: String(res.records[0].get('databaseId')) };
  }

  /**
   * Matches the stored event's area against the sites and writes its HITS
   * edges (`source: 'geo'`); with a forecast (DESIGN §10), the sites inside
   * its cone or areas but not inside the observed area get anticipated ones
   * (`source: 'forecast'`, `anticipated: true`, p by lead time per `forecast`,
   * DESIGN's 0.9 → 0.3 by default). Both sets are replaced; a closed event
   * gets none. Returns the observed hits.
   */
  matchSites(id: string, forecast?: ForecastPOptions): Promise<EventHit[]> {
    return this.write((tx) => this.matchSitesIn(tx, id, forecast));
  }

  private async matchSitesIn(tx: ManagedTransaction, id: string, options: ForecastPOptions = DEFAULT_FORECAST_P): Promise<EventHit[]> {
    const run = (query: string, params: Record<string, unknown>) => tx.run(query, params);
    const res = await tx.run(STORED_EVENT, { id });
    if (res.records.length === 0) throw new GraphError(GraphErrorCode.NotFound, `event ${id} does not exist`);
    const r = res.records[0];
    let hits: EventHit[] = [];
    let anticipated: ForecastHit[] = [];
    if (r.get('status') === 'active') {
      const radiusKm = r.get('radiusKm') as number | null;
      const geometry = { ...JSON.parse(r.get('geometryJson') as string), ...(radiusKm !== null ? { radiusKm } : {}) } as EventGeometry;
      const x = r.get('severity') as number;
      const days = r.get('days') as number;
      hits = (await this.sitesInsideWith(run, geometry)).map((siteId) => ({ siteId, x, days }));
      const forecast = storedForecast(r.get('forecastJson'));
      if (forecast) anticipated = await this.forecastHitsWith(run, forecast, new Set(hits.map((h) => h.siteId)), { x, days }, options);
    }
    await tx.run(WRITE_HITS, { id, hits });
    await tx.run(WRITE_FORECAST_HITS, { id, hits: anticipated });
    return hits;
  }

  /** The sites inside the forecast's cone or areas, outside the observed area, with their p and why. */
  private async forecastHitsWith(
    run: (query: string, params: Record<string, unknown>) => PromiseLike<QueryResult>,
    forecast: EventForecast,
    observed: ReadonlySet<string>,
    impact: { x: number; days: number },
    options: ForecastPOptions,
  ): Promise<ForecastHit[]> {
    const res = await run(CANDIDATE_SITES, { boxes: forecastBoxes(forecast) });
    const hits: ForecastHit[] = [];
    for (const record of res.records) {
      const siteId = record.get('id') as string;
      if (observed.has(siteId)) continue;
      const why = forecastAnticipation(forecast, record.get('lat') as number, record.get('lon') as number, options);
      if (why) hits.push({ siteId, ...impact, ...why, issuedAt: forecast.issuedAt });
    }
    return hits.sort((a, b) => (a.siteId < b.siteId ? -1 : a.siteId > b.siteId ? 1 : 0));
  }

  /** Closes the event; true when it was active (a repeated close changes nothing). */
  close(id: string, reason = 'closed'): Promise<boolean> {
    return this.write((tx) => this.closeIn(tx, id, reason));
  }

  /** `close` inside the caller's transaction. */
  async closeIn(tx: ManagedTransaction, id: string, reason = 'closed'): Promise<boolean> {
    const res = await tx.run(CLOSE_EVENT, { id, reason });
    if (res.records.length === 0) throw new GraphError(GraphErrorCode.NotFound, `event ${id} does not exist`);
    return res.records[0].get('wasActive') as boolean;
  }

  /** Ids of the active events a feed source created (to close those that left the feed). */
  async activeIdsOfSource(source: string): Promise<string[]> {
    const res = await this.neo4j.read((tx) => tx.run(ACTIVE_IDS_OF_SOURCE, { source }));
    return res.records.map((r) => r.get('id') as string);
  }

  /** Closes every active event whose `expiresAt` has passed; returns their ids. */
  async closeExpired(now: Date): Promise<string[]> {
    const res = await this.neo4j.write((tx) => tx.run(EXPIRED_EVENTS, { now: now.toISOString() }));
    return res.records.map((r) => r.get('id') as string);
  }

  async get(id: string): Promise<EventView> {
    const res = await this.neo4j.read((tx) => tx.run(GET_EVENT, { id }));
    if (res.records.length === 0) throw new GraphError(GraphErrorCode.NotFound, `event ${id} does not exist`);
    return toView(res.records[0]);
  }

  async list(limit: number, cursor?: string, status?: string, source?: string): Promise<Page<EventView>> {
    const res = await this.neo4j.read((tx) =>
      tx.run(LIST_EVENTS, { after: decodeCursor(cursor), limit: neo4j.int(limit + 1), status: status ?? null, source: source ?? null }),
    );
    return toPage(res.records.map(toView), limit);
  }

  /** Every direct impact of every active event (or of those among `eventIds`): the input of a propagation. */
  async activeImpacts(eventIds?: readonly string[]): Promise<ActiveImpact[]> {
    const res = await this.neo4j.read((tx) => tx.run(ACTIVE_IMPACTS, { ids: eventIds ? [...eventIds] : null }));
    return res.records.map((r) => r.toObject() as ActiveImpact);
  }

  /** Every anticipated impact of every active event (observed propagation never reads them; the outlook does). */
  async anticipatedImpacts(): Promise<AnticipatedImpact[]> {
    const res = await this.neo4j.read((tx) => tx.run(ANTICIPATED_IMPACTS));
    return res.records.map((r) => r.toObject() as AnticipatedImpact);
  }
}

/** An anticipated hit as WRITE_FORECAST_HITS takes it. */
type ForecastHit = Omit<AnticipatedEventHit, 'source' | 'leadHours' | 'basis' | 'basisAt' | 'issuedAt'> & {
  leadHours: number;
  basis: 'area' | 'track';
  basisAt: string;
  issuedAt: string;
};

/** The stored forecast, read as leniently as a feed's (a part that no longer parses is left out), or null. */
function storedForecast(json: unknown): EventForecast | null {
  if (typeof json !== 'string') return null;
  try {
    return parseEventForecast(JSON.parse(json));
  } catch {
    return null;
  }
}

function toView(r: { get(key: string): unknown }): EventView {
  const { geometryJson, forecastJson, ...event } = r.get('event') as Omit<EventView, 'hits' | 'anticipatedHits' | 'geometry' | 'forecast'> & {
    geometryJson: string;
    forecastJson: string | null;
  };
  return {
    ...event,
    geometry: JSON.parse(geometryJson),
    forecast: storedForecast(forecastJson),
    hits: r.get('hits') as EventHit[],
    anticipatedHits: r.get('anticipatedHits') as AnticipatedEventHit[],
  };
}
