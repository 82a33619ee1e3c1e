import type { MultiPolygon, Polygon } from 'geojson';
import type { EventType } from './enums';

/**
 * A whole country (or several), for alerts that name only administrative
 * areas (CAP geocodes) and for pushed incidents such as a national strike.
 * Sites match by their country code, not by location.
 */
export interface CountryArea {
  type: 'Country';
  countries: string[];
}

/** An event's area (DESIGN §3.1): a point with a radius, a polygon, a multipolygon or whole countries. */
export type EventGeometry = { type: 'Point'; coordinates: [number, number]; radiusKm: number } | Polygon | MultiPolygon | CountryArea;

/** A normalised disruption (DESIGN §2), whatever feed or push it came from. */
export interface DisruptionEvent {
  id: string;
  source: string;
  type: EventType;
  title: string;
  severity: number;
  expectedDurationDays: number;
  geometry: EventGeometry;
  country: string | null;
  startsAt: string;
}

/** A disruption as it arrives from a feed or a push: what the issuer may add, when it ends and where to read more. */
export interface IncomingEvent extends DisruptionEvent {
  expiresAt?: string;
  sourceUrl?: string;
}

/** A site inside an event's area, with the impact the event gives it (`GET /v1/events/:id` `hits`). */
export interface EventHit {
  siteId: string;
  x: number;
  days: number;
}
