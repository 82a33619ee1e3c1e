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

/** Where a forecast expects the hazard at one time (a tropical cyclone's wind buffers for one forecast time step). */
export interface ForecastArea {
  /** ISO 8601 instant the area is forecast for (after the forecast's `issuedAt`). */
  at: string;
  geometry: Polygon | MultiPolygon;
}

/** A point of a forecast track: where the hazard's centre is expected at `at`. */
export interface ForecastTrackPoint {
  /** ISO 8601 instant. */
  at: string;
  /** [longitude, latitude]. */
  coordinates: [number, number];
}

/**
 * A hazard's forecast (DESIGN §10 forecast tracks), issued with the event:
 * the event's `geometry` is what is observed at `issuedAt`; the forecast says
 * where it may go. A site inside the `cone` or a forecast area (and not in the
 * observed area) is anticipated, its p falling with the lead time: the time of
 * the earliest area holding it, else of the nearest track point, after
 * `issuedAt`. The next advisory replaces the whole forecast.
 */
export interface EventForecast {
  /** ISO 8601 instant of the advisory the forecast belongs to. */
  issuedAt: string;
  /** Forecast time steps, in time order. */
  areas: ForecastArea[];
  /** The track's uncertainty cone, when the issuer gives one. */
  cone?: Polygon | MultiPolygon;
  /** Track points with their times, in time order (the advisory's own position included). */
  track: ForecastTrackPoint[];
}

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
  /** Where the hazard may go next (tropical cyclone advisories); absent for an event without a forecast. */
  forecast?: EventForecast;
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

/**
 * An impact the event may give a site (DESIGN §10, `GET /v1/events/:id`
 * `anticipatedHits`): `x` for `days` with probability `p`, and why. A forecast
 * track's hit says how far ahead (`leadHours` after the advisory `issuedAt`)
 * and from what (`basis`: the forecast area for time `basisAt`, or the track
 * point of that time nearest the site); the other sources (sensor forecasts)
 * leave those null.
 */
export interface AnticipatedEventHit extends EventHit {
  p: number;
  /** Who anticipates it: `forecast` (forecast track), `sensor` (a sensor rule's forecast)… */
  source: string;
  leadHours: number | null;
  basis: 'area' | 'track' | null;
  basisAt: string | null;
  issuedAt: string | null;
}
