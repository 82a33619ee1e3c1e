import { Inject, Injectable } from '@nestjs/common';
import type { ManagedTransaction } from 'neo4j-driver';
import type { Logger } from 'pino';
import { AuditActor, AuditLog } from '@tiersight/audit';
import { SupplyNetworkWriter } from '@tiersight/graph';
import { LOGGER } from '@tiersight/observability';
import { QueueProducer } from '@tiersight/queues';

export interface PortalChange<T> {
  result: T;
  /** What the audit entry records; null when the request changed nothing (no entry, no new version). */
  audit: { action: string; target: string | null; change: unknown } | null;
}

/**
 * Every portal write to graph data: one transaction of the supply-network
 * writer (graph lock, the change, a new graph version) to which the audit entry
 * is added, so it commits with the change or not at all; then a
 * `graph.changed` notice for the workers.
 */
@Injectable()
export class PortalWriter {
  constructor(
    private readonly network: SupplyNetworkWriter,
    private readonly audit: AuditLog,
    private readonly producer: QueueProducer,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async write<T>(actor: AuditActor, work: (tx: ManagedTransaction) => Promise<PortalChange<T>>): Promise<T> {
    return (await this.writeVersioned(actor, work)).result;
  }

  /** `write`, answering the graph version the change made as well (null when it changed nothing). */
  async writeVersioned<T>(actor: AuditActor, work: (tx: ManagedTransaction) => Promise<PortalChange<T>>): Promise<{ result: T; graphVersion: number | null }> {
    const { result, graphVersion } = await this.network.change(
      async (tx) => {
        const change = await work(tx);
        return { result: change, changed: change.audit !== null };
      },
      async (tx, change) => {
        if (change.audit) await this.audit.append(tx, actor, change.audit);
      },
    );
    if (graphVersion !== null) {
      try {
        await this.producer.enqueue('graph.changed', { v: 1, graphVersion, cause: 'portal' }); // no version job id: see GraphImportFlow
      } catch (error) {
        // Workers also catch up on the graph version when they start, so a lost notice only delays.
        this.logger.error({ err: error, graphVersion }, 'could not queue graph.changed');
      }
    }
    return { result: result.result, graphVersion };
  }
}
