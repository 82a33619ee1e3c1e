import { Processor } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '@tiersight/observability';
import type { Job } from 'bullmq';
import { EventIngestService } from '@tiersight/disruptions';
import { DeadLetters, JobOf, QUEUES } from '@tiersight/queues';
import { DeadLetteringWorker } from '../processors/dead-lettering.worker';

/**
 * Event upserts, closes and geo-matching, one at a time across all workers
 * (global concurrency 1, set at startup) so two versions of one event are
 * applied in the order they were queued.
 */
@Processor(QUEUES.events)
export class EventsProcessor extends DeadLetteringWorker {
  constructor(private readonly ingest: EventIngestService, deadLetters: DeadLetters, @Inject(LOGGER) logger: Logger) {
    super(deadLetters, logger);
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
}
