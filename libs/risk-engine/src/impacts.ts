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
  const xs: number[] = [];
  let d = 0;
  for (const impact of impacts) {
    if (impact.x > 0) {
      xs.push(impact.x);
      if (impact.days > d) d = impact.days;
    }
  }
  if (xs.length <= 1) return { x: xs.length ? xs[0] : 0, d };
  xs.sort((a, b) => a - b);
  let survive = 1;
  for (const xi of xs) survive *= 1 - xi;
  return { x: Math.max(1 - survive, xs[xs.length - 1]), d };
}

/** The event ids with a positive impact, deduplicated and sorted. */
export function eventIdsOf(impacts: readonly SiteImpact[]): string[] {
  const ids = new Set<string>();
  for (const impact of impacts) if (impact.x > 0 && impact.eventId !== undefined) ids.add(impact.eventId);
  return [...ids].sort();
}
