import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DelayedError, Job, UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { APP_CONFIG, WorkerEnv } from '@tiersight/config';
import { LOGGER } from '@tiersight/observability';
import { DeadLetters, isFinalFailure, jobDeadLetter, JobOf, QueueProducer, QUEUES, redisConnection } from '@tiersight/queues';
import { deliveryJobOptions, DeliveryService, RetryableDeliveryError, WEBHOOK_BACKOFF } from '@tiersight/webhooks';

/**
 * The webhooks queue's worker, built here so its concurrency, lock and
 * backoff come from the validated configuration. BullMQ renews the lock of a
 * running job every half lock period, so the lock can stay short: the jobs of
 * a worker that died mid-request go to another within about two lock periods
 * (max(5 s, WEBHOOK_TIMEOUT_MS) each). The backoff delay is the one the
 * delivery service chose (exponential with full jitter, Retry-After honoured).
 */
@Injectable()
export class DeliveryProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private worker?: Worker;

  constructor(
    @Inject(APP_CONFIG) private readonly config: WorkerEnv,
    private readonly deliveries: DeliveryService,
    private readonly deadLetters: DeadLetters,
    private readonly producer: QueueProducer,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const lockMs = Math.max(5_000, this.config.WEBHOOK_TIMEOUT_MS);
    this.worker = new Worker(QUEUES.webhooks, (job, token) => this.process(job, token), {
      connection: redisConnection(this.config.REDIS_URL),
      prefix: this.config.QUEUE_PREFIX,
      concurrency: this.config.WEBHOOK_CONCURRENCY,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      maxStalledCount: 3,
      settings: {
        backoffStrategy: (attemptsMade: number, type?: string, err?: Error) =>
          type === WEBHOOK_BACKOFF && err instanceof RetryableDeliveryError ? err.delayMs : this.config.WEBHOOK_BACKOFF_BASE_MS * 2 ** Math.max(0, attemptsMade - 1),
      },
    });
    this.worker.on('error', (error) => this.logger.error({ err: error }, 'webhook delivery worker error'));
    this.worker.on('failed', (job, error) => void this.onFailed(job, error));
  }

  async process(job: Job, token?: string): Promise<unknown> {
    const typed = job as unknown as JobOf<typeof QUEUES.webhooks>;
    switch (typed.name) {
      case 'webhook.deliver': {
        const firstTry = typed.data.firstTry ?? 1;
        const result = await this.deliveries.attempt(typed.data.deliveryId, firstTry + job.attemptsMade, firstTry - 1 + (job.opts.attempts ?? 1));
        switch (result.kind) {
          case 'done':
            return result.status;
          case 'busy':
            await job.moveToDelayed(Date.now() + result.delayMs, token);
            throw new DelayedError();
          case 'retry':
            throw new RetryableDeliveryError(result.error, result.delayMs);
          case 'final':
            throw new UnrecoverableError(result.error);
        }
        break;
      }
      case 'webhook.deliver-batch': {
        const { subscriptionId } = typed.data;
        const outcome = await this.deliveries.firstTries(typed.data.deliveryIds);
        // Handed back before this job completes: if the worker dies first, the batch runs again and hands them back again.
        await this.producer.enqueueBulk(
          'webhook.deliver',
          outcome.handOff.map((h) => ({
            data: { v: 1 as const, deliveryId: h.deliveryId, subscriptionId, ...(h.firstTry > 1 ? { firstTry: h.firstTry } : {}) },
            opts: { ...deliveryJobOptions(this.config, h.deliveryId, undefined, h.firstTry), delay: h.delayMs },
          })),
        );
        for (const f of outcome.failed) {
          // Recorded as the one-delivery job it would have been, failed on its first try.
          const failed = { id: f.deliveryId, name: 'webhook.deliver', queueName: QUEUES.webhooks, attemptsMade: 1, opts: {}, data: { v: 1, deliveryId: f.deliveryId, subscriptionId } };
          await this.deadLetters.add(jobDeadLetter(failed, new Error(f.error))).catch(() => undefined);
        }
        return { delivered: outcome.delivered, failed: outcome.failed.length, handedOff: outcome.handOff.length };
      }
    }
  }

  private async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job) return;
    const final = isFinalFailure(job, error);
    this.logger.debug({ queue: job.queueName, jobId: job.id, attempt: job.attemptsMade, final, err: error.message }, 'webhook delivery try failed');
    if (final) await this.deadLetters.add(jobDeadLetter(job, error)).catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }
}
