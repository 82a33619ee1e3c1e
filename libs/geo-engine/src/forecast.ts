import type { EventForecast, ForecastArea, ForecastTrackPoint } from '@tiersight/contracts';
import type { MultiPolygon, Polygon } from 'geojson';
import { type BBox, candidateBoxes, containsLocation, greatCircleKm } from './geometry';
import { InvalidGeometryError, parseEventGeometry } from './validate-geometry';

/**
 * How the probability of an anticipated impact falls with the forecast's
 * lead time (DESIGN §10): linear from `pAt0h` at 0 h to `pAt120h` at 120 h,
 * `pAt120h` beyond.
 */
export interface ForecastPOptions {
  pAt0h: number;
  pAt120h: number;
}

/** DESIGN §10's default: 0.9 at 0 h to 0.3 at 120 h. */
export const DEFAULT_FORECAST_P: Readonly<ForecastPOptions> = Object.freeze({ pAt0h: 0.9, pAt120h: 0.3 });

/** The lead time at which p reaches `pAt120h`. */
export const FORECAST_P_HORIZON_HOURS = 120;

/** Bounds on what one forecast may hold (a GDACS advisory has a handful of steps and points). */
const MAX_AREAS = 200;
const MAX_TRACK_POINTS = 2000;

/** Kept strictly inside (0, 1): an anticipated impact is never certain, and a p of 0 would never be read. */
const P_MIN = 0.001;
const P_MAX = 0.999;

/**
 * p for a lead time in hours: linear between the options' two ends, flat
 * beyond 120 h, a negative lead counted as 0 h; to six decimals (0.7625, not
 * 0.7625000000000001), so equal leads give equal p.
 */
export function forecastP(leadHours: number, options: ForecastPOptions = DEFAULT_FORECAST_P): number {
  const t = Math.min(Math.max(Number.isFinite(leadHours) ? leadHours : 0, 0), FORECAST_P_HORIZON_HOURS) / FORECAST_P_HORIZON_HOURS;
  const p = Math.round((options.pAt0h + (options.pAt120h - options.pAt0h) * t) * 1e6) / 1e6;
  return Math.min(P_MAX, Math.max(P_MIN, p));
}

/** Why a location is anticipated by a forecast, and with what probability. */
export interface ForecastAnticipation {
  p: number;
  /** Hours from the advisory (`issuedAt`) to `basisAt`, at least 0. */
  leadHours: number;
  /** `area`: the earliest forecast area holding the location; `track`: the track point nearest to it (the location is in the cone only). */
  basis: 'area' | 'track';
  /** The time of that area or track point. */
  basisAt: string;
}

/**
 * The anticipation a forecast gives a location inside its cone or one of its
 * areas, or null outside both (or inside the cone only when the forecast has
 * no track to time it). The lead time is that of the earliest area holding
 * the location, else of the nearest track point (great-circle distance; the
 * earlier point on a tie). The observed area is the caller's business: a site
 * inside it has an observed impact, not an anticipated one.
 */
export function forecastAnticipation(
  forecast: EventForecast,
  lat: number,
  lon: number,
  options: ForecastPOptions = DEFAULT_FORECAST_P,
): ForecastAnticipation | null {
  const issued = Date.parse(forecast.issuedAt);
  const area = forecast.areas.filter((a) => containsLocation(a.geometry, lat, lon)).sort((a, b) => Date.parse(a.at) - Date.parse(b.at))[0];
  let basis: Pick<ForecastAnticipation, 'basis' | 'basisAt'> | null = area ? { basis: 'area', basisAt: area.at } : null;
  if (!basis && forecast.cone && containsLocation(forecast.cone, lat, lon)) {
    const point = nearestTrackPoint(forecast.track, lat, lon);
    if (point) basis = { basis: 'track', basisAt: point.at };
  }
  if (!basis) return null;
  const leadHours = Math.max(0, (Date.parse(basis.basisAt) - issued) / 3_600_000);
  return { p: forecastP(leadHours, options), leadHours, ...basis };
}

function nearestTrackPoint(track: readonly ForecastTrackPoint[], lat: number, lon: number): ForecastTrackPoint | null {
  let best: ForecastTrackPoint | null = null;
  let bestKm = Infinity;
  for (const point of [...track].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
    const km = greatCircleKm(lat, lon, point.coordinates[1], point.coordinates[0]);
    if (km < bestKm) {
      best = point;
      bestKm = km;
    }
  }
  return best;
}

/** Boxes covering the forecast's areas and cone, to ask the spatial index for candidate sites. */
export function forecastBoxes(forecast: EventForecast): BBox[] {
  return [...forecast.areas.map((a) => a.geometry), ...(forecast.cone ? [forecast.cone] : [])].flatMap((g) => candidateBoxes(g));
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T/;

function instant(value: unknown): string | null {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function area(value: unknown): Polygon | MultiPolygon | null {
  if (typeof value !== 'object' || value === null) return null;
  const type = (value as { type?: unknown }).type;
  if (type !== 'Polygon' && type !== 'MultiPolygon') return null;
  try {
    return parseEventGeometry(value) as Polygon | MultiPolygon;
  } catch (error) {
    if (error instanceof InvalidGeometryError) return null;
    throw error;
  }
}

const isLonLat = (c: unknown): c is [number, number] =>
  Array.isArray(c) &&
  c.length >= 2 &&
  typeof c[0] === 'number' &&
  typeof c[1] === 'number' &&
  Number.isFinite(c[0]) &&
  Math.abs(c[0]) <= 540 &&
  Number.isFinite(c[1]) &&
  Math.abs(c[1]) <= 90;

/**
 * A forecast as it may be stored: malformed parts (an area or track point
 * without a valid time or geometry, a broken cone) are dropped, the rest kept
 * in time order with times as ISO instants. Null when nothing usable is left:
 * no valid `issuedAt` (no lead can be told), or neither an area nor a cone.
 */
export function parseEventForecast(value: unknown): EventForecast | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const issuedAt = instant(v.issuedAt);
  if (!issuedAt) return null;
  const areas: ForecastArea[] = [];
  for (const item of Array.isArray(v.areas) ? v.areas.slice(0, MAX_AREAS) : []) {
    const at = instant((item as { at?: unknown } | null)?.at);
    const geometry = area((item as { geometry?: unknown } | null)?.geometry);
    if (at && geometry) areas.push({ at, geometry });
  }
  const track: ForecastTrackPoint[] = [];
  for (const item of Array.isArray(v.track) ? v.track.slice(0, MAX_TRACK_POINTS) : []) {
    const at = instant((item as { at?: unknown } | null)?.at);
    const c = (item as { coordinates?: unknown } | null)?.coordinates;
    if (at && isLonLat(c)) track.push({ at, coordinates: [c[0], c[1]] });
  }
  const cone = area(v.cone);
  if (areas.length === 0 && !cone) return null;
  const byTime = (a: { at: string }, b: { at: string }) => Date.parse(a.at) - Date.parse(b.at);
  return { issuedAt, areas: areas.sort(byTime), ...(cone ? { cone } : {}), track: track.sort(byTime) };
}
