import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { ManagedTransaction } from 'neo4j-driver';
import type { Logger } from 'pino';
import { AuditActor, AuditLog } from '@tiersight/audit';
import { ImportCounts, ImportService } from '@tiersight/graph';
import { LOGGER, Metrics } from '@tiersight/observability';
import { QueueProducer } from '@tiersight/queues';

/** What a caller of the import adds: where the rows came from (kept in the audit entry) and its own records in the same transaction. */
export interface ImportOrigin {
  /** e.g. `{ onboardingListId }`: recorded in the audit entry beside the counts */
  origin?: Record<string, string>;
  /** runs in the import's transaction after the rows are written: commits with them or not at all */
  afterWrite?: (tx: ManagedTransaction) => Promise<void>;
  /** the SHA-256 of the body's bytes as received (HTTP); without it, of the body serialised as JSON */
  bodySha256?: string;
}

/** Import, then tell the workers the graph moved to a new version. */
@Injectable()
export class GraphImportFlow {
  constructor(
    private readonly imports: ImportService,
    private readonly producer: QueueProducer,
    private readonly metrics: Metrics,
    private readonly audit: AuditLog,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async run(body: unknown, requestId: string | undefined, actor: AuditActor, from: ImportOrigin = {}): Promise<ImportCounts> {
    let counts: ImportCounts;
    try {
      // A bulk import may hold a million rows: the log keeps the counts and the SHA-256 of the body, not the rows.
      // Serialised only once the body passed validation (a refused body may be nested too deep to serialise).
      counts = await this.imports.import(body, undefined, {
        afterWrite: async (tx, c) => {
          const bodySha256 = from.bodySha256 ?? createHash('sha256').update(JSON.stringify(body)).digest('hex');
          const origin = from.origin ? { origin: from.origin } : {};
          await this.audit.append(tx, actor, {
            action: 'graph.import',
            target: null,
            change: { counts: c, bodySha256, requestId: requestId ?? null, ...origin },
          });
          await from.afterWrite?.(tx);
        },
      });
    } catch (error) {
      this.metrics.rejectedImports.inc();
      throw error;
    }
    for (const entity of ['suppliers', 'sites', 'parts', 'skus', 'supplies'] as const) {
      this.metrics.importedRows.inc({ entity }, counts[entity]);
    }
    try {
      // No job id from the version: Redis outlives a Neo4j database reset, and version 1 of a new
      // database would be taken for the old one's (BullMQ keeps finished jobs) and never handled.
      await this.producer.enqueue('graph.changed', { v: 1, graphVersion: counts.graphVersion, cause: 'import', requestId });
    } catch (error) {
      // The graph is written; workers also catch up on the graph version when they start, so a lost notice only delays.
      this.logger.error({ err: error, requestId, graphVersion: counts.graphVersion }, 'could not queue graph.changed');
    }
    this.logger.info({ requestId, graphVersion: counts.graphVersion, supplies: counts.supplies }, 'graph imported');
    return counts;
  }
}
