import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { SupplyNetworkReader, type SupplyNetworkVisitor } from '@tiersight/graph';
import { LOGGER } from '@tiersight/observability';
import { Projection, ProjectionBuilder, RiskEngineError } from '@tiersight/risk-engine';

export interface LoadedProjection {
  projection: Projection;
  graphVersion: number;
  loadMs: number;
}

/** A reader visitor that adds every supplier, site, SKU and SUPPLIES edge it is given to the builder. */
export function projectionVisitor(builder: ProjectionBuilder): SupplyNetworkVisitor {
  return {
    supplier: (s) => builder.addSupplier(s.id),
    site: (s) =>
      builder.addSite({ id: s.id, supplierId: s.supplierId, country: s.country, ttrDays: s.ttrDays, source: s.source as never, confirmedAt: s.confirmedAt }),
    sku: (k) => builder.addSku({ id: k.id, dailyRevenue: k.dailyRevenue, category: k.category ?? undefined }),
    edge: (e) =>
      builder.addEdge({
        from: e.fromId,
        to: e.toId,
        partId: e.partId,
        share: e.share,
        bufferDays: e.bufferDays,
        leadTimeDays: e.leadTimeDays,
        source: e.source as never,
        confirmedAt: e.confirmedAt,
      }),
  };
}

/**
 * The risk engine's in-memory projection of the supply graph, kept at the
 * graph's current version: every read checks the version (one cheap query)
 * and reloads, streamed, when the graph moved on. Concurrent callers share a load.
 */
@Injectable()
export class ProjectionCache {
  private loaded: LoadedProjection | null = null;
  private loading: Promise<LoadedProjection> | null = null;

  constructor(
    private readonly reader: SupplyNetworkReader,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  peek(): LoadedProjection | null {
    return this.loaded;
  }

  async current(): Promise<LoadedProjection> {
    const version = await this.reader.graphVersion();
    if (this.loaded && this.loaded.graphVersion >= version) return this.loaded;
    this.loading ??= this.load().finally(() => (this.loading = null));
    const loaded = await this.loading;
    return loaded.graphVersion >= version ? loaded : this.current();
  }

  /**
   * The graph is streamed in several reads; a write landing between them (a
   * supplier removed after its sites were read) can make one load inconsistent.
   * Such a load is retried on a fresh read before the error is reported.
   */
  private async load(attempt = 1): Promise<LoadedProjection> {
    try {
      return await this.loadOnce();
    } catch (error) {
      if (!(error instanceof RiskEngineError) || attempt >= 3) throw error;
      this.logger.warn({ attempt, err: error.message }, 'the graph changed while the risk projection loaded; reading it again');
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      return this.load(attempt + 1);
    }
  }

  private async loadOnce(): Promise<LoadedProjection> {
    const started = Date.now();
    const builder = new ProjectionBuilder();
    const graphVersion = await this.reader.read(projectionVisitor(builder));
    const projection = builder.build();
    this.loaded = { projection, graphVersion, loadMs: Date.now() - started };
    this.logger.info({ graphVersion, nodes: projection.nodeCount, edges: projection.edgeCount, loadMs: this.loaded.loadMs }, 'risk projection loaded');
    return this.loaded;
  }
}
