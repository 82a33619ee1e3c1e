import type { Projection } from './projection';

/**
 * Read-only view of one propagation result, per node index. Produced by
 * `propagate()` and by a live `Propagator`; consumed by the reports.
 */
export interface RiskView {
  readonly projection: Projection;
  /** Peak loss x in [0, 1]. */
  readonly x: Float64Array;
  /** Longest shortage in days. */
  readonly d: Float64Array;
  /** Days until the shortage reaches the node; Infinity when none does. */
  readonly onset: Float64Array;
  /** Combined direct impact per node (0 where none). */
  readonly directX: Float64Array;
  readonly directD: Float64Array;
  /** Events with a positive direct impact on a site, sorted. */
  eventIdsAt(node: number): readonly string[];
}

/** Node-level outcome of one run (for logs and metrics). */
export interface RunStats {
  /** Node evaluations performed. */
  evaluations: number;
  /** Loops (cyclic components) whose iteration budget ran out (expected 0; see README "Termination"). */
  cappedComponents: number;
}
