import type { EventStatus } from '@tiersight/contracts';
import type { SensorForecastState } from './sensor-forecasts';
import type { SensorRule } from './rules';

/**
 * Rule evaluation as a pure state machine over one sensor's readings. The
 * state is plain JSON (kept in Redis between batches); feeding the same
 * readings twice changes nothing, because readings at or before `lastT`
 * have already moved the state and are skipped.
 */

/** A reading time (seconds, SenML's resolved time) as an ISO instant. */
export const isoOfSeconds = (seconds: number) => new Date(Math.round(seconds * 1000)).toISOString();

export interface Reading {
  /** Seconds since 1970 (SenML resolved time). */
  t: number;
  v: number;
}

export interface RuleState {
  firing: boolean;
  /** Threshold rules: when the current run of out-of-range readings began. */
  since: number | null;
  /** Rate rules: the previous reading. */
  prevT?: number;
  prevV?: number;
  /** The current or last episode: when it was raised and (if over) cleared, in reading time. */
  raisedAt: number | null;
  clearedAt: number | null;
  /** Counts transitions; a write to the graph carries it so an older write never overrides a newer one. */
  rev: number;
}

export interface SensorState {
  /** The time of the newest reading that moved the rules. */
  lastT: number | null;
  rules: Record<string, RuleState>;
  /** Threshold rules' forecasts (DESIGN §10), moved by sensor-forecasts.ts; absent in states written before forecasts. */
  forecasts?: Record<string, SensorForecastState>;
}

export interface Transition {
  ruleId: string;
  kind: 'raised' | 'cleared';
  /** Reading time of the transition (seconds). */
  at: number;
  rev: number;
}

export interface Evaluation {
  state: SensorState;
  transitions: Transition[];
  /** Readings not evaluated: at or before the time the rules had already reached (replays, late arrivals). */
  skipped: number;
}

export const emptySensorState = (): SensorState => ({ lastT: null, rules: {} });
const emptyRuleState = (): RuleState => ({ firing: false, since: null, raisedAt: null, clearedAt: null, rev: 0 });

function clone(state: SensorState): SensorState {
  const rules: Record<string, RuleState> = {};
  for (const [id, r] of Object.entries(state.rules)) rules[id] = { ...r };
  return state.forecasts ? { lastT: state.lastT, rules, forecasts: { ...state.forecasts } } : { lastT: state.lastT, rules };
}

function raise(rule: SensorRule, s: RuleState, at: number, out: Transition[]): void {
  s.firing = true;
  s.raisedAt = at;
  s.clearedAt = null;
  s.rev += 1;
  out.push({ ruleId: rule.id, kind: 'raised', at, rev: s.rev });
}

function clear(rule: SensorRule, s: RuleState, at: number, out: Transition[]): void {
  s.firing = false;
  s.clearedAt = at;
  s.rev += 1;
  out.push({ ruleId: rule.id, kind: 'cleared', at, rev: s.rev });
}

/** Moves the rules through the readings, in time order. */
export function evaluateReadings(previous: SensorState, rules: SensorRule[], readings: Reading[]): Evaluation {
  const state = clone(previous);
  const transitions: Transition[] = [];
  const sorted = [...readings].sort((a, b) => a.t - b.t);
  let skipped = 0;
  for (const reading of sorted) {
    if (state.lastT !== null && reading.t <= state.lastT) {
      skipped++;
      continue;
    }
    for (const rule of rules) {
      const s = (state.rules[rule.id] ??= emptyRuleState());
      step(rule, s, reading, transitions);
    }
    state.lastT = reading.t;
  }
  return { state, transitions, skipped };
}

function step(rule: SensorRule, s: RuleState, { t, v }: Reading, out: Transition[]): void {
  switch (rule.kind) {
    case 'above':
    case 'below': {
      const outside = rule.kind === 'above' ? v > rule.threshold : v < rule.threshold;
      if (!outside) {
        s.since = null;
        if (s.firing) clear(rule, s, t, out);
        return;
      }
      s.since ??= t;
      if (!s.firing && t - s.since >= rule.forMinutes * 60) raise(rule, s, t, out);
      return;
    }
    case 'rate': {
      if (s.prevT !== undefined && s.prevV !== undefined && t > s.prevT) {
        const perMinute = Math.abs(v - s.prevV) / ((t - s.prevT) / 60);
        if (perMinute > rule.maxPerMinute) {
          if (!s.firing) raise(rule, s, t, out);
        } else if (s.firing) {
          clear(rule, s, t, out);
        }
      }
      s.prevT = t;
      s.prevV = v;
      return;
    }
    case 'no-reading':
      if (s.firing) clear(rule, s, t, out);
      return;
  }
}

