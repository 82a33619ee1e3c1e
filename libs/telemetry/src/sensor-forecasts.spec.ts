import { anticipate } from '@tiersight/forecast-engine';
import { emptySensorState, evaluateReadings, Reading, SensorState } from './rule-engine';
import { parseRuleConfig, RuleConfigError, ThresholdRule } from './rules';
import { forecastImpactOf, forecastRules, P_STEP, stepForecasts } from './sensor-forecasts';

/**
 * A sensor's threshold rules forecast after each batch (DESIGN §10), driven
 * here the way ReadingsService does: the rules move through the batch, then
 * the forecasts step on the window at its newest reading.
 */
const T0 = 1_700_000_000;
const warm: ThresholdRule = { id: 'too-warm', kind: 'above', threshold: 8, forMinutes: 30, x: 0.5, days: 7 };
const rules = [warm, { id: 'swing', kind: 'rate' as const, maxPerMinute: 5, x: 0.1, days: 1 }];
/** Readings every 5 minutes from minute `from`. */
const series = (values: number[], from = 0): Reading[] => values.map((v, i) => ({ t: T0 + (from + 5 * i) * 60, v }));

/** Feeds batches as the worker does; the window is everything so far (the store keeps it). */
function drive(batches: Reading[][], start: SensorState = emptySensorState()) {
  let state = start;
  const window: Reading[] = [];
  const moved: string[][] = [];
  for (const batch of batches) {
    state = evaluateReadings(state, rules, batch).state;
    window.push(...batch);
    const step = stepForecasts(state, rules, window);
    state = step.state;
    moved.push(step.changed);
  }
  return { state, moved };
}

const flat = series(Array.from({ length: 36 }, (_, i) => 5 + 0.05 * Math.sin(i)));
/** Three hours flat at 5 °C, then a steady climb of 0.1 °C per 5 minutes. */
const climb = (steps: number) =>
  series(
    Array.from({ length: steps }, (_, i) => 5 + 0.1 * (i + 1)),
    36 * 5,
  );

