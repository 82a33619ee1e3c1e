import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { ImportCounts, ImportService } from '@tiersight/graph';
import { LOGGER, Metrics } from '@tiersight/observability';
import { QueueProducer } from '@tiersight/queues';

/** Import, then tell the workers the graph moved to a new version. */
@Injectable()
export class GraphImportFlow {
  constructor(
    private readonly imports: ImportService,
    private readonly producer: QueueProducer,
    private readonly metrics: Metrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async run(body: unknown, requestId?: string): Promise<ImportCounts> {
    let counts: ImportCounts;
    try {
      counts = await this.imports.import(body);
    } catch (error) {
      this.metrics.rejectedImports.inc();
      throw error;
    }
    for (const entity of ['suppliers', 'sites', 'parts', 'skus', 'supplies'] as const) {
      this.metrics.importedRows.inc({ entity }, counts[entity]);
    }
    try {
      await this.producer.enqueue(
        'graph.changed',
        { v: 1, graphVersion: counts.graphVersion, cause: 'import', requestId },
        { jobId: `graph.changed-${counts.graphVersion}` },
      );
    } catch (error) {
      // The graph is written; workers also catch up on the graph version when they start, so a lost notice only delays.
      this.logger.error({ err: error, requestId, graphVersion: counts.graphVersion }, 'could not queue graph.changed');
    }
    this.logger.info({ requestId, graphVersion: counts.graphVersion, supplies: counts.supplies }, 'graph imported');
    return counts;
  }
}
