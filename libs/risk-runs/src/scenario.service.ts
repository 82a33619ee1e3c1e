import { Injectable } from '@nestjs/common';
import type { EventGeometry, Exposure } from '@tiersight/contracts';
import { EventRepository } from '@tiersight/graph';
import { DEFAULT_EXPOSURE_THRESHOLD, ImpactInput, listExposures, propagate, type Projection } from '@tiersight/risk-engine';
import { ProjectionCache } from './projection-cache.service';

export type ScenarioImpact =
  | { siteIds: string[]; x: number; days: number }
  | { supplierIds: string[]; x: number; days: number }
  | { geometry: EventGeometry; severity: number; days: number };

export class UnknownScenarioReferenceError extends Error {}

/** A reference of impact `impact` (its `list`, at `index`) that names no site or supplier of the projection. */
export interface UnknownScenarioReference {
  impact: number;
  list: 'siteIds' | 'supplierIds';
  index: number;
  kind: 'site' | 'supplier';
  id: string;
}

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
    const { sites, unknown } = await this.resolveSites(projection, impacts);
    if (unknown.length)
      throw new UnknownScenarioReferenceError(
        `unknown ${unknown
          .slice(0, 20)
          .map((u) => `${u.kind} ${u.id}`)
          .join(', ')}`,
      );
    const inputs: ImpactInput[] = impacts.flatMap((impact, n) => {
      const x = 'geometry' in impact ? impact.severity : impact.x;
      return sites[n].map((site) => ({ site, x, days: impact.days, eventId: `scenario-${n + 1}` }));
    });
    const result = propagate(projection, inputs);
    const impactedSites = new Set(inputs.map((i) => i.site)).size;
    return { exposures: listExposures(result, threshold), graphVersion, impactedSites };
  }

  /**
   * The sites (node indices) each impact names on `projection`, in the
   * impact's order: its sites, its suppliers' sites, or the sites inside its
   * area; and every site or supplier id that names nothing.
   */
  async resolveSites(projection: Projection, impacts: readonly ScenarioImpact[]): Promise<{ sites: number[][]; unknown: UnknownScenarioReference[] }> {
    const sites: number[][] = [];
    const unknown: UnknownScenarioReference[] = [];
    let bySupplier: ReturnType<Projection['sitesBySupplier']> | null = null;
    for (const [n, impact] of impacts.entries()) {
      const found: number[] = [];
      if ('siteIds' in impact) {
        for (const [index, id] of impact.siteIds.entries()) {
          const v = projection.indexOf(id);
          if (v < 0 || !projection.isSite(v)) unknown.push({ impact: n, list: 'siteIds', index, kind: 'site', id });
          else found.push(v);
        }
      } else if ('supplierIds' in impact) {
        bySupplier ??= projection.sitesBySupplier();
        for (const [index, id] of impact.supplierIds.entries()) {
          const s = projection.supplierIndexOf(id);
          if (s < 0) unknown.push({ impact: n, list: 'supplierIds', index, kind: 'supplier', id });
          else for (let i = bySupplier.start[s]; i < bySupplier.start[s + 1]; i++) found.push(bySupplier.sites[i]);
        }
      } else {
        for (const siteId of await this.events.sitesInside(impact.geometry)) {
          const v = projection.indexOf(siteId);
          if (v >= 0) found.push(v);
        }
      }
      sites.push(found);
    }
    return { sites, unknown };
  }
}
