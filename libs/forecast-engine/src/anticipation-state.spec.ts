import type { Anticipation } from './anticipate';
import { AnticipationState, AnticipationStep, emptyAnticipationState, stepAnticipation } from './anticipation-state';
import { ForecastEngineError } from './forecast-engine.error';
import { T0 } from './testing/series';

/** A forecast with only what the state machine reads set to something meaningful. */
const forecast = (p: number, timeToThresholdS: number | null): Anticipation => ({
  p,
  timeToThresholdS,
  forecast: { value: 0, lower: 0, upper: 0, horizonS: 7200 },
  path: [],
  basis: { firstT: T0, lastT: T0, n: 6, stepS: 300, alpha: 0.3, beta: 0.1, level: 0, trendPerMinute: 0, sigma: 0 },
});

/** Runs the steps from the empty state (one every 5 minutes), returning the transitions as [kind, minute, p, reason?] and the final state. */
function run(steps: Array<Omit<AnticipationStep, 'at'>>, pMin?: number) {
  let state: AnticipationState = emptyAnticipationState();
  const seen: Array<[string, number, number, string?]> = [];
  steps.forEach((step, i) => {
    const out = stepAnticipation(state, { ...step, at: T0 + i * 300 }, pMin);
    state = out.state;
    for (const t of out.transitions) seen.push(t.reason ? [t.kind, i * 5, t.p, t.reason] : [t.kind, i * 5, t.p]);
  });
  return { seen, state };
}

const quiet = { forecast: forecast(0.1, null), firing: false };

describe('anticipation states', () => {
  it('raises at p ≥ pMin (0.8 by default, the boundary included), not below', () => {
    expect(run([quiet, { forecast: forecast(0.79, 3600), firing: false }]).seen).toEqual([]);
    expect(run([quiet, { forecast: forecast(0.8, 3600), firing: false }]).seen).toEqual([['anticipated', 5, 0.8]]);
    expect(run([{ forecast: forecast(0.85, 3600), firing: false }], 0.9).seen).toEqual([]);
  });

  it('stays while the forecast still crosses, even with p under pMin, and keeps the latest p', () => {
    const { seen, state } = run([
      { forecast: forecast(0.9, 3000), firing: false },
      { forecast: forecast(0.6, 4000), firing: false },
      { forecast: forecast(0.7, 3500), firing: false },
    ]);
    expect(seen).toEqual([['anticipated', 0, 0.9]]);
    expect(state).toMatchObject({ status: 'anticipated', p: 0.7, raisedAt: T0, endedAt: null, rev: 1 });
  });

  it('clears when the point forecast no longer reaches the threshold within the horizon', () => {
    const { seen, state } = run([
      { forecast: forecast(0.9, 3000), firing: false },
      { forecast: forecast(0.85, 2000), firing: false },
      { forecast: forecast(0.3, null), firing: false },
    ]);
    expect(seen).toEqual([
      ['anticipated', 0, 0.9],
      ['cleared', 10, 0.85, 'no-crossing'],
    ]);
    expect(state).toMatchObject({ status: 'idle', p: null, raisedAt: T0, endedAt: T0 + 600, rev: 2 });
  });

  it('clears when no forecast can be made (a gap, too few readings)', () => {
    expect(
      run([
        { forecast: forecast(0.9, 3000), firing: false },
        { forecast: null, firing: false },
      ]).seen,
    ).toEqual([
      ['anticipated', 0, 0.9],
      ['cleared', 5, 0.9, 'no-forecast'],
    ]);
  });

  it('is superseded when the rule fires, stays observed while it fires, and may anticipate again once it clears', () => {
    const { seen, state } = run([
      { forecast: forecast(0.9, 3000), firing: false },
      { forecast: forecast(1, 0), firing: true },
      { forecast: forecast(1, 0), firing: true },
      { forecast: forecast(0.2, null), firing: false },
      { forecast: forecast(0.95, 1200), firing: false },
    ]);
    expect(seen).toEqual([
      ['anticipated', 0, 0.9],
      ['superseded', 5, 0.9],
      ['anticipated', 20, 0.95],
    ]);
    expect(state).toMatchObject({ status: 'anticipated', rev: 3 });
  });

  it('a rule that fires unannounced moves to observed without a transition', () => {
    const { seen, state } = run([quiet, { forecast: forecast(1, 0), firing: true }]);
    expect(seen).toEqual([]);
    expect(state.status).toBe('observed');
  });

  it('ignores a step at or before the last one (a replay changes nothing)', () => {
    const first = stepAnticipation(emptyAnticipationState(), { at: T0 + 600, forecast: forecast(0.9, 3000), firing: false });
    const again = stepAnticipation(first.state, { at: T0 + 600, forecast: null, firing: false });
    const older = stepAnticipation(first.state, { at: T0, forecast: forecast(0.1, null), firing: true });
    expect(again).toEqual({ state: first.state, transitions: [] });
    expect(older).toEqual({ state: first.state, transitions: [] });
  });

  it('does not change the state it is given', () => {
    const start = emptyAnticipationState();
    const copy = JSON.parse(JSON.stringify(start));
    stepAnticipation(start, { at: T0, forecast: forecast(0.9, 3000), firing: false });
    expect(start).toEqual(copy);
  });

  it('refuses a pMin outside (0, 1]', () => {
    expect(() => stepAnticipation(emptyAnticipationState(), { at: T0, forecast: null, firing: false }, 0)).toThrow(ForecastEngineError);
    expect(() => stepAnticipation(emptyAnticipationState(), { at: T0, forecast: null, firing: false }, 1.2)).toThrow(ForecastEngineError);
  });
});
