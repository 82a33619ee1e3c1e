// Quantile functions for the twin's draws, from the stdlib numerical library.
// The twin maps one uniform per event through each site's own quantile
// function (see sample-draws.ts), so it needs inverse CDFs rather than samplers;
// each wrapper only pins down the edge cases the draws rely on.
import betaQuantileOf from '@stdlib/stats-base-dists-beta-quantile';
import normalQuantileOf from '@stdlib/stats-base-dists-normal-quantile';
import triangularQuantileOf from '@stdlib/stats-base-dists-triangular-quantile';

/** Standard normal quantile Φ⁻¹(p); p = 0 and p = 1 give ∓Infinity, anything else outside [0, 1] NaN. */
export function normalQuantile(p: number): number {
  return normalQuantileOf(p, 0, 1);
}

/**
 * Beta(a, b) quantile, clamped to [0, 1]: p ≤ 0 gives 0 and p ≥ 1 gives 1, so a
 * uniform at the edge of its grid still draws a valid severity. Monotone in p,
 * which keeps a per-event uniform a common cause.
 */
export function betaQuantile(p: number, a: number, b: number): number {
  if (!(p > 0)) return 0;
  if (!(p < 1)) return 1;
  const x = betaQuantileOf(p, a, b);
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/** Triangular(low, mode, high) quantile; a zero-width triangle gives the mode. */
export function triangularQuantile(p: number, low: number, mode: number, high: number): number {
  if (!(high - low > 0)) return mode;
  return triangularQuantileOf(p, low, high, mode);
}
