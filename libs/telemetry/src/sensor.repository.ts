import { Injectable } from '@nestjs/common';
import type { ManagedTransaction } from 'neo4j-driver';
import { Neo4jService } from '@tiersight/graph';

/** A registered sensor: readings named `id` (the resolved SenML name) belong to it. */
export interface Sensor {
  id: string;
  siteId: string;
  metric: string;
  unit: string | null;
  registeredAt: string;
}

export interface SensorView extends Sensor {
  lastValue: number | null;
  lastSeenAt: string | null;
}

const UPSERT = `
MATCH (site:Site {id: $siteId})
MERGE (s:Sensor {id: $id})
ON CREATE SET s.registeredAt = datetime()
SET s.siteId = $siteId, s.metric = $metric, s.unit = $unit, s.updatedAt = datetime()
RETURN s.id AS id`;

const FIELDS = `s { .id, .siteId, .metric, .unit, .lastValue, registeredAt: toString(s.registeredAt), lastSeenAt: toString(s.lastSeenAt) }`;

const GET = `MATCH (s:Sensor {id: $id}) RETURN ${FIELDS} AS sensor`;
const MANY = `UNWIND $ids AS id MATCH (s:Sensor {id: id}) RETURN ${FIELDS} AS sensor`;
const ALL = `MATCH (s:Sensor) RETURN ${FIELDS} AS sensor`;

// Once per job: only a newer reading moves the stored latest value (jobs may finish out of order).
const UPDATE_LAST = `
UNWIND $rows AS row
MATCH (s:Sensor {id: row.id})
WITH s, row, datetime({epochMillis: toInteger(row.ms)}) AS at
WHERE s.lastSeenAt IS NULL OR s.lastSeenAt < at
SET s.lastValue = row.v, s.lastSeenAt = at`;

@Injectable()
export class SensorRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  /** A write transaction for `upsert`, so that the caller's audit entry commits with it. */
  write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    return this.neo4j.write(work);
  }

  /** Creates or updates the sensor; false when the site does not exist (nothing written). */
  async upsert(tx: ManagedTransaction, sensor: { id: string; siteId: string; metric: string; unit: string | null }): Promise<boolean> {
    const res = await tx.run(UPSERT, sensor);
    return res.records.length > 0;
  }

  async get(id: string): Promise<SensorView | null> {
    const res = await this.neo4j.read((tx) => tx.run(GET, { id }));
    return res.records.length ? (res.records[0].get('sensor') as SensorView) : null;
  }

  async findMany(ids: string[]): Promise<Map<string, Sensor>> {
    const out = new Map<string, Sensor>();
    if (ids.length === 0) return out;
    const res = await this.neo4j.read((tx) => tx.run(MANY, { ids }));
    for (const r of res.records) {
      const s = r.get('sensor') as Sensor;
      out.set(s.id, s);
    }
    return out;
  }

  async all(): Promise<Sensor[]> {
    const res = await this.neo4j.read((tx) => tx.run(ALL));
    return res.records.map((r) => r.get('sensor') as Sensor);
  }

  /** The newest reading of each sensor in a batch (times in seconds). */
  async updateLast(rows: Array<{ id: string; t: number; v: number }>): Promise<void> {
    if (rows.length === 0) return;
    const payload = rows.map((r) => ({ id: r.id, ms: Math.round(r.t * 1000), v: r.v }));
    await this.neo4j.write((tx) => tx.run(UPDATE_LAST, { rows: payload }));
  }
}
