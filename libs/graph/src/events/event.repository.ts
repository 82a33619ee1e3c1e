import { Injectable } from '@nestjs/common';
import neo4j, { type ManagedTransaction, type QueryResult } from 'neo4j-driver';
import type { DisruptionEvent, EventGeometry, EventHit } from '@tiersight/contracts';
import { candidateBoxes, containsLocation } from '@tiersight/geo-engine';
import { GraphError, GraphErrorCode } from '../graph.errors';
import { Neo4jService } from '../neo4j.service';
import { decodeCursor, Page, toPage } from '../read/pagination';
import { createHash } from 'node:crypto';
import type { ActiveImpact, AnticipatedImpact, EventView } from './event.types';

/** An event as stored: a feed may add when its issuer says it ends and where to read more. */
export type StoredEvent = DisruptionEvent & { expiresAt?: string | null; sourceUrl?: string | null };

/** A digest of everything stored about an event, to tell a real update from a re-pull. */
export function eventContentHash(event: StoredEvent): string {
  const { id, source, type, title, severity, expectedDurationDays, geometry, country, startsAt } = event;
  const content = [id, source, type, title, severity, expectedDurationDays, geometry, country, startsAt, event.expiresAt ?? null, event.sourceUrl ?? null];
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
      e.sourceUrl = $event.sourceUrl, e.contentHash = $hash,
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

const STORED_EVENT = `
MATCH (e:Event {id: $id})
RETURN e.status AS status, e.geometryJson AS geometryJson, e.radiusKm AS radiusKm, e.severity AS severity,
       e.expectedDurationDays AS days`;

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
  .sourceUrl, .closedReason, startsAt: toString(e.startsAt), updatedAt: toString(e.updatedAt), expiresAt: toString(e.expiresAt),
  closedAt: toString(e.closedAt) }`;

const GET_EVENT = `
MATCH (e:Event {id: $id})
OPTIONAL MATCH (e)-[h:HITS]->(s:Site)
WITH e, h, s ORDER BY s.id
RETURN ${EVENT_FIELDS} AS event, [x IN collect({siteId: s.id, x: h.intensity, days: h.durationDays}) WHERE x.siteId IS NOT NULL] AS hits`;

const LIST_EVENTS = `
MATCH (e:Event) WHERE ($status IS NULL OR e.status = $status) AND ($source IS NULL OR e.source = $source) AND ($after IS NULL OR e.id > $after)
WITH e ORDER BY e.id LIMIT $limit
OPTIONAL MATCH (e)-[h:HITS]->(s:Site)
WITH e, h, s ORDER BY s.id
RETURN ${EVENT_FIELDS} AS event, [x IN collect({siteId: s.id, x: h.intensity, days: h.durationDays}) WHERE x.siteId IS NOT NULL] AS hits`;

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
    return this.sitesInsideWith((query, params) => this.neo4j.run(query, params), geometry);
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

  /** Creates or updates the event in place and replaces its geo-matched hits (the synchronous path of a push), in one transaction. */
  upsert(event: StoredEvent): Promise<EventHit[]> {
    return this.write((tx) => this.upsertIn(tx, event));
  }

  /** `upsert` inside the caller's transaction. */
  async upsertIn(tx: ManagedTransaction, event: StoredEvent): Promise<EventHit[]> {
    await this.saveIn(tx, event);
    return this.matchSitesIn(tx, event.id);
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
      event: { ...event, geometry: undefined, expiresAt: event.expiresAt ?? null, sourceUrl: event.sourceUrl ?? null },
      geometryJson,
      radiusKm: radiusKm ?? null,
      hash,
    });
    return { changed: res.records[0].get('changed') as boolean, databaseId: String(res.records[0].get('databaseId')) };
  }

  /** Matches the stored event's area against the sites and writes its HITS edges; a closed event gets none. */
  matchSites(id: string): Promise<EventHit[]> {
    return this.write((tx) => this.matchSitesIn(tx, id));
  }

  private async matchSitesIn(tx: ManagedTransaction, id: string): Promise<EventHit[]> {
    const res = await tx.run(STORED_EVENT, { id });
    if (res.records.length === 0) throw new GraphError(GraphErrorCode.NotFound, `event ${id} does not exist`);
    const r = res.records[0];
    let hits: EventHit[] = [];
    if (r.get('status') === 'active') {
      const radiusKm = r.get('radiusKm') as number | null;
      const geometry = { ...JSON.parse(r.get('geometryJson') as string), ...(radiusKm !== null ? { radiusKm } : {}) } as EventGeometry;
      const x = r.get('severity') as number;
      const days = r.get('days') as number;
      hits = (await this.sitesInsideWith((query, params) => tx.run(query, params), geometry)).map((siteId) => ({ siteId, x, days }));
    }
    await tx.run(WRITE_HITS, { id, hits });
    return hits;
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

function toView(r: { get(key: string): unknown }): EventView {
  const { geometryJson, ...event } = r.get('event') as Omit<EventView, 'hits' | 'geometry'> & { geometryJson: string };
  return { ...event, geometry: JSON.parse(geometryJson), hits: r.get('hits') as EventHit[] };
}
