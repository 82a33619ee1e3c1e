import { Injectable } from '@nestjs/common';
import {
  computeRxi,
  computeTiers,
  countryConcentration,
  mapCoverage,
  Projection,
  RxiResult,
  singleSourcedInputs,
  tierOrNull,
  visibilityGaps,
} from '@tiersight/risk-engine';
import { ProjectionCache } from './projection-cache.service';

/** Structural reports on the current projection; RXI is cached per graph version (it disrupts every site once). */
@Injectable()
export class RiskReportsService {
  private rxiCache: { graphVersion: number; result: Promise<RxiResult> } | null = null;

  constructor(private readonly projections: ProjectionCache) {}

  private async rxi(): Promise<{ projection: Projection; result: RxiResult }> {
    const { projection, graphVersion } = await this.projections.current();
    if (!this.rxiCache || this.rxiCache.graphVersion !== graphVersion) {
      this.rxiCache = { graphVersion, result: Promise.resolve().then(() => computeRxi(projection)) };
    }
    return { projection, result: await this.rxiCache.result };
  }

  async rxiSites(limit: number) {
    const { projection, result } = await this.rxi();
    const tiers = computeTiers(projection);
    const sites = Array.from(projection.siteNodes)
      .filter((v) => result.revenueAtRisk[v] > 0)
      .sort((a, b) => result.rxi[b] - result.rxi[a] || (projection.nodeIds[a] < projection.nodeIds[b] ? -1 : 1))
      .slice(0, limit)
      .map((v) => ({
        siteId: projection.nodeIds[v],
        supplierId: projection.supplierIds[projection.supplierOf[v]],
        country: projection.countries[projection.countryOf[v]],
        tier: tierOrNull(tiers.node, v),
        rxi: result.rxi[v],
        revenueAtRisk: result.revenueAtRisk[v],
      }));
    return { maxRevenueAtRisk: result.maxRevenueAtRisk, sites };
  }

  async spof(limit: number) {
    const { result } = await this.rxi();
    return { items: result.spofs.slice(0, limit).map(({ site: _site, ...rest }) => rest) };
  }

  async singleSources(limit: number) {
    const { projection } = await this.projections.current();
    const all = singleSourcedInputs(projection);
    return { total: all.length, items: all.slice(0, limit) };
  }

  async concentration() {
    const { projection } = await this.projections.current();
    return { items: countryConcentration(projection) };
  }

  async coverage(maxDepth: number) {
    const { projection } = await this.projections.current();
    const gaps = visibilityGaps(projection);
    return { ...mapCoverage(projection, maxDepth), visibilityGaps: gaps.length };
  }
}
