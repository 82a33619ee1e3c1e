import type { StoredAttribution } from '@tiersight/graph';
import { attributionRow, compareIds, EventReach, EventReachSolver, ImpactInput, impactsByEvent, Projection, SiteImpact } from '@tiersight/risk-engine';

/** Reach entries kept at most (about 28 bytes each): past this, the next update starts from nothing. */
const MAX_KEPT_ENTRIES = 4_000_000;

/**
 * What changed since the previous update: events whose reach is new or
 * different, and events no longer active. `fresh` says the previous state was
 * not known (first update, or forgotten to save memory): then every event is
 * changed and events gone since cannot be named.
 */
export interface ReachDelta {
  changed: string[];
  gone: string[];
  fresh: boolean;
}

interface Kept {
  signature: string;
  reach: EventReach;
}

/**
 * Attribution between runs. An event's attribution depends only on the graph
 * and its own impacts, so its reach is kept while both stay the same: a run
 * after one new event propagates that event alone instead of every active one.
 * On a new projection (graph version) every event is propagated again, but
 * only those whose reach came out different count as changed.
 */
export class AttributionCache {
  private projection: Projection | null = null;
  private solver: EventReachSolver | null = null;
  private reaches = new Map<string, Kept>();
  private forgetNext = true;

  /** Brings the reaches up to the given impacts; says which events changed. */
  update(projection: Projection, impacts: ReadonlyArray<ImpactInput>): ReachDelta {
    const fresh = this.forgetNext;
    const previous = fresh ? new Map<string, Kept>() : this.reaches;
    const previousProjection = this.projection;
    const newGraph = projection !== previousProjection;
    if (newGraph) this.solver = new EventReachSolver(projection);
    this.projection = projection;
    const next = new Map<string, Kept>();
    const changed: string[] = [];
    const byEvent = impactsByEvent(projection, impacts);
    let entries = 0;
    for (const eventId of [...byEvent.keys()].sort(compareIds)) {
      const sites = byEvent.get(eventId)!;
      const signature = signatureOf(sites);
      const old = previous.get(eventId);
      let kept = old && !newGraph && old.signature === signature ? old : null;
      if (!kept) {
        kept = { signature, reach: this.solver!.reachOf(sites) };
        if (!old || !sameReach(previousProjection!, old.reach, projection, kept.reach)) changed.push(eventId);
      }
      next.set(eventId, kept);
      entries += kept.reach.skus.length;
    }
    const gone = [...previous.keys()].filter((id) => !next.has(id));
    this.reaches = next;
    this.forgetNext = entries > MAX_KEPT_ENTRIES;
    return { changed, gone, fresh };
  }

  /**
   * Brings only the given events up to their impacts (an empty list: the
   * event is gone); the others are kept as they are. Null when that cannot be
   * done — another projection, or nothing kept — and `update` with every
   * active impact is needed instead.
   */
  updateEvents(projection: Projection, changes: ReadonlyMap<string, ReadonlyArray<ImpactInput>>): ReachDelta | null {
    if (this.forgetNext || projection !== this.projection || !this.solver) return null;
    const changed: string[] = [];
    const gone: string[] = [];
    for (const eventId of [...changes.keys()].sort(compareIds)) {
      const impacts = changes.get(eventId)!.map((i) => ({ ...i, eventId }));
      const sites = impactsByEvent(projection, impacts).get(eventId);
      const old = this.reaches.get(eventId);
      if (!sites) {
        if (old && this.reaches.delete(eventId)) gone.push(eventId);
        continue;
      }
      const signature = signatureOf(sites);
      if (old && old.signature === signature) continue;
      const kept = { signature, reach: this.solver.reachOf(sites) };
      if (!old || !sameReach(projection, old.reach, projection, kept.reach)) changed.push(eventId);
      this.reaches.set(eventId, kept);
    }
    let entries = 0;
    for (const { reach } of this.reaches.values()) entries += reach.skus.length;
    this.forgetNext = entries > MAX_KEPT_ENTRIES;
    return { changed, gone, fresh: false };
  }

  /** Active event ids, as of the last update. */
  eventIds(): string[] {
    return [...this.reaches.keys()];
  }

  /** Rows (SKU, event) of the current reaches, for the given events (all when absent) and SKUs. */
  rows(select: { eventIds?: ReadonlyArray<string>; skuIds: { has(skuId: string): boolean } }, finite: (n: number) => number): StoredAttribution[] {
    const projection = this.projection;
    if (!projection) return [];
    const out: StoredAttribution[] = [];
    for (const eventId of select.eventIds ?? this.reaches.keys()) {
      const reach = this.reaches.get(eventId)?.reach;
      if (!reach) continue;
      for (let i = 0; i < reach.skus.length; i++) {
        if (!select.skuIds.has(projection.nodeIds[reach.skus[i]])) continue;
        const row = attributionRow(projection, eventId, reach, i);
        out.push({ skuId: row.skuId, eventId, x: row.x, days: row.days, onsetDays: finite(row.onsetDays), revenueAtRisk: row.revenueAtRisk });
      }
    }
    return out;
  }
}

/** The event's impacts, site by site, as one string: equal strings, equal reach (on one projection). */
function signatureOf(sites: ReadonlyMap<number, SiteImpact[]>): string {
  return [...sites]
    .map(([site, list]) => `${site}:${list.map((i) => `${i.x}/${i.days}`).join(',')}`)
    .sort()
    .join(';');
}

/** Same SKUs with the same states, whatever the node numbering of the two projections. */
function sameReach(pa: Projection, a: EventReach, pb: Projection, b: EventReach): boolean {
  if (a.skus.length !== b.skus.length) return false;
  const at = new Map<string, number>();
  for (let i = 0; i < a.skus.length; i++) at.set(pa.nodeIds[a.skus[i]], i);
  for (let j = 0; j < b.skus.length; j++) {
    const i = at.get(pb.nodeIds[b.skus[j]]);
    if (i === undefined || a.x[i] !== b.x[j] || a.d[i] !== b.d[j] || a.onset[i] !== b.onset[j]) return false;
  }
  return true;
}
