import { Propagator, type PropagationDelta, type SiteImpactsChange } from '@tiersight/risk-engine';
import type { SampleDraw } from './sample-draws';
import type { TwinPlan } from './twin-plan';
import { SiteImpactLists } from './site-impact-lists';

/**
 * One-at-a-time contributions on a live `Propagator`. The Propagator follows
 * the samples: each sample re-solves only the cones of the sites whose draws
 * changed (on an acyclic cone), or starts from the bottom state (where a loop
 * lies downstream, because there the iteration's last bits depend on where
 * it starts). From a sample's state S, the present drivers are left out one
 * after another: one update puts the previous driver back and removes the
 * next (one solve of the union of their cones instead of two), and the drop
 * T(S) − T(S without k) is summed over the SKUs whose revenue at risk now
 * differs from S. A last update restores S.
 */
export class ContributionRunner {
  private readonly live: Propagator;
  private readonly lists: SiteImpactLists;
  /** The (x, d) of each hit as the Propagator currently holds it. */
  private readonly heldX: Float64Array;
  private readonly heldD: Float64Array;
  /** 1 when the site (position in plan.sites) holds impacts in the Propagator. */
  private readonly siteHeld: Uint8Array;
  /** Scratch mark per site position while one update is assembled. */
  private readonly siteMark: Uint8Array;
  /** Position of a node in projection.skuNodes, -1 for sites. */
  private readonly skuPosition: Int32Array;
  /** Revenue at risk of each SKU (by position) in the sample's state S, and in the Propagator's current state. */
  private readonly base: Float64Array;
  private readonly now: Float64Array;
  /** SKUs whose `now` may differ from `base` (a list with membership flags; stale entries are dropped when summed). */
  private readonly dirty: Int32Array;
  private readonly isDirty: Uint8Array;
  private dirtyCount = 0;
  evaluations = 0;
  cappedComponents = 0;

  constructor(
    private readonly plan: TwinPlan,
    private readonly draw: SampleDraw,
  ) {
    const p = plan.projection;
    this.live = new Propagator(p);
    this.lists = new SiteImpactLists(plan, draw);
    this.heldX = new Float64Array(plan.hitSite.length);
    this.heldD = new Float64Array(plan.hitSite.length);
    this.siteHeld = new Uint8Array(plan.sites.length);
    this.siteMark = new Uint8Array(plan.sites.length);
    this.skuPosition = new Int32Array(p.nodeCount).fill(-1);
    p.skuNodes.forEach((v, j) => (this.skuPosition[v] = j));
    const skus = p.skuNodes.length;
    this.base = new Float64Array(skus);
    this.now = new Float64Array(skus);
    this.dirty = new Int32Array(skus);
    this.isDirty = new Uint8Array(skus);
  }

  /** Drops of the current draw: out[k · stride + offset] = T(S) − T(S without driver k); 0 for drivers absent or hitting nothing. */
  run(out: Float64Array, stride: number, offset: number): void {
    this.apply();
    let previous = -1;
    for (let k = 0; k < this.plan.driverIds.length; k++) {
      out[k * stride + offset] = 0;
      if (!this.hitsSomething(k)) continue;
      this.update(previous, k);
      out[k * stride + offset] = this.drop();
      previous = k;
    }
    if (previous !== -1) {
      this.update(previous, -1);
      // S again: bit for bit on an acyclic cone, within the solver's tolerance in loops
      for (let i = 0; i < this.dirtyCount; i++) {
        const j = this.dirty[i];
        this.base[j] = this.now[j];
        this.isDirty[j] = 0;
      }
      this.dirtyCount = 0;
    }
  }

