import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions, type SchemaObject } from '@nestjs/swagger';
import {
  type AnticipatedEventHit as AnticipatedEventHitShape,
  EVENT_STATUSES,
  EVENT_TYPES,
  type EventForecast as EventForecastShape,
  type EventHit as EventHitShape,
  type EventStatus,
  type EventType,
} from '@tiersight/contracts';
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

const POLYGON_AREA: ApiPropertyOptions = { description: 'a GeoJSON Polygon or MultiPolygon', oneOf: (EVENT_AREA.oneOf as SchemaObject[]).slice(1, 3) };

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

/** An impact the event may give a site (DESIGN §10): with its probability and, for a forecast track, why. */
export class AnticipatedEventHit extends EventHit implements AnticipatedEventHitShape {
  @ApiProperty({ type: Number, exclusiveMinimum: true, minimum: 0, exclusiveMaximum: true, maximum: 1, description: 'probability the impact comes' })
  p: number;

  @ApiProperty({ type: String, description: "`forecast` (a forecast track: cone or forecast area), `sensor` (a sensor rule's forecast)" })
  source: string;

  @ApiProperty({ type: Number, nullable: true, description: 'hours from the advisory (`issuedAt`) to `basisAt`; p falls with it' })
  leadHours: number | null;

  @ApiProperty({
    type: String,
    enum: ['area', 'track'],
    nullable: true,
    description: '`area`: the earliest forecast area holding the site; `track`: the track point nearest to it (the site is in the cone only)',
  })
  basis: 'area' | 'track' | null;

  @ApiProperty({ type: String, nullable: true, description: 'the time of that forecast area or track point' })
  basisAt: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'when the advisory was issued' })
  issuedAt: string | null;
}

class ForecastArea {
  @ApiProperty({ type: String })
  at: string;

  @ApiProperty(POLYGON_AREA)
  geometry: EventForecastShape['areas'][number]['geometry'];
}

class ForecastTrackPoint {
  @ApiProperty({ type: String })
  at: string;

  @ApiProperty({ type: [Number], description: '[longitude, latitude]' })
  coordinates: [number, number];
}

/** A hazard's forecast (cyclone advisories): where it may go after `issuedAt`. */
export class EventForecast implements EventForecastShape {
  @ApiProperty({ type: String, description: "the advisory time; the event's `geometry` is what is observed then" })
  issuedAt: string;

  @ApiProperty({ type: [ForecastArea], description: 'forecast time steps (wind buffers), in time order' })
  areas: ForecastArea[];

  @ApiPropertyOptional({ ...POLYGON_AREA, description: 'the uncertainty cone' })
  cone?: EventForecastShape['cone'];

  @ApiProperty({ type: [ForecastTrackPoint], description: 'track points with their times, in time order' })
  track: ForecastTrackPoint[];
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

  @ApiProperty({ type: EventForecast, nullable: true, description: "the advisory's forecast (tropical cyclones), null without one" })
  forecast: EventForecast | null;

  @ApiProperty({ type: [EventHit], description: 'observed impacts' })
  hits: EventHit[];

  @ApiProperty({ type: [AnticipatedEventHit], description: 'anticipated impacts (DESIGN §10), each with its p and, for a forecast track, why' })
  anticipatedHits: AnticipatedEventHit[];
}

export class DisruptionEventPage extends PageOf(DisruptionEvent) {}
