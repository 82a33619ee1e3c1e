/**
 * The standard normal distribution, as far as the forecasts need it. The
 * complementary error function is the Chebyshev fit of Numerical Recipes
 * (`erfcc`, fractional error below 1.2e-7 everywhere), smooth and increasing
 * in the right places, so probabilities computed from it keep their order.
 */

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(Z ≤ z) for a standard normal Z. */
export function normalCdf(z: number): number {
  if (z === Infinity) return 1;
  if (z === -Infinity) return 0;
  return 0.5 * erfc(-z / Math.SQRT2);
}

const QUANTILE_STEPS = 80;

/** The z with P(Z ≤ z) = q, for q in (0, 1), by bisection on normalCdf (exact to its precision, and deterministic). */
export function normalQuantile(q: number): number {
  let lo = -40;
  let hi = 40;
  for (let i = 0; i < QUANTILE_STEPS; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
