import type { StoredAttribution } from '@tiersight/graph';
import { attributionRow, compareIds, EventReach, EventReachSolver, ImpactInput, impactsByEvent, Projection, SiteImpact } from '@tiersight/risk-engine';

/** Reach entries kept at most (about 28 bytes each): past this, new reaches are computed but not kept. */
const MAX_KEPT_ENTRIES = 4_000_000;

/**
 * Attribution between runs. An event's attribution depends only on the graph
 * and its own impacts, so its reach is kept while both stay the same: a run
 * after one new event propagates that event alone instead of every active one.
 * A new projection (graph version) or changed impacts start that event afresh.
 */
export class AttributionCache {
  private projection: Projection | null = null;
  private solver: EventReachSolver | null = null;
  private readonly kept = new Map<string, { signature: string; reach: EventReach }>();
  private keptEntries = 0;
  /** Events computed (not taken from the cache) by the last call. */
  lastComputed = 0;

  /** Attribution rows (SKU, event) of the given SKUs, with each event alone. */
  rows(projection: Projection, impacts: ReadonlyArray<ImpactInput>, skuIds: ReadonlyArray<string>, finite: (n: number) => number): StoredAttribution[] {
    if (projection !== this.projection) this.reset(projection);
    const byEvent = impactsByEvent(projection, impacts);
    for (const eventId of [...this.kept.keys()]) if (!byEvent.has(eventId)) this.forget(eventId);
    const wanted = new Set(skuIds.map((id) => projection.sku(id)));
    const out: StoredAttribution[] = [];
    this.lastComputed = 0;
    for (const eventId of [...byEvent.keys()].sort(compareIds)) {
      const sites = byEvent.get(eventId)!;
      const reach = this.reachOf(eventId, sites);
      for (let i = 0; i < reach.skus.length; i++) {
        if (!wanted.has(reach.skus[i])) continue;
        const row = attributionRow(projection, eventId, reach, i);
        out.push({ skuId: row.skuId, eventId, x: row.x, days: row.days, onsetDays: finite(row.onsetDays), revenueAtRisk: row.revenueAtRisk });
      }
    }
    return out;
  }

  private reachOf(eventId: string, sites: Map<number, SiteImpact[]>): EventReach {
    const signature = [...sites]
      .map(([site, list]) => `${site}:${list.map((i) => `${i.x}/${i.days}`).join(',')}`)
      .sort()
      .join(';');
    const hit = this.kept.get(eventId);
    if (hit && hit.signature === signature) return hit.reach;
    if (hit) this.forget(eventId);
    const reach = this.solver!.reachOf(sites);
    this.lastComputed++;
    if (this.keptEntries + reach.skus.length <= MAX_KEPT_ENTRIES) {
      this.kept.set(eventId, { signature, reach });
      this.keptEntries += reach.skus.length;
    }
    return reach;
  }

  private forget(eventId: string): void {
    const hit = this.kept.get(eventId);
    if (!hit) return;
    this.keptEntries -= hit.reach.skus.length;
    this.kept.delete(eventId);
  }

  private reset(projection: Projection): void {
    this.projection = projection;
    this.solver = new EventReachSolver(projection);
    this.kept.clear();
    this.keptEntries = 0;
  }
}
