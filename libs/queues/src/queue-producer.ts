import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { JobsOptions, Queue } from 'bullmq';
import { JOB_QUEUE, JobName, JobPayloads, PropagationCause, QUEUES, QueueName } from './jobs';
import { RedisStore } from './redis-store';

/** Redis key (under the queue prefix) counting propagation requests. */
export const PROPAGATION_SEQ_KEY = 'risk:requested';

/** The typed way to enqueue: the payload type and the queue follow from the job name. */
@Injectable()
export class QueueProducer implements OnModuleInit {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(private readonly moduleRef: ModuleRef, private readonly store: RedisStore) {}

  onModuleInit(): void {
    for (const name of Object.values(QUEUES)) {
      this.queues.set(name, this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
    }
  }

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
    const job = await this.queue(JOB_QUEUE[name]).add(name, data, options);
    return job.id;
  }

  /** Many jobs of one name in one round trip (a feed's items, a telemetry burst). */
  async enqueueBulk<N extends JobName>(name: N, jobs: { data: JobPayloads[N]; opts?: JobsOptions }[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue(JOB_QUEUE[name]).addBulk(jobs.map((j) => ({ name, data: j.data, opts: j.opts })));
  }

  queue(name: QueueName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`queue ${name} is not registered`);
    return queue;
  }
}
