import { Injectable } from '@nestjs/common';
import { EventIngestService } from '@tiersight/disruptions';
import { JobHandlers, QueueProcessor, QUEUES } from '@tiersight/queues';

/**
 * Event upserts, closes and geo-matching, one at a time across all workers
 * (global concurrency 1, set at startup by FeedSchedules) so two versions of
 * one event are applied in the order they were queued.
 */
@Injectable()
export class EventsProcessor implements QueueProcessor<typeof QUEUES.events> {
  readonly queue = QUEUES.events;

  readonly handlers: JobHandlers<typeof QUEUES.events> = {
    'event.upsert': (data) => this.ingest.upsert(data.event),
    'event.close': async (data) => ({ closed: await this.ingest.close(data.eventId, data.reason) }),
    'event.match': async (data) => ({ hits: (await this.ingest.match(data.eventId)).length }),
    'events.expire': async () => ({ closed: await this.ingest.closeExpired() }),
  };

  constructor(private readonly ingest: EventIngestService) {}
}
