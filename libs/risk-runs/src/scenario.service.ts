import { Injectable } from '@nestjs/common';
import type { EventGeometry, Exposure } from '@tiersight/contracts';
import { EventRepository } from '@tiersight/graph';
import { DEFAULT_EXPOSURE_THRESHOLD, ImpactInput, listExposures, propagate } from '@tiersight/risk-engine';
import { ProjectionCache } from './projection-cache.service';

export type ScenarioImpact =
  | { siteIds: string[]; x: number; days: number }
  | { supplierIds: string[]; x: number; days: number }
  | { geometry: EventGeometry; severity: number; days: number };

export class UnknownScenarioReferenceError extends Error {}

/**
 * What-if (DESIGN §3.3): the same computation on hypothetical impacts, on the
 * current projection, touching no stored exposure and sending no alert.
 */
@Injectable()
export class ScenarioService {
  constructor(
    private readonly projections: ProjectionCache,
    private readonly events: EventRepository,
  ) {}

  async run(
    impacts: ScenarioImpact[],
    threshold = DEFAULT_EXPOSURE_THRESHOLD,
  ): Promise<{ exposures: Exposure[]; graphVersion: number; impactedSites: number }> {
    const { projection, graphVersion } = await this.projections.current();
    const inputs: ImpactInput[] = [];
    const unknown: string[] = [];
    let bySupplier: ReturnType<typeof projection.sitesBySupplier> | null = null;
    for (const [n, impact] of impacts.entries()) {
      const eventId = `scenario-${n + 1}`;
      if ('siteIds' in impact) {
        for (const id of impact.siteIds) {
          const v = projection.indexOf(id);
          if (v < 0 || !projection.isSite(v)) unknown.push(`site ${id}`);
          else inputs.push({ site: v, x: impact.x, days: impact.days, eventId });
        }
      } else if ('supplierIds' in impact) {
        bySupplier ??= projection.sitesBySupplier();
        for (const id of impact.supplierIds) {
          const s = projection.supplierIndexOf(id);
          if (s < 0) {
            unknown.push(`supplier ${id}`);
            continue;
          }
          for (let i = bySupplier.start[s]; i < bySupplier.start[s + 1]; i++) {
            inputs.push({ site: bySupplier.sites[i], x: impact.x, days: impact.days, eventId });
          }
        }
      } else {
        for (const siteId of await this.events.sitesInside(impact.geometry)) {
          if (projection.indexOf(siteId) >= 0) inputs.push({ site: siteId, x: impact.severity, days: impact.days, eventId });
        }
      }
    }
    if (unknown.length) throw new UnknownScenarioReferenceError(`unknown ${unknown.slice(0, 20).join(', ')}`);
    const result = propagate(projection, inputs);
    const impactedSites = new Set(inputs.map((i) => i.site)).size;
    return { exposures: listExposures(result, threshold), graphVersion, impactedSites };
  }
}
