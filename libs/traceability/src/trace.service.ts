import { Injectable } from '@nestjs/common';
import { RECALL_LOTS_SHOWN, type RecallScope } from '@tiersight/contracts';
import { lotIdOf } from './event-query';
import {
  TraceRepository,
  type EventFacts,
  type LotFacts,
  type ReachedLot,
  type SiteFacts,
  type SkuFacts,
  type TraceDirection,
  type TraceLink,
} from './trace.repository';
import { TraceabilityError, TraceabilityErrorCode } from './traceability.error';

/** Deepest trace one request may ask for (transformation levels). */
export const MAX_TRACE_DEPTH = 25;
/** Most lots one trace lists; a trace that reaches more says it was cut. */
export const MAX_TRACE_LOTS = 10_000;

/** Where and when: the event that links a lot into the trace, and the site it happened at. */
export interface TraceEvent {
  eventId: string;
  eventHash: string;
  type: string;
  bizStep: string | null;
  eventTime: string;
  site: SiteFacts | null;
}

export interface TracedLot extends LotFacts {
  /** Transformation levels from the traced lot (1: went straight into it, or straight out of it). */
  depth: number;
  /** The lot one level nearer the traced lot that this one is linked to. */
  via: string;
  /** The transformation that links the two. */
  event: TraceEvent | null;
}

export interface TraceResult {
  lot: LotFacts & { origin: TraceEvent | null };
  direction: TraceDirection;
  depth: number;
  lots: TracedLot[];
  /** Forward: the SKUs (by GTIN) the traced lot and the lots it went into are units of. */
  skus: { skuId: string; name: string; gtin: string; lotIds: string[] }[];
  /** The walk stopped at `depth` with lots beyond, or at MAX_TRACE_LOTS. */
  truncated: boolean;
}

/** A reached lot placed in the trace: its smallest depth and the earliest edge that links it there. */
export interface PlacedLot {
  lot: ReachedLot;
  depth: number;
  link: TraceLink;
}

const byTimeThenHash = (a: TraceLink, b: TraceLink) => a.eventTimeMs - b.eventTimeMs || compareText(a.eventHash, b.eventHash) || compareText(a.lotId, b.lotId);
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Places the lots within `depth` edges of the traced lot as a breadth-first
 * walk does: each lot once, at its smallest depth, by its earliest linking
 * event (event time, then hash) from a lot one level nearer; nearest first,
 * then by that event. At most `maxLots`; `truncated` when more lie within
 * reach or any lies one level beyond (a lot at the last level with a far
 * neighbour the walk did not reach).
 */
export function placeLots(startId: string, reached: readonly ReachedLot[], depth: number, maxLots: number): { lots: PlacedLot[]; truncated: boolean } {
  // The edges into each lot from its far side: which reached lots a lot of the previous level links.
  const linkedFrom = new Map<string, { lot: ReachedLot; link: TraceLink }[]>();
  for (const lot of reached) {
    for (const link of lot.near) {
      const list = linkedFrom.get(link.lotId);
      if (list) list.push({ lot, link });
      else linkedFrom.set(link.lotId, [{ lot, link }]);
    }
  }
  const placed = new Map<string, PlacedLot>();
  const lots: PlacedLot[] = [];
  let frontier = [startId];
  for (let level = 1; level <= depth && frontier.length > 0; level++) {
    const found = new Map<string, PlacedLot>();
    for (const id of frontier) {
      for (const { lot, link } of linkedFrom.get(id) ?? []) {
        if (lot.lotId === startId || placed.has(lot.lotId)) continue;
        const seen = found.get(lot.lotId);
        if (!seen || byTimeThenHash(link, seen.link) < 0) found.set(lot.lotId, { lot, depth: level, link });
      }
    }
    const next = [...found.values()].sort((a, b) => byTimeThenHash(a.link, b.link));
    for (const p of next) placed.set(p.lot.lotId, p);
    lots.push(...next);
    frontier = next.map((p) => p.lot.lotId);
  }
  if (lots.length > maxLots) return { lots: lots.slice(0, maxLots), truncated: true };
  const beyond = lots.some((p) => p.depth === depth && p.lot.far.some((id) => id !== startId && !placed.has(id)));
  return { lots, truncated: beyond };
}

