import { Injectable } from '@nestjs/common';
import type { ManagedTransaction } from 'neo4j-driver';
import { RECALL_LOTS_SHOWN, type RecallScope } from '@tiersight/contracts';
import { lotIdOf } from './event-query';
import { TraceRepository, type EventFacts, type LotFacts, type SiteFacts, type TraceDirection, type TraceStep } from './trace.repository';
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

/**
 * Traces of lots through transformations (DESIGN §11): backward to every lot
 * that went into a lot, forward to every lot and SKU it went into (its recall
 * scope). A breadth-first walk over the derived (Lot)-[:WENT_INTO]->(Lot)
 * edges, one indexed step per level, all in one read transaction.
 */
@Injectable()
export class TraceService {
  constructor(private readonly repository: TraceRepository) {}

  async trace(lot: string, direction: TraceDirection, depth: number): Promise<TraceResult> {
    const lotId = lotIdOf('lot', lot.trim());
    return this.repository.read(async (tx) => {
      const [start] = await this.repository.lots(tx, [lotId]);
      if (!start) throw new TraceabilityError(TraceabilityErrorCode.LotNotFound, `no captured event names lot ${lot}`);
      const { reached, truncated } = await this.walk(tx, lotId, direction, depth);
      const facts = new Map((await this.repository.lots(tx, [...reached.keys()])).map((l) => [l.lotId, l]));
      const originHash = await this.repository.origin(tx, lotId);
      const events = await this.eventsOf(tx, [...new Set([...[...reached.values()].map((s) => s.step.eventHash), ...(originHash ? [originHash] : [])])]);
      const lots: TracedLot[] = [...reached.values()].map(({ step, depth: d }) => ({
        ...(facts.get(step.lotId) ?? { lotId: step.lotId, kind: 'other', gtin: null, lot: null, serial: null }),
        depth: d,
        via: step.from,
        event: events.get(step.eventHash) ?? null,
      }));
      const skus = direction === 'forward' ? await this.skusOf(tx, [start, ...lots]) : [];
      return {
        lot: { ...start, origin: originHash ? (events.get(originHash) ?? null) : null },
        direction,
        depth,
        lots,
        skus,
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
      const [start] = await this.repository.lots(tx, [lotId]);
      if (!start) return { skus: [], lots: [], lotCount: 0, truncated: false };
      const { reached, truncated } = await this.walk(tx, lotId, 'forward', depth);
      const lots = await this.repository.lots(tx, [...reached.keys()]);
      const skus = await this.skusOf(tx, [start, ...lots]);
      return { skus, lots: [...reached.keys()].slice(0, RECALL_LOTS_SHOWN), lotCount: reached.size, truncated };
    });
  }

  /** Breadth first: each lot once, at its smallest depth, by the earliest linking event. */
  private async walk(tx: ManagedTransaction, lotId: string, direction: TraceDirection, depth: number) {
    const reached = new Map<string, { step: TraceStep; depth: number }>();
    const seen = new Set([lotId]);
    let frontier = [lotId];
    let truncated = false;
    for (let level = 1; frontier.length > 0; level++) {
      const steps = await this.repository.step(tx, direction, frontier);
      const next: string[] = [];
      for (const step of steps) {
        if (seen.has(step.lotId)) continue;
        if (level > depth || reached.size >= MAX_TRACE_LOTS) {
          truncated = true;
          break;
        }
        seen.add(step.lotId);
        reached.set(step.lotId, { step, depth: level });
        next.push(step.lotId);
      }
      if (truncated) break;
      frontier = next;
    }
    return { reached, truncated };
  }

  private async eventsOf(tx: ManagedTransaction, hashes: string[]): Promise<Map<string, TraceEvent>> {
    const events = await this.repository.events(tx, hashes);
    const sites = new Map((await this.repository.sites(tx, [...new Set(events.flatMap((e) => e.siteIds))])).map((s) => [s.siteId, s]));
    return new Map(events.map((e: EventFacts) => [e.eventHash, toTraceEvent(e, sites)]));
  }

  private async skusOf(tx: ManagedTransaction, lots: LotFacts[]): Promise<TraceResult['skus']> {
    const gtins = [...new Set(lots.flatMap((l) => (l.gtin ? [l.gtin] : [])))];
    if (gtins.length === 0) return [];
    const skus = await this.repository.skusByGtin(tx, gtins);
    return skus.map((k) => ({ ...k, lotIds: lots.filter((l) => l.gtin === k.gtin).map((l) => l.lotId) }));
  }
}

function toTraceEvent(e: EventFacts, sites: ReadonlyMap<string, SiteFacts>): TraceEvent {
  const site = e.siteIds.map((id) => sites.get(id)).find((s) => s !== undefined) ?? null;
  return { eventId: e.eventId ?? e.eventHash, eventHash: e.eventHash, type: e.type, bizStep: e.bizStep, eventTime: e.eventTime, site };
}
