import { Injectable } from '@nestjs/common';
import neo4j from 'neo4j-driver';
import type { LotFlag, LotFlagAlert } from '@tiersight/contracts';
import { chunks } from '@tiersight/contracts';
import { Neo4jService } from '@tiersight/graph';
import type { CauseEvent, Observation } from './lot-flags';
import type { SensorReading } from './sensor-readings';

/** Rows per UNWIND statement. */
const BATCH = 2000;

/** The lots an EPCIS event names, in any role (observed, parent, child, input, output). */
const NAMES = 'OBSERVED|INPUT_OF|OUTPUT';

// An event's window and hits, with the site supplier's survey answer per hit.
const CAUSE_EVENTS = `
UNWIND $ids AS id
MATCH (e:Event {id: id})
OPTIONAL MATCH (e)-[h:HITS]->(s:Site)
OPTIONAL MATCH (sv:Survey {eventId: e.id, siteId: s.id})
WITH e, collect(CASE WHEN s IS NULL THEN null
  ELSE {siteId: s.id, intensity: h.intensity, anticipated: coalesce(h.anticipated, false), surveyState: sv.state} END) AS hits
RETURN e { .id, .source, .type, .title, .sensorId, .ruleId, anticipated: coalesce(e.anticipated, false),
  startsAtMs: e.startsAt.epochMillis, closedAtMs: e.closedAt.epochMillis } AS e, hits`;

// Events hitting these sites whose window may cover [fromMs, toMs] (the decision is the pure code's).
const EVENTS_AT_SITES = `
UNWIND $siteIds AS siteId
MATCH (:Site {id: siteId})<-[:HITS]-(e:Event)
WHERE e.startsAt.epochMillis <= $toMs AND (e.closedAt IS NULL OR e.closedAt.epochMillis > $fromMs)
RETURN DISTINCT e.id AS id`;

// The lots observed at each site between fromMs (included) and toMs (excluded, open when null).
const OBSERVED_AT = `
UNWIND $rows AS row
MATCH (:Site {id: row.siteId})<-[:AT]-(e:EpcisEvent)
WHERE e.eventTimeMs >= row.fromMs AND (row.toMs IS NULL OR e.eventTimeMs < row.toMs)
MATCH (e)-[:${NAMES}]-(l:Lot)
RETURN DISTINCT l.id AS lotId, row.siteId AS siteId, e.eventHash AS eventHash, e.eventTimeMs AS eventTimeMs`;

// Where and when the events a capture stored observed their lots.
const CAPTURE_OBSERVATIONS = `
MATCH (e:EpcisEvent {captureId: $captureId})-[:AT]->(s:Site)
MATCH (e)-[:${NAMES}]-(l:Lot)
RETURN DISTINCT l.id AS lotId, s.id AS siteId, e.eventHash AS eventHash, e.eventTimeMs AS eventTimeMs`;

const CAPTURE_LOTS_WITH_READINGS = `
MATCH (e:EpcisEvent {captureId: $captureId}) WHERE e.sensorReadingsJson IS NOT NULL
MATCH (e)-[:${NAMES}]-(l:Lot)
RETURN DISTINCT l.id AS lotId`;

// Every event with readings that named each lot, and its site.
const LOT_READINGS = `
UNWIND $lotIds AS lotId
MATCH (:Lot {id: lotId})-[:${NAMES}]-(e:EpcisEvent) WHERE e.sensorReadingsJson IS NOT NULL
RETURN DISTINCT lotId, e.eventHash AS eventHash, e.sensorReadingsJson AS readingsJson, head([(e)-[:AT]->(s:Site) | s.id]) AS siteId`;

// One flag per (lot, cause), written once: a flag found again changes nothing (its first window, site and time stay).
const WRITE_FLAGS = `
UNWIND $rows AS row
OPTIONAL MATCH (old:LotFlag {lotId: row.lotId, causeId: row.causeId})
WITH row, old IS NULL AS fresh
MERGE (f:LotFlag {lotId: row.lotId, causeId: row.causeId})
ON CREATE SET f += row.props, f.notified = false
WITH f, fresh
MATCH (l:Lot {id: f.lotId})
MERGE (f)-[:FLAGS]->(l)
RETURN sum(CASE WHEN fresh THEN 1 ELSE 0 END) AS created`;

