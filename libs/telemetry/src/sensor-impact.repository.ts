import { Injectable } from '@nestjs/common';
import { Neo4jService } from '@tiersight/graph';
import { isoOfSeconds as iso, type ImpactState } from './rule-engine';
import type { ForecastImpact } from './sensor-forecasts';

/** One (sensor, rule) impact as the graph should hold it. */
export interface SensorImpact extends ImpactState {
  sensorId: string;
  siteId: string;
  metric: string;
}

/** Deterministic: one event per (sensor, rule), reopened by a later episode. */
export const sensorEventId = (sensorId: string, ruleId: string) => `sensor:${sensorId}:${ruleId}`;

/** The rule's forecast (DESIGN §10) is an event of its own beside the observed one: the two have their own lives and revisions. */
export const forecastEventId = (sensorId: string, ruleId: string) => `sensor:${sensorId}:${ruleId}:forecast`;

/** One (sensor, rule) forecast as the graph should hold it. */
export interface SensorForecastImpact extends ForecastImpact {
  sensorId: string;
  siteId: string;
  metric: string;
}

/**
 * Writes each item as an Event (source 'telemetry', type 'sensor') with one
 * HITS {source: 'sensor'} edge to the sensor's site. `rev` orders the writes:
 * a write older than the stored one changes nothing, so retried or
 * out-of-order jobs cannot bring back an outdated state. `changed` counts the
 * events a propagation must look at again; `set` and `hits` add what one kind
 * of impact stores besides.
 */
const reconcile = ({ changed, set, hits }: { changed: string; set: string; hits: string }) => `
UNWIND $items AS it
MERGE (e:Event {id: it.id})
ON CREATE SET e.createdAt = datetime(), e.rev = -1
WITH e, it WHERE coalesce(e.rev, -1) <= it.rev
WITH e, it, (e.status IS NULL OR e.status <> it.status OR e.rev <> it.rev${changed}) AS changed
OPTIONAL MATCH (site:Site {id: it.siteId})
SET e.source = 'telemetry', e.type = 'sensor', e.title = it.title, e.severity = it.x, e.expectedDurationDays = it.days,
    e.geometryJson = CASE WHEN site IS NULL THEN null
      ELSE '{"type":"Point","coordinates":[' + toString(site.location.longitude) + ',' + toString(site.location.latitude) + ']}' END,
    e.radiusKm = null, e.country = site.country, e.sensorId = it.sensorId, e.ruleId = it.ruleId,
    e.startsAt = datetime({epochMillis: toInteger(it.raisedAtMs)}), e.status = it.status,
    e.closedAt = CASE WHEN it.status = 'closed' THEN datetime({epochMillis: toInteger(it.closedAtMs)}) ELSE null END,
    e.closedReason = it.closedReason,${set}
    e.updatedAt = CASE WHEN changed OR e.updatedAt IS NULL THEN datetime() ELSE e.updatedAt END, e.rev = it.rev
WITH e, it, site, changed
CALL (e, it) {
  MATCH (e)-[old:HITS {source: 'sensor'}]->(other:Site) WHERE other.id <> it.siteId
  DELETE old
}
CALL (e, it, site) {
  WITH e, it, site WHERE site IS NOT NULL
  MERGE (e)-[h:HITS {source: 'sensor'}]->(site)
  SET h.intensity = it.x, h.durationDays = it.days${hits}
}
RETURN sum(CASE WHEN changed THEN 1 ELSE 0 END) AS changed`;

const RECONCILE = reconcile({ changed: '', set: '', hits: '' });

/**
 * The forecast's event: while anticipated, active with its HITS marked
 * {anticipated: true, p}, which observed propagation never reads and the
 * outlook does; closed when the forecast no longer crosses or the rule fires
 * (the observed event then carries the impact). A moved p counts as a change.
 */
const RECONCILE_FORECASTS = reconcile({
  changed: ' OR coalesce(e.p, -1.0) <> it.p',
  set: ' e.anticipated = true, e.p = it.p, e.forecastBasisJson = it.basisJson,',
  hits: ', h.anticipated = true, h.p = it.p',
});

const CLOSED_REASONS: Record<NonNullable<ForecastImpact['endReason']>, string> = {
  observed: 'the rule fired: the observed impact took over',
  'no-crossing': 'the forecast no longer crosses the threshold',
  'no-forecast': 'no forecast could be made (too few recent readings, or a gap)',
};

/** Stored p stays inside (0, 1): an anticipated impact is never certain (DESIGN §10), and a p of 0 would never be read. */
const storedP = (p: number) => Math.min(0.999, Math.max(0.001, p));

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * The forecast's why as events carry it (`forecastBasisJson`), for the outlook
 * and its alerts: which rule, what the readings were forecast to do, from which readings.
 */
function basisView(f: SensorForecastImpact) {
  const b = f.basis!;
  return {
    kind: 'sensor-trend',
    sensorId: f.sensorId,
    metric: f.metric,
    ruleId: f.ruleId,
    condition: f.condition,
    at: iso(b.at),
    forecast: { value: round(b.value), lower: round(b.lower), upper: round(b.upper), horizonMinutes: round(b.horizonS / 60) },
    minutesToThreshold: b.timeToThresholdS === null ? null : round(b.timeToThresholdS / 60),
    trendPerHour: round(b.trendPerMinute * 60),
    readings: { count: b.readings, from: iso(b.from), to: iso(b.to) },
  };
}

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
      closedAtMs: i.clearedAt === null ? null : Math.round(i.clearedAt * 1000),
      closedReason: i.status === 'closed' ? 'condition ended' : null,
    }));
    const res = await this.neo4j.write((tx) => tx.run(RECONCILE, { items }));
    return Number(res.records[0]?.get('changed') ?? 0);
  }

  /** Brings the graph in line with the given forecasts; returns how many forecast events changed status, episode or p. */
  async reconcileForecasts(forecasts: SensorForecastImpact[]): Promise<number> {
    if (forecasts.length === 0) return 0;
    const items = forecasts.map((f) => ({
      id: forecastEventId(f.sensorId, f.ruleId),
      sensorId: f.sensorId,
      ruleId: f.ruleId,
      siteId: f.siteId,
      title: `Forecast for sensor ${f.sensorId}: ${f.metric} rule ${f.ruleId} may fire`,
      status: f.status,
      p: storedP(f.p),
      x: f.x,
      days: f.days,
      rev: f.rev,
      raisedAtMs: Math.round(f.raisedAt * 1000),
      closedAtMs: f.endedAt === null ? null : Math.round(f.endedAt * 1000),
      closedReason: f.endReason === null ? null : CLOSED_REASONS[f.endReason],
      basisJson: f.basis === null ? null : JSON.stringify(basisView(f)),
    }));
    const res = await this.neo4j.write((tx) => tx.run(RECONCILE_FORECASTS, { items }));
    return Number(res.records[0]?.get('changed') ?? 0);
  }
}