describe('sensor forecasts (threshold rules, DESIGN §10)', () => {
  it('a flat series never anticipates; a steady climb towards the threshold does, with the p the forecast gives', () => {
    const quiet = drive([flat]);
    expect(quiet.state.forecasts?.['too-warm']).toMatchObject({ status: 'idle', raisedAt: null });
    expect(forecastImpactOf(warm, quiet.state.forecasts?.['too-warm'])).toBeNull();

    // One reading per batch: the first batch whose forecast reaches p ≥ 0.8 raises it, and no earlier one.
    const batches = [flat, ...climb(24).map((r) => [r])];
    const { state, moved } = drive(batches);
    const raisedAt = moved.findIndex((m) => m.includes('too-warm'));
    expect(raisedAt).toBeGreaterThan(0);
    const window = batches.slice(0, raisedAt + 1).flat();
    expect(anticipate(window, warm)!.p).toBeGreaterThanOrEqual(0.8);
    expect(anticipate(window.slice(0, -1), warm)?.p ?? 0).toBeLessThan(0.8);
    // Still below 8 °C when raised: a warning before the threshold, not after it.
    expect(window[window.length - 1].v).toBeLessThan(warm.threshold);
    const impact = forecastImpactOf(warm, state.forecasts!['too-warm'])!;
    expect(impact).toMatchObject({ ruleId: 'too-warm', status: 'active', x: 0.5, days: 7, raisedAt: window[window.length - 1].t, endedAt: null });
    expect(impact.p).toBeGreaterThanOrEqual(0.8);
    expect(impact.p).toBeLessThanOrEqual(1);
    // The why: right after the raise, the forecast of the step that raised it, on the readings it was fitted on.
    const f = anticipate(window, warm)!;
    const atRaise = forecastImpactOf(warm, drive(batches.slice(0, raisedAt + 1)).state.forecasts!['too-warm'])!;
    expect(atRaise.condition).toEqual({ kind: 'above', threshold: 8 });
    expect(atRaise.basis).toEqual({
      at: window[window.length - 1].t,
      value: f.forecast.value,
      lower: f.forecast.lower,
      upper: f.forecast.upper,
      horizonS: f.forecast.horizonS,
      timeToThresholdS: f.timeToThresholdS,
      readings: f.basis.n,
      from: f.basis.firstT,
      to: window[window.length - 1].t,
      trendPerMinute: f.basis.trendPerMinute,
    });
    expect(atRaise.basis!.timeToThresholdS).toBeGreaterThan(0);
    expect(atRaise.basis!.upper).toBeGreaterThan(warm.threshold);
    // Later reported steps (p moved) carry their own forecast: the stored why is the latest reported one.
    expect(impact.basis!.at).toBeGreaterThanOrEqual(atRaise.basis!.at);
  });

  it('gives way to the observed impact when the rule fires, and records why and at what p it ended', () => {
    const up = climb(60).filter((r) => r.v <= 11);
    const { state, moved } = drive([flat, ...up.map((r) => [r])]);
    expect(state.rules['too-warm'].firing).toBe(true);
    const impact = forecastImpactOf(warm, state.forecasts!['too-warm'])!;
    expect(impact.status).toBe('closed');
    expect(impact.endReason).toBe('observed');
    expect(impact.endedAt).toBe(state.rules['too-warm'].raisedAt);
    expect(impact.p).toBeGreaterThanOrEqual(0.8);
    // A closed anticipation keeps the basis it was last reported with.
    expect(impact.basis!.at).toBeLessThan(impact.endedAt!);
    expect(impact.basis!.at).toBeGreaterThanOrEqual(impact.raisedAt);
    // The batch where the rule fired is one where the forecast moved (superseded).
    const firedBatch = 1 + up.findIndex((r) => r.t === state.rules['too-warm'].raisedAt);
    expect(moved[firedBatch]).toContain('too-warm');
  });

  it('clears when the climb turns back (no crossing); between transitions it reports p only when p moved by P_STEP or more', () => {
    const up = climb(22);
    const back = series(
      Array.from({ length: 12 }, (_, i) => 7.2 - 0.3 * (i + 1)),
      (36 + 22) * 5,
    );
    let state = drive([flat]).state;
    const window = [...flat];
    let pMoves = 0;
    for (const r of [...up, ...back]) {
      state = evaluateReadings(state, rules, [r]).state;
      window.push(r);
      const before = state.forecasts?.['too-warm'];
      const step = stepForecasts(state, rules, window);
      const after = step.state.forecasts!['too-warm'];
      if (before?.status === 'anticipated' && after.status === 'anticipated') {
        const moved = Math.abs(after.p! - before.p!) >= P_STEP;
        expect(step.changed.includes('too-warm')).toBe(moved);
        if (moved) pMoves++;
      }
      state = step.state;
    }
    expect(pMoves).toBeGreaterThan(0);
    const s = state.forecasts!['too-warm'];
    expect(s.status).toBe('idle');
    expect(s.endedBy).toBe('no-crossing');
    expect(forecastImpactOf(warm, s)).toMatchObject({ status: 'closed', endReason: 'no-crossing' });
  });

  it('a batch no newer than the last step (late or replayed) leaves the forecasts as they were', () => {
    const { state } = drive([flat, climb(20)]);
    const again = stepForecasts(state, rules, [...flat, ...climb(20)]);
    expect(again.changed).toEqual([]);
    expect(again.state.forecasts).toEqual(state.forecasts);
    const older = stepForecasts(state, rules, flat);
    expect(older.state.forecasts).toEqual(state.forecasts);
  });

  it('only threshold rules forecast, and `anticipate: false` turns a rule off', () => {
    expect(forecastRules(rules).map((r) => r.id)).toEqual(['too-warm']);
    const off = [{ ...warm, anticipate: false }];
    expect(forecastRules(off)).toEqual([]);
    expect(stepForecasts(emptySensorState(), off, [...flat, ...climb(20)]).state.forecasts).toBeUndefined();
  });

  it('a rule with a lower pMin anticipates earlier than the default 0.8', () => {
    const batches = [flat, ...climb(24).map((r) => [r])];
    const first = (pMin?: number) => {
      const rule = { ...warm, ...(pMin ? { pMin } : {}) };
      let state = emptySensorState();
      const window: Reading[] = [];
      for (const [k, batch] of batches.entries()) {
        state = evaluateReadings(state, [rule], batch).state;
        window.push(...batch);
        state = stepForecasts(state, [rule], window).state;
        if (state.forecasts?.['too-warm']?.status === 'anticipated') return k;
      }
      return -1;
    };
    expect(first(0.5)).toBeGreaterThan(0);
    expect(first(0.5)).toBeLessThan(first());
  });
});

describe('forecast settings in the rule configuration', () => {
  it('reads anticipate, horizonMinutes and pMin on threshold rules', () => {
    const config = parseRuleConfig({ metrics: { temperature: [{ ...warm, anticipate: true, horizonMinutes: 60, pMin: 0.9 }] } });
    expect(config.metrics.temperature[0]).toEqual({ ...warm, anticipate: true, horizonMinutes: 60, pMin: 0.9 });
  });

  it('refuses them out of range or on other kinds of rule, naming each', () => {
    const bad = () =>
      parseRuleConfig({
        metrics: {
          temperature: [
            { ...warm, anticipate: 'yes', horizonMinutes: 0, pMin: 1.5 },
            { id: 'swing', kind: 'rate', maxPerMinute: 1, x: 0.1, days: 1, pMin: 0.5 },
          ],
        },
      });
    expect(bad).toThrow(RuleConfigError);
    try {
      bad();
    } catch (error) {
      const problems = (error as RuleConfigError).problems.join('\n');
      expect(problems).toMatch(/anticipate must be true or false/);
      expect(problems).toMatch(/horizonMinutes must be a number in \(0, 1440\]/);
      expect(problems).toMatch(/pMin must be a number in \(0, 1\]/);
      expect(problems).toMatch(/rule 1: anticipate, horizonMinutes and pMin belong to threshold rules/);
    }
  });
});
