import fc from 'fast-check';
import { adaptToStep, fitHolt, varianceFactors } from './holt';
import { gaussian } from './testing/series';

describe("Holt's linear method: worked example", () => {
  it('a line, then two surprises: level, trend, SSE and σ by hand', () => {
    // The first six values lie on y = x: the initial line is level 0, trend 1, and the
    // one-step errors are 0 up to t = 5 (ℓ = 5, b = 1). With α = 0.5, β = 0.2:
    //   t = 6: ŷ = 6, e = 1,   ℓ = 6 + 0.5·1 = 6.5,   b = 1 + 0.1·1 = 1.1
    //   t = 7: ŷ = 7.6, e = 0.4, ℓ = 7.6 + 0.2 = 7.8,  b = 1.1 + 0.1·0.4 = 1.14
    // SSE = 1 + 0.16 = 1.16 over 7 errors, σ² = 1.16 / (7 − 2).
    const fit = fitHolt([0, 1, 2, 3, 4, 5, 7, 8], 0.5, 0.2);
    expect(fit.level).toBeCloseTo(7.8, 12);
    expect(fit.trend).toBeCloseTo(1.14, 12);
    expect(fit.sse).toBeCloseTo(1.16, 12);
    expect(fit.sigma).toBeCloseTo(Math.sqrt(1.16 / 5), 12);
  });

  it('the initial level and trend are the least-squares line of the first six values', () => {
    // 0, 2, 1, 3, 2, 4: slope 0.6286 (= 11/17.5), intercept 2 − 0.6286·2.5; nothing after them.
    const fit = fitHolt([0, 2, 1, 3, 2, 4], 1e-9, 1e-9);
    expect(fit.trend).toBeCloseTo(11 / 17.5, 6);
    expect(fit.level).toBeCloseTo(2 - (11 / 17.5) * 2.5 + 5 * (11 / 17.5), 6);
  });

  it('refuses fewer than four values', () => {
    expect(() => fitHolt([1, 2, 3], 0.5, 0.1)).toThrow(RangeError);
  });

  it('equals the textbook component form on any series (independent oracle)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 4, maxLength: 60 }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        (y, alpha, beta) => {
          // ℓ_t = α·y_t + (1 − α)(ℓ + b), b_t = β(ℓ_t − ℓ) + (1 − β)·b, from the same initial line.
          const k = Math.min(6, y.length);
          const mx = (k - 1) / 2;
          const my = y.slice(0, k).reduce((s, v) => s + v, 0) / k;
          let sxy = 0;
          let sxx = 0;
          for (let i = 0; i < k; i++) {
            sxy += (i - mx) * (y[i] - my);
            sxx += (i - mx) ** 2;
          }
          let b = sxy / sxx;
          let l = my - b * mx;
          let sse = 0;
          for (let t = 1; t < y.length; t++) {
            sse += (y[t] - l - b) ** 2;
            const next = alpha * y[t] + (1 - alpha) * (l + b);
            b = beta * (next - l) + (1 - beta) * b;
            l = next;
          }
          const fit = fitHolt(y, alpha, beta);
          const tol = 1e-7 * (1 + Math.abs(l) + Math.abs(b) + sse);
          expect(Math.abs(fit.level - l)).toBeLessThan(tol);
          expect(Math.abs(fit.trend - b)).toBeLessThan(tol);
          expect(Math.abs(fit.sse - sse)).toBeLessThan(tol);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the h-step variance', () => {
  it('matches the closed form σ²[1 + (h − 1)(α² + αβ′h + β′²h(2h − 1)/6)], β′ = αβ', () => {
    for (const [alpha, beta] of [
      [0.3, 0.1],
      [0.8, 0.5],
      [0.05, 0.9],
    ]) {
      const factors = varianceFactors(alpha, beta, 30);
      const b = alpha * beta;
      factors.forEach((f, i) => {
        const h = i + 1;
        expect(f).toBeCloseTo(1 + (h - 1) * (alpha ** 2 + alpha * b * h + (b ** 2 * h * (2 * h - 1)) / 6), 10);
      });
    }
  });

  it('matches the spread of simulated ETS(A,A,N) paths (Monte Carlo, 20,000 paths)', () => {
    const alpha = 0.4;
    const beta = 0.3;
    const steps = 12;
    const z = gaussian(7);
    const paths = 20_000;
    const sum = new Array<number>(steps).fill(0);
    const sq = new Array<number>(steps).fill(0);
    for (let p = 0; p < paths; p++) {
      let l = 0;
      let b = 0;
      for (let h = 0; h < steps; h++) {
        const e = z();
        const y = l + b + e;
        l = l + b + alpha * e;
        b = b + alpha * beta * e;
        sum[h] += y;
        sq[h] += y * y;
      }
    }
    const factors = varianceFactors(alpha, beta, steps);
    for (let h = 0; h < steps; h++) {
      const variance = sq[h] / paths - (sum[h] / paths) ** 2;
      expect(Math.abs(variance / factors[h] - 1)).toBeLessThan(0.05);
    }
    expect(factors[steps - 1]).toBeGreaterThan(2); // the check above is not trivially about 1s
  });
});

describe('smoothing weights across reading intervals', () => {
  it('leave a weight unchanged at the reference interval, and forget at the same rate per second', () => {
    expect(adaptToStep(0.3, 300, 300)).toBeCloseTo(0.3, 15);
    // Two steps of 5 minutes keep (1 − w)² of the past: as much as one step of 10 minutes.
    const five = adaptToStep(0.3, 300, 300);
    const ten = adaptToStep(0.3, 600, 300);
    expect(1 - ten).toBeCloseTo((1 - five) ** 2, 12);
    expect(adaptToStep(0.3, 60, 300)).toBeLessThan(0.3);
  });
});
