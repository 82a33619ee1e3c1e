import { ApiProperty, type ApiPropertyOptions, type SchemaObject } from '@nestjs/swagger';
import { EVENT_STATUSES, EVENT_TYPES, type EventHit as EventHitShape, type EventStatus, type EventType } from '@tiersight/contracts';
import { PageOf } from '../../openapi/page.dto';

const POSITION: SchemaObject = { type: 'array', items: { type: 'number' }, minItems: 2, description: '[longitude, latitude]' };

/** The area of a stored event: a GeoJSON Point (its radius is `radiusKm` beside it), Polygon or MultiPolygon, or whole countries. */
const EVENT_AREA: ApiPropertyOptions = {
  oneOf: [
    { type: 'object', required: ['type', 'coordinates'], properties: { type: { type: 'string', enum: ['Point'] }, coordinates: POSITION } },
    {
      type: 'object',
      required: ['type', 'coordinates'],
      properties: { type: { type: 'string', enum: ['Polygon'] }, coordinates: { type: 'array', items: { type: 'array', items: POSITION } } },
    },
    {
      type: 'object',
      required: ['type', 'coordinates'],
      properties: {
        type: { type: 'string', enum: ['MultiPolygon'] },
        coordinates: { type: 'array', items: { type: 'array', items: { type: 'array', items: POSITION } } },
      },
    },
    {
      type: 'object',
      required: ['type', 'countries'],
      properties: { type: { type: 'string', enum: ['Country'] }, countries: { type: 'array', items: { type: 'string' } } },
    },
  ],
};

type EventArea =
  | { type: 'Point'; coordinates: number[] }
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] }
  | { type: 'Country'; countries: string[] };

/** A site inside an event's area and what the event does to it. */
export class EventHit implements EventHitShape {
  @ApiProperty({ type: String })
  siteId: string;

  @ApiProperty({ type: Number, minimum: 0, maximum: 1 })
  x: number;

  @ApiProperty({ type: Number })
  days: number;
}

/** A disruption as stored (DESIGN §2), with its status and the sites it hits. */
export class DisruptionEvent {
  @ApiProperty({ type: String })
  id: string;

  @ApiProperty({ type: String, description: 'the feed source id, `push` or `telemetry`' })
  source: string;

  @ApiProperty({ type: String, enum: EVENT_TYPES })
  type: EventType;

  @ApiProperty({ type: String })
  title: string;

  @ApiProperty({ type: Number, minimum: 0, maximum: 1, description: 'fraction of output lost at a site inside the area' })
  severity: number;

  @ApiProperty({ type: Number })
  expectedDurationDays: number;

  @ApiProperty(EVENT_AREA)
  geometry: EventArea;

  @ApiProperty({ type: Number, nullable: true, description: 'radius of a Point area' })
  radiusKm: number | null;

  @ApiProperty({ type: String, nullable: true })
  country: string | null;

  @ApiProperty({ type: String })
  startsAt: string;

  @ApiProperty({ type: String, enum: EVENT_STATUSES })
  status: EventStatus;

  @ApiProperty({ type: String })
  updatedAt: string;

  @ApiProperty({ type: String, nullable: true })
  expiresAt: string | null;

  @ApiProperty({ type: String, nullable: true })
  sourceUrl: string | null;

  @ApiProperty({ type: String, nullable: true })
  closedAt: string | null;

  @ApiProperty({ type: String, nullable: true })
  closedReason: string | null;

  @ApiProperty({ type: [EventHit] })
  hits: EventHit[];
}

export class DisruptionEventPage extends PageOf(DisruptionEvent) {}
