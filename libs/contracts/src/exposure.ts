import type { SupplyTerms } from './supply-terms';

/** The numbers of an exposed SKU (DESIGN §3.3). */
export interface ExposureNumbers {
  skuId: string;
  /** Peak loss, 0..1. */
  x: number;
  /** Longest shortage, days. */
  days: number;
  /** Time to survive: days until the shortage reaches the SKU. */
  onsetDays: number;
  /** dailyRevenue · x · days — the peak loss for the longest shortage (an upper bound). */
  revenueAtRisk: number;
}

/** The supply edge a critical-path hop is reached by. */
export type PathVia = SupplyTerms;

/** One hop of the critical path, DESIGN §7.1; `via` is the edge INTO this node (absent on the first hop). */
export interface PathHop {
  nodeId: string;
  x: number;
  days: number;
  onsetDays: number;
  via?: PathVia;
}

/** How much of the path rests on inferred or never-confirmed data. */
export interface PathConfidence {
  /** Edges on the path. */
  hops: number;
  inferredHops: number;
  /** inferredHops / hops (0 for a path without edges). */
  inferredShare: number;
  /** Edges with no confirmedAt at all. */
  unconfirmedHops: number;
  /** Oldest confirmedAt over the path's edges and sites (ISO 8601), null when none is known. */
  oldestConfirmedAt: string | null;
}

/**
 * The exposure shape of DESIGN §7.1, plus the path's confidence: in the
 * exposure list and detail, scenario answers, the stored exposure, the change
 * stream and alert payloads.
 */
export interface Exposure extends ExposureNumbers {
  eventIds: string[];
  /** From the hit site (first) to the SKU (last). */
  criticalPath: PathHop[];
  confidence: PathConfidence;
}
