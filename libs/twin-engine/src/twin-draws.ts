import type { ImpactInput } from '@tiersight/risk-engine';
import { createDraw, drawSample, type SampleDraw } from './sample-draws';
import { buildPlan, type TwinPlan } from './twin-plan';
import type { TwinRequest } from './twin-request';

/**
 * The drawn impacts of single samples, as the engine takes them: for a
 * baseline that runs propagate() on every sample, or to show what one sample
 * looked like. Sample i here is sample i of `runSamples`.
 */
export class TwinDraws {
  private readonly plan: TwinPlan;
  private readonly draw: SampleDraw;

  constructor(request: TwinRequest) {
    this.plan = buildPlan(request);
    this.draw = createDraw(this.plan);
  }

  /** Impacts of sample `index` (site as node index, eventId = the event or scenario id); absent drivers and x = 0 left out. */
  impactsOf(index: number): ImpactInput[] {
    const { plan, draw } = this;
    drawSample(plan, index, draw);
    const out: ImpactInput[] = [];
    for (let k = 0; k < plan.driverIds.length; k++) {
      if (draw.present[k] === 0) continue;
      for (let h = plan.hitStart[k]; h < plan.hitStart[k + 1]; h++) {
        if (draw.x[h] > 0) out.push({ site: plan.hitSite[h], x: draw.x[h], days: draw.d[h], eventId: plan.driverIds[k] });
      }
    }
    return out;
  }
}
