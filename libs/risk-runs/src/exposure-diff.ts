import { type Exposure, EXPOSURE_CHANGE_VERSION, type ExposureChangeMessage } from '@tiersight/contracts';
import { worsens } from '@tiersight/risk-engine';

const EPS = 1e-9;

/**
 * Compares a run's exposures with the stored ones. Worsened: x, days or revenue
 * at risk up, or onset earlier; improved: any of them better and none worse;
 * an exposure whose numbers are unchanged but whose explanation moved is
 * rewritten without being reported as a change. The changes come out as the
 * messages a run publishes on the exposure change stream.
 */
export function diffExposures(stored: ReadonlyMap<string, Exposure>, next: readonly Exposure[]) {
  const changes: ExposureChangeMessage[] = [];
  const rewrite: Exposure[] = [];
  const seen = new Set<string>();
  for (const after of next) {
    seen.add(after.skuId);
    const before = stored.get(after.skuId) ?? null;
    if (!before) {
      changes.push({ v: EXPOSURE_CHANGE_VERSION, kind: 'created', skuId: after.skuId, before, after });
      rewrite.push(after);
      continue;
    }
    // The same rule decides whether an outlook is worse than the observed state (DESIGN §10).
    const worse = worsens(after, before);
    const better =
      after.x < before.x - EPS ||
      after.days < before.days - EPS ||
      after.revenueAtRisk < before.revenueAtRisk * (1 - EPS) - EPS ||
      after.onsetDays > before.onsetDays + EPS;
    if (worse) changes.push({ v: EXPOSURE_CHANGE_VERSION, kind: 'worsened', skuId: after.skuId, before, after });
    else if (better) changes.push({ v: EXPOSURE_CHANGE_VERSION, kind: 'improved', skuId: after.skuId, before, after });
    if (worse || better || !sameAsJson(before, after)) rewrite.push(after);
  }
  const resolved: string[] = [];
  for (const [skuId, before] of stored) {
    if (seen.has(skuId)) continue;
    resolved.push(skuId);
    changes.push({ v: EXPOSURE_CHANGE_VERSION, kind: 'resolved', skuId, before, after: null });
  }
  return { changes, rewrite, resolved };
}

/**
 * Whether two values would serialise to the same JSON, up to key order,
 * without serialising them: keys holding undefined are absent, numbers that
 * JSON cannot hold (±Infinity, NaN) are null.
 */
export function sameAsJson(a: unknown, b: unknown): boolean {
  if (a === undefined || (typeof a === 'number' && !Number.isFinite(a))) a = null;
  if (b === undefined || (typeof b === 'number' && !Number.isFinite(b))) b = null;
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    if (a.length !== other.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameAsJson(a[i], other[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let defined = 0;
  for (const key in x) {
    if (x[key] === undefined) continue;
    defined++;
    if (y[key] === undefined || !sameAsJson(x[key], y[key])) return false;
  }
  for (const key in y) if (y[key] !== undefined) defined--;
  return defined === 0;
}
