import { hostname } from 'node:os';
import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap, Provider, Type } from '@nestjs/common';
import { Worker, WorkerOptions } from 'bullmq';
import type { Logger } from 'pino';
import { APP_CONFIG, BaseEnv } from '@tiersight/config';
import { LOGGER, Metrics } from '@tiersight/observability';
import { DeadLetters, isFinalFailure } from './dead-letters';
import type { DeadLetterInput } from './dead-letters';
import { DeadLetterAccounting, FailureLogLevel, handleJobFailure, writeDeadLetter } from './job-failures';
import { dispatchJob, JobHandlers } from './job-handlers';
import type { QueueJob } from './job-handlers';
import type { QueueName } from './jobs';
import { closeRedisClient, createRedisClient, keyPrefix, RedisClient } from './redis-client';

/**
 * A queue's worker settings beyond the shared ones (connection and prefix),
 * under BullMQ's own names; BullMQ's defaults apply to what is left out
 * (concurrency 1, lock 30 s, stall check every 30 s, one stall allowed).
 */
export type QueueWorkerOptions = Pick<WorkerOptions, 'concurrency' | 'lockDuration' | 'stalledInterval' | 'maxStalledCount' | 'settings'> & {
  /** Level of the line logged for each failed try; `warn` unless set. */
  failureLogLevel?: FailureLogLevel;
};

/** A processor: the queue it works, a handler per job name of that queue, and its worker settings. */
export interface QueueProcessor<Q extends QueueName> {
  readonly queue: Q;
  readonly handlers: JobHandlers<Q>;
  readonly options?: QueueWorkerOptions;
}

/** The processor of any one queue. */
export type AnyQueueProcessor = { [Q in QueueName]: QueueProcessor<Q> }[QueueName];

/** This process among the workers of a deployment: host and pid. */
const WORKER_NAME = `${hostname()}:${process.pid}`;

/** The processors the worker process runs (see `queueWorkerProviders`). */
export const QUEUE_PROCESSORS = Symbol('QUEUE_PROCESSORS');

/** The providers that run the given processors: the processors themselves and the workers that serve them. */
export function queueWorkerProviders(...processors: Type<AnyQueueProcessor>[]): Provider[] {
  return [...processors, { provide: QUEUE_PROCESSORS, useFactory: (...instances: AnyQueueProcessor[]) => instances, inject: processors }, QueueWorkers];
}

/**
 * One BullMQ worker per processor, all built the same way: connection and
 * prefix from the configuration, the processor's own settings, a child logger
 * per job bound to queue, job id, name and attempt, unknown job names failed
 * as unrecoverable, every failed try logged, jobs that failed for good
 * dead-lettered (a dead letter that cannot be written is logged and counted),
 * worker errors logged, and the workers closed before the connections they use
 * when the application shuts down. Each worker has a connection of its own
 * from createRedisClient (BullMQ adds its blocking one), closed after it.
 */
@Injectable()
export class QueueWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly workers: Array<{ worker: Worker<unknown, unknown, string>; connection: RedisClient }> = [];
  /** Failure handling still writing (a dead letter), awaited at shutdown. */
  private readonly pending = new Set<Promise<void>>();
  private readonly accounting: DeadLetterAccounting;

  constructor(
    @Inject(APP_CONFIG) private readonly config: BaseEnv,
    @Inject(QUEUE_PROCESSORS) private readonly processors: readonly AnyQueueProcessor[],
    deadLetters: DeadLetters,
    private readonly metrics: Metrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.accounting = { sink: deadLetters, written: metrics.deadLetters, writeFailures: metrics.deadLetterWriteFailures };
  }

  onApplicationBootstrap(): void {
    const queues = this.processors.map((p) => p.queue);
    const twice = queues.find((q, i) => queues.indexOf(q) !== i);
    if (twice) throw new Error(`two processors for queue ${twice}`);
    for (const processor of this.processors) this.workers.push(this.start(processor));
  }

  private start(processor: AnyQueueProcessor): { worker: Worker<unknown, unknown, string>; connection: RedisClient } {
    const { failureLogLevel = 'warn', ...settings } = processor.options ?? {};
    const { queue, handlers } = processor;
    const services = {
      logger: this.logger,
      deadLetter: async (letter: DeadLetterInput, log: Logger) => {
        await writeDeadLetter(queue, letter, log, this.accounting);
      },
    };
    const connection = createRedisClient(this.config, 'worker');
    const worker = new Worker<unknown, unknown, string>(queue, (job, token) => dispatchJob(handlers, job, token, services), {
      connection,
      prefix: keyPrefix(this.config),
      // Stored on every job it takes (job.processedBy): which process of several ran a job.
      name: WORKER_NAME,
      ...settings,
    });
    worker.on('error', (error) => this.logger.error({ err: error, queue }, 'queue worker error'));
    worker.on('completed', (job) => this.metrics.jobsProcessed.inc({ queue, name: job.name, outcome: 'completed' }));
    worker.on('failed', (job, error) => this.onFailed(queue, job, error, failureLogLevel));
    return { worker, connection };
  }

  private onFailed(queue: QueueName, job: QueueJob | undefined, error: Error, level: FailureLogLevel): void {
    if (job) this.metrics.jobsProcessed.inc({ queue, name: job.name, outcome: isFinalFailure(job, error) ? 'failed' : 'retrying' });
    const handling = handleJobFailure(job, error, { logger: this.logger, level, deadLetters: this.accounting });
    this.pending.add(handling);
    void handling.finally(() => this.pending.delete(handling));
  }

  /** Lets running jobs finish (and their dead letters be written) while Redis and Neo4j are still open. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(
      this.workers.splice(0).map(async ({ worker, connection }) => {
        await worker.close();
        await closeRedisClient(connection);
      }),
    );
    await Promise.all(this.pending);
  }
}
