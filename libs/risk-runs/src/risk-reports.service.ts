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

/** RXI of one projection: the engine's result, and the sites at risk ranked once, worst first, with every node's tier (a list request reads a prefix). */
interface RankedRxi {
  projection: Projection;
  result: RxiResult;
  ranked: Int32Array;
  tiers: Int32Array;
}

/**
 * Structural reports on the current projection. RXI (every site disrupted
 * once) and its ranking (tiers of every node, a sort of every site) are
 * computed once per loaded projection, which is reloaded whenever the graph
 * version or the database changes.
 */
@Injectable()
export class RiskReportsService {
  private rxiCache: { projection: Projection; value: Promise<RankedRxi> } | null = null;

  constructor(private readonly projections: ProjectionCache) {}

  private async rxi(): Promise<RankedRxi> {
    const { projection } = await this.projections.current();
    if (this.rxiCache?.projection !== projection) {
      const value = Promise.resolve().then(() => rankRxi(projection, computeRxi(projection)));
      this.rxiCache = { projection, value };
      // A failed computation is not kept: the next request tries again.
      value.catch(() => {
        if (this.rxiCache?.value === value) this.rxiCache = null;
      });
    }
    return this.rxiCache.value;
  }

  async rxiSites(limit: number) {
    const { projection, result, ranked, tiers } = await this.rxi();
    const sites = Array.from(ranked.subarray(0, limit), (v) => ({
      siteId: projection.nodeIds[v],
      supplierId: projection.supplierIds[projection.supplierOf[v]],
      country: projection.countries[projection.countryOf[v]],
      tier: tierOrNull(tiers, v),
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

function rankRxi(projection: Projection, result: RxiResult): RankedRxi {
  const ranked = Int32Array.from(Array.from(projection.siteNodes).filter((v) => result.revenueAtRisk[v] > 0)).sort(
    (a, b) => result.rxi[b] - result.rxi[a] || (projection.nodeIds[a] < projection.nodeIds[b] ? -1 : 1),
  );
  return { projection, result, ranked, tiers: computeTiers(projection).node };
}
