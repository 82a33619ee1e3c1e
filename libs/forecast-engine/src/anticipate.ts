import { ForecastEngineError, ForecastEngineErrorCode } from './forecast-engine.error';
import { adaptToStep, fitHolt, HoltFit, MIN_FIT_POINTS, varianceFactors } from './holt';
import { normalCdf, normalQuantile } from './normal';
import { Reading, regularWindow } from './window';

/**
 * The part of a sensor threshold rule a forecast needs. A telemetry
 * `ThresholdRule` ({ kind: 'above' | 'below', threshold, forMinutes, … }) fits
 * as it is; `horizonMinutes` and `pMin` are the rule's own anticipation
 * settings when it has them.
 */
export interface ThresholdSpec {
  kind: 'above' | 'below';
  threshold: number;
  /** How far ahead the crossing is looked for (default: the options' horizonS). */
  horizonMinutes?: number;
  /** Probability at which the rule's impact becomes anticipated (default: DEFAULT_P_MIN). */
  pMin?: number;
}

export interface ForecastOptions {
  /** Level smoothing weight for readings `referenceStepS` apart, in (0, 1). */
  alpha: number;
  /** Trend smoothing weight for readings `referenceStepS` apart, in (0, 1). */
  beta: number;
  /** 'fixed': alpha and beta as given; 'grid': the pair of ALPHA_GRID × BETA_GRID with the smallest one-step SSE on the window. */
  fit: 'fixed' | 'grid';
  /** The reading interval alpha and beta are given for; other intervals get the weights that forget at the same rate per second. */
  referenceStepS: number;
  /** Readings at most this much older than the newest one make the window. */
  windowS: number;
  /** A gap longer than gapFactor × the median interval starts the window afresh. */
  gapFactor: number;
  /** Fewer readings than this in the window: no forecast. */
  minPoints: number;
  /** A window spanning less time than this: no forecast. */
  minSpanS: number;
  /** Horizon for rules without their own horizonMinutes. */
  horizonS: number;
  /** Coverage of the prediction interval. */
  intervalLevel: number;
}

/**
 * Defaults. alpha, beta and windowS were tuned on a real 37-day Fridge-tag
 * 2 L log and checked on three held-out logger reports (BENCHMARKS.md,
 * "Anticipation"); minSpanS keeps a half-hour of a cycling fridge from
 * passing for a trend; the horizon is DESIGN §10's.
 */
export const DEFAULT_FORECAST_OPTIONS: Readonly<ForecastOptions> = Object.freeze({
  alpha: 0.3,
  beta: 0.1,
  fit: 'fixed',
  referenceStepS: 300,
  windowS: 3 * 3600,
  gapFactor: 3,
  minPoints: 6,
  minSpanS: 3600,
  horizonS: 2 * 3600,
  intervalLevel: 0.95,
});

/** DESIGN §10: the rule's impact becomes anticipated at p ≥ 0.8 unless the rule says otherwise. */
export const DEFAULT_P_MIN = 0.8;
/** The candidates of `fit: 'grid'` (weights for readings `referenceStepS` apart). */
export const ALPHA_GRID: readonly number[] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
export const BETA_GRID: readonly number[] = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5];

/** One step of the forecast path, `inS` seconds after the newest reading. */
export interface ForecastPoint {
  inS: number;
  value: number;
  lower: number;
  upper: number;
}

export interface Anticipation {
  /** Probability that the value crosses the threshold within the horizon (see `anticipate`). */
  p: number;
  /** Seconds from the newest reading until the point forecast reaches the threshold (0: the smoothed level is already past it); null when it does not within the horizon. */
  timeToThresholdS: number | null;
  /** The forecast at the horizon's end. */
  forecast: { value: number; lower: number; upper: number; horizonS: number };
  /** The forecast at every grid step up to the horizon. */
  path: ForecastPoint[];
  /** What the forecast stands on. */
  basis: {
    firstT: number;
    lastT: number;
    /** Readings in the window. */
    n: number;
    /** Grid step: the median interval of the window's readings. */
    stepS: number;
    /** Smoothing weights used at that step. */
    alpha: number;
    beta: number;
    /** Smoothed level at the newest reading, trend per minute, one-step error σ. */
    level: number;
    trendPerMinute: number;
    sigma: number;
  };
}

function invalid(message: string): never {
  throw new ForecastEngineError(ForecastEngineErrorCode.InvalidOption, message);
}

const inOpenUnit = (x: number) => Number.isFinite(x) && x > 0 && x < 1;

/** Options merged over the defaults and checked; every problem is named in one error. */
export function forecastOptions(options: Partial<ForecastOptions> = {}): ForecastOptions {
  const o: ForecastOptions = { ...DEFAULT_FORECAST_OPTIONS, ...options };
  const problems: string[] = [];
  if (!inOpenUnit(o.alpha)) problems.push('alpha must be in (0, 1)');
  if (!inOpenUnit(o.beta)) problems.push('beta must be in (0, 1)');
  if (o.fit !== 'fixed' && o.fit !== 'grid') problems.push("fit must be 'fixed' or 'grid'");
  if (!(o.referenceStepS > 0 && Number.isFinite(o.referenceStepS))) problems.push('referenceStepS must be > 0');
  if (!(o.windowS > 0)) problems.push('windowS must be > 0');
  if (!(o.gapFactor > 1)) problems.push('gapFactor must be > 1');
  if (!(Number.isInteger(o.minPoints) && o.minPoints >= MIN_FIT_POINTS)) problems.push(`minPoints must be an integer >= ${MIN_FIT_POINTS}`);
  if (!(o.minSpanS >= 0 && Number.isFinite(o.minSpanS))) problems.push('minSpanS must be >= 0');
  if (!(o.horizonS > 0 && Number.isFinite(o.horizonS))) problems.push('horizonS must be > 0');
  if (!inOpenUnit(o.intervalLevel)) problems.push('intervalLevel must be in (0, 1)');
  if (problems.length) invalid(problems.join('; '));
  return o;
}

