import { anticipate, emptyAnticipationState, stepAnticipation, type Anticipation, type AnticipationState } from '@tiersight/forecast-engine';
import type { EventStatus } from '@tiersight/contracts';
import type { Reading, SensorState } from './rule-engine';
import type { SensorRule, ThresholdRule } from './rules';

/**
 * DESIGN §10 for sensors: after each batch, every threshold rule of a sensor
 * gets a forecast on the sensor's recent window (Holt, @tiersight/forecast-engine)
 * and one step of its anticipation state machine. The states live in the
 * sensor's state (`forecasts`), so they move under the same compare-and-set
 * as the rules themselves. Pure.
 */

/** Threshold rules forecast unless their configuration says `anticipate: false`. */
export const forecastRules = (rules: readonly SensorRule[]): ThresholdRule[] =>
  rules.filter((r): r is ThresholdRule => (r.kind === 'above' || r.kind === 'below') && r.anticipate !== false);

/** The forecast an anticipation stands on (DESIGN §10, "why, always"): what was forecast, from which readings. */
export interface ForecastBasis {
  /** Time of the newest reading the forecast was made at (seconds). */
  at: number;
  /** The forecast at the horizon's end, with its prediction interval. */
  value: number;
  lower: number;
  upper: number;
  horizonS: number;
  /** When the point forecast reaches the threshold, from `at` (null: not within the horizon). */
  timeToThresholdS: number | null;
  /** The readings it was fitted on: how many, from when to when, and the trend per minute they show. */
  readings: number;
  from: number;
  to: number;
  trendPerMinute: number;
}

/** A rule's anticipation state with the basis of its latest (or last) anticipation. */
export type SensorForecastState = AnticipationState & { basis?: ForecastBasis };

const basisOf = (f: Anticipation): ForecastBasis => ({
  at: f.basis.lastT,
  value: f.forecast.value,
  lower: f.forecast.lower,
  upper: f.forecast.upper,
  horizonS: f.forecast.horizonS,
  timeToThresholdS: f.timeToThresholdS,
  readings: f.basis.n,
  from: f.basis.firstT,
  to: f.basis.lastT,
  trendPerMinute: f.basis.trendPerMinute,
});

/** What the graph should hold for one (sensor, rule) forecast: nothing before a first anticipation, else its episode. */
export interface ForecastImpact {
  ruleId: string;
  /** active while anticipated; closed once cleared or superseded by the rule firing. */
  status: EventStatus;
  /** The latest p while anticipated; the last one it had once closed. */
  p: number;
  raisedAt: number;
  endedAt: number | null;
  /** Why it closed: the rule fired (the observed impact took over), or the forecast no longer crosses or cannot be made. */
  endReason: 'observed' | 'no-crossing' | 'no-forecast' | null;
  x: number;
  days: number;
  rev: number;
  /** The rule's condition, for the why. */
  condition: { kind: 'above' | 'below'; threshold: number };
  basis: ForecastBasis | null;
}

export interface ForecastStep {
  state: SensorState;
  /** Rules whose forecast impact the graph must be told about (a transition, or p moved by a reporting step). */
  changed: string[];
}

/** p is written again once it moved by this much: the outlook's probability stays current without a write per batch. */
export const P_STEP = 0.05;

/**
 * Steps every forecast rule of one sensor at the newest reading of `window`
 * (the sensor's recent readings, any order). A sensor whose newest reading is
 * not newer than the last step (a late or replayed batch) keeps its forecasts.
 */
export function stepForecasts(previous: SensorState, rules: readonly SensorRule[], window: readonly Reading[]): ForecastStep {
  const forecast = forecastRules(rules);
  if (forecast.length === 0 || window.length === 0) return { state: previous, changed: [] };
  const at = window.reduce((max, r) => (r.t > max ? r.t : max), -Infinity);
  const forecasts: Record<string, SensorForecastState> = { ...(previous.forecasts ?? {}) };
  const changed: string[] = [];
  for (const rule of forecast) {
    const before = forecasts[rule.id] ?? emptyAnticipationState();
    const firing = previous.rules[rule.id]?.firing ?? false;
    // No forecast while the rule fires: the observed impact stands, and the model's cost is spared.
    const f = firing ? null : anticipate(window, rule);
    const { state, transitions } = stepAnticipation(before, { at, forecast: f, firing }, rule.pMin);
    const pMoved = state.status === 'anticipated' && before.p !== null && Math.abs((state.p ?? 0) - before.p) >= P_STEP;
    const reported = transitions.length > 0 || pMoved;
    // The basis moves with what is reported, so the stored why always matches the stored p; a closed one keeps its last.
    const basis = reported && state.status === 'anticipated' && f ? basisOf(f) : before.basis;
    forecasts[rule.id] = basis ? { ...state, basis } : state;
    if (reported) changed.push(rule.id);
  }
  return { state: { ...previous, forecasts }, changed };
}

/** The graph's view of one rule's forecast, or null when it was never anticipated. */
export function forecastImpactOf(rule: ThresholdRule, s: SensorForecastState | undefined): ForecastImpact | null {
  if (!s || s.raisedAt === null) return null;
  const active = s.status === 'anticipated';
  return {
    ruleId: rule.id,
    status: active ? 'active' : 'closed',
    p: (active ? s.p : s.endedP) ?? 0,
    raisedAt: s.raisedAt,
    endedAt: active ? null : s.endedAt,
    endReason: active ? null : s.endedBy,
    x: rule.x,
    days: rule.days,
    rev: s.rev,
    condition: { kind: rule.kind, threshold: rule.threshold },
    basis: s.basis ?? null,
  };
}
