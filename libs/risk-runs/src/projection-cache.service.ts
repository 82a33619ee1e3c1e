import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { type GraphStamp, SupplyNetworkReader, type SupplyNetworkVisitor } from '@tiersight/graph';
import { LOGGER } from '@tiersight/observability';
import { Projection, ProjectionBuilder, RiskEngineError } from '@tiersight/risk-engine';

export interface LoadedProjection {
  projection: Projection;
  graphVersion: number;
  /** The database it was read from: a reset database starts its versions afresh, so a version alone does not name a graph. */
  databaseId: string;
  loadMs: number;
}

/** Whether the loaded projection is of the stamped graph or newer (another caller may have loaded a later version meanwhile). */
const upToDate = (loaded: LoadedProjection, stamp: GraphStamp) => loaded.databaseId === stamp.databaseId && loaded.graphVersion >= stamp.version;

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
 * graph's current version: every read checks the version and the database id
 * (one cheap query) and reloads, streamed, when the graph moved on or the
 * database was reset under the running process. Concurrent callers share a load.
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
    const stamp = await this.reader.graphStamp();
    if (this.loaded && upToDate(this.loaded, stamp)) return this.loaded;
    this.loading ??= this.load(stamp.databaseId).finally(() => (this.loading = null));
    const loaded = await this.loading;
    return upToDate(loaded, stamp) ? loaded : this.current();
  }

  /**
   * The graph is streamed in several reads; a write landing between them (a
   * supplier removed after its sites were read) can make one load inconsistent.
   * Such a load is retried on a fresh read before the error is reported.
   */
  private async load(databaseId: string, attempt = 1): Promise<LoadedProjection> {
    try {
      return await this.loadOnce(databaseId);
    } catch (error) {
      if (!(error instanceof RiskEngineError) || attempt >= 3) throw error;
      this.logger.warn({ attempt, err: error.message }, 'the graph changed while the risk projection loaded; reading it again');
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      return this.load(databaseId, attempt + 1);
    }
  }

  /** `databaseId` comes from the stamp read before the load: a reset since labels the new graph with the old id, and the next read loads it again. */
  private async loadOnce(databaseId: string): Promise<LoadedProjection> {
    const started = Date.now();
    const previous = this.loaded?.databaseId;
    if (previous !== undefined && previous !== databaseId) {
      this.logger.warn({ previousDatabaseId: previous, databaseId }, 'the graph database was reset (it has a new id); loading the risk projection afresh');
    }
    const builder = new ProjectionBuilder();
    const graphVersion = await this.reader.read(projectionVisitor(builder));
    const projection = builder.build();
    this.loaded = { projection, graphVersion, databaseId, loadMs: Date.now() - started };
    this.logger.info({ graphVersion, nodes: projection.nodeCount, edges: projection.edgeCount, loadMs: this.loaded.loadMs }, 'risk projection loaded');
    return this.loaded;
  }
}
