import { Inject, Injectable } from '@nestjs/common';
import type { ManagedTransaction } from 'neo4j-driver';
import type { Logger } from 'pino';
import { AuditActor, AuditLog } from '@tiersight/audit';
import { Neo4jService } from '@tiersight/graph';
import { LOGGER } from '@tiersight/observability';
import { QueueProducer } from '@tiersight/queues';

// The same lock and version counter as the bulk import: a portal write and an
// import never interleave, and workers reload the projection at the new version.
const LOCK_GRAPH = `MERGE (m:GraphMeta {id: 'graph'}) SET m.importStartedAt = datetime()`;
const BUMP_GRAPH_VERSION = `
MERGE (m:GraphMeta {id: 'graph'})
SET m.version = coalesce(m.version, 0) + 1, m.updatedAt = datetime()
RETURN m.version AS version`;

export interface PortalChange<T> {
  result: T;
  /** What the audit entry records; null when the request changed nothing (no entry, no new version). */
  audit: { action: string; target: string | null; change: unknown } | null;
}

/**
 * Every portal write to graph data: one transaction under the graph lock that
 * makes the change, bumps the graph version and appends the audit entry, then
 * a `graph.changed` notice for the workers.
 */
@Injectable()
export class PortalWriter {
  constructor(
    private readonly neo4j: Neo4jService,
    private readonly audit: AuditLog,
    private readonly producer: QueueProducer,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async write<T>(actor: AuditActor, work: (tx: ManagedTransaction) => Promise<PortalChange<T>>): Promise<T> {
    const { result, version } = await this.neo4j.write(async (tx) => {
      await tx.run(LOCK_GRAPH);
      const change = await work(tx);
      if (!change.audit) return { result: change.result, version: null };
      const v = Number((await tx.run(BUMP_GRAPH_VERSION)).records[0].get('version'));
      await this.audit.append(tx, actor, change.audit);
      return { result: change.result, version: v };
    });
    if (version !== null) {
      try {
        await this.producer.enqueue('graph.changed', { v: 1, graphVersion: version, cause: 'portal' }); // no version job id: see GraphImportFlow
      } catch (error) {
        // Workers also catch up on the graph version when they start, so a lost notice only delays.
        this.logger.error({ err: error, graphVersion: version }, 'could not queue graph.changed');
      }
    }
    return result;
  }
}
