import { Inject, Injectable } from '@nestjs/common';
import { DelayedError, UnrecoverableError } from 'bullmq';
import { APP_CONFIG, WorkerEnv } from '@tiersight/config';
import { jobDeadLetter, JobHandlers, QueueProcessor, QueueProducer, QueueWorkerOptions, QUEUES } from '@tiersight/queues';
import { deliveryJobOptions, DeliveryService, RetryableDeliveryError, WEBHOOK_BACKOFF } from '@tiersight/webhooks';

/** The shortest lock of a delivery job, whatever WEBHOOK_TIMEOUT_MS says. */
const MIN_LOCK_MS = 5_000;
/** Times a delivery job may be found stalled (its worker gone) and taken up again before it fails. */
const MAX_STALLED = 3;

/**
 * Signed webhook deliveries: first tries in batches per subscription, then
 * one job per (subscription, alert) for retries and replays. Concurrency, lock
 * and backoff come from the validated configuration. BullMQ renews the lock
 * of a running job every half lock period, so the lock can stay short: the
 * jobs of a worker that died mid-request go to another within about two lock
 * periods (max(5 s, WEBHOOK_TIMEOUT_MS) each). The backoff delay is the one
 * the delivery service chose (exponential with full jitter, Retry-After
 * honoured). Failed tries are logged at debug: the delivery log records each.
 */
@Injectable()
export class DeliveryProcessor implements QueueProcessor<typeof QUEUES.webhooks> {
  readonly queue = QUEUES.webhooks;
  readonly options: QueueWorkerOptions;

  readonly handlers: JobHandlers<typeof QUEUES.webhooks> = {
    'webhook.deliver': async (data, { job, token }) => {
      const firstTry = data.firstTry ?? 1;
      const result = await this.deliveries.attempt(data.deliveryId, firstTry + job.attemptsMade, firstTry - 1 + (job.opts.attempts ?? 1));
      switch (result.kind) {
        case 'done':
          return result.status;
        case 'busy':
          // Not a try: the job waits a moment and gives the worker back.
          await job.moveToDelayed(Date.now() + result.delayMs, token);
          throw new DelayedError();
        case 'retry':
          throw new RetryableDeliveryError(result.error, result.delayMs);
        case 'final':
          throw new UnrecoverableError(result.error);
      }
    },
    'webhook.deliver-batch': async (data, { deadLetter }) => {
      const { subscriptionId } = data;
      const outcome = await this.deliveries.firstTries(data.deliveryIds);
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
        const failed = {
          id: f.deliveryId,
          name: 'webhook.deliver',
          queueName: QUEUES.webhooks,
          attemptsMade: 1,
          opts: {},
          data: { v: 1, deliveryId: f.deliveryId, subscriptionId },
        };
        await deadLetter(jobDeadLetter(failed, new Error(f.error)));
      }
      return { delivered: outcome.delivered, failed: outcome.failed.length, handedOff: outcome.handOff.length };
    },
  };

  constructor(
    @Inject(APP_CONFIG) private readonly config: WorkerEnv,
    private readonly deliveries: DeliveryService,
    private readonly producer: QueueProducer,
  ) {
    const lockMs = Math.max(MIN_LOCK_MS, config.WEBHOOK_TIMEOUT_MS);
    this.options = {
      concurrency: config.WEBHOOK_CONCURRENCY,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      maxStalledCount: MAX_STALLED,
      settings: {
        backoffStrategy: (attemptsMade: number, type?: string, err?: Error) =>
          type === WEBHOOK_BACKOFF && err instanceof RetryableDeliveryError ? err.delayMs : config.WEBHOOK_BACKOFF_BASE_MS * 2 ** Math.max(0, attemptsMade - 1),
      },
      failureLogLevel: 'debug',
    };
  }
}
