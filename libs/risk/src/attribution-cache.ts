import type { StoredAttribution } from '@tiersight/graph';
import { attributionRow, compareIds, EventReach, EventReachSolver, ImpactInput, impactsByEvent, Projection, SiteImpact } from '@tiersight/risk-engine';

/** Reach entries kept at most (about 28 bytes each): past this, the next run computes every event again. */
const MAX_KEPT_ENTRIES = 4_000_000;

/** What changed since the previous update: events whose reach is new or different, and events no longer active. */
export interface ReachDelta {
  changed: string[];
  gone: string[];
}

/**
 * Attribution between runs. An event's attribution depends only on the graph
 * and its own impacts, so its reach is kept while both stay the same: a run
 * after one new event propagates that event alone instead of every active one.
 * A new projection
 * (graph version) or changed impacts start that event afresh.
 */
export class AttributionCache {
  private projection: Projection | null = null;
  private solver: EventReachSolver | null = null;
  private reaches = new Map<string, { signature: string; reach: EventReach }>();

  /** Brings the reaches up to the given impacts; says which events changed. */
  update(projection: Projection, impacts: ReadonlyArray<ImpactInput>): ReachDelta {
    if (projection !== this.projection) {
      this.projection = projection;
      this.solver = new EventReachSolver(projection);
      this.reaches = new Map();
    }
    const previous = this.reaches;
    const next = new Map<string, { signature: string; reach: EventReach }>();
    const changed: string[] = [];
    const byEvent = impactsByEvent(projection, impacts);
    let entries = 0;
    for (const eventId of [...byEvent.keys()].sort(compareIds)) {
      const sites = byEvent.get(eventId)!;
      const signature = signatureOf(sites);
      let kept = previous.get(eventId);
      if (!kept || kept.signature !== signature) {
        kept = { signature, reach: this.solver!.reachOf(sites) };
        changed.push(eventId);
      }
      next.set(eventId, kept);
      entries += kept.reach.skus.length;
    }
    const gone = [...previous.keys()].filter((id) => !next.has(id));
    this.reaches = next;
    // Over budget: answer this run, then forget (the next run recomputes and rewrites every event).
    if (entries > MAX_KEPT_ENTRIES) this.projection = null;
    return { changed, gone };
  }

  /** Rows (SKU, event) of the current reaches for the given SKUs. */
  rows(skuIds: ReadonlyArray<string>, finite: (n: number) => number): StoredAttribution[] {
    const projection = this.projectionOrFail();
    const wanted = new Set(skuIds.map((id) => projection.sku(id)));
    const out: StoredAttribution[] = [];
    for (const [eventId, { reach }] of this.reaches) {
      for (let i = 0; i < reach.skus.length; i++) {
        if (!wanted.has(reach.skus[i])) continue;
        const row = attributionRow(projection, eventId, reach, i);
        out.push({ skuId: row.skuId, eventId, x: row.x, days: row.days, onsetDays: finite(row.onsetDays), revenueAtRisk: row.revenueAtRisk });
      }
    }
    return out;
  }

  private projectionOrFail(): Projection {
    const p = this.projection ?? this.solver?.projection;
    if (!p) throw new Error('AttributionCache.rows called before update');
    return p;
  }
}

/** The event's impacts, site by site, as one string: equal strings, equal reach (on one projection). */
function signatureOf(sites: ReadonlyMap<number, SiteImpact[]>): string {
  return [...sites]
    .map(([site, list]) => `${site}:${list.map((i) => `${i.x}/${i.days}`).join(',')}`)
    .sort()
    .join(';');
}
