import fc from 'fast-check';
import { betaQuantile, normalQuantile, triangularQuantile } from './distributions';

describe('normalQuantile', () => {
  it.each([
    [0.5, 0],
    [0.975, 1.959963984540054],
    [0.9, 1.2815515655446004],
    [0.999, 3.090232306167813],
    [0.025, -1.959963984540054],
    [1e-10, -6.361340902404056],
  ])('Φ⁻¹(%p) = %p', (p, z) => {
    // a duration multiplier exp(σ·z) needs far less than the library's ~1e-9 relative accuracy in the far tail
    expect(Math.abs(normalQuantile(p) - z)).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(z)));
  });

  it('is odd, monotone and infinite at the ends', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 0.5, noNaN: true }), fc.double({ min: 1e-300, max: 0.5, noNaN: true }), (p, q) => {
        // 1 − p rounds p away below ~1e-16 relative to 1; compare with the exact complement of the upper
        // probability actually passed (1 − (1 − p) is exact for p ≤ 0.5), so rounding cannot decide the test.
        const upper = 1 - p;
        if (upper < 1) expect(normalQuantile(upper)).toBeCloseTo(-normalQuantile(1 - upper), 5);
        if (p < q) expect(normalQuantile(p)).toBeLessThanOrEqual(normalQuantile(q));
      }),
    );
  });
});

describe('Beta quantile', () => {
  it('matches closed forms: Beta(1,1) is uniform, Beta(a,1) is p^(1/a), Beta(1,b) is 1 − (1 − p)^(1/b)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }), fc.double({ min: 0.05, max: 50, noNaN: true }), (p, a) => {
        expect(betaQuantile(p, 1, 1)).toBeCloseTo(p, 12);
        expect(betaQuantile(p, a, 1)).toBeCloseTo(Math.pow(p, 1 / a), 10);
        expect(betaQuantile(p, 1, a)).toBeCloseTo(1 - Math.pow(1 - p, 1 / a), 10);
      }),
    );
  });

  it('stays in [0, 1] and is monotone in p, skewed shapes (a or b far below 1) included', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-9, max: 1 - 1e-9, noNaN: true }),
        fc.double({ min: 1e-3, max: 1 - 1e-3, noNaN: true }),
        fc.constantFrom(0.5, 2, 20, 200, 5000),
        (p, mean, kappa) => {
          const a = kappa * mean;
          const b = kappa * (1 - mean);
          const x = betaQuantile(p, a, b);
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(1);
          expect(betaQuantile(Math.min(1 - 1e-12, p * 1.01), a, b)).toBeGreaterThanOrEqual(x);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('Beta(2,2) has median ½, and the ends of the uniform grid give 0 and 1', () => {
    expect(betaQuantile(0.5, 2, 2)).toBeCloseTo(0.5, 12);
    // Beta(2,2) CDF is 3x² − 2x³: at x = 0.3 it is 0.216
    expect(betaQuantile(0.216, 2, 2)).toBeCloseTo(0.3, 10);
    expect(betaQuantile(0, 2, 3)).toBe(0);
    expect(betaQuantile(1, 2, 3)).toBe(1);
  });
});

describe('triangularQuantile', () => {
  it('goes from low through the mode to high, and a zero-width triangle is its mode', () => {
    expect(triangularQuantile(1e-300, 5, 10, 20)).toBeCloseTo(5, 9);
    expect(triangularQuantile(1, 5, 10, 20)).toBe(20);
    expect(triangularQuantile(1 / 3, 5, 10, 20)).toBeCloseTo(10, 12);
    // CDF below the mode: (x − a)² / ((b − a)(c − a))
    expect(triangularQuantile(0.1, 5, 10, 20)).toBeCloseTo(5 + Math.sqrt(0.1 * 15 * 5), 12);
    expect(triangularQuantile(0.7, 7, 7, 7)).toBe(7);
    expect(triangularQuantile(0.7, 0, 0, 0)).toBe(0);
  });
});
