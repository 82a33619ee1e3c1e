import { compareIds } from './critical-path';
import { GrowableInt32 } from './growable';
import { NODE_SITE, type Projection } from './projection';
import { ScratchRunner } from './scratch-runner';
import { computeTiers, tierOrNull } from './tiers';

export interface RxiOptions {
  /** A SKU at x >= 1 − spofTolerance counts as fully lost. Default 1e-9. */
  spofTolerance?: number;
}

/** A site whose loss alone takes some SKU to x = 1. */
export interface SinglePointOfFailure {
  siteId: string;
  site: number;
  supplierId: string;
  tier: number | null;
  /** Tier 2 or deeper: invisible without the sub-tier map. */
  hidden: boolean;
  /** Revenue at risk of the site's solo run (its RXI numerator). */
  revenueAtRisk: number;
  skuIds: string[];
}

export interface RxiResult {
  /** Per node index: Σ over SKUs of dailyRevenue·x·d when that site alone is lost (0 for SKUs). */
  revenueAtRisk: Float64Array;
  /** Per node index: revenueAtRisk / max (the worst site has 1; all 0 when nothing is at risk). */
  rxi: Float64Array;
  /** Per supplier index: max RXI over its sites. */
  supplierRxi: Float64Array;
  maxRevenueAtRisk: number;
  /** Sorted by revenue at risk descending, then site id. */
  spofs: SinglePointOfFailure[];
  evaluations: number;
  cappedComponents: number;
}

/**
 * DESIGN §3.3 Risk Exposure Index: every site is disrupted alone with
 * (1, ttrDays) on one reused scratch state, so each run costs its own
 * disrupted cone and allocates nothing. The sum is over all SKUs the run
 * reaches (no exposure threshold). Resumable in slices (`runNext`) so a
 * caller can yield between them.
 */
export class RxiComputation {
  private readonly runner: ScratchRunner;
  private readonly revenue: Float64Array;
  private readonly spofSite = new GrowableInt32();
  private readonly spofSku = new GrowableInt32();
  private readonly threshold: number;
  private next = 0;

  constructor(
    private readonly projection: Projection,
    options: RxiOptions = {},
  ) {
    this.runner = new ScratchRunner(projection);
    this.revenue = new Float64Array(projection.nodeCount);
    this.threshold = 1 - (options.spofTolerance ?? 1e-9);
  }

  get done(): boolean {
    return this.next >= this.projection.siteNodes.length;
  }

  get sitesDone(): number {
    return this.next;
  }

  /** Processes up to `maxSites` more sites; returns how many it did. */
  runNext(maxSites: number): number {
    const p = this.projection;
    const { x, d } = this.runner.state;
    const end = Math.min(p.siteNodes.length, this.next + maxSites);
    const started = this.next;
    for (; this.next < end; this.next++) {
      const site = p.siteNodes[this.next];
      const ttr = p.ttrDays[site];
      if (!(ttr > 0)) continue; // a site that recovers at once disrupts nothing
      this.runner.seed(site, 1, ttr);
      this.runner.run();
      let sum = 0;
      for (let i = 0; i < this.runner.touchedCount; i++) {
        const v = this.runner.touchedAt(i);
        if (p.kind[v] === NODE_SITE || !(d[v] > 0)) continue;
        sum += p.dailyRevenue[v] * x[v] * d[v];
        if (x[v] >= this.threshold) {
          this.spofSite.push(site);
          this.spofSku.push(v);
        }
      }
      this.revenue[site] = sum;
      this.runner.clear();
    }
    return this.next - started;
  }

  /** Finishes any remaining sites and assembles the result. */
  result(): RxiResult {
    while (!this.done) this.runNext(4096);
    const p = this.projection;
    let max = 0;
    for (const site of p.siteNodes) if (this.revenue[site] > max) max = this.revenue[site];
    const rxi = new Float64Array(p.nodeCount);
    const supplierRxi = new Float64Array(p.supplierIds.length);
    if (max > 0) {
      for (const site of p.siteNodes) {
        const r = this.revenue[site] / max;
        rxi[site] = r;
        const s = p.supplierOf[site];
        if (r > supplierRxi[s]) supplierRxi[s] = r;
      }
    }
    return {
      revenueAtRisk: this.revenue,
      rxi,
      supplierRxi,
      maxRevenueAtRisk: max,
      spofs: this.collectSpofs(),
      evaluations: this.runner.evaluations,
      cappedComponents: this.runner.cappedComponents,
    };
  }

  private collectSpofs(): SinglePointOfFailure[] {
    const p = this.projection;
    const tiers = computeTiers(p).node;
    const sites = this.spofSite.view();
    const skus = this.spofSku.view();
    const out: SinglePointOfFailure[] = [];
    for (let i = 0; i < sites.length;) {
      const site = sites[i];
      const skuIds: string[] = [];
      for (; i < sites.length && sites[i] === site; i++) skuIds.push(p.nodeIds[skus[i]]);
      const tier = tierOrNull(tiers, site);
      out.push({
        siteId: p.nodeIds[site],
        site,
        supplierId: p.supplierIds[p.supplierOf[site]],
        tier,
        hidden: tier !== null && tier >= 2,
        revenueAtRisk: this.revenue[site],
        skuIds: skuIds.sort(compareIds),
      });
    }
    return out.sort((a, b) => b.revenueAtRisk - a.revenueAtRisk || compareIds(a.siteId, b.siteId));
  }
}

/** RXI and single points of failure for every site in one call. */
export function computeRxi(projection: Projection, options: RxiOptions = {}): RxiResult {
  return new RxiComputation(projection, options).result();
}

/** The `limit` sites with the highest RXI (ties by id), for the API list. */
export function topRxiSites(
  projection: Projection,
  result: RxiResult,
  limit: number,
): Array<{ siteId: string; supplierId: string; rxi: number; revenueAtRisk: number }> {
  return [...projection.siteNodes]
    .sort((a, b) => result.rxi[b] - result.rxi[a] || compareIds(projection.nodeIds[a], projection.nodeIds[b]))
    .slice(0, limit)
    .map((site) => ({
      siteId: projection.nodeIds[site],
      supplierId: projection.supplierIds[projection.supplierOf[site]],
      rxi: result.rxi[site],
      revenueAtRisk: result.revenueAtRisk[site],
    }));
}
