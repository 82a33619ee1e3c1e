import { combineImpacts, validateImpact, type ImpactInput, type SiteImpact } from './impacts';
import { compareIds } from './critical-path';
import { ScratchRunner } from './scratch-runner';
import type { Projection } from './projection';

/** The state one SKU would have with one event's impacts alone (stored in the event's Attribution records). */
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
 * Where one event's impacts alone reach: every SKU with x > 0 and its state,
 * in parallel typed arrays (compact enough to keep per event between runs).
 */
export interface EventReach {
  skus: Int32Array;
  x: Float64Array;
  d: Float64Array;
  onset: Float64Array;
}

/** Computes events' reaches one after another on one reused scratch state (each costs its own cone). */
export class EventReachSolver {
  private readonly runner: ScratchRunner;

  constructor(readonly projection: Projection) {
    this.runner = new ScratchRunner(projection);
  }

  /** The reach of one event's impacts, given per site (each list combined by noisy-OR first). */
  reachOf(sites: ReadonlyMap<number, SiteImpact[]>): EventReach {
    const runner = this.runner;
    for (const [site, list] of sites) {
      const combined = combineImpacts(list);
      runner.seed(site, combined.x, combined.d);
    }
    runner.run();
    const { x, d, o } = runner.state;
    const found: number[] = [];
    for (let i = 0; i < runner.touchedCount; i++) {
      const v = runner.touchedAt(i);
      if (this.projection.isSku(v) && x[v] > 0) found.push(v);
    }
    const reach: EventReach = {
      skus: Int32Array.from(found),
      x: new Float64Array(found.length),
      d: new Float64Array(found.length),
      onset: new Float64Array(found.length),
    };
    found.forEach((v, i) => {
      reach.x[i] = x[v];
      reach.d[i] = d[v];
      reach.onset[i] = o[v];
    });
    runner.clear();
    return reach;
  }
}

/** Impacts with an eventId grouped per event, then per site (node index), each validated. */
export function impactsByEvent(projection: Projection, impacts: ReadonlyArray<ImpactInput>): Map<string, Map<number, SiteImpact[]>> {
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
  return byEvent;
}

/**
 * DESIGN §3.3 attribution: for every event, propagate its impacts alone and
 * record each SKU it reaches with x > 0. Impacts without an eventId are not
 * attributed. Sorted by SKU id, then revenue at risk descending, then event id.
 */
export function attributeEvents(projection: Projection, impacts: ReadonlyArray<ImpactInput>, options: AttributionOptions = {}): EventAttribution[] {
  const byEvent = impactsByEvent(projection, impacts);
  const wanted = options.skus ? new Set(options.skus.map((s) => projection.sku(s))) : null;
  const solver = new EventReachSolver(projection);
  const out: EventAttribution[] = [];
  for (const eventId of [...byEvent.keys()].sort(compareIds)) {
    const reach = solver.reachOf(byEvent.get(eventId)!);
    for (let i = 0; i < reach.skus.length; i++) {
      const v = reach.skus[i];
      if (wanted && !wanted.has(v)) continue;
      out.push(attributionRow(projection, eventId, reach, i));
    }
  }
  return out.sort((a, b) => compareIds(a.skuId, b.skuId) || b.revenueAtRisk - a.revenueAtRisk || compareIds(a.eventId, b.eventId));
}

/** The i-th SKU of an event's reach as an attribution row. */
export function attributionRow(projection: Projection, eventId: string, reach: EventReach, i: number): EventAttribution {
  const v = reach.skus[i];
  return {
    eventId,
    skuId: projection.nodeIds[v],
    sku: v,
    x: reach.x[i],
    days: reach.d[i],
    onsetDays: reach.onset[i],
    revenueAtRisk: projection.dailyRevenue[v] * reach.x[i] * reach.d[i],
  };
}
