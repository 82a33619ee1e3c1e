import type { Projection } from '@tiersight/risk-engine';

/**
 * Where a hit's (x, d) comes from. Estimates (the event's footprint, DESIGN
 * §3.1) are drawn; a supplier's survey answer and a fired sensor rule are
 * taken as given (DESIGN §9).
 */
export type HitSource = 'estimate' | 'survey' | 'sensor';

/** One site an event hits, with the point estimate (x̂, d̂) the engine would use. */
export interface TwinHit {
  site: string | number;
  x: number;
  days: number;
  /** Default 'estimate'. */
  source?: HitSource;
}

/**
 * An observed or anticipated event. `probability` below 1 makes it
 * anticipated (DESIGN §10): present in a sample with that probability, all
 * its sites together.
 */
export interface TwinEvent {
  id: string;
  /** Keys `drawParameters` (earthquake, flood, ...). */
  type: string;
  /** Default 1 (observed). */
  probability?: number;
  hits: readonly TwinHit[];
}

/** Recovery bounds of a site-down scenario as multiples of the site's ttrDays. */
export interface RecoverySpread {
  low: number;
  high: number;
}

/**
 * A what-if: these sites are down (x = 1); each one's recovery is drawn from
 * Triangular(low·ttr, ttr, high·ttr) with one uniform for the whole scenario.
 */
export interface SiteDownScenario {
  id: string;
  sites: ReadonlyArray<string | number>;
  /** Default 1. */
  probability?: number;
  /** Default { low: 0.5, high: 2 }; { low: 1, high: 1 } is exact. */
  recovery?: RecoverySpread;
}

/**
 * Uncertainty of one event type: duration ~ LogNormal(ln d̂, sigma), severity
 * ~ Beta with mean x̂ and concentration kappa. sigma = 0 is an exact
 * duration; kappa = 0 (or Infinity) an exact severity.
 */
export interface DrawParameters {
  sigma: number;
  kappa: number;
}

export const DEFAULT_SIGMA = 0.5;
export const DEFAULT_KAPPA = 20;
export const DEFAULT_HORIZON_DAYS = 180;
export const DEFAULT_RECOVERY: Readonly<RecoverySpread> = Object.freeze({ low: 0.5, high: 2 });

/** The plain-data part of a run (structured-clonable: what a worker thread receives next to the projection). */
export interface TwinSpec {
  events: readonly TwinEvent[];
  scenarios?: readonly SiteDownScenario[];
  /** Per event type; a type not listed uses `defaultDraw`. */
  drawParameters?: Readonly<Record<string, Partial<DrawParameters>>>;
  /** Default { sigma: 0.5, kappa: 20 }. */
  defaultDraw?: Partial<DrawParameters>;
  samples: number;
  /** Integer in [0, 2^32). */
  seed: number;
  /** Default 180 days. */
  horizonDays?: number;
  /** Default DEFAULT_EXPOSURE_THRESHOLD (0.05). */
  exposureThreshold?: number;
  /**
   * One-at-a-time contributions of every event and scenario are computed on
   * samples [0, contributionSamples): default all samples, 0 for none. Each
   * costs about two solves of the driver's own cone per sample, several times
   * a sample's own solve when there are many events: a subset keeps large
   * runs affordable (the estimate's error grows as 1/√contributionSamples).
   */
  contributionSamples?: number;
  /**
   * How samples are solved; every choice gives the same bits. 'cone' walks
   * each sample's disrupted cone, 'sweep' solves the whole graph in order
   * (cheaper once the cone covers a good part of it), 'auto' (default)
   * starts with the cone and switches to the sweep when the first sample
   * reaches at least SWEEP_SKU_SHARE of the SKUs.
   */
  kernel?: TwinKernel;
}

export type TwinKernel = 'auto' | 'cone' | 'sweep';
export const TWIN_KERNELS: readonly TwinKernel[] = ['auto', 'cone', 'sweep'];

export interface TwinRequest extends TwinSpec {
  projection: Projection;
}
