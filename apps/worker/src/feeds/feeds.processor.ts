import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '@tiersight/observability';
import { UnrecoverableError } from 'bullmq';
import type { Job } from 'bullmq';
import { FeedIngestService, UnknownFeedSourceError } from '@tiersight/disruptions';
import { DeadLetters, isFinalFailure, jobDeadLetter, JobOf, QUEUES } from '@tiersight/queues';

/** Pulls one feed per job. Two pulls at a time: one slow source never holds up the others for long. */
@Processor(QUEUES.feeds, { concurrency: 2 })
export class FeedsProcessor extends WorkerHost {
  constructor(private readonly feeds: FeedIngestService, private readonly deadLetters: DeadLetters, @Inject(LOGGER) private readonly logger: Logger) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const typed = job as unknown as JobOf<typeof QUEUES.feeds>;
    switch (typed.name) {
      case 'feed.pull':
        try {
          return await this.feeds.pull(typed.data.sourceId);
        } catch (error) {
          // A source removed from the configuration while its job waited: retrying cannot help.
          if (error instanceof UnknownFeedSourceError) throw new UnrecoverableError(error.message);
          throw error;
        }
    }
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job) return;
    const final = isFinalFailure(job, error);
    this.logger.warn({ queue: job.queueName, job: job.name, jobId: job.id, attempt: job.attemptsMade, final, err: error.message }, 'job failed');
    if (final) await this.deadLetters.add(jobDeadLetter(job, error));
  }
}
