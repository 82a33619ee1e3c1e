import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { LOGGER } from '@tiersight/observability';
import { QUEUES, QueueProducer } from '@tiersight/queues';
import { ProjectionCache } from '@tiersight/risk-runs';

/**
 * At start: one propagation at a time across every worker process (global
 * concurrency 1 on the risk queue), the projection loaded, and a propagation
 * requested to catch up on whatever changed while no worker ran.
 */
@Injectable()
export class RiskStartup implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QUEUES.risk) private readonly riskQueue: Queue,
    private readonly projections: ProjectionCache,
    private readonly producer: QueueProducer,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.riskQueue.setGlobalConcurrency(1);
    const { graphVersion } = await this.projections.current();
    await this.producer.requestPropagation({ cause: 'graph' });
    this.logger.info({ graphVersion }, 'worker caught up with the graph');
  }
}
