import { Injectable } from '@nestjs/common';
import neo4j from 'neo4j-driver';
import { candidateBoxes, containsLocation, EventGeometry } from '@tiersight/geo';
import { GraphError, GraphErrorCode } from '../graph.errors';
import { Neo4jService } from '../neo4j.service';
import { decodeCursor, Page, toPage } from '../read/pagination';
import { ActiveImpact, DisruptionEvent, EventHit, EventView } from './event.types';

// Candidates from the point index (one box, or two across the antimeridian); the exact test runs in code.
const CANDIDATE_SITES = `
UNWIND $boxes AS box
MATCH (s:Site)
WHERE point.withinBBox(s.location, point({latitude: box.south, longitude: box.west}), point({latitude: box.north, longitude: box.east}))
RETURN DISTINCT s.id AS id, s.location.latitude AS lat, s.location.longitude AS lon`;

const UPSERT_EVENT = `
MERGE (e:Event {id: $event.id})
ON CREATE SET e.createdAt = datetime()
SET e.source = $event.source, e.type = $event.type, e.title = $event.title, e.severity = $event.severity,
    e.expectedDurationDays = $event.expectedDurationDays, e.geometryJson = $geometryJson, e.radiusKm = $radiusKm,
    e.country = $event.country, e.startsAt = datetime($event.startsAt), e.status = 'active', e.updatedAt = datetime()
WITH e
OPTIONAL MATCH (e)-[old:HITS {source: 'geo'}]->(s:Site) WHERE NOT s.id IN [h IN $hits | h.siteId]
DELETE old
WITH DISTINCT e
UNWIND $hits AS hit
MATCH (s:Site {id: hit.siteId})
MERGE (e)-[h:HITS {source: 'geo'}]->(s)
SET h.intensity = hit.x, h.durationDays = hit.days`;

const CLOSE_EVENT = `
MATCH (e:Event {id: $id})
SET e.status = 'closed', e.updatedAt = datetime(), e.closedAt = coalesce(e.closedAt, datetime())
RETURN e.id AS id`;

const EVENT_FIELDS = `e { .id, .source, .type, .title, .severity, .expectedDurationDays, .geometryJson, .radiusKm, .country, .status,
  startsAt: toString(e.startsAt), updatedAt: toString(e.updatedAt) }`;

const GET_EVENT = `
MATCH (e:Event {id: $id})
OPTIONAL MATCH (e)-[h:HITS]->(s:Site)
WITH e, h, s ORDER BY s.id
RETURN ${EVENT_FIELDS} AS event, [x IN collect({siteId: s.id, x: h.intensity, days: h.durationDays}) WHERE x.siteId IS NOT NULL] AS hits`;

const LIST_EVENTS = `
MATCH (e:Event) WHERE ($status IS NULL OR e.status = $status) AND ($after IS NULL OR e.id > $after)
WITH e ORDER BY e.id LIMIT $limit
OPTIONAL MATCH (e)-[h:HITS]->(s:Site)
WITH e, h, s ORDER BY s.id
RETURN ${EVENT_FIELDS} AS event, [x IN collect({siteId: s.id, x: h.intensity, days: h.durationDays}) WHERE x.siteId IS NOT NULL] AS hits`;

const ACTIVE_IMPACTS = `
MATCH (e:Event {status: 'active'})-[h:HITS]->(s:Site)
WHERE h.intensity > 0
RETURN e.id AS eventId, s.id AS siteId, h.intensity AS x, h.durationDays AS days`;

@Injectable()
export class EventRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  /** The sites inside the area: index candidates, then the exact great-circle or polygon test. */
  async sitesInside(geometry: EventGeometry): Promise<string[]> {
    const res = await this.neo4j.run(CANDIDATE_SITES, { boxes: candidateBoxes(geometry) });
    return res.records
      .filter((r) => containsLocation(geometry, r.get('lat') as number, r.get('lon') as number))
      .map((r) => r.get('id') as string)
      .sort();
  }

  /** Creates or updates the event in place and replaces its geo-matched hits, in one transaction. */
  async upsert(event: DisruptionEvent): Promise<EventHit[]> {
    const inside = await this.sitesInside(event.geometry);
    const hits = inside.map((siteId) => ({ siteId, x: event.severity, days: event.expectedDurationDays }));
    const { radiusKm, ...geometry } = event.geometry as EventGeometry & { radiusKm?: number };
    await this.neo4j.write((tx) =>
      tx.run(UPSERT_EVENT, { event: { ...event, geometry: undefined }, geometryJson: JSON.stringify(geometry), radiusKm: radiusKm ?? null, hits }),
    );
    return hits;
  }

  async close(id: string): Promise<void> {
    const res = await this.neo4j.write((tx) => tx.run(CLOSE_EVENT, { id }));
    if (res.records.length === 0) throw new GraphError(GraphErrorCode.NotFound, `event ${id} does not exist`);
  }

  async get(id: string): Promise<EventView> {
    const res = await this.neo4j.read((tx) => tx.run(GET_EVENT, { id }));
    if (res.records.length === 0) throw new GraphError(GraphErrorCode.NotFound, `event ${id} does not exist`);
    return toView(res.records[0]);
  }

  async list(limit: number, cursor?: string, status?: string): Promise<Page<EventView>> {
    const res = await this.neo4j.read((tx) =>
      tx.run(LIST_EVENTS, { after: decodeCursor(cursor), limit: neo4j.int(limit + 1), status: status ?? null }),
    );
    return toPage(res.records.map(toView), limit);
  }

  /** Every direct impact of every active event: the input of a full propagation. */
  async activeImpacts(): Promise<ActiveImpact[]> {
    const res = await this.neo4j.read((tx) => tx.run(ACTIVE_IMPACTS));
    return res.records.map((r) => r.toObject() as ActiveImpact);
  }
}

function toView(r: { get(key: string): unknown }): EventView {
  const { geometryJson, ...event } = r.get('event') as Record<string, unknown> & { geometryJson: string };
  return { ...(event as unknown as Omit<EventView, 'hits' | 'geometry'>), geometry: JSON.parse(geometryJson), hits: r.get('hits') as EventHit[] };
}
