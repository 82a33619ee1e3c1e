import { EventReachSolver, SweepRunner, type SiteImpact } from '@tiersight/risk-engine';
import { ContributionRunner } from './contribution-runner';
import { combineHits } from './combine-hits';
import { createDraw, drawSample, type SampleDraw } from './sample-draws';
import { TwinEngineError, TwinEngineErrorCode } from './twin-engine.error';
import { ExposureLog, type TwinPartial } from './twin-partial';
import type { TwinPlan } from './twin-plan';

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
  readonly draw: SampleDraw;
  private readonly solver: EventReachSolver;
  private sweeper: SweepRunner | null = null;
  private readonly combined = { x: 0, d: 0 };
  /** Every hit's impact object for the cone walk, updated in place each sample (x = 0 when absent, which the engine ignores), listed per site. */
  private readonly hitImpacts: SiteImpact[];
  private readonly bySite = new Map<number, SiteImpact[]>();
  private contributions: ContributionRunner | null = null;
  private readonly skuPosition: Int32Array;

  constructor(readonly plan: TwinPlan) {
    const p = plan.projection;
    this.draw = createDraw(plan);
    this.hitImpacts = Array.from(plan.hitSite, () => ({ x: 0, days: 0 }));
    plan.sites.forEach((site, j) => {
      const list: SiteImpact[] = [];
      for (let a = plan.siteHitStart[j]; a < plan.siteHitStart[j + 1]; a++) list.push(this.hitImpacts[plan.siteHits[a]]);
      this.bySite.set(site, list);
    });
    this.solver = new EventReachSolver(p);
    this.skuPosition = new Int32Array(p.nodeCount).fill(-1);
    p.skuNodes.forEach((v, j) => (this.skuPosition[v] = j));
    if (plan.kernel === 'sweep') this.sweeper = new SweepRunner(p);
  }

  /** Samples [fromIndex, toIndex), to be run in consecutive steps (slices between progress reports) and finished once. */
  openRange(fromIndex: number, toIndex: number): SampleRange {
    return new SampleRange(this, fromIndex, toIndex);
  }

  /** Draws and solves sample `index`, logs its exposed SKUs and returns its total revenue at risk. */
  solveSample(index: number, log: ExposureLog): number {
    drawSample(this.plan, index, this.draw);
    return this.sweeper ? this.sweepAndRecord(this.sweeper, log) : this.walkAndRecord(log);
  }

  /** The contribution runner, created when a range first needs it (it holds a live Propagator). */
  contributionRunner(): ContributionRunner {
    return (this.contributions ??= new ContributionRunner(this.plan, this.draw));
  }

  /** The cone walk: stores every exposed SKU (DESIGN §3.3) and returns the total revenue at risk. */
  private walkAndRecord(log: ExposureLog): number {
    const { plan, hitImpacts, draw } = this;
    for (let h = 0; h < hitImpacts.length; h++) {
      hitImpacts[h].x = draw.x[h];
      hitImpacts[h].days = draw.d[h];
    }
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
      log.push(this.skuPosition[v], x, d, reach.onset[i]);
    }
    return total;
  }

  /**
   * The same from a whole-graph sweep: every impacted site's direct impact
   * set from the draw (0 when absent), every SKU read. A site with one hit
   * (most of them) takes it as it is, which is what combining one impact gives.
   */
  private sweepAndRecord(sweeper: SweepRunner, log: ExposureLog): number {
    const { sites, siteHitStart, siteHits } = this.plan;
    const { x: drawX, d: drawD } = this.draw;
    const combined = this.combined;
    for (let j = 0; j < sites.length; j++) {
      const first = siteHitStart[j];
      if (siteHitStart[j + 1] - first === 1) {
        const h = siteHits[first];
        sweeper.setDirect(sites[j], drawX[h], drawD[h]);
        continue;
      }
      combineHits(drawX, drawD, siteHits, first, siteHitStart[j + 1], combined);
      sweeper.setDirect(sites[j], combined.x, combined.d);
    }
    sweeper.run();
    const { x, d, o } = sweeper.state;
    const { dailyRevenue, skuNodes } = this.plan.projection;
    const threshold = this.plan.threshold;
    let total = 0;
    for (let j = 0; j < skuNodes.length; j++) {
      const v = skuNodes[j];
      const xv = x[v];
      const dv = d[v];
      if (!(xv >= threshold && dv > 0)) continue;
      total += dailyRevenue[v] * xv * dv;
      log.push(j, xv, dv, o[v]);
    }
    return total;
  }
}

/**
 * A range of samples being run: its exposures, totals, drops and presence
 * counts accumulate over the steps (no per-step columns to merge), and
 * `finish` lays them out as one partial.
 */
export class SampleRange {
  private readonly log: ExposureLog;
  private readonly totals: Float64Array;
  private readonly drops: Float64Array | null;
  private readonly presentCount: Int32Array;
  private next: number;
  private evaluations = 0;
  private cappedComponents = 0;

  constructor(
    private readonly runner: SampleRunner,
    readonly fromIndex: number,
    readonly toIndex: number,
  ) {
    const plan = runner.plan;
    const n = toIndex - fromIndex;
    this.log = new ExposureLog(plan.projection.skuNodes);
    this.totals = new Float64Array(n);
    // drops exist whenever contributions were asked for (so partials merge alike); the live Propagator only where this range needs it
    this.drops = plan.contributionSamples > 0 ? new Float64Array(plan.driverIds.length * n) : null;
    this.presentCount = new Int32Array(plan.driverIds.length);
    this.next = fromIndex;
  }

  /** Samples not run yet. */
  get remaining(): number {
    return this.toIndex - this.next;
  }

  /** Runs the next `count` samples (fewer when the range ends first). */
  run(count: number): void {
    const { runner, drops, presentCount } = this;
    const plan = runner.plan;
    const n = this.toIndex - this.fromIndex;
    const end = Math.min(this.toIndex, this.next + count);
    for (; this.next < end; this.next++) {
      const i = this.next - this.fromIndex;
      this.totals[i] = runner.solveSample(this.next, this.log);
      const present = runner.draw.present;
      for (let k = 0; k < present.length; k++) presentCount[k] += present[k];
      if (drops && this.next < plan.contributionSamples) {
        const contributions = runner.contributionRunner();
        const evaluations = contributions.evaluations;
        const capped = contributions.cappedComponents;
        contributions.run(drops, n, i);
        this.evaluations += contributions.evaluations - evaluations;
        this.cappedComponents += contributions.cappedComponents - capped;
      }
    }
  }

  /** The partial of the whole range; every sample must have run. */
  finish(): TwinPartial {
    if (this.remaining > 0)
      throw new TwinEngineError(TwinEngineErrorCode.InvalidRange, `${this.remaining} samples of [${this.fromIndex}, ${this.toIndex}) have not run`);
    return {
      fromIndex: this.fromIndex,
      toIndex: this.toIndex,
      driverIds: [...this.runner.plan.driverIds],
      skus: this.log.finish(),
      totals: this.totals,
      drops: this.drops,
      presentCount: this.presentCount,
      evaluations: this.evaluations,
      cappedComponents: this.cappedComponents,
    };
  }
}