function checkRule(rule: ThresholdSpec): void {
  const problems: string[] = [];
  if (rule.kind !== 'above' && rule.kind !== 'below') problems.push("kind must be 'above' or 'below'");
  if (!Number.isFinite(rule.threshold)) problems.push('threshold must be a number');
  if (rule.horizonMinutes !== undefined && !(rule.horizonMinutes > 0 && Number.isFinite(rule.horizonMinutes))) problems.push('horizonMinutes must be > 0');
  if (rule.pMin !== undefined && !(rule.pMin > 0 && rule.pMin <= 1)) problems.push('pMin must be in (0, 1]');
  if (problems.length) throw new ForecastEngineError(ForecastEngineErrorCode.InvalidRule, problems.join('; '));
}

/** P(Y ≥ threshold) (above) or P(Y ≤ threshold) (below) for Y ~ N(mean, sd²); with sd = 0, 1, ½ or 0. */
function beyond(rule: ThresholdSpec, mean: number, sd: number): number {
  const margin = rule.kind === 'above' ? mean - rule.threshold : rule.threshold - mean;
  if (sd > 0) return normalCdf(margin / sd);
  return margin > 0 ? 1 : margin === 0 ? 0.5 : 0;
}

/** The z of a two-sided prediction interval of coverage `level`; the last one is kept, as it is a bisection and the level rarely changes. */
let lastZ = { level: NaN, z: NaN };
function zOf(level: number): number {
  if (lastZ.level !== level) lastZ = { level, z: normalQuantile((1 + level) / 2) };
  return lastZ.z;
}

function fit(values: number[], stepS: number, o: ForecastOptions): HoltFit {
  const at = (w: number) => adaptToStep(w, stepS, o.referenceStepS);
  if (o.fit === 'fixed') return fitHolt(values, at(o.alpha), at(o.beta));
  let best: HoltFit | null = null;
  for (const a of ALPHA_GRID) {
    for (const b of BETA_GRID) {
      const candidate = fitHolt(values, at(a), at(b));
      if (best === null || candidate.sse < best.sse) best = candidate;
    }
  }
  return best!;
}

/**
 * A forecast of one sensor's readings against one threshold rule.
 *
 * The window (`regularWindow`) is fitted with Holt's linear method at its
 * median interval; the h-step forecast is ℓ + h·b with variance σ²·(1 + Σ c_j²)
 * (`varianceFactors`), σ from the in-sample one-step errors. The probability
 * of crossing within the horizon, P(max_h Y_h ≥ threshold), is approximated by
 * max_h P(Y_h ≥ threshold) under the normal predictive at each grid step up to
 * the horizon: a lower bound of the exact value (the path's steps are
 * correlated, so the bound is close when one step dominates), and one that
 * never decreases as an upper threshold is lowered. Null when the window has
 * too few readings or spans too short a time.
 */
export function anticipate(readings: readonly Reading[], rule: ThresholdSpec, options: Partial<ForecastOptions> = {}): Anticipation | null {
  checkRule(rule);
  const o = forecastOptions(options);
  const window = regularWindow(readings, o);
  if (!window) return null;
  const { values, stepS } = window;
  const holt = fit(values, stepS, o);
  const horizonS = rule.horizonMinutes !== undefined ? rule.horizonMinutes * 60 : o.horizonS;
  const steps = Math.max(1, Math.floor(horizonS / stepS));
  const z = zOf(o.intervalLevel);
  const factors = varianceFactors(holt.alpha, holt.beta, steps);
  const path: ForecastPoint[] = [];
  let p = 0;
  for (let h = 1; h <= steps; h++) {
    const value = holt.level + h * holt.trend;
    const sd = holt.sigma * Math.sqrt(factors[h - 1]);
    path.push({ inS: h * stepS, value, lower: value - z * sd, upper: value + z * sd });
    p = Math.max(p, beyond(rule, value, sd));
  }
  const end = path[path.length - 1];
  return {
    p,
    timeToThresholdS: timeToThreshold(rule, holt.level, holt.trend / stepS, end.inS),
    forecast: { value: end.value, lower: end.lower, upper: end.upper, horizonS: end.inS },
    path,
    basis: {
      firstT: window.firstT,
      lastT: window.lastT,
      n: window.n,
      stepS,
      alpha: holt.alpha,
      beta: holt.beta,
      level: holt.level,
      trendPerMinute: (holt.trend / stepS) * 60,
      sigma: holt.sigma,
    },
  };
}

/** When the line level + perSecond·τ reaches the threshold, if within the horizon. */
function timeToThreshold(rule: ThresholdSpec, level: number, perSecond: number, horizonS: number): number | null {
  const sign = rule.kind === 'above' ? 1 : -1;
  const gap = sign * (rule.threshold - level);
  if (gap <= 0) return 0;
  const towards = sign * perSecond;
  if (!(towards > 0)) return null;
  const t = gap / towards;
  return t <= horizonS ? t : null;
}
