import { Injectable, UnprocessableEntityException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InvalidGeometryError, parseEventGeometry } from '@tiersight/geo';
import { EventRepository, EventView } from '@tiersight/graph';
import { QueueProducer } from '@tiersight/queues';
import { CreateEventDto } from './events.dto';

/** Push or close an event, then ask the workers to propagate. */
@Injectable()
export class EventsFlow {
  constructor(private readonly events: EventRepository, private readonly producer: QueueProducer) {}

  async push(dto: CreateEventDto, requestId?: string): Promise<EventView> {
    let geometry;
    try {
      geometry = parseEventGeometry(dto.geometry, dto.radiusKm);
    } catch (error) {
      if (error instanceof InvalidGeometryError) throw new UnprocessableEntityException(error.message);
      throw error;
    }
    const id = dto.id ?? `EV-${randomUUID()}`;
    await this.events.upsert({
      id,
      source: 'push',
      type: dto.type,
      title: dto.title,
      severity: dto.severity,
      expectedDurationDays: dto.expectedDurationDays,
      geometry,
      country: dto.country ?? null,
      startsAt: dto.startsAt ?? new Date().toISOString(),
    });
    await this.producer.requestPropagation({ cause: 'event', eventId: id, requestId });
    return this.events.get(id);
  }

  async close(id: string, requestId?: string): Promise<EventView> {
    await this.events.close(id);
    await this.producer.requestPropagation({ cause: 'event', eventId: id, requestId });
    return this.events.get(id);
  }
}