const LOTS = `
UNWIND $ids AS id
MATCH (l:Lot {id: id})
RETURN l { lotId: l.id, .kind, .gtin, .lot, .serial } AS l`;

export const FLAG_FIELDS = `f { .lotId, .causeId, .causeKind, .eventType, .title, .sensorId, .ruleId, .metric, .siteId, .windowFrom, .windowTo,
  .observedAt, .epcisEventHash, .flaggedAt }`;

// Flags no alert went out for yet (oldest first); written by any job, so one that died leaves them for the next.
const UNNOTIFIED = `
MATCH (f:LotFlag {notified: false})
WITH f ORDER BY f.flaggedAtMs, f.lotId, f.causeId LIMIT $limit
RETURN ${FLAG_FIELDS} AS f`;

const MARK_NOTIFIED = `
UNWIND $rows AS row
MATCH (f:LotFlag {lotId: row.lotId, causeId: row.causeId})
SET f.notified = true, f.notifiedAt = $now`;

/** A flag as stored: flat properties (Neo4j stores no maps). */
export interface StoredFlag {
  lotId: string;
  causeId: string;
  causeKind: LotFlag['cause']['kind'];
  eventType: string | null;
  title: string | null;
  sensorId: string | null;
  ruleId: string | null;
  metric: string | null;
  siteId: string | null;
  windowFrom: string;
  windowTo: string | null;
  observedAt: string;
  epcisEventHash: string;
  flaggedAt: string;
}

export function toLotFlag(f: StoredFlag): LotFlag {
  return {
    lotId: f.lotId,
    cause: {
      kind: f.causeKind,
      id: f.causeId,
      eventType: f.eventType ?? null,
      title: f.title ?? null,
      sensorId: f.sensorId ?? null,
      ruleId: f.ruleId ?? null,
      metric: f.metric ?? null,
    },
    siteId: f.siteId ?? null,
    window: { from: f.windowFrom, to: f.windowTo ?? null },
    observedAt: f.observedAt,
    epcisEventHash: f.epcisEventHash,
    flaggedAt: f.flaggedAt,
  };
}

