import { combineImpacts, validateImpact, type ImpactInput, type SiteImpact } from './impacts';
import { compareIds } from './critical-path';
import { ScratchRunner } from './scratch-runner';
import type { Projection } from './projection';

/** The state one SKU would have with one event's impacts alone (stored as EXPOSED_TO). */
export interface EventAttribution {
  eventId: string;
  skuId: string;
  sku: number;
  x: number;
  days: number;
  onsetDays: number;
  revenueAtRisk: number;
}

export interface AttributionOptions {
  /** Restrict to these SKUs (ids or node indices); all SKUs when absent. */
  skus?: ReadonlyArray<string | number>;
}

/**
 * DESIGN §3.3 attribution: for every event, propagate its impacts alone and
 * record each SKU it reaches with x > 0. Impacts without an eventId are not
 * attributed. One scratch state is reused, so the cost is the sum of the
 * events' disrupted cones. Sorted by SKU id, then revenue at risk descending,
 * then event id.
 */
export function attributeEvents(
  projection: Projection,
  impacts: ReadonlyArray<ImpactInput>,
  options: AttributionOptions = {},
): EventAttribution[] {
  const byEvent = new Map<string, Map<number, SiteImpact[]>>();
  for (const impact of impacts) {
    if (impact.eventId === undefined) continue;
    const site = projection.site(impact.site);
    validateImpact(impact, projection.nodeIds[site]);
    let sites = byEvent.get(impact.eventId);
    if (!sites) byEvent.set(impact.eventId, (sites = new Map()));
    const list = sites.get(site);
    if (list) list.push(impact);
    else sites.set(site, [impact]);
  }
  const wanted = options.skus ? new Set(options.skus.map((s) => projection.sku(s))) : null;

  const runner = new ScratchRunner(projection);
  const { x, d, o } = runner.state;
  const out: EventAttribution[] = [];
  for (const eventId of [...byEvent.keys()].sort(compareIds)) {
    for (const [site, list] of byEvent.get(eventId)!) {
      const combined = combineImpacts(list);
      runner.seed(site, combined.x, combined.d);
    }
    runner.run();
    for (let i = 0; i < runner.touchedCount; i++) {
      const v = runner.touchedAt(i);
      if (!projection.isSku(v) || !(x[v] > 0) || (wanted && !wanted.has(v))) continue;
      out.push({
        eventId,
        skuId: projection.nodeIds[v],
        sku: v,
        x: x[v],
        days: d[v],
        onsetDays: o[v],
        revenueAtRisk: projection.dailyRevenue[v] * x[v] * d[v],
      });
    }
    runner.clear();
  }
  return out.sort(
    (a, b) => compareIds(a.skuId, b.skuId) || b.revenueAtRisk - a.revenueAtRisk || compareIds(a.eventId, b.eventId),
  );
}
