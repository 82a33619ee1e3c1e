import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { BacktestError, BacktestExecutor } from '@tiersight/backtests';
import { JobHandlers, QueueProcessor, QueueWorkerOptions, QUEUES } from '@tiersight/queues';

/**
 * One backtest per job, one at a time per worker process (a replay is one
 * CPU-bound loop). Progress goes to the job (percent) and to the backtest
 * record the API reads. A backtest that can never succeed (expired, too many
 * events) is not retried.
 */
@Injectable()
export class BacktestsProcessor implements QueueProcessor<typeof QUEUES.backtests> {
  readonly queue = QUEUES.backtests;
  readonly options: QueueWorkerOptions = { concurrency: 1 };

  readonly handlers: JobHandlers<typeof QUEUES.backtests> = {
    'backtest.run': async (data, { job }) => {
      try {
        return await this.backtests.execute(data.backtestId, {
          report: (fraction) => job.updateProgress(Math.round(fraction * 1000) / 10),
          lastTry: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
        });
      } catch (error) {
        if (error instanceof BacktestError) throw new UnrecoverableError(`${error.code}: ${error.message}`);
        throw error;
      }
    },
  };

  constructor(private readonly backtests: BacktestExecutor) {}
}
