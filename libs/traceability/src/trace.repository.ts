import { Injectable } from '@nestjs/common';
import type { ManagedTransaction } from 'neo4j-driver';
import { Neo4jService } from '@tiersight/graph';

export type TraceDirection = 'backward' | 'forward';

export interface LotFacts {
  lotId: string;
  kind: string;
  gtin: string | null;
  lot: string | null;
  serial: string | null;
}

/** A WENT_INTO edge of a reached lot towards the traced lot's side: the lot at its other end, and the transformation. */
export interface TraceLink {
  lotId: string;
  eventHash: string;
  eventTimeMs: number;
}

/** A lot within `depth` edges of the traced lot, with its edges to both sides (what the walk needs to place it). */
export interface ReachedLot extends LotFacts {
  /** Edges towards the traced lot (backward: the lots this one went into). */
  near: TraceLink[];
  /** The lots on its far side (backward: the lots that went into this one). */
  far: string[];
}

export interface EventFacts {
  eventHash: string;
  eventId: string | null;
  type: string;
  bizStep: string | null;
  eventTime: string;
  /** The sites it happened at (AT), without their tiers. */
  sites: { siteId: string; supplierId: string | null }[];
}

export interface SiteFacts {
  siteId: string;
  supplierId: string | null;
  tier: number | null;
}

export type SkuFacts = { skuId: string; name: string; gtin: string };

/** Everything a trace reads in its one statement: the lots within reach, the events that link them, the SKUs. */
export interface TraceRead {
  start: LotFacts;
  reached: ReachedLot[];
  /** Where the traced lot came from: the transformation that output it, else the first event that named it. */
  originHash: string | null;
  /** The events of every `near` edge and of the origin (a superset of those the trace keeps). */
  events: EventFacts[];
  /** Forward: the SKUs whose GTIN the traced or a reached lot carries. */
  skus: SkuFacts[];
  /** Which state of the supply network the tiers belong to: the graph version and when it was set (null before any writer ran). */
  graphStamp: string | null;
}

/** Sites whose tier is remembered per graph state; past it the memory starts over. */
const TIER_CACHE_SIZE = 100_000;

// The walk is the variable-length match a competent Cypher author writes for "every lot within n
// transformations" (DISTINCT on the far end, so it is planned as a pruning breadth-first expand
// that visits each lot once), and each lot brings its edges on both sides: the service places
// every lot at its smallest depth, by its earliest linking event, from them. The bound of a
// variable-length relationship cannot be a parameter: it is the validated integer depth (1..25).
const REACHED = (direction: TraceDirection, depth: number) => {
  if (!Number.isInteger(depth) || depth < 1) throw new RangeError(`trace depth ${depth} is not a whole number of levels`);
  const [walk, near, far] =
    direction === 'backward'
      ? [`(start)<-[:WENT_INTO*1..${depth}]-(x:Lot)`, '(x)-[w:WENT_INTO]->(y:Lot)', '(z:Lot)-[:WENT_INTO]->(x)']
      : [`(start)-[:WENT_INTO*1..${depth}]->(x:Lot)`, '(y:Lot)-[w:WENT_INTO]->(x)', '(x)-[:WENT_INTO]->(z:Lot)'];
  return `
CALL (start) {
  MATCH ${walk}
  WITH DISTINCT x WHERE x <> start
  RETURN collect(x { lotId: x.id, .kind, .gtin, .lot, .serial,
    near: [${near} | { lotId: y.id, eventHash: w.eventHash, eventTimeMs: w.eventTimeMs }],
    far: [${far} | z.id] }) AS reached
}`;
};

const SKUS = `
CALL (start, reached) {
  UNWIND [start.gtin] + [r IN reached | r.gtin] AS gtin
  WITH DISTINCT gtin WHERE gtin IS NOT NULL
  MATCH (k:Sku {gtin: gtin})
  RETURN collect(k { skuId: k.id, .name, .gtin }) AS skus
}`;

const START = `MATCH (start:Lot {id: $id})`;
const START_FIELDS = `start { lotId: start.id, .kind, .gtin, .lot, .serial } AS start`;

