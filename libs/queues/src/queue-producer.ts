import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { JobsOptions, Queue } from 'bullmq';
import { JOB_QUEUE, JobName, JobPayloads, PropagationCause, QUEUES, QueueName } from './jobs';
import { RedisStore } from './redis-store';

/** Redis key (under the queue prefix) counting propagation requests. */
export const PROPAGATION_SEQ_KEY = 'risk:requested';
/** Redis hash (under the queue prefix): per event id, requests naming it not yet covered by a run; ALL_EVENTS for the rest. */
export const PROPAGATION_EVENTS_KEY = 'risk:requested-events';
/** The field of requests that name no event: the next run reads every active impact. */
export const ALL_EVENTS = '*';

/** Subtracts what a run read from the per-event request counts (requests made since stay). */
const SETTLE_EVENTS = `
for i = 1, #ARGV, 2 do
  if redis.call('HINCRBY', KEYS[1], ARGV[i], -tonumber(ARGV[i + 1])) <= 0 then redis.call('HDEL', KEYS[1], ARGV[i]) end
end
return 1`;

/** The typed way to enqueue: the payload type and the queue follow from the job name. */
@Injectable()
export class QueueProducer implements OnModuleInit {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly store: RedisStore,
  ) {}

  onModuleInit(): void {
    for (const name of Object.values(QUEUES)) {
      this.queues.set(name, this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
    }
  }

  /**
   * Asks for a propagation. Bursts coalesce: each request bumps a counter and
   * queues a cheap job; a run reads the counter before it reads the graph, and
   * jobs whose count it already covers finish at once without work. The
   * events whose impacts the caller changed are counted too, so a run can read
   * only theirs; a request that names none (a graph change, a sensor rule)
   * makes the next run read every active impact.
   */
  async requestPropagation(request: { cause: PropagationCause; eventId?: string; eventIds?: readonly string[]; requestId?: string }): Promise<number> {
    const { eventIds, ...job } = request;
    const named = [...(eventIds ?? []), ...(request.eventId !== undefined ? [request.eventId] : [])];
    const multi = this.store.client.multi().incr(this.store.key(PROPAGATION_SEQ_KEY));
    for (const field of named.length ? new Set(named) : [ALL_EVENTS]) multi.hincrby(this.store.key(PROPAGATION_EVENTS_KEY), field, 1);
    const [[error, seq]] = (await multi.exec()) as Array<[Error | null, number]>;
    if (error) throw error;
    await this.enqueue('risk.propagate', { v: 1, seq, ...job });
    return seq;
  }

  /** The current request count (read by a run before it reads the graph). */
  async propagationSeq(): Promise<number> {
    return this.store.getNumber(PROPAGATION_SEQ_KEY);
  }

  /** The per-event request counts not yet covered by a run (ALL_EVENTS: requests that named none). */
  async requestedEvents(): Promise<Map<string, number>> {
    const hash = await this.store.client.hgetall(this.store.key(PROPAGATION_EVENTS_KEY));
    return new Map(Object.entries(hash).map(([id, n]) => [id, Number(n)]));
  }

  /** Marks the counts a run read (and covered) as done; requests made after that read stay for the next run. */
  async settleRequestedEvents(read: ReadonlyMap<string, number>): Promise<void> {
    if (read.size === 0) return;
    const args = [...read].flatMap(([id, n]) => [id, String(n)]);
    await this.store.client.eval(SETTLE_EVENTS, 1, this.store.key(PROPAGATION_EVENTS_KEY), ...args);
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
