import { RiskEngineError, RiskEngineErrorCode } from './errors';

/** One direct impact on a site (DESIGN §3.1): lost fraction x in [0, 1] for `days` days. */
export interface SiteImpact {
  x: number;
  days: number;
  /** The event (or sensor rule) behind it; used for explanations and attribution. */
  eventId?: string;
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
}

/**
 * Combines the impacts on one site: x = 1 − Π(1 − x_i) (independent hazards),
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
    if (impact.x > 0) {
      factors[count++] = impact.x;
      if (impact.days > d) d = impact.days;
    }
  }
  out.d = d;
  if (count <= 1) {
    out.x = count === 1 ? factors[0] : 0;
    return;
  }
  const xs = factors.subarray(0, count).sort();
  let survive = 1;
  for (let i = 0; i < count; i++) survive *= 1 - xs[i];
  out.x = Math.max(1 - survive, xs[count - 1]);
}

/** The event ids with a positive impact, deduplicated and sorted. */
export function eventIdsOf(impacts: readonly SiteImpact[]): string[] {
  const ids = new Set<string>();
  for (const impact of impacts) if (impact.x > 0 && impact.eventId !== undefined) ids.add(impact.eventId);
  return [...ids].sort();
}
