import { Inject, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditActor, AuditLog } from '@tiersight/audit';
import { FEED_CONFIG, type FeedConfig } from '@tiersight/disruptions';
import { InvalidGeometryError, parseEventGeometry } from '@tiersight/geo-engine';
import { EventRepository, EventView } from '@tiersight/graph';
import { QueueProducer } from '@tiersight/queues';
import { CreateEventDto } from './events.dto';

/** Push or close an event with its audit entry in the same transaction, then ask the workers to propagate (and to flag lots). */
@Injectable()
export class EventsFlow {
  constructor(
    private readonly events: EventRepository,
    private readonly producer: QueueProducer,
    private readonly audit: AuditLog,
    @Inject(FEED_CONFIG) private readonly feeds: FeedConfig,
  ) {}

  async push(dto: CreateEventDto, requestId: string | undefined, actor: AuditActor): Promise<EventView> {
    let geometry;
    try {
      geometry = parseEventGeometry(dto.geometry, dto.radiusKm);
    } catch (error) {
      if (error instanceof InvalidGeometryError) throw new UnprocessableEntityException(error.message);
      throw error;
    }
    const id = dto.id ?? `EV-${randomUUID()}`;
    const event = {
      id,
      source: 'push',
      type: dto.type,
      title: dto.title,
      severity: dto.severity,
      expectedDurationDays: dto.expectedDurationDays,
      geometry,
      country: dto.country ?? null,
      startsAt: dto.startsAt ?? new Date().toISOString(),
    };
    await this.events.write(async (tx) => {
      // A pushed event has no forecast: its id's forecast hits, if a feed gave it one, go (p settings as configured).
      await this.events.upsertIn(tx, event, this.feeds.forecast);
      await this.audit.append(tx, actor, { action: 'event.push', target: id, change: { ...dto, id } });
    });
    await this.producer.requestPropagation({ cause: 'event', eventId: id, requestId });
    // The worker flags the lots observed at the sites it hits during its window (DESIGN §11).
    await this.producer.enqueue('lots.flag', { v: 1, by: 'events', eventIds: [id], requestId });
    return this.events.get(id);
  }

  async close(id: string, requestId: string | undefined, actor: AuditActor): Promise<EventView> {
    const closed = await this.events.write(async (tx) => {
      const wasActive = await this.events.closeIn(tx, id, 'closed through the API');
      // A repeated close changes nothing and records nothing.
      if (wasActive) await this.audit.append(tx, actor, { action: 'event.close', target: id, change: { status: 'closed' } });
      return wasActive;
    });
    if (closed) await this.producer.requestPropagation({ cause: 'event', eventId: id, requestId });
    return this.events.get(id);
  }
}