// A full trace: the walk, the traced lot's origin, every linking event with its sites, the SKUs
// (forward) and the graph state, in one statement; each lookup an index seek.
function traceQuery(direction: TraceDirection, depth: number): string {
  return `${START}
${REACHED(direction, depth)}
CALL (start) {
  OPTIONAL MATCH (made:EpcisEvent)-[:OUTPUT]->(start)
  WITH made ORDER BY made.eventTimeMs LIMIT 1
  OPTIONAL MATCH (seen:EpcisEvent)-[:OBSERVED]->(start)
  WITH made, seen ORDER BY seen.eventTimeMs LIMIT 1
  RETURN coalesce(made.eventHash, seen.eventHash) AS originHash
}
CALL (reached, originHash) {
  CALL (reached, originHash) {
    UNWIND reached AS r
    UNWIND r.near AS link
    RETURN link.eventHash AS hash
    UNION
    WITH originHash WHERE originHash IS NOT NULL
    RETURN originHash AS hash
  }
  MATCH (e:EpcisEvent {eventHash: hash})
  RETURN collect(e { .eventHash, .eventId, .type, .bizStep, .eventTime, sites: [(e)-[:AT]->(s:Site) | s { siteId: s.id, .supplierId }] }) AS events
}
${direction === 'forward' ? SKUS : 'WITH *, [] AS skus'}
OPTIONAL MATCH (m:GraphMeta {id: 'graph'})
RETURN ${START_FIELDS}, reached, originHash, events, skus, toString(m.version) + '@' + toString(m.updatedAt) AS graphStamp`;
}

// A recall scope: the forward walk and the SKUs, without events or sites.
const recallQuery = (depth: number) => `${START}
${REACHED('forward', depth)}
${SKUS}
RETURN ${START_FIELDS}, reached, skus`;

// Tier (DESIGN §2): the shortest SUPPLIES path from the site to any SKU.
const SITE_TIERS = `
UNWIND $ids AS id
MATCH (s:Site {id: id})
CALL (s) {
  OPTIONAL MATCH tp = SHORTEST 1 (s)-[:SUPPLIES]->+(:Sku)
  RETURN min(length(tp)) AS tier
}
RETURN s.id AS siteId, tier`;

const LOTS = `
UNWIND $ids AS id
MATCH (l:Lot {id: id})
RETURN l { lotId: l.id, .kind, .gtin, .lot, .serial } AS l`;

/** The reads of a trace, each in the caller's read transaction (one snapshot for the whole trace). */
@Injectable()
export class TraceRepository {
  // Tiers are derived from the whole supply network (a shortest-path search per site): they are
  // remembered for the graph state they were computed in, and forgotten when a writer of the
  // network moves the graph version on (the state is read in the same transaction as the trace).
  private tierCache: { stamp: string | null; tiers: Map<string, number | null> } = { stamp: null, tiers: new Map() };

  constructor(private readonly neo4j: Neo4jService) {}

  read<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    return this.neo4j.read(work);
  }

  /** The traced lot and what lies within `depth` edges of it; null when no event names the lot. */
  async trace(tx: ManagedTransaction, lotId: string, direction: TraceDirection, depth: number): Promise<TraceRead | null> {
    const res = await tx.run(traceQuery(direction, depth), { id: lotId });
    return res.records.length ? (res.records[0].toObject() as TraceRead) : null;
  }

  /** The forward walk and SKUs of a lot, without events; null when no event names the lot. */
  async recall(tx: ManagedTransaction, lotId: string, depth: number): Promise<Pick<TraceRead, 'start' | 'reached' | 'skus'> | null> {
    const res = await tx.run(recallQuery(depth), { id: lotId });
    return res.records.length ? (res.records[0].toObject() as Pick<TraceRead, 'start' | 'reached' | 'skus'>) : null;
  }

  /** Sites with their tiers, in the graph state `graphStamp` read in the same transaction (null: an unversioned graph, nothing remembered). */
  async sites(tx: ManagedTransaction, graphStamp: string | null, sites: readonly { siteId: string; supplierId: string | null }[]): Promise<SiteFacts[]> {
    if (graphStamp === null || this.tierCache.stamp !== graphStamp || this.tierCache.tiers.size > TIER_CACHE_SIZE) {
      this.tierCache = { stamp: graphStamp, tiers: new Map() };
    }
    const { tiers } = this.tierCache;
    const missing = [...new Set(sites.map((s) => s.siteId).filter((id) => !tiers.has(id)))];
    if (missing.length > 0) {
      const res = await tx.run(SITE_TIERS, { ids: missing });
      for (const r of res.records) tiers.set(r.get('siteId') as string, (r.get('tier') as number | null) ?? null);
    }
    return sites.map((s) => ({ ...s, tier: tiers.get(s.siteId) ?? null }));
  }

  async lots(tx: ManagedTransaction, ids: string[]): Promise<LotFacts[]> {
    const res = await tx.run(LOTS, { ids });
    return res.records.map((r) => r.get('l') as LotFacts);
  }
}
