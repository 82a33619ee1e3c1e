import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { JobName, JobPayloads, PropagationCause, QUEUES } from './jobs';
import { RedisStore } from './redis-store';

/** Redis key (under the queue prefix) counting propagation requests. */
export const PROPAGATION_SEQ_KEY = 'risk:requested';

/** The typed way to enqueue: the payload type follows from the job name. */
@Injectable()
export class QueueProducer {
  constructor(
    @InjectQueue(QUEUES.graph) private readonly graphQueue: Queue,
    @InjectQueue(QUEUES.risk) private readonly riskQueue: Queue,
    private readonly store: RedisStore,
  ) {}

  /**
   * Asks for a propagation. Bursts coalesce: each request bumps a counter and
   * queues a cheap job; a run reads the counter before it reads the graph, and
   * jobs whose count it already covers finish at once without work.
   */
  async requestPropagation(request: { cause: PropagationCause; eventId?: string; requestId?: string }): Promise<number> {
    const seq = await this.store.incr(PROPAGATION_SEQ_KEY);
    await this.enqueue('risk.propagate', { v: 1, seq, ...request });
    return seq;
  }

  /** The current request count (read by a run before it reads the graph). */
  async propagationSeq(): Promise<number> {
    return this.store.getNumber(PROPAGATION_SEQ_KEY);
  }

  async enqueue<N extends JobName>(name: N, data: JobPayloads[N], options?: JobsOptions): Promise<string | undefined> {
    const job = await this.queueFor(name).add(name, data, options);
    return job.id;
  }

  private queueFor(name: JobName): Queue {
    switch (name) {
      case 'graph.changed':
        return this.graphQueue;
      case 'risk.propagate':
        return this.riskQueue;
    }
  }
}
