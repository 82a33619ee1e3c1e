import { Injectable } from '@nestjs/common';
import { Neo4jService } from '@tiersight/graph';
import type { ImpactState } from './rule-engine';

/** One (sensor, rule) impact as the graph should hold it. */
export interface SensorImpact extends ImpactState {
  sensorId: string;
  siteId: string;
  metric: string;
}

/** Deterministic: one event per (sensor, rule), reopened by a later episode. */
export const sensorEventId = (sensorId: string, ruleId: string) => `sensor:${sensorId}:${ruleId}`;

/**
 * Writes the impact as an Event (source 'telemetry', type 'sensor') with one
 * HITS {source: 'sensor'} edge to the sensor's site. `rev` orders the writes:
 * a write older than the stored one changes nothing, so retried or
 * out-of-order jobs cannot bring back an outdated state.
 */
const RECONCILE = `
UNWIND $items AS it
MERGE (e:Event {id: it.id})
ON CREATE SET e.createdAt = datetime(), e.rev = -1
WITH e, it WHERE coalesce(e.rev, -1) <= it.rev
WITH e, it, (e.status IS NULL OR e.status <> it.status OR e.rev <> it.rev) AS changed
OPTIONAL MATCH (site:Site {id: it.siteId})
SET e.source = 'telemetry', e.type = 'sensor', e.title = it.title, e.severity = it.x, e.expectedDurationDays = it.days,
    e.geometryJson = CASE WHEN site IS NULL THEN null
      ELSE '{"type":"Point","coordinates":[' + toString(site.location.longitude) + ',' + toString(site.location.latitude) + ']}' END,
    e.radiusKm = null, e.country = site.country, e.sensorId = it.sensorId, e.ruleId = it.ruleId,
    e.startsAt = datetime({epochMillis: toInteger(it.raisedAtMs)}), e.status = it.status,
    e.closedAt = CASE WHEN it.status = 'closed' THEN datetime({epochMillis: toInteger(it.clearedAtMs)}) ELSE null END,
    e.closedReason = CASE WHEN it.status = 'closed' THEN 'condition ended' ELSE null END,
    e.updatedAt = CASE WHEN changed OR e.updatedAt IS NULL THEN datetime() ELSE e.updatedAt END, e.rev = it.rev
WITH e, it, site, changed
CALL (e, it) {
  MATCH (e)-[old:HITS {source: 'sensor'}]->(other:Site) WHERE other.id <> it.siteId
  DELETE old
}
CALL (e, it, site) {
  WITH e, it, site WHERE site IS NOT NULL
  MERGE (e)-[h:HITS {source: 'sensor'}]->(site)
  SET h.intensity = it.x, h.durationDays = it.days
}
RETURN sum(CASE WHEN changed THEN 1 ELSE 0 END) AS changed`;

@Injectable()
export class SensorImpactRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  /** Brings the graph in line with the given impacts; returns how many events changed status or episode. */
  async reconcile(impacts: SensorImpact[]): Promise<number> {
    if (impacts.length === 0) return 0;
    const items = impacts.map((i) => ({
      id: sensorEventId(i.sensorId, i.ruleId),
      sensorId: i.sensorId,
      ruleId: i.ruleId,
      siteId: i.siteId,
      title: `Sensor ${i.sensorId}: ${i.metric} rule ${i.ruleId}`,
      status: i.status,
      x: i.x,
      days: i.days,
      rev: i.rev,
      raisedAtMs: Math.round(i.raisedAt * 1000),
      clearedAtMs: i.clearedAt === null ? null : Math.round(i.clearedAt * 1000),
    }));
    const res = await this.neo4j.write((tx) => tx.run(RECONCILE, { items }));
    return Number(res.records[0]?.get('changed') ?? 0);
  }
}
