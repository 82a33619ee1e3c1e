/**
 * Holt's linear exponential smoothing (level + trend) on a regular series, in
 * its error-correction form
 *
 *   ŷ_t = ℓ_{t−1} + b_{t−1},   e_t = y_t − ŷ_t,
 *   ℓ_t = ℓ_{t−1} + b_{t−1} + α·e_t,   b_t = b_{t−1} + α·β·e_t,
 *
 * which is the textbook component form (ℓ_t = α·y_t + (1 − α)(ℓ_{t−1} + b_{t−1}),
 * b_t = β·(ℓ_t − ℓ_{t−1}) + (1 − β)·b_{t−1}) rewritten. The initial level and
 * trend are the least-squares line through the first INIT_POINTS values.
 */

/** Values that set the initial level and trend (their least-squares line). */
export const INIT_POINTS = 6;
/** Fewest values a fit accepts: three one-step errors, two of them spent on the initial states. */
export const MIN_FIT_POINTS = 4;

export interface HoltFit {
  alpha: number;
  beta: number;
  /** ℓ_n: the smoothed level at the last value. */
  level: number;
  /** b_n: the trend per step at the last value. */
  trend: number;
  /** Sum of the squared one-step errors e_1 … e_{n−1}. */
  sse: number;
  /** σ, the standard deviation of a one-step error: √(SSE / (n − 1 − 2)). */
  sigma: number;
}

export function fitHolt(y: readonly number[], alpha: number, beta: number): HoltFit {
  const n = y.length;
  if (n < MIN_FIT_POINTS) throw new RangeError(`Holt's method needs at least ${MIN_FIT_POINTS} values, got ${n}`);
  let { level, trend } = leastSquaresLine(y, Math.min(n, INIT_POINTS));
  let sse = 0;
  for (let t = 1; t < n; t++) {
    const e = y[t] - (level + trend);
    sse += e * e;
    level = level + trend + alpha * e;
    trend = trend + alpha * beta * e;
  }
  return { alpha, beta, level, trend, sse, sigma: Math.sqrt(sse / (n - 1 - 2)) };
}

/** The least-squares line through y_0 … y_{k−1} (x = 0 … k−1): its value at x = 0 and its slope. */
function leastSquaresLine(y: readonly number[], k: number): { level: number; trend: number } {
  const meanX = (k - 1) / 2;
  let meanY = 0;
  for (let i = 0; i < k; i++) meanY += y[i];
  meanY /= k;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < k; i++) {
    sxy += (i - meanX) * (y[i] - meanY);
    sxx += (i - meanX) * (i - meanX);
  }
  const trend = sxx === 0 ? 0 : sxy / sxx;
  return { level: meanY - trend * meanX, trend };
}

/**
 * σ_h² / σ² for h = 1 … steps: the h-step forecast error of Holt's method is
 * e_{n+h} + Σ_{j=1}^{h−1} c_j·e_{n+h−j} with c_j = α(1 + β·j), so its variance is
 * σ²·(1 + Σ_{j=1}^{h−1} c_j²) = σ²·[1 + (h − 1)(α² + α·β′·h + β′²·h(2h − 1)/6)]
 * with β′ = α·β (Hyndman, Koehler, Ord & Snyder 2008, ETS(A,A,N)).
 */
export function varianceFactors(alpha: number, beta: number, steps: number): number[] {
  const out: number[] = [];
  let factor = 1;
  for (let h = 1; h <= steps; h++) {
    if (h > 1) {
      const c = alpha * (1 + beta * (h - 1));
      factor += c * c;
    }
    out.push(factor);
  }
  return out;
}

/**
 * A smoothing weight given for readings `referenceS` apart, turned into the
 * weight for readings `stepS` apart so that an observation loses influence at
 * the same rate per second: 1 − (1 − w)^(stepS / referenceS).
 */
export function adaptToStep(weight: number, stepS: number, referenceS: number): number {
  return 1 - Math.pow(1 - weight, stepS / referenceS);
}
