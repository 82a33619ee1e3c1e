import { anticipate, Anticipation, DEFAULT_FORECAST_OPTIONS, ForecastOptions, ThresholdSpec } from '../anticipate';
import { AnticipationTransition, emptyAnticipationState, stepAnticipation } from '../anticipation-state';
import type { Reading } from '../window';

/** Test helpers: deterministic series, and a sensor replayed through the forecasts as the worker would. */

export const T0 = 1_700_000_000;
export const MINUTE = 60;

/** A seeded standard normal generator (mulberry32 + Box–Muller), the same numbers on every run. */
export function gaussian(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => {
    const u = Math.max(uniform(), Number.EPSILON);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}

/** Readings `stepS` apart from `t0`. */
export const series = (values: number[], stepS = 5 * MINUTE, t0 = T0): Reading[] => values.map((v, i) => ({ t: t0 + i * stepS, v }));

/** A rule as the telemetry engine runs it: outside the threshold (strictly) for forMinutes. */
export type TestRule = ThresholdSpec & { forMinutes: number };

export interface Replayed {
  transitions: AnticipationTransition[];
  /** Times the rule itself fired. */
  fired: number[];
  /** The forecast after each reading. */
  forecasts: Array<Anticipation | null>;
}

/** Each reading in time order: the rule's own state, the forecast on the window so far, one anticipation step. */
export function replay(readings: Reading[], rule: TestRule, options: Partial<ForecastOptions> = {}, pMin?: number): Replayed {
  const sorted = [...readings].sort((a, b) => a.t - b.t);
  const windowS = options.windowS ?? DEFAULT_FORECAST_OPTIONS.windowS;
  let state = emptyAnticipationState();
  let since: number | null = null;
  let firing = false;
  const out: Replayed = { transitions: [], fired: [], forecasts: [] };
  let from = 0;
  sorted.forEach((r, i) => {
    const outside = rule.kind === 'above' ? r.v > rule.threshold : r.v < rule.threshold;
    if (!outside) {
      since = null;
      firing = false;
    } else {
      since ??= r.t;
      if (!firing && r.t - since >= rule.forMinutes * MINUTE) {
        firing = true;
        out.fired.push(r.t);
      }
    }
    while (sorted[from].t < r.t - windowS) from++;
    const forecast = anticipate(sorted.slice(from, i + 1), rule, options);
    out.forecasts.push(forecast);
    const step = stepAnticipation(state, { at: r.t, forecast, firing }, pMin ?? rule.pMin);
    state = step.state;
    out.transitions.push(...step.transitions);
  });
  return out;
}
