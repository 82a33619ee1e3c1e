import type { SiteImpact } from '@tiersight/risk-engine';
import type { SampleDraw } from './sample-draws';
import type { TwinPlan } from './twin-plan';

/** The engine's per-site impact lists for the current draw. */
export class SiteImpactLists {
  private readonly hitDriver: Int32Array;

  constructor(
    private readonly plan: TwinPlan,
    private readonly draw: SampleDraw,
  ) {
    this.hitDriver = new Int32Array(plan.hitSite.length);
    for (let k = 0; k < plan.driverIds.length; k++) this.hitDriver.fill(k, plan.hitStart[k], plan.hitStart[k + 1]);
  }

  /** The drawn impacts with x > 0 on plan.sites[j], leaving out driver `skip` (-1: none). */
  at(j: number, skip: number): SiteImpact[] {
    const { plan, draw, hitDriver } = this;
    const out: SiteImpact[] = [];
    for (let a = plan.siteHitStart[j]; a < plan.siteHitStart[j + 1]; a++) {
      const h = plan.siteHits[a];
      const k = hitDriver[h];
      if (k === skip || !(draw.x[h] > 0)) continue;
      out.push({ x: draw.x[h], days: draw.d[h], eventId: plan.driverIds[k] });
    }
    return out;
  }
}
