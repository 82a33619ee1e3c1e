import { anticipate, ALPHA_GRID, BETA_GRID, DEFAULT_FORECAST_OPTIONS } from './anticipate';
import { ForecastEngineError, ForecastEngineErrorCode } from './forecast-engine.error';
import { adaptToStep, fitHolt } from './holt';
import { gaussian, MINUTE, replay, series, T0, TestRule } from './testing/series';
import { regularWindow } from './window';

const warm: TestRule = { kind: 'above', threshold: 8, forMinutes: 60 };
const cold: TestRule = { kind: 'below', threshold: 2, forMinutes: 60 };

/** `minutes` of values around `level` with noise σ, 5 minutes apart, then `ramp` per 5 minutes for `rampSteps`. */
function fridge(seed: number, sigma: number, level: number, flatSteps: number, ramp = 0, rampSteps = 0): number[] {
  const z = gaussian(seed);
  const values: number[] = [];
  for (let i = 0; i < flatSteps; i++) values.push(level + sigma * z());
  for (let i = 1; i <= rampSteps; i++) values.push(level + ramp * i + sigma * z());
  return values.map((v) => Math.round(v * 10) / 10); // a logger's 0.1 °C resolution
}

describe('anticipating a threshold rule', () => {
  it('a rising ramp is anticipated before it crosses, and the anticipation gives way when the rule fires', () => {
    // Two hours at 4 °C, then +0.25 °C per 5 minutes: above 8 °C after 85 minutes of rise.
    const readings = series(fridge(1, 0.1, 4, 24, 0.25, 40));
    const crossing = readings.find((r) => r.v > 8)!.t;
    const { transitions, fired } = replay(readings, warm);
    expect(fired).toEqual([crossing + 60 * MINUTE]);
    expect(transitions.map((t) => t.kind)).toEqual(['anticipated', 'superseded']);
    const [raised, superseded] = transitions;
    expect(raised.at).toBeLessThan(crossing);
    expect(raised.p).toBeGreaterThanOrEqual(0.8);
    expect(superseded.at).toBe(fired[0]);
  });

  it('the forecast at the anticipation names the time to threshold, within the horizon, near the true one', () => {
    const readings = series(fridge(1, 0.1, 4, 24, 0.25, 40));
    const crossing = readings.find((r) => r.v > 8)!.t;
    const { transitions, forecasts } = replay(readings, warm);
    const i = readings.findIndex((r) => r.t === transitions[0].at);
    const f = forecasts[i]!;
    expect(f.timeToThresholdS).not.toBeNull();
    expect(f.timeToThresholdS!).toBeLessThanOrEqual(f.forecast.horizonS);
    // Early in the rise the smoothed trend still lags the true 0.05 °C/min, so the crossing is foreseen somewhat late.
    expect(Math.abs(readings[i].t + f.timeToThresholdS! - crossing)).toBeLessThanOrEqual(40 * MINUTE);
    expect(f.basis.trendPerMinute).toBeGreaterThan(0.02);
    expect(f.basis.trendPerMinute).toBeLessThan(0.06);
  });

  it('a flat noisy series never anticipates, over two days', () => {
    const readings = series(fridge(2, 0.4, 5.5, 576));
    const { transitions, forecasts } = replay(readings, warm);
    expect(transitions).toEqual([]);
    const ps = forecasts.filter((f) => f !== null).map((f) => f.p);
    expect(ps.length).toBeGreaterThan(500);
    expect(Math.max(...ps)).toBeLessThan(0.8);
    // Two hours ahead the predictive spread is about 1.5 °C, so 8 °C keeps a small, not a null, probability.
    expect(ps.sort((a, b) => a - b)[ps.length >> 1]).toBeLessThan(0.15);
  });

  it('a noisy series keeps p low where a calm one with the same trend is anticipated', () => {
    // 7 °C rising 0.05 °C per 5 minutes (0.6 °C an hour): the point forecast crosses 8 °C within two hours either way.
    const calm = anticipate(series(fridge(3, 0.05, 7, 0, 0.05, 36)), warm)!;
    const noisy = anticipate(series(fridge(3, 1.0, 7, 0, 0.05, 36)), warm)!;
    expect(calm.timeToThresholdS).not.toBeNull();
    expect(calm.p).toBeGreaterThanOrEqual(0.8);
    expect(noisy.forecast.upper - noisy.forecast.lower).toBeGreaterThan(5 * (calm.forecast.upper - calm.forecast.lower));
    expect(noisy.p).toBeLessThan(0.8);
  });

  it('a reversal before the threshold clears the anticipation', () => {
    // Two hours at 5 °C, up 0.2 °C per 5 minutes to 7.4 °C, then down again.
    const up = fridge(4, 0.05, 5, 24, 0.2, 12);
    const down = Array.from({ length: 24 }, (_, i) => Math.round((7.4 - 0.2 * (i + 1)) * 10) / 10);
    const { transitions, fired } = replay(series([...up, ...down]), warm);
    expect(fired).toEqual([]);
    expect(transitions.map((t) => [t.kind, t.reason])).toEqual([
      ['anticipated', undefined],
      ['cleared', 'no-crossing'],
    ]);
    expect(transitions[1].at).toBeGreaterThan(T0 + 36 * 5 * MINUTE);
  });

  it('a falling series is anticipated by a "below" rule the same way (mirror image)', () => {
    const rising = series(fridge(5, 0.2, 4, 24, 0.2, 12));
    const falling = rising.map((r) => ({ t: r.t, v: 10 - r.v }));
    const up = anticipate(rising, { kind: 'above', threshold: 8 })!;
    const down = anticipate(falling, { kind: 'below', threshold: 2 })!;
    expect(down.p).toBeCloseTo(up.p, 12);
    expect(down.timeToThresholdS).toBeCloseTo(up.timeToThresholdS!, 6);
    expect(down.forecast.value).toBeCloseTo(10 - up.forecast.value, 9);
  });

  it('irregular sampling: an exact line read at uneven times gives its own slope and the exact time to threshold', () => {
    // v = 4 + 0.03·minutes, read 3 to 7 minutes apart.
    const gaps = [3, 7, 5, 4, 6, 5, 3, 7, 5, 6, 4, 5, 5, 7, 3, 5];
    let m = 0;
    const readings = gaps.map((g) => {
      m += g;
      return { t: T0 + m * MINUTE, v: 4 + 0.03 * m };
    });
    const last = readings[readings.length - 1];
    const f = anticipate(readings, warm)!;
    expect(f.basis.stepS).toBe(5 * MINUTE);
    expect(f.basis.trendPerMinute).toBeCloseTo(0.03, 9);
    expect(f.timeToThresholdS).toBeCloseTo(((8 - last.v) / 0.03) * MINUTE, 3);
    expect(f.p).toBe(1);
  });

  it('irregular sampling: a noisy ramp read at uneven times is anticipated before it crosses', () => {
    const z = gaussian(6);
    const readings: Array<{ t: number; v: number }> = [];
    let t = T0;
    for (let i = 0; i < 60; i++) {
      t += (2 + Math.round(6 * Math.abs(z()))) * MINUTE;
      const minutes = (t - T0) / MINUTE;
      readings.push({ t, v: Math.round((minutes < 120 ? 4 : 4 + 0.05 * (minutes - 120)) * 10 + z()) / 10 });
    }
    const crossing = readings.find((r) => r.v > 8)!.t;
    const { transitions } = replay(readings, warm);
    expect(transitions[0]).toMatchObject({ kind: 'anticipated' });
    expect(transitions[0].at).toBeLessThan(crossing);
  });

  it('a gap longer than three median intervals restarts the window: no forecast until an hour of readings follows it, none spanning it', () => {
    const before = fridge(7, 0.05, 5, 24, 0.2, 12); // rising to 7.4 °C: anticipated
    const after = fridge(8, 0.05, 5, 18);
    const gapStart = T0 + 36 * 5 * MINUTE;
    const restart = gapStart + 2 * 3600;
    const readings = [...series(before), ...series(after, 5 * MINUTE, restart)];
    const { transitions, forecasts } = replay(readings, warm);
    expect(forecasts.slice(36, 48)).toEqual(new Array(12).fill(null)); // 0 to 55 minutes after the gap
    expect(forecasts[48]!.basis).toMatchObject({ firstT: restart, lastT: restart + 3600, n: 13 });
    expect(transitions.map((t) => [t.kind, t.reason, t.at])).toEqual([
      ['anticipated', undefined, expect.any(Number)],
      ['cleared', 'no-forecast', restart],
    ]);
  });

  it('too few readings, or too short a stretch of time: no forecast', () => {
    expect(anticipate(series(new Array(12).fill(5)), warm)).toBeNull(); // 55 minutes
    expect(anticipate(series(new Array(13).fill(5)), warm)).not.toBeNull(); // an hour
    expect(anticipate(series([5, 5, 5, 5, 5], 30 * MINUTE), warm)).toBeNull(); // two hours, five readings
    expect(anticipate(series([5, 5, 5, 5, 5, 5], 30 * MINUTE), warm)).not.toBeNull();
    expect(anticipate(series(new Array(6).fill(5)), warm, { minSpanS: 0 })).not.toBeNull();
    expect(anticipate([], warm)).toBeNull();
  });

  it('is deterministic, whatever the order and repetition of the readings', () => {
    const readings = series(fridge(9, 0.3, 6, 20, 0.1, 16));
    const again = [...readings].reverse().concat(readings.slice(3, 9));
    expect(anticipate(again, warm)).toEqual(anticipate(readings, warm));
    expect(JSON.stringify(anticipate(readings, cold))).toBe(JSON.stringify(anticipate(readings, cold)));
  });

  it("uses the rule's own horizon when it has one", () => {
    const readings = series(fridge(10, 0.1, 6, 24, 0.05, 12));
    const twoHours = anticipate(readings, warm)!;
    const oneHour = anticipate(readings, { ...warm, horizonMinutes: 60 })!;
    expect(twoHours.path).toHaveLength(24);
    expect(oneHour.path).toHaveLength(12);
    expect(oneHour.forecast.horizonS).toBe(3600);
    expect(anticipate(readings, warm, { horizonS: 3600 })!.path).toHaveLength(12);
  });

  it("the 'grid' fit picks the pair of the grid with the smallest one-step SSE", () => {
    const readings = series(fridge(11, 0.3, 5, 12, 0.15, 24));
    const f = anticipate(readings, warm, { fit: 'grid' })!;
    const values = regularWindow(readings, DEFAULT_FORECAST_OPTIONS)!.values;
    const sse = (a: number, b: number) => fitHolt(values, a, b).sse;
    const best = Math.min(...ALPHA_GRID.flatMap((a) => BETA_GRID.map((b) => sse(a, b))));
    expect(sse(f.basis.alpha, f.basis.beta)).toBe(best);
    expect(ALPHA_GRID.map((a) => adaptToStep(a, 300, 300))).toContain(f.basis.alpha);
  });

  it('p is a lower bound of the simulated probability of crossing within the horizon, and equals its largest single-step term', () => {
    const readings = series(fridge(12, 0.3, 6, 24, 0.06, 12));
    const f = anticipate(readings, warm)!;
    const { alpha, beta, level, sigma, stepS } = f.basis;
    const trend = (f.basis.trendPerMinute * stepS) / MINUTE;
    const steps = f.path.length;
    const z = gaussian(13);
    const paths = 20_000;
    let crossed = 0;
    const perStep = new Array<number>(steps).fill(0);
    for (let p = 0; p < paths; p++) {
      let l = level;
      let b = trend;
      let any = false;
      for (let h = 0; h < steps; h++) {
        const e = sigma * z();
        const y = l + b + e;
        l = l + b + alpha * e;
        b = b + alpha * beta * e;
        if (y >= warm.threshold) {
          perStep[h]++;
          any = true;
        }
      }
      if (any) crossed++;
    }
    expect(f.p).toBeGreaterThan(0.2);
    expect(f.p).toBeLessThan(0.95);
    expect(f.p).toBeLessThanOrEqual(crossed / paths + 0.015);
    expect(Math.abs(f.p - Math.max(...perStep) / paths)).toBeLessThan(0.015);
  });

  it('refuses bad options and rules with a coded error', () => {
    const readings = series([5, 5, 5, 5, 5, 5, 5]);
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error instanceof ForecastEngineError ? error.code : 'other';
      }
      return null;
    };
    expect(code(() => anticipate(readings, warm, { alpha: 1 }))).toBe(ForecastEngineErrorCode.InvalidOption);
    expect(code(() => anticipate(readings, warm, { minPoints: 3 }))).toBe(ForecastEngineErrorCode.InvalidOption);
    expect(code(() => anticipate(readings, warm, { gapFactor: 1 }))).toBe(ForecastEngineErrorCode.InvalidOption);
    expect(code(() => anticipate(readings, { kind: 'rate' as 'above', threshold: 1 }))).toBe(ForecastEngineErrorCode.InvalidRule);
    expect(code(() => anticipate(readings, { ...warm, pMin: 0 }))).toBe(ForecastEngineErrorCode.InvalidRule);
    expect(code(() => anticipate(readings, warm, { alpha: 0.99, beta: 0.01 }))).toBeNull();
  });
});
