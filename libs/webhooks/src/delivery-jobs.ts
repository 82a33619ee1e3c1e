import type { JobsOptions } from 'bullmq';
import type { BaseEnv } from '@tiersight/config';

/** The backoff type of delivery jobs; the delivery worker's strategy computes its delay (see retry-policy.ts). */
export const WEBHOOK_BACKOFF = 'webhook';

/**
 * Options of one delivery job. The job id is the delivery id (its stable
 * webhook-id), or that id with a replay suffix, so queuing the same alert
 * twice is a no-op while its job exists.
 */
export function deliveryJobOptions(config: BaseEnv, deliveryId: string, replay?: number): JobsOptions {
  return {
    jobId: replay ? `${deliveryId}-r${replay}` : deliveryId,
    attempts: config.WEBHOOK_ATTEMPTS,
    backoff: { type: WEBHOOK_BACKOFF },
    // The delivery log (Redis records) is the history; finished jobs need not stay.
    removeOnComplete: true,
    removeOnFail: { age: config.WEBHOOK_RETENTION_S },
  };
}

/** A try that failed in a way worth another one, after `delayMs`. */
export class RetryableDeliveryError extends Error {
  constructor(message: string, readonly delayMs: number) {
    super(message);
    this.name = 'RetryableDeliveryError';
  }
}
