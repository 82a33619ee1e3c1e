import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '@tiersight/observability';
import type { Job } from 'bullmq';
import { EventIngestService } from '@tiersight/disruptions';
import { DeadLetters, isFinalFailure, jobDeadLetter, JobOf, QUEUES } from '@tiersight/queues';

/**
 * Event upserts, closes and geo-matching, one at a time across all workers
 * (global concurrency 1, set at startup) so two versions of one event are
 * applied in the order they were queued.
 */
@Processor(QUEUES.events)
export class EventsProcessor extends WorkerHost {
  constructor(private readonly ingest: EventIngestService, private readonly deadLetters: DeadLetters, @Inject(LOGGER) private readonly logger: Logger) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const typed = job as unknown as JobOf<typeof QUEUES.events>;
    switch (typed.name) {
      case 'event.upsert':
        return this.ingest.upsert(typed.data.event);
      case 'event.close':
        return { closed: await this.ingest.close(typed.data.eventId, typed.data.reason) };
      case 'event.match':
        return { hits: (await this.ingest.match(typed.data.eventId)).length };
      case 'events.expire':
        return { closed: await this.ingest.closeExpired() };
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
