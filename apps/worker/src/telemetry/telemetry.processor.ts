import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, WorkerEnv } from '@tiersight/config';
import { JobContext, JobHandlers, QueueProcessor, QueueWorkerOptions, QUEUES } from '@tiersight/queues';
import { ReadingsService } from '@tiersight/telemetry';

/** Times a telemetry job may be found stalled (its worker gone) and taken up again before it fails. */
const MAX_STALLED = 3;

/**
 * Readings and the periodic no-reading check. Concurrency and lock come from
 * the validated configuration: a job whose worker died is taken up again after
 * TELEMETRY_LOCK_MS, and is then processed as a retry (its readings replayed
 * in time order, never counted twice).
 */
@Injectable()
export class TelemetryProcessor implements QueueProcessor<typeof QUEUES.telemetry> {
  readonly queue = QUEUES.telemetry;
  readonly options: QueueWorkerOptions;

  readonly handlers: JobHandlers<typeof QUEUES.telemetry> = {
    'telemetry.readings': (data, { job }) =>
      this.readings.process(data.records, { retry: isRetry(job), source: `${data.origin}:${data.batchId}`, requestId: data.requestId }),
    'telemetry.silence-check': (_data, { job }) => this.readings.checkSilence(Date.now() / 1000, { retry: isRetry(job), source: 'silence-check' }),
  };

  constructor(
    @Inject(APP_CONFIG) config: WorkerEnv,
    private readonly readings: ReadingsService,
  ) {
    this.options = {
      concurrency: config.TELEMETRY_CONCURRENCY,
      lockDuration: config.TELEMETRY_LOCK_MS,
      stalledInterval: config.TELEMETRY_LOCK_MS,
      maxStalledCount: MAX_STALLED,
    };
  }
}

/** attemptsStarted counts takes of the job, including one cut short by a dead worker. */
function isRetry(job: JobContext['job']): boolean {
  return job.attemptsStarted > 1 || job.attemptsMade > 0;
}