/** The writes and the worker's reads of the risk link: causes, observations, readings, flags. */
@Injectable()
export class LotFlagRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  async causeEvents(ids: readonly string[]): Promise<CauseEvent[]> {
    if (ids.length === 0) return [];
    const res = await this.neo4j.read((tx) => tx.run(CAUSE_EVENTS, { ids: [...new Set(ids)] }));
    return res.records.map((r) => {
      const e = r.get('e') as Omit<CauseEvent, 'hits'>;
      return {
        id: e.id,
        source: e.source ?? null,
        type: e.type ?? null,
        title: e.title ?? null,
        sensorId: e.sensorId ?? null,
        ruleId: e.ruleId ?? null,
        anticipated: e.anticipated === true,
        startsAtMs: toNumber(e.startsAtMs),
        closedAtMs: toNumber(e.closedAtMs),
        hits: r.get('hits') as CauseEvent['hits'],
      };
    });
  }

  /** The ids of events hitting any of the sites whose window may cover some instant in [fromMs, toMs]. */
  async eventsAtSites(siteIds: readonly string[], fromMs: number, toMs: number): Promise<string[]> {
    if (siteIds.length === 0) return [];
    const res = await this.neo4j.read((tx) => tx.run(EVENTS_AT_SITES, { siteIds: [...new Set(siteIds)], fromMs, toMs }));
    return res.records.map((r) => r.get('id') as string);
  }

  async observedAt(rows: { siteId: string; fromMs: number; toMs: number | null }[]): Promise<Observation[]> {
    const out: Observation[] = [];
    for (const batch of chunks(rows, BATCH)) {
      const res = await this.neo4j.read((tx) => tx.run(OBSERVED_AT, { rows: batch }));
      out.push(...res.records.map(toObservation));
    }
    return out;
  }

  async captureObservations(captureId: string): Promise<Observation[]> {
    const res = await this.neo4j.read((tx) => tx.run(CAPTURE_OBSERVATIONS, { captureId }));
    return res.records.map(toObservation);
  }

  async captureLotsWithReadings(captureId: string): Promise<string[]> {
    const res = await this.neo4j.read((tx) => tx.run(CAPTURE_LOTS_WITH_READINGS, { captureId }));
    return res.records.map((r) => r.get('lotId') as string);
  }

  async lotReadings(lotIds: readonly string[]): Promise<{ lotId: string; eventHash: string; siteId: string | null; readings: SensorReading[] }[]> {
    const out: { lotId: string; eventHash: string; siteId: string | null; readings: SensorReading[] }[] = [];
    for (const batch of chunks([...lotIds], BATCH)) {
      const res = await this.neo4j.read((tx) => tx.run(LOT_READINGS, { lotIds: batch }));
      for (const r of res.records) {
        out.push({
          lotId: r.get('lotId') as string,
          eventHash: r.get('eventHash') as string,
          siteId: (r.get('siteId') as string | null) ?? null,
          readings: JSON.parse(r.get('readingsJson') as string) as SensorReading[],
        });
      }
    }
    return out;
  }

  /** Writes the flags not stored yet; returns how many were new. */
  async write(flags: readonly LotFlag[]): Promise<number> {
    let created = 0;
    for (const batch of chunks([...flags], BATCH)) {
      const rows = batch.map((f) => ({ lotId: f.lotId, causeId: f.cause.id, props: flagProps(f) }));
      const res = await this.neo4j.write((tx) => tx.run(WRITE_FLAGS, { rows }));
      created += Number(res.records[0]?.get('created') ?? 0);
    }
    return created;
  }

  async lots(ids: readonly string[]): Promise<LotFlagAlert['lot'][]> {
    if (ids.length === 0) return [];
    const res = await this.neo4j.read((tx) => tx.run(LOTS, { ids }));
    return res.records.map((r) => {
      const l = r.get('l') as LotFlagAlert['lot'];
      return { lotId: l.lotId, kind: l.kind, gtin: l.gtin ?? null, lot: l.lot ?? null, serial: l.serial ?? null };
    });
  }

  async unnotified(limit: number): Promise<LotFlag[]> {
    const res = await this.neo4j.read((tx) => tx.run(UNNOTIFIED, { limit: neo4j.int(limit) }));
    return res.records.map((r) => toLotFlag(r.get('f') as StoredFlag));
  }

  async markNotified(flags: readonly LotFlag[]): Promise<void> {
    const now = new Date().toISOString();
    for (const batch of chunks([...flags], BATCH)) {
      await this.neo4j.write((tx) => tx.run(MARK_NOTIFIED, { rows: batch.map((f) => ({ lotId: f.lotId, causeId: f.cause.id })), now }));
    }
  }
}

function flagProps(f: LotFlag) {
  return {
    causeKind: f.cause.kind,
    eventType: f.cause.eventType,
    title: f.cause.title,
    sensorId: f.cause.sensorId,
    ruleId: f.cause.ruleId,
    metric: f.cause.metric,
    siteId: f.siteId,
    windowFrom: f.window.from,
    windowTo: f.window.to,
    observedAt: f.observedAt,
    epcisEventHash: f.epcisEventHash,
    flaggedAt: f.flaggedAt,
    flaggedAtMs: Date.parse(f.flaggedAt),
  };
}

function toObservation(r: { get(key: string): unknown }): Observation {
  return {
    lotId: r.get('lotId') as string,
    siteId: r.get('siteId') as string,
    eventHash: r.get('eventHash') as string,
    eventTimeMs: toNumber(r.get('eventTimeMs')) ?? 0,
  };
}

/** Numbers come back as JS numbers, or as Neo4j integers from temporal accessors. */
function toNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  return neo4j.isInt(value) ? (value as { toNumber(): number }).toNumber() : Number(value);
}
