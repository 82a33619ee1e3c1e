import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { APP_CONFIG, WorkerEnv } from '@tiersight/config';
import { LOGGER } from '@tiersight/observability';
import { DeadLetters, isFinalFailure, jobDeadLetter, JobOf, QUEUES, redisConnection } from '@tiersight/queues';
import { ReadingsService } from '@tiersight/telemetry';

const SILENCE_SCHEDULER = 'telemetry-silence-check';

/**
 * The telemetry queue's worker. Built here rather than with @Processor so
 * its lock duration and concurrency come from the validated configuration: a
 * job whose worker died is taken up again after TELEMETRY_LOCK_MS. Also keeps
 * the periodic no-reading check scheduled.
 */
@Injectable()
export class TelemetryProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private worker?: Worker;

  constructor(
    @Inject(APP_CONFIG) private readonly config: WorkerEnv,
    @InjectQueue(QUEUES.telemetry) private readonly queue: Queue,
    private readonly readings: ReadingsService,
    private readonly deadLetters: DeadLetters,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      SILENCE_SCHEDULER,
      { every: this.config.TELEMETRY_SILENCE_CHECK_S * 1000 },
      { name: 'telemetry.silence-check', data: { v: 1 } },
    );
    this.worker = new Worker(QUEUES.telemetry, (job) => this.process(job), {
      connection: redisConnection(this.config.REDIS_URL),
      prefix: this.config.QUEUE_PREFIX,
      concurrency: this.config.TELEMETRY_CONCURRENCY,
      lockDuration: this.config.TELEMETRY_LOCK_MS,
      stalledInterval: this.config.TELEMETRY_LOCK_MS,
      maxStalledCount: 3,
    });
    this.worker.on('error', (error) => this.logger.error({ err: error }, 'telemetry worker error'));
    this.worker.on('failed', (job, error) => void this.onFailed(job, error));
  }

  async process(job: Job): Promise<unknown> {
    const typed = job as unknown as JobOf<typeof QUEUES.telemetry>;
    // attemptsStarted counts takes of the job, including one cut short by a dead worker.
    const retry = job.attemptsStarted > 1 || job.attemptsMade > 0;
    switch (typed.name) {
      case 'telemetry.readings':
        return this.readings.process(typed.data.records, { retry, source: `${typed.data.origin}:${typed.data.batchId}`, requestId: typed.data.requestId });
      case 'telemetry.silence-check':
        return this.readings.checkSilence(Date.now() / 1000, { retry, source: 'silence-check' });
    }
  }

  private async onFailed(job: Job | undefined, error: Error): Promise<void> {
    this.logger.warn({ jobId: job?.id, err: error }, 'telemetry job failed');
    if (job && isFinalFailure(job, error)) await this.deadLetters.add(jobDeadLetter(job, error)).catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }
}
