import { combineInto, EventReachSolver, SweepRunner, type SiteImpact } from '@tiersight/risk-engine';
import { ContributionRunner } from './contribution-runner';
import { createDraw, drawSample, type SampleDraw } from './sample-draws';
import { SkuSampleStore, type TwinPartial } from './twin-partial';
import type { TwinPlan } from './twin-plan';

/** Per-SKU columns start this long (or the range's length) and double: few regrowths, little waste for rarely exposed SKUs. */
const STORE_START_CAPACITY = 64;

/**
 * With kernel 'auto', a first sample that reaches at least this share of the
 * SKUs switches the runner to the whole-graph sweep: measured on the
 * generated networks, the cone walk costs about ten times the sweep per node
 * it touches (queue and scattered accumulator writes against sequential edge
 * reads), so the sweep wins well before the cone is the whole graph.
 */
export const SWEEP_SKU_SHARE = 0.2;

/**
 * Runs samples of one plan. All samples share the projection and one solver
 * scratch state: a sample seeds its impacted sites, solves their disrupted
 * cone from the bottom state (the same kernel and order as `propagate()`, so
 * the same bits, without its O(nodes) allocation), reads the SKUs it
 * reached, and clears only what it touched. Starting every sample from the
 * bottom makes its answer depend on its own draws only. Contributions, when
 * asked for, run on a live Propagator (see ContributionRunner).
 */
export class SampleRunner {
  private readonly draw: SampleDraw;
  private readonly solver: EventReachSolver;
  private sweeper: SweepRunner | null = null;
  private readonly combined = { x: 0, d: 0 };
  /** Every hit's impact object, updated in place each sample (x = 0 when absent, which the engine ignores), listed per site. */
  private readonly hitImpacts: SiteImpact[];
  private readonly bySite = new Map<number, SiteImpact[]>();
  private contributions: ContributionRunner | null = null;
  private readonly stores: Array<SkuSampleStore | undefined>;
  private readonly skuPosition: Int32Array;
  private readonly presentCount: Int32Array;
  private storeCapacity = 0;

  constructor(private readonly plan: TwinPlan) {
    const p = plan.projection;
    this.draw = createDraw(plan);
    this.hitImpacts = Array.from(plan.hitSite, () => ({ x: 0, days: 0 }));
    plan.sites.forEach((site, j) => {
      const list: SiteImpact[] = [];
      for (let a = plan.siteHitStart[j]; a < plan.siteHitStart[j + 1]; a++) list.push(this.hitImpacts[plan.siteHits[a]]);
      this.bySite.set(site, list);
    });
    this.solver = new EventReachSolver(p);
    this.stores = new Array<SkuSampleStore | undefined>(p.skuNodes.length);
    this.skuPosition = new Int32Array(p.nodeCount).fill(-1);
    p.skuNodes.forEach((v, j) => (this.skuPosition[v] = j));
    this.presentCount = new Int32Array(plan.driverIds.length);
    if (plan.kernel === 'sweep') this.sweeper = new SweepRunner(p);
  }

  /** Runs samples [fromIndex, toIndex) and returns their raw outcome. */
  runRange(fromIndex: number, toIndex: number): TwinPartial {
    const plan = this.plan;
    const n = toIndex - fromIndex;
    const driverCount = plan.driverIds.length;
    const totals = new Float64Array(n);
    // drops exist whenever contributions were asked for (so partials merge alike); the live Propagator only where this range needs it
    const drops = plan.contributionSamples > 0 ? new Float64Array(driverCount * n) : null;
    if (fromIndex < plan.contributionSamples) this.contributions ??= new ContributionRunner(plan, this.draw);
    const contributions = this.contributions;
    // the runner serves every range of its plan: nothing of an earlier range is carried over
    this.stores.fill(undefined);
    this.presentCount.fill(0);
    this.storeCapacity = Math.min(n, STORE_START_CAPACITY);
    for (let i = 0; i < n; i++) {
      drawSample(plan, fromIndex + i, this.draw);
      for (let k = 0; k < driverCount; k++) this.presentCount[k] += this.draw.present[k];
      totals[i] = this.solveAndRecord();
      if (drops && contributions && fromIndex + i < plan.contributionSamples) contributions.run(drops, n, i);
    }
    const skus = [];
    for (const store of this.stores) if (store) skus.push(store.finish());
    return {
      fromIndex,
      toIndex,
      driverIds: [...plan.driverIds],
      skus,
      totals,
      drops,
      presentCount: this.presentCount.slice(),
      evaluations: contributions?.evaluations ?? 0,
      cappedComponents: contributions?.cappedComponents ?? 0,
    };
  }

  /** Solves the current draw, stores every exposed SKU (DESIGN §3.3) and returns the total revenue at risk. */
  private solveAndRecord(): number {
    const { plan, hitImpacts, draw } = this;
    for (let h = 0; h < hitImpacts.length; h++) {
      hitImpacts[h].x = draw.x[h];
      hitImpacts[h].days = draw.d[h];
    }
    if (this.sweeper) return this.sweepAndRecord(this.sweeper);
    const reach = this.solver.reachOf(this.bySite);
    if (plan.kernel === 'auto' && reach.skus.length >= SWEEP_SKU_SHARE * plan.projection.skuNodes.length) this.sweeper = new SweepRunner(plan.projection);
    const { dailyRevenue } = plan.projection;
    const threshold = plan.threshold;
    let total = 0;
    for (let i = 0; i < reach.skus.length; i++) {
      const x = reach.x[i];
      const d = reach.d[i];
      if (!(x >= threshold && d > 0)) continue;
      const v = reach.skus[i];
      total += dailyRevenue[v] * x * d;
      this.record(v, x, d, reach.onset[i]);
    }
    return total;
  }

  /** The same from a whole-graph sweep: every impacted site's direct impact set (0 when absent), every SKU read. */
  private sweepAndRecord(sweeper: SweepRunner): number {
    const { sites, siteHitStart, siteHits } = this.plan;
    const combined = this.combined;
    for (let j = 0; j < sites.length; j++) {
      combineInto(this.hitImpacts, siteHits, siteHitStart[j], siteHitStart[j + 1], combined);
      sweeper.setDirect(sites[j], combined.x, combined.d);
    }
    sweeper.run();
    const { x, d, o } = sweeper.state;
    const { dailyRevenue, skuNodes } = this.plan.projection;
    const threshold = this.plan.threshold;
    let total = 0;
    for (let j = 0; j < skuNodes.length; j++) {
      const v = skuNodes[j];
      if (!(x[v] >= threshold && d[v] > 0)) continue;
      total += dailyRevenue[v] * x[v] * d[v];
      this.record(v, x[v], d[v], o[v]);
    }
    return total;
  }

  private record(v: number, x: number, d: number, onset: number): void {
    const j = this.skuPosition[v];
    let store = this.stores[j];
    if (!store) this.stores[j] = store = new SkuSampleStore(v, this.storeCapacity);
    store.push(x, d, onset);
  }
}
