import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { FeedIngestService, UnknownFeedSourceError } from '@tiersight/disruptions';
import { JobHandlers, QueueProcessor, QueueWorkerOptions, QUEUES } from '@tiersight/queues';

/** Feed pulls in flight at once per worker: one slow source never holds up the others for long. */
const PULLS_AT_ONCE = 2;

/** Pulls one feed per job. */
@Injectable()
export class FeedsProcessor implements QueueProcessor<typeof QUEUES.feeds> {
  readonly queue = QUEUES.feeds;
  readonly options: QueueWorkerOptions = { concurrency: PULLS_AT_ONCE };

  readonly handlers: JobHandlers<typeof QUEUES.feeds> = {
    'feed.pull': async (data) => {
      try {
        return await this.feeds.pull(data.sourceId);
      } catch (error) {
        // A source removed from the configuration while its job waited: retrying cannot help.
        if (error instanceof UnknownFeedSourceError) throw new UnrecoverableError(error.message);
        throw error;
      }
    },
  };

  constructor(private readonly feeds: FeedIngestService) {}
}
