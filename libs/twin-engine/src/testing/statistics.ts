// Test helpers: Monte Carlo checks against exact values. Not exported from the library.
import type { SkuSamples, TwinPartial } from '../twin-partial';

/** Sample standard deviation. */
export function standardDeviation(values: ArrayLike<number>): number {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i] / n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (values[i] - mean) ** 2;
  return Math.sqrt(sq / (n - 1));
}

/** |estimate − exact| ≤ k standard errors of a mean over `values` (plus a hair for a degenerate sd). */
export function expectWithinStandardErrors(estimate: number, exact: number, values: ArrayLike<number>, k = 4): void {
  const se = standardDeviation(values) / Math.sqrt(values.length);
  expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(k * se + 1e-9 * Math.max(1, Math.abs(exact)));
}

/** |p̂ − p| ≤ k binomial standard errors. */
export function expectProportion(estimate: number, exact: number, n: number, k = 4): void {
  expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(k * Math.sqrt((exact * (1 - exact)) / n) + 1e-12);
}

/** One SKU's per-sample revenue at risk over all n samples (0 where not exposed), from a partial. */
export function revenuePerSample(partial: TwinPartial, sku: SkuSamples, dailyRevenue: number): Float64Array {
  const n = partial.toIndex - partial.fromIndex;
  const out = new Float64Array(n);
  sku.x.forEach((x, i) => (out[i] = dailyRevenue * x * sku.days[i]));
  return out; // order does not matter for a standard error: zeros and values, not matched to samples
}

/** The drops of driver k over samples [0, m) of a partial starting at 0. */
export function dropsOf(partial: TwinPartial, k: number, m = partial.toIndex - partial.fromIndex): Float64Array {
  const n = partial.toIndex - partial.fromIndex;
  return partial.drops!.subarray(k * n, k * n + m);
}