/**
 * The periodic check for silent sensors at `nowSeconds`. A sensor never heard
 * from counts from `sinceSeconds` (its registration). The raise time is the
 * moment the silence passed the limit, so repeating the check changes nothing.
 */
export function checkSilence(previous: SensorState, rules: SensorRule[], nowSeconds: number, sinceSeconds: number): Evaluation {
  const state = clone(previous);
  const transitions: Transition[] = [];
  const last = state.lastT ?? sinceSeconds;
  for (const rule of rules) {
    if (rule.kind !== 'no-reading') continue;
    const s = (state.rules[rule.id] ??= emptyRuleState());
    const due = last + rule.minutes * 60;
    if (!s.firing && nowSeconds >= due) raise(rule, s, due, transitions);
  }
  return { state, transitions, skipped: 0 };
}

/** What the graph should hold for one (sensor, rule): nothing before a first raise, else the episode's event. */
export interface ImpactState {
  ruleId: string;
  status: EventStatus;
  raisedAt: number;
  clearedAt: number | null;
  x: number;
  days: number;
  rev: number;
}

export function impactOf(rule: SensorRule, s: RuleState | undefined): ImpactState | null {
  if (!s || s.raisedAt === null) return null;
  return {
    ruleId: rule.id,
    status: s.firing ? 'active' : 'closed',
    raisedAt: s.raisedAt,
    clearedAt: s.firing ? null : s.clearedAt,
    x: rule.x,
    days: rule.days,
    rev: s.rev,
  };
}

const sameEpisode = (a: RuleState | undefined, b: RuleState | undefined) =>
  (a?.firing ?? false) === (b?.firing ?? false) && (a?.raisedAt ?? null) === (b?.raisedAt ?? null) && (a?.clearedAt ?? null) === (b?.clearedAt ?? null);

/**
 * Late readings (at or before the state's `lastT`: a job overtaken by a later
 * one, or retried after its worker died) replayed in time order: from
 * `checkpoint` (a state the sensor had at an earlier `lastT`) through every
 * reading kept since (`stored`, from the recent window) merged with the late
 * ones. The result is what evaluating all readings in time order gives, so
 * the arrival order of batches never changes an impact. A rule whose episode
 * differs from `current` gets a new revision and a transition; replaying
 * readings already seen changes nothing. No-reading rules depend on the clock,
 * not on the readings: they keep their state, and a late reading after the
 * silence began ends it.
 */
export function replayReadings(current: SensorState, rules: SensorRule[], checkpoint: SensorState, stored: Reading[], late: Reading[]): Evaluation {
  const from = checkpoint.lastT ?? -Infinity;
  const byTime = new Map<number, number>();
  for (const r of stored) if (r.t > from) byTime.set(r.t, r.v);
  let skipped = 0;
  for (const r of late) {
    if (r.t > from) byTime.set(r.t, r.v);
    else skipped++;
  }
  const readings = [...byTime].map(([t, v]) => ({ t, v }));
  const replayed = evaluateReadings(
    clone(checkpoint),
    rules.filter((r) => r.kind !== 'no-reading'),
    readings,
  ).state;
  const state = clone(current);
  if (replayed.lastT !== null && (state.lastT === null || replayed.lastT > state.lastT)) state.lastT = replayed.lastT;
  const transitions: Transition[] = [];
  for (const rule of rules) {
    const before = current.rules[rule.id];
    if (rule.kind === 'no-reading') {
      const s = state.rules[rule.id];
      if (!s?.firing || s.raisedAt === null) continue;
      const after = late.filter((r) => r.t >= s.raisedAt!).sort((a, b) => a.t - b.t)[0];
      if (after) clear(rule, s, after.t, transitions);
      continue;
    }
    const next = replayed.rules[rule.id];
    if (!next) continue;
    const rev = before?.rev ?? 0;
    if (sameEpisode(before, next)) {
      state.rules[rule.id] = { ...next, rev };
      continue;
    }
    state.rules[rule.id] = { ...next, rev: rev + 1 };
    if (next.raisedAt === null && before?.raisedAt != null) {
      // The episode written before does not survive the full history: it closes where it began.
      Object.assign(state.rules[rule.id], { raisedAt: before.raisedAt, clearedAt: before.raisedAt });
      transitions.push({ ruleId: rule.id, kind: 'cleared', at: before.raisedAt, rev: rev + 1 });
    } else if (next.raisedAt !== null) {
      transitions.push({
        ruleId: rule.id,
        kind: next.firing ? 'raised' : 'cleared',
        at: next.firing ? next.raisedAt : (next.clearedAt ?? next.raisedAt),
        rev: rev + 1,
      });
    }
  }
  return { state, transitions, skipped };
}
