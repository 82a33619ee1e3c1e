import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import type { BaseEnv } from '@tiersight/config';
import { chunks } from '@tiersight/contracts';
import type { JobPayloads } from '@tiersight/queues';

/** The backoff type of delivery jobs; the delivery worker's strategy computes its delay (see retry-policy.ts). */
export const WEBHOOK_BACKOFF = 'webhook';

/**
 * A burst to one subscription is split into at least this many batches (while
 * they hold more than one alert each), so its first tries still run side by
 * side up to the endpoint's concurrency rather than one batch after another.
 */
const MIN_PARALLEL_BATCHES = 16;

/**
 * Options of one delivery job. The job id is the delivery id (its stable
 * webhook-id), or that id with a replay suffix, so queuing the same alert
 * twice is a no-op while its job exists. `firstTry` > 1 when a batch job made
 * the earlier tries: the job then has the tries that are left.
 */
export function deliveryJobOptions(config: BaseEnv, deliveryId: string, replay?: number, firstTry = 1): JobsOptions {
  return {
    jobId: replay ? `${deliveryId}-r${replay}` : deliveryId,
    attempts: Math.max(1, config.WEBHOOK_ATTEMPTS - (firstTry - 1)),
    backoff: { type: WEBHOOK_BACKOFF },
    // The delivery log (Redis records) is the history; finished jobs need not stay.
    removeOnComplete: true,
    removeOnFail: { age: config.WEBHOOK_RETENTION_S },
  };
}

/**
 * Options of one batch job. Its id derives from its deliveries, so a fan-out
 * that runs twice on the same changes queues it once. A batch that fails as a
 * whole (Redis unreachable) is run again: deliveries already tried are not
 * tried again by it (see DeliveryService.firstTries).
 */
export function batchJobOptions(config: BaseEnv, deliveryIds: readonly string[]): JobsOptions {
  const digest = createHash('sha256').update(deliveryIds.join('\n')).digest('base64url').slice(0, 32);
  return {
    jobId: `batch-${digest}`,
    attempts: 5,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: true,
    removeOnFail: { age: config.WEBHOOK_RETENTION_S },
  };
}

/** Splits one subscription's new deliveries into batches of at most `maxSize`, enough of them to run side by side. */
export function splitIntoBatches<T>(items: readonly T[], maxSize: number): T[][] {
  return [...chunks(items, Math.max(1, Math.min(maxSize, Math.ceil(items.length / MIN_PARALLEL_BATCHES))))];
}

/**
 * The first-try jobs of new deliveries: per subscription, batches (a batch of
 * one is a plain delivery job), each keyed by what it delivers.
 */
export function firstTryJobs(
  config: BaseEnv,
  deliveries: ReadonlyArray<{ id: string; subscriptionId: string }>,
): {
  singles: Array<{ data: JobPayloads['webhook.deliver']; opts: JobsOptions }>;
  batches: Array<{ data: JobPayloads['webhook.deliver-batch']; opts: JobsOptions }>;
} {
  const bySubscription = new Map<string, string[]>();
  for (const d of deliveries) {
    const ids = bySubscription.get(d.subscriptionId);
    if (ids) ids.push(d.id);
    else bySubscription.set(d.subscriptionId, [d.id]);
  }
  const singles: Array<{ data: JobPayloads['webhook.deliver']; opts: JobsOptions }> = [];
  const batches: Array<{ data: JobPayloads['webhook.deliver-batch']; opts: JobsOptions }> = [];
  for (const [subscriptionId, ids] of bySubscription) {
    for (const batch of splitIntoBatches(ids, config.WEBHOOK_BATCH_SIZE)) {
      if (batch.length === 1) singles.push({ data: { v: 1, deliveryId: batch[0], subscriptionId }, opts: deliveryJobOptions(config, batch[0]) });
      else batches.push({ data: { v: 1, subscriptionId, deliveryIds: batch }, opts: batchJobOptions(config, batch) });
    }
  }
  return { singles, batches };
}

/** A try that failed in a way worth another one, after `delayMs`. */
export class RetryableDeliveryError extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
    this.name = 'RetryableDeliveryError';
  }
}
