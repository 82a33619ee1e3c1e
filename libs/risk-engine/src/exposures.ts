import type { Exposure, ExposureNumbers } from '@tiersight/contracts';
import { explainExposure } from './critical-path';
import type { RiskView } from './risk-view';

export const DEFAULT_EXPOSURE_THRESHOLD = 0.05;

/** An exposed SKU without its explanation (DESIGN §3.3), with its node index. */
export interface ExposedSku extends ExposureNumbers {
  sku: number;
}

/** SKU state as an ExposedSku record, whatever its level. */
export function skuState(view: RiskView, sku: number): ExposedSku {
  const p = view.projection;
  const x = view.x[sku];
  const days = view.d[sku];
  return { skuId: p.nodeIds[sku], sku, x, days, onsetDays: view.onset[sku], revenueAtRisk: p.dailyRevenue[sku] * x * days };
}

export function isExposed(view: RiskView, sku: number, threshold = DEFAULT_EXPOSURE_THRESHOLD): boolean {
  return view.x[sku] >= threshold && view.d[sku] > 0;
}

/**
 * SKUs with x >= threshold and d > 0, by revenue at risk descending (ties by
 * SKU id). O(SKUs + k log k).
 */
export function exposedSkus(view: RiskView, threshold = DEFAULT_EXPOSURE_THRESHOLD): ExposedSku[] {
  const out: ExposedSku[] = [];
  for (const sku of view.projection.skuNodes) if (isExposed(view, sku, threshold)) out.push(skuState(view, sku));
  return out.sort(byRevenueThenId);
}

/**
 * One SKU's full exposure with explanation; its x/d may be below the threshold
 * (the caller decides). `visitedOut` receives the nodes the path walk stood
 * on: the explanation can change only when one of them or one of their
 * upstream nodes is re-solved.
 */
export function describeExposure(view: RiskView, skuRef: string | number, visitedOut?: number[]): Exposure {
  const sku = view.projection.sku(skuRef);
  const { skuId, x, days, onsetDays, revenueAtRisk } = skuState(view, sku);
  const { criticalPath, eventIds, confidence } = explainExposure(view, sku, visitedOut);
  return { skuId, x, days, onsetDays, revenueAtRisk, eventIds, criticalPath, confidence };
}

/** Every exposed SKU with its explanation, sorted like `exposedSkus`. Cost: O(SKUs) + path walks. */
export function listExposures(view: RiskView, threshold = DEFAULT_EXPOSURE_THRESHOLD): Exposure[] {
  return exposedSkus(view, threshold).map((e) => describeExposure(view, e.sku));
}

export function byRevenueThenId(a: { revenueAtRisk: number; skuId: string }, b: { revenueAtRisk: number; skuId: string }): number {
  if (a.revenueAtRisk !== b.revenueAtRisk) return b.revenueAtRisk - a.revenueAtRisk;
  return a.skuId < b.skuId ? -1 : a.skuId > b.skuId ? 1 : 0;
}
