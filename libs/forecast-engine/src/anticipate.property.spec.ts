import fc from 'fast-check';
import { anticipate, ThresholdSpec } from './anticipate';
import { MINUTE, T0 } from './testing/series';

/** Sensor-like series: a level, a trend, noise and uneven spacing, all drawn by fast-check. */
const readingsArb = fc
  .record({
    level: fc.double({ min: -20, max: 20, noNaN: true }),
    trend: fc.double({ min: -0.2, max: 0.2, noNaN: true }),
    noise: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 6, maxLength: 40 }),
    gaps: fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 40, maxLength: 40 }),
    scale: fc.constantFrom(0, 0.1, 1),
  })
  .map(({ level, trend, noise, gaps, scale }) => {
    let t = T0;
    return noise.map((e, i) => {
      t += gaps[i] * MINUTE;
      return { t, v: level + trend * ((t - T0) / MINUTE) + scale * e };
    });
  });

const thresholdsArb = fc.tuple(fc.double({ min: -40, max: 40, noNaN: true }), fc.double({ min: 0, max: 20, noNaN: true }));

describe('properties of the forecast', () => {
  it('p is monotone in the threshold: a lower upper threshold (or a higher lower one) never has a smaller p', () => {
    fc.assert(
      fc.property(readingsArb, thresholdsArb, (readings, [threshold, delta]) => {
        const up = (th: number) => anticipate(readings, { kind: 'above', threshold: th });
        const down = (th: number) => anticipate(readings, { kind: 'below', threshold: th });
        const hi = up(threshold + delta);
        if (hi === null) return;
        expect(up(threshold)!.p).toBeGreaterThanOrEqual(hi.p);
        expect(down(threshold + delta)!.p).toBeGreaterThanOrEqual(down(threshold)!.p);
      }),
      { numRuns: 400 },
    );
  });

  it('p is a probability; the interval holds the forecast and never narrows along the path', () => {
    fc.assert(
      fc.property(readingsArb, thresholdsArb, fc.constantFrom<ThresholdSpec['kind']>('above', 'below'), (readings, [threshold], kind) => {
        const f = anticipate(readings, { kind, threshold });
        if (f === null) return;
        expect(f.p).toBeGreaterThanOrEqual(0);
        expect(f.p).toBeLessThanOrEqual(1);
        let width = 0;
        for (const step of f.path) {
          expect(step.lower).toBeLessThanOrEqual(step.value);
          expect(step.upper).toBeGreaterThanOrEqual(step.value);
          expect(step.upper - step.lower).toBeGreaterThanOrEqual(width - 1e-9);
          width = step.upper - step.lower;
        }
        const end = f.path[f.path.length - 1];
        expect(f.forecast).toEqual({ value: end.value, lower: end.lower, upper: end.upper, horizonS: end.inS });
        if (f.timeToThresholdS !== null) expect(f.timeToThresholdS).toBeLessThanOrEqual(f.forecast.horizonS);
      }),
      { numRuns: 300 },
    );
  });

  it('a longer horizon never lowers p', () => {
    fc.assert(
      fc.property(readingsArb, thresholdsArb, fc.integer({ min: 10, max: 240 }), fc.integer({ min: 0, max: 240 }), (readings, [threshold], h, more) => {
        const short = anticipate(readings, { kind: 'above', threshold, horizonMinutes: h });
        if (short === null) return;
        expect(anticipate(readings, { kind: 'above', threshold, horizonMinutes: h + more })!.p).toBeGreaterThanOrEqual(short.p);
      }),
      { numRuns: 300 },
    );
  });

  it('the point forecast crosses within the horizon exactly when some step has p ≥ ½', () => {
    fc.assert(
      fc.property(readingsArb, thresholdsArb, (readings, [threshold]) => {
        const f = anticipate(readings, { kind: 'above', threshold });
        if (f === null || f.basis.sigma === 0) return;
        const crossesOnPath = f.path.some((s) => s.value >= threshold);
        if (crossesOnPath) expect(f.p).toBeGreaterThanOrEqual(0.5 - 1e-7);
        else expect(f.p).toBeLessThan(0.5 + 1e-7);
        expect(f.timeToThresholdS !== null).toBe(crossesOnPath || f.basis.level >= threshold);
      }),
      { numRuns: 300 },
    );
  });
});
