import { Inject, Injectable } from '@nestjs/common';
import { eventContentHash, EventRepository, GraphError, GraphErrorCode } from '@tiersight/graph';
import type { EventHit } from '@tiersight/contracts';
import { EventPayload, QueueProducer } from '@tiersight/queues';
import { FEED_CONFIG, FeedConfig } from './feed-config';
import { matchJobId } from './job-ids';

/**
 * The effects of event jobs, each idempotent so that at-least-once delivery
 * is safe: an upsert of unchanged content changes nothing, matching rewrites
 * the same hits, closing a closed event is a no-op. Propagation is asked for
 * only when the impacts may have changed.
 */
@Injectable()
export class EventIngestService {
  constructor(
    private readonly events: EventRepository,
    private readonly producer: QueueProducer,
    @Inject(FEED_CONFIG) private readonly config: FeedConfig,
  ) {}

  /** Stores the event; a new or changed event is queued for geo-matching. */
  async upsert(event: EventPayload): Promise<{ changed: boolean }> {
    // The id of the database the event was written to, so a reset database never meets the old one's job ids.
    const { changed, databaseId } = await this.events.save(event);
    if (changed) {
      const jobId = matchJobId(databaseId, event.id, eventContentHash(event));
      await this.producer.enqueue('event.match', { v: 1, eventId: event.id }, { jobId });
    }
    return { changed };
  }

  /**
   * Writes the event's observed hits and, from its forecast, its anticipated ones (p by lead time as configured);
   * then the lots observed at the sites it hits during its window are flagged (DESIGN §11).
   */
  async match(eventId: string): Promise<EventHit[]> {
    const hits = await this.events.matchSites(eventId, this.config.forecast);
    await this.producer.requestPropagation({ cause: 'event', eventId });
    if (hits.length > 0) await this.producer.enqueue('lots.flag', { v: 1, by: 'events', eventIds: [eventId] });
    return hits;
  }

  /** Closes the event if it exists and is active; unknown ids are fine (a Cancel for an alert never stored). */
  async close(eventId: string, reason: string): Promise<boolean> {
    let wasActive: boolean;
    try {
      wasActive = await this.events.close(eventId, reason);
    } catch (error) {
      if (error instanceof GraphError && error.code === GraphErrorCode.NotFound) return false;
      throw error;
    }
    if (wasActive) await this.producer.requestPropagation({ cause: 'event', eventId });
    return wasActive;
  }

  /** Closes the events whose issuer-given expiry has passed. */
  async closeExpired(now = new Date()): Promise<string[]> {
    const closed = await this.events.closeExpired(now);
    if (closed.length) await this.producer.requestPropagation({ cause: 'event', eventIds: closed });
    return closed;
  }
}
