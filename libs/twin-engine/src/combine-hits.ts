import { combineFactors } from '@tiersight/risk-engine';

let factors = new Float64Array(16);

/**
 * The engine's `combineInto` (independent hazards, x = 1 − Π(1 − x_i) over
 * the factors in ascending order, floored at max x_i; d = max d_i over hits
 * with x_i > 0) over hits[order[i]] for i in [from, to), read straight from
 * a sample's drawn columns: no impact objects to fill first. The twin's hits
 * are never anticipated ones, so none is skipped for that. Same bits, checked
 * against the engine's in combine-hits.spec.ts.
 */
export function combineHits(xs: Float64Array, ds: Float64Array, order: Int32Array, from: number, to: number, out: { x: number; d: number }): void {
  let count = 0;
  let d = 0;
  if (to - from > factors.length) factors = new Float64Array(2 * (to - from));
  for (let i = from; i < to; i++) {
    const h = order[i];
    const x = xs[h];
    if (x > 0) {
      factors[count++] = x;
      if (ds[h] > d) d = ds[h];
    }
  }
  out.d = d;
  out.x = combineFactors(factors, count);
}
