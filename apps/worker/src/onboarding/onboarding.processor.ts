import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { OnboardingError, OnboardingReviewer } from '@tiersight/onboarding';
import { JobHandlers, QueueProcessor, QueueWorkerOptions, QUEUES } from '@tiersight/queues';

/**
 * One list review per job, one at a time per worker process (placing rows is
 * CPU work on one shared gazetteer). Progress goes to the job (percent) and to
 * the list the API reads. A list that expired can never be reviewed: not retried.
 */
@Injectable()
export class OnboardingProcessor implements QueueProcessor<typeof QUEUES.onboarding> {
  readonly queue = QUEUES.onboarding;
  readonly options: QueueWorkerOptions = { concurrency: 1 };

  readonly handlers: JobHandlers<typeof QUEUES.onboarding> = {
    'onboarding.review': async (data, { job }) => {
      try {
        return await this.reviewer.review(data.listId, {
          report: (fraction) => job.updateProgress(Math.round(fraction * 1000) / 10),
          lastTry: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
        });
      } catch (error) {
        if (error instanceof OnboardingError) throw new UnrecoverableError(`${error.code}: ${error.message}`);
        throw error;
      }
    },
  };

  constructor(private readonly reviewer: OnboardingReviewer) {}
}
