import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { SupplyNetworkReader } from '@tiersight/graph';
import { LOGGER } from '@tiersight/observability';

export interface NetworkSummary {
  graphVersion: number;
  suppliers: number;
  sites: number;
  skus: number;
  edges: number;
  loadMs: number;
}

/**
 * Keeps this worker's view of the supply network at the graph's current
 * version: loaded at start (catching up on changes made while it was down)
 * and again whenever a `graph.changed` job names a newer version.
 */
@Injectable()
export class NetworkSnapshotService implements OnApplicationBootstrap {
  private summary: NetworkSummary | null = null;
  private loading: Promise<NetworkSummary> | null = null;

  constructor(private readonly reader: SupplyNetworkReader, @Inject(LOGGER) private readonly logger: Logger) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.syncTo(await this.reader.graphVersion());
  }

  current(): NetworkSummary | null {
    return this.summary;
  }

  /** Loads the network unless the one in hand is already at `graphVersion` or newer. */
  async syncTo(graphVersion: number): Promise<NetworkSummary> {
    if (this.summary && this.summary.graphVersion >= graphVersion) return this.summary;
    // Concurrent jobs share one load; a load always reads the newest version, which covers them all.
    this.loading ??= this.load().finally(() => (this.loading = null));
    const loaded = await this.loading;
    return loaded.graphVersion >= graphVersion ? loaded : this.syncTo(graphVersion);
  }

  private async load(): Promise<NetworkSummary> {
    const started = Date.now();
    const counts = { suppliers: 0, sites: 0, skus: 0, edges: 0 };
    const graphVersion = await this.reader.read({
      supplier: () => counts.suppliers++,
      site: () => counts.sites++,
      sku: () => counts.skus++,
      edge: () => counts.edges++,
    });
    this.summary = { graphVersion, ...counts, loadMs: Date.now() - started };
    this.logger.info(this.summary, 'supply network loaded');
    return this.summary;
  }
}
