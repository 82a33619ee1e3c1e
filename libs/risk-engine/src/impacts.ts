import { RiskEngineError, RiskEngineErrorCode } from './errors';

/** One direct impact on a site (DESIGN §3.1): lost fraction x in [0, 1] for `days` days. */
export interface SiteImpact {
  x: number;
  days: number;
  /** The event (or sensor rule) behind it; used for explanations and attribution. */
  eventId?: string;
  /**
   * An impact that may come (DESIGN §10), with probability `p` (0 < p < 1) and
   * an `eventId`. Observed propagation ignores it; only the outlook counts it.
   */
  anticipated?: boolean;
  p?: number;
}

/** A direct impact naming its site by id or node index. */
export interface ImpactInput extends SiteImpact {
  site: string | number;
}

export function validateImpact(impact: SiteImpact, label: string): void {
  if (!(impact.x >= 0 && impact.x <= 1)) {
    throw new RiskEngineError(RiskEngineErrorCode.InvalidValue, `${label}: impact x must be in [0, 1], got ${impact.x}`);
  }
  if (!(Number.isFinite(impact.days) && impact.days >= 0)) {
    throw new RiskEngineError(RiskEngineErrorCode.InvalidValue, `${label}: impact days must be finite and >= 0, got ${impact.days}`);
  }
  if (impact.anticipated === true) {
    if (!(impact.p !== undefined && impact.p > 0 && impact.p < 1)) {
      throw new RiskEngineError(RiskEngineErrorCode.InvalidValue, `${label}: an anticipated impact needs a probability 0 < p < 1, got ${impact.p}`);
    }
    if (impact.eventId === undefined) throw new RiskEngineError(RiskEngineErrorCode.InvalidValue, `${label}: an anticipated impact needs an eventId`);
  } else if (impact.anticipated !== undefined && impact.anticipated !== false) {
    throw new RiskEngineError(RiskEngineErrorCode.InvalidValue, `${label}: anticipated must be a boolean, got ${String(impact.anticipated)}`);
  } else if (impact.p !== undefined) {
    throw new RiskEngineError(RiskEngineErrorCode.InvalidValue, `${label}: only an anticipated impact carries a probability p`);
  }
}

/**
 * Combines the observed impacts on one site (anticipated ones are skipped): x = 1 − Π(1 − x_i) (independent hazards),
 * d = max d_i over impacts with x_i > 0. The factors are multiplied in
 * ascending order so the float result does not depend on input order (full
 * and incremental runs must agree). The result is also floored at max x_i,
 * which exact arithmetic guarantees anyway: in floats 1 − (1 − x) can lose a
 * tiny x, and adding an impact must never lower x.
 */
export function combineImpacts(impacts: readonly SiteImpact[]): { x: number; d: number } {
  const out = { x: 0, d: 0 };
  combineInto(impacts, null, 0, impacts.length, out);
  return out;
}

let factors = new Float64Array(16);

/**
 * combineImpacts over impacts[order[i]] for i in [from, to) (or impacts[i]
 * when order is null), written into `out`; allocation-free for the hot path.
 */
export function combineInto(impacts: readonly SiteImpact[], order: Int32Array | null, from: number, to: number, out: { x: number; d: number }): void {
  let count = 0;
  let d = 0;
  if (to - from > factors.length) factors = new Float64Array(2 * (to - from));
  for (let i = from; i < to; i++) {
    const impact = impacts[order ? order[i] : i];
    if (impact.x > 0 && impact.anticipated !== true) {
      factors[count++] = impact.x;
      if (impact.days > d) d = impact.days;
    }
  }
  out.d = d;
  out.x = combineFactors(factors, count);
}

/**
 * 1 − Π(1 − f_i) over the first `count` factors, multiplied in ascending order
 * (sorted in place) and floored at the largest; 0 for none. Shared by every
 * caller that combines a site's hits, so they all give the same bits.
 */
export function combineFactors(factors: Float64Array, count: number): number {
  if (count <= 1) return count === 1 ? factors[0] : 0;
  // Sorted, so the product's rounding does not depend on the impacts' order. In place and without a
  // subarray view for the common few (the twin combines every impacted site's hits once per sample).
  if (count <= 16) {
    for (let i = 1; i < count; i++) {
      const v = factors[i];
      let j = i - 1;
      for (; j >= 0 && factors[j] > v; j--) factors[j + 1] = factors[j];
      factors[j + 1] = v;
    }
  } else factors.subarray(0, count).sort();
  let survive = 1;
  for (let i = 0; i < count; i++) survive *= 1 - factors[i];
  return Math.max(1 - survive, factors[count - 1]);
}

/** The event ids with a positive observed impact, deduplicated and sorted. */
export function eventIdsOf(impacts: readonly SiteImpact[]): string[] {
  const ids = new Set<string>();
  for (const impact of impacts) if (impact.x > 0 && impact.eventId !== undefined && impact.anticipated !== true) ids.add(impact.eventId);
  return [...ids].sort();
}