/**
 * Traces of lots through transformations (DESIGN §11): backward to every lot
 * that went into a lot, forward to every lot and SKU it went into (its recall
 * scope). One statement reads the lots within reach over the derived
 * (Lot)-[:WENT_INTO]->(Lot) edges (a pruning breadth-first expand), their
 * edges, the linking events with their sites and the SKUs; `placeLots` places
 * them. Tiers come from a second read only for sites not seen in this state
 * of the supply network.
 */
@Injectable()
export class TraceService {
  constructor(private readonly repository: TraceRepository) {}

  async trace(lot: string, direction: TraceDirection, depth: number): Promise<TraceResult> {
    const lotId = lotIdOf('lot', lot.trim());
    return this.repository.read(async (tx) => {
      const read = await this.repository.trace(tx, lotId, direction, depth);
      if (!read) throw new TraceabilityError(TraceabilityErrorCode.LotNotFound, `no captured event names lot ${lot}`);
      const { lots: placed, truncated } = placeLots(read.start.lotId, read.reached, depth, MAX_TRACE_LOTS);
      const wanted = new Set(placed.map((p) => p.link.eventHash));
      if (read.originHash) wanted.add(read.originHash);
      const events = read.events.filter((e) => wanted.has(e.eventHash));
      const siteRows = new Map(events.flatMap((e) => e.sites).map((s) => [s.siteId, s]));
      const sites = new Map((await this.repository.sites(tx, read.graphStamp, [...siteRows.values()])).map((s) => [s.siteId, s]));
      const traceEvents = new Map(events.map((e) => [e.eventHash, toTraceEvent(e, sites)]));
      const lots: TracedLot[] = placed.map((p) => ({
        lotId: p.lot.lotId,
        kind: p.lot.kind,
        gtin: p.lot.gtin,
        lot: p.lot.lot,
        serial: p.lot.serial,
        depth: p.depth,
        via: p.link.lotId,
        event: traceEvents.get(p.link.eventHash) ?? null,
      }));
      return {
        lot: { ...read.start, origin: read.originHash ? (traceEvents.get(read.originHash) ?? null) : null },
        direction,
        depth,
        lots,
        skus: direction === 'forward' ? skusOf(read.skus, [read.start, ...lots]) : [],
        truncated,
      };
    });
  }

  /**
   * A lot's recall scope (DESIGN §11): the lots it went into, nearest first,
   * and the SKUs they (or it) are units of; without the events and sites a
   * full trace reads. Empty for a lot no event names.
   */
  async recall(lotId: string, depth = MAX_TRACE_DEPTH): Promise<RecallScope> {
    return this.repository.read(async (tx) => {
      const read = await this.repository.recall(tx, lotId, depth);
      if (!read) return { skus: [], lots: [], lotCount: 0, truncated: false };
      const { lots, truncated } = placeLots(read.start.lotId, read.reached, depth, MAX_TRACE_LOTS);
      const skus = skusOf(read.skus, [read.start, ...lots.map((p) => p.lot)]);
      return { skus, lots: lots.slice(0, RECALL_LOTS_SHOWN).map((p) => p.lot.lotId), lotCount: lots.length, truncated };
    });
  }
}

/** The SKUs the lots are units of (by GTIN), in the order their lots come, each with its lots. */
function skusOf(skus: readonly SkuFacts[], lots: readonly LotFacts[]): TraceResult['skus'] {
  const byGtin = new Map(skus.map((k) => [k.gtin, { ...k, lotIds: [] as string[] }]));
  const out = new Map<string, TraceResult['skus'][number]>();
  for (const lot of lots) {
    const sku = lot.gtin === null ? undefined : byGtin.get(lot.gtin);
    if (!sku) continue;
    sku.lotIds.push(lot.lotId);
    out.set(sku.gtin, sku);
  }
  return [...out.values()];
}

function toTraceEvent(e: EventFacts, sites: ReadonlyMap<string, SiteFacts>): TraceEvent {
  const site = e.sites.map((s) => sites.get(s.siteId)).find((s) => s !== undefined) ?? null;
  return { eventId: e.eventId ?? e.eventHash, eventHash: e.eventHash, type: e.type, bizStep: e.bizStep, eventTime: e.eventTime, site };
}
