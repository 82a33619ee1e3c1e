import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { DeadLetters, isFinalFailure, jobDeadLetter } from '@tiersight/queues';

/**
 * A processor whose failures are logged, and whose jobs that fail for good
 * (retries spent or unrecoverable) become dead-letter records with the reason.
 */
export abstract class DeadLetteringWorker extends WorkerHost {
  protected constructor(protected readonly deadLetters: DeadLetters, protected readonly logger: Logger) {
    super();
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job) return;
    const final = isFinalFailure(job, error);
    this.logger.warn({ queue: job.queueName, job: job.name, jobId: job.id, attempt: job.attemptsMade, final, err: error.message }, 'job failed');
    if (final) await this.deadLetters.add(jobDeadLetter(job, error));
  }
}
