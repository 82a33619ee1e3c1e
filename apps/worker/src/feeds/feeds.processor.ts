import { Processor } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '@tiersight/observability';
import { UnrecoverableError } from 'bullmq';
import type { Job } from 'bullmq';
import { FeedIngestService, UnknownFeedSourceError } from '@tiersight/disruptions';
import { DeadLetters, JobOf, QUEUES } from '@tiersight/queues';
import { DeadLetteringWorker } from '../processors/dead-lettering.worker';

/** Pulls one feed per job. Two pulls at a time: one slow source never holds up the others for long. */
@Processor(QUEUES.feeds, { concurrency: 2 })
export class FeedsProcessor extends DeadLetteringWorker {
  constructor(private readonly feeds: FeedIngestService, deadLetters: DeadLetters, @Inject(LOGGER) logger: Logger) {
    super(deadLetters, logger);
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
}
