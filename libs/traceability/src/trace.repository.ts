import { Injectable } from '@nestjs/common';
import type { ManagedTransaction } from 'neo4j-driver';
import { Neo4jService } from '@tiersight/graph';

export type TraceDirection = 'backward' | 'forward';

/** One WENT_INTO step from a lot already reached to a new one. */
export interface TraceStep {
  from: string;
  lotId: string;
  eventHash: string;
  eventTimeMs: number;
}

export interface LotFacts {
  lotId: string;
  kind: string;
  gtin: string | null;
  lot: string | null;
  serial: string | null;
}

export interface EventFacts {
  eventHash: string;
  eventId: string | null;
  type: string;
  bizStep: string | null;
  eventTime: string;
  siteIds: string[];
}

export interface SiteFacts {
  siteId: string;
  supplierId: string | null;
  tier: number | null;
}

// One level of a trace, over the derived lot → lot edges (an index seek per lot of the frontier).
const STEP = {
  backward: `
UNWIND $ids AS id
MATCH (a:Lot)-[w:WENT_INTO]->(:Lot {id: id})
RETURN id AS from, a.id AS lotId, w.eventHash AS eventHash, w.eventTimeMs AS eventTimeMs
ORDER BY eventTimeMs, eventHash`,
  forward: `
UNWIND $ids AS id
MATCH (:Lot {id: id})-[w:WENT_INTO]->(b:Lot)
RETURN id AS from, b.id AS lotId, w.eventHash AS eventHash, w.eventTimeMs AS eventTimeMs
ORDER BY eventTimeMs, eventHash`,
} as const;

const LOTS = `
UNWIND $ids AS id
MATCH (l:Lot {id: id})
RETURN l { lotId: l.id, .kind, .gtin, .lot, .serial } AS l`;

const EVENTS = `
UNWIND $hashes AS hash
MATCH (e:EpcisEvent {eventHash: hash})
RETURN e { .eventHash, .eventId, .type, .bizStep, .eventTime, siteIds: [(e)-[:AT]->(s:Site) | s.id] } AS e`;

// Where a lot came from: the transformation that output it, else the first event that named it.
const ORIGIN = `
MATCH (l:Lot {id: $id})
OPTIONAL MATCH (made:EpcisEvent)-[:OUTPUT]->(l)
WITH l, made ORDER BY made.eventTimeMs LIMIT 1
OPTIONAL MATCH (seen:EpcisEvent)-[:OBSERVED]->(l)
WITH made, seen ORDER BY seen.eventTimeMs LIMIT 1
RETURN coalesce(made.eventHash, seen.eventHash) AS eventHash`;

// Tier (DESIGN §2): the shortest SUPPLIES path from the site to any SKU.
const SITES = `
UNWIND $ids AS id
MATCH (s:Site {id: id})
OPTIONAL MATCH tp = SHORTEST 1 (s)-[:SUPPLIES]->+(:Sku)
RETURN s.id AS siteId, s.supplierId AS supplierId, length(tp) AS tier`;

const SKUS_BY_GTIN = `
UNWIND $gtins AS gtin
MATCH (k:Sku {gtin: gtin})
RETURN k.id AS skuId, k.name AS name, k.gtin AS gtin`;

/** The reads of a trace, each in the caller's read transaction (one snapshot for the whole trace). */
@Injectable()
export class TraceRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  read<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    return this.neo4j.read(work);
  }

  async step(tx: ManagedTransaction, direction: TraceDirection, ids: string[]): Promise<TraceStep[]> {
    const res = await tx.run(STEP[direction], { ids });
    return res.records.map((r) => r.toObject() as TraceStep);
  }

  async lots(tx: ManagedTransaction, ids: string[]): Promise<LotFacts[]> {
    const res = await tx.run(LOTS, { ids });
    return res.records.map((r) => r.get('l') as LotFacts);
  }

  async events(tx: ManagedTransaction, hashes: string[]): Promise<EventFacts[]> {
    const res = await tx.run(EVENTS, { hashes });
    return res.records.map((r) => r.get('e') as EventFacts);
  }

  async origin(tx: ManagedTransaction, lotId: string): Promise<string | null> {
    const res = await tx.run(ORIGIN, { id: lotId });
    return res.records.length ? ((res.records[0].get('eventHash') as string | null) ?? null) : null;
  }

  async sites(tx: ManagedTransaction, ids: string[]): Promise<SiteFacts[]> {
    const res = await tx.run(SITES, { ids });
    return res.records.map((r) => r.toObject() as SiteFacts);
  }

  async skusByGtin(tx: ManagedTransaction, gtins: string[]): Promise<{ skuId: string; name: string; gtin: string }[]> {
    const res = await tx.run(SKUS_BY_GTIN, { gtins });
    return res.records.map((r) => r.toObject() as { skuId: string; name: string; gtin: string });
  }
}