  /** Brings the Propagator to the current draw. */
  private apply(): void {
    const { plan, draw, heldX, heldD, siteHeld, lists } = this;
    const { sites, siteHitStart, siteHits } = plan;
    if (!plan.acyclicCone) {
      const clear: SiteImpactsChange[] = [];
      for (let j = 0; j < sites.length; j++) {
        if (siteHeld[j] === 0) continue;
        clear.push({ site: sites[j], impacts: [] });
        siteHeld[j] = 0;
        for (let a = siteHitStart[j]; a < siteHitStart[j + 1]; a++) heldX[siteHits[a]] = heldD[siteHits[a]] = 0;
      }
      if (clear.length > 0) this.refresh(this.setImpacts(clear));
    }
    const changes: SiteImpactsChange[] = [];
    for (let j = 0; j < sites.length; j++) {
      let changed = false;
      for (let a = siteHitStart[j]; a < siteHitStart[j + 1]; a++) {
        const h = siteHits[a];
        if (draw.x[h] !== heldX[h] || draw.d[h] !== heldD[h]) {
          changed = true;
          heldX[h] = draw.x[h];
          heldD[h] = draw.d[h];
        }
      }
      if (!changed) continue;
      const impacts = lists.at(j, -1);
      siteHeld[j] = impacts.length > 0 ? 1 : 0;
      changes.push({ site: sites[j], impacts });
    }
    if (changes.length > 0) this.refresh(this.setImpacts(changes));
  }

  private hitsSomething(k: number): boolean {
    if (this.draw.present[k] === 0) return false;
    for (let h = this.plan.hitStart[k]; h < this.plan.hitStart[k + 1]; h++) if (this.draw.x[h] > 0) return true;
    return false;
  }

  /** One update: driver `restore` back in (-1: none), driver `remove` out (-1: none). */
  private update(restore: number, remove: number): void {
    const { plan, lists, siteMark } = this;
    const { driverSiteStart, driverSites, sites } = plan;
    const changes: SiteImpactsChange[] = [];
    if (remove !== -1) {
      for (let a = driverSiteStart[remove]; a < driverSiteStart[remove + 1]; a++) {
        const j = driverSites[a];
        siteMark[j] = 1;
        changes.push({ site: sites[j], impacts: lists.at(j, remove) });
      }
    }
    if (restore !== -1) {
      for (let a = driverSiteStart[restore]; a < driverSiteStart[restore + 1]; a++) {
        const j = driverSites[a];
        if (siteMark[j] === 0) changes.push({ site: sites[j], impacts: lists.at(j, -1) });
      }
    }
    if (remove !== -1) for (let a = driverSiteStart[remove]; a < driverSiteStart[remove + 1]; a++) siteMark[driverSites[a]] = 0;
    const delta = this.setImpacts(changes);
    for (const v of delta.touchedNodes) {
      const j = this.skuPosition[v];
      if (j === -1) continue;
      this.now[j] = this.revenueAtRisk(v);
      if (this.isDirty[j] === 0 && this.now[j] !== this.base[j]) {
        this.isDirty[j] = 1;
        this.dirty[this.dirtyCount++] = j;
      }
    }
  }

  /** Σ (base − now) over the SKUs that differ, compacting the dirty list. */
  private drop(): number {
    const { dirty, isDirty, base, now } = this;
    let kept = 0;
    let sum = 0;
    for (let i = 0; i < this.dirtyCount; i++) {
      const j = dirty[i];
      if (now[j] === base[j]) {
        isDirty[j] = 0;
        continue;
      }
      dirty[kept++] = j;
      sum += base[j] - now[j];
    }
    this.dirtyCount = kept;
    return sum;
  }

  /** Re-reads the SKUs an update of the sample's own impacts re-solved. */
  private refresh(delta: PropagationDelta): void {
    for (const v of delta.touchedNodes) {
      const j = this.skuPosition[v];
      if (j !== -1) this.base[j] = this.now[j] = this.revenueAtRisk(v);
    }
  }

  private revenueAtRisk(v: number): number {
    const x = this.live.x[v];
    const d = this.live.d[v];
    return x >= this.plan.threshold && d > 0 ? this.plan.projection.dailyRevenue[v] * x * d : 0;
  }

  private setImpacts(changes: SiteImpactsChange[]): PropagationDelta {
    const delta = this.live.setImpacts(changes);
    this.evaluations += delta.evaluations;
    this.cappedComponents += delta.cappedComponents;
    return delta;
  }
}
