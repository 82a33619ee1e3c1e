import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { JobHandlers, QueueProcessor, QueueWorkerOptions, QUEUES } from '@tiersight/queues';
import { TwinError, TwinRunService } from '@tiersight/twin-runs';

/**
 * One twin run per job, one at a time per worker process (a run already
 * splits its samples over the cores). Progress goes to the job (percent) and
 * to the run record the API reads. A run that can never succeed (its
 * request no longer fits the graph, or it expired) is not retried.
 */
@Injectable()
export class TwinProcessor implements QueueProcessor<typeof QUEUES.twin> {
  readonly queue = QUEUES.twin;
  readonly options: QueueWorkerOptions = { concurrency: 1 };

  readonly handlers: JobHandlers<typeof QUEUES.twin> = {
    'twin.run': async (data, { job }) => {
      try {
        return await this.runs.execute(data.runId, {
          report: (fraction) => job.updateProgress(Math.round(fraction * 1000) / 10),
          lastTry: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
        });
      } catch (error) {
        if (error instanceof TwinError) throw new UnrecoverableError(`${error.code}: ${error.message}`);
        throw error;
      }
    },
  };

  constructor(private readonly runs: TwinRunService) {}
}
