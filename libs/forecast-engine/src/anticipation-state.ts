import { DEFAULT_P_MIN, type Anticipation } from './anticipate';
import { ForecastEngineError, ForecastEngineErrorCode } from './forecast-engine.error';

/**
 * Successive forecasts of one (sensor, rule) turned into the life of its
 * anticipated impact (DESIGN §10), as a pure state machine whose state is
 * plain JSON, like the rule engine's:
 *
 * - idle → anticipated when a forecast gives p ≥ pMin;
 * - anticipated → idle ("cleared") when the point forecast no longer reaches
 *   the threshold within the horizon, or no forecast can be made (too few
 *   readings, a gap): p may dip under pMin meanwhile without clearing, so one
 *   noisy reading does not make it flap;
 * - any → observed while the rule itself fires ("superseded" when an
 *   anticipation was up): the observed impact replaces it; back to idle when
 *   the rule clears.
 *
 * Steps at or before the last step's time are ignored, so replaying a step
 * changes nothing.
 */

export type AnticipationStatus = 'idle' | 'anticipated' | 'observed';

export interface AnticipationState {
  status: AnticipationStatus;
  /** The latest p while anticipated, else null. */
  p: number | null;
  /** When the current or last anticipation was raised, and (if over) when it ended. */
  raisedAt: number | null;
  endedAt: number | null;
  /** Why the last anticipation ended (null while it is up, or before any): superseded by the rule firing, or cleared. */
  endedBy: 'observed' | 'no-crossing' | 'no-forecast' | null;
  /** The p it had when it ended. */
  endedP: number | null;
  /** Time of the last step taken. */
  lastAt: number | null;
  /** Counts transitions; a write carrying it never overrides a newer one. */
  rev: number;
}

export interface AnticipationTransition {
  kind: 'anticipated' | 'cleared' | 'superseded';
  at: number;
  /** anticipated: the p that raised it; cleared, superseded: the last p it had. */
  p: number;
  /** cleared: why. */
  reason?: 'no-crossing' | 'no-forecast';
  rev: number;
}

export interface AnticipationStep {
  /** Time the step is taken at (the newest reading's time). */
  at: number;
  /** The forecast at that time, or null when none could be made. */
  forecast: Anticipation | null;
  /** Whether the rule itself fires at that time. */
  firing: boolean;
}

export const emptyAnticipationState = (): AnticipationState => ({
  status: 'idle',
  p: null,
  raisedAt: null,
  endedAt: null,
  endedBy: null,
  endedP: null,
  lastAt: null,
  rev: 0,
});

export function stepAnticipation(
  previous: AnticipationState,
  step: AnticipationStep,
  pMin: number = DEFAULT_P_MIN,
): { state: AnticipationState; transitions: AnticipationTransition[] } {
  if (!(pMin > 0 && pMin <= 1)) throw new ForecastEngineError(ForecastEngineErrorCode.InvalidOption, 'pMin must be in (0, 1]');
  if (previous.lastAt !== null && step.at <= previous.lastAt) return { state: previous, transitions: [] };
  const s: AnticipationState = { ...previous, lastAt: step.at };
  const transitions: AnticipationTransition[] = [];
  const end = (kind: 'cleared' | 'superseded', reason?: 'no-crossing' | 'no-forecast') => {
    s.rev += 1;
    transitions.push({ kind, at: step.at, p: s.p!, ...(reason ? { reason } : {}), rev: s.rev });
    s.status = 'idle';
    s.endedAt = step.at;
    s.endedBy = kind === 'superseded' ? 'observed' : reason!;
    s.endedP = s.p;
    s.p = null;
  };

  if (step.firing) {
    if (s.status === 'anticipated') end('superseded');
    s.status = 'observed';
    return { state: s, transitions };
  }
  if (s.status === 'observed') s.status = 'idle';

  const f = step.forecast;
  if (s.status === 'anticipated') {
    if (f === null) end('cleared', 'no-forecast');
    else if (f.timeToThresholdS === null) end('cleared', 'no-crossing');
    else s.p = f.p;
    return { state: s, transitions };
  }
  if (f !== null && f.p >= pMin) {
    s.status = 'anticipated';
    s.p = f.p;
    s.raisedAt = step.at;
    s.endedAt = null;
    s.endedBy = null;
    s.endedP = null;
    s.rev += 1;
    transitions.push({ kind: 'anticipated', at: step.at, p: f.p, rev: s.rev });
  }
  return { state: s, transitions };
}
