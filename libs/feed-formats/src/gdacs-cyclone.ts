import type { Position } from 'geojson';
import type { EventForecast, ForecastArea, ForecastTrackPoint } from '@tiersight/contracts';
import { InvalidGeometryError, parseEventGeometry } from '@tiersight/geo-engine';
import { isRecord } from './document-text';
import { toIsoInstant } from './feed-result';

type Feature = Record<string, unknown> & { properties: Record<string, unknown> };

/** A cyclone geometry document split into what is observed at the advisory and what is forecast (DESIGN §10). */
export interface CycloneSplit {
  /** The wind buffers of the time steps at or before the advisory. */
  observed: Position[][][];
  /** The latest track point at or before the advisory (where the storm is), for an advisory without observed buffers. */
  position: [number, number] | null;
  /** Null when nothing usable is forecast (no later buffer and no cone). */
  forecast: EventForecast | null;
}

/** `28/01 06:00` (wind buffers) or `28/01 06:00 UTC` (track-point markers). */
const STEP_LABEL = /^(\d{1,2})\/(\d{1,2}) (\d{1,2}):(\d{2})(?: UTC)?$/;
const HALF_YEAR_MS = 183 * 86_400_000;

const classOf = (f: Feature) => (typeof f.properties.Class === 'string' ? f.properties.Class : '');
const labelOf = (f: Feature) => (typeof f.properties.polygonlabel === 'string' ? f.properties.polygonlabel.trim() : '');
const dateOf = (f: Feature) => toIsoInstant(f.properties.polygondate);
const isCone = (f: Feature) => classOf(f) === 'Poly_Cones';
const isMarker = (f: Feature) => classOf(f).startsWith('Point_Polygon_Point');
const isForecastLine = (f: Feature) => classOf(f).startsWith('Line_') && (f.properties.forecast === true || f.properties.forecast === 'true');
const isStepBuffer = (f: Feature) => classOf(f).startsWith('Poly_') && !isCone(f) && STEP_LABEL.test(labelOf(f));

/**
 * Splits a GDACS tropical cyclone geometry group (`getgeometry`) by time, or
 * returns null when it has no forecast parts (no cone, no track-point
 * markers, no forecast track line and at most one time step): then the
 * caller reads it as before.
 *
 * - The advisory time (`issuedAt`) is the `polygondate` of the uncertainty
 *   cone, else of the track-point markers, else of the overall swath; without
 *   any, the earliest time step.
 * - Wind buffers (`Poly_Green/Orange/Red` labelled `dd/mm hh:mm`) of the time
 *   steps at or before it are the observed area; those of later steps are the
 *   forecast areas, one per step with its time. The overall swath (`60 km/h`,
 *   `90 km/h`) is neither: it spans the forecast too.
 * - The cone is `Poly_Cones`; the track points are the markers' centres with
 *   the times of their labels (`dd/mm hh:mm UTC`: the year is the one that
 *   puts the time nearest the advisory, so a storm over New Year reads right).
 * - A malformed forecast part (a broken ring, an unreadable label) is left
 *   out; the rest stands. Zero-extent buffers (GDACS writes them for wind
 *   speeds a step never reaches) are left out as before.
 */
export function splitCyclone(group: Feature[], hasArea: (polygon: unknown[]) => boolean): CycloneSplit | null {
  const cones = group.filter(isCone);
  const markers = group.filter(isMarker);
  const buffers = group.filter(isStepBuffer);
  const swaths = group.filter((f) => classOf(f).startsWith('Poly_') && !isCone(f) && !isStepBuffer(f));
  const stepTimes = new Set(buffers.map((f) => stepTime(f, dateOf(f))).filter((t) => t !== null));
  if (cones.length === 0 && markers.length === 0 && !group.some(isForecastLine) && stepTimes.size <= 1) return null;

  const advisory = [...cones, ...markers, ...swaths].map(dateOf).find((d) => d !== null) ?? null;
  const steps = new Map<number, Position[][][]>();
  for (const f of buffers) {
    const at = stepTime(f, dateOf(f) ?? advisory);
    if (at === null) continue;
    steps.set(at, [...(steps.get(at) ?? []), ...usablePolygons(f, hasArea)]);
  }
  const issued = advisory !== null ? Date.parse(advisory) : Math.min(...steps.keys());
  if (!Number.isFinite(issued)) return { observed: [], position: null, forecast: null };

  const observed: Position[][][] = [];
  const areas: ForecastArea[] = [];
  for (const [at, polygons] of [...steps].sort(([a], [b]) => a - b)) {
    if (at <= issued) observed.push(...polygons);
    else if (polygons.length) areas.push({ at: new Date(at).toISOString(), geometry: asArea(polygons) });
  }
  const track = trackPoints(markers, new Date(issued).toISOString());
  const conePolygons = cones.flatMap((f) => usablePolygons(f, hasArea));
  const current = track.filter((t) => Date.parse(t.at) <= issued).at(-1);
  const forecast: EventForecast | null =
    areas.length || conePolygons.length
      ? { issuedAt: new Date(issued).toISOString(), areas, ...(conePolygons.length ? { cone: asArea(conePolygons) } : {}), track }
      : null;
  return { observed, position: current ? current.coordinates : null, forecast };
}

/** The time of a `dd/mm hh:mm` label, in the year that puts it nearest `reference` (at most half a year off); null when unreadable. */
export function labelTime(label: string, reference: string | null): number | null {
  const m = STEP_LABEL.exec(label);
  const ref = reference === null ? Number.NaN : Date.parse(reference);
  if (!m || Number.isNaN(ref)) return null;
  const [day, month, hour, minute] = m.slice(1, 5).map(Number);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59) return null;
  const year = new Date(ref).getUTCFullYear();
  let best: number | null = null;
  for (const y of [year - 1, year, year + 1]) {
    const t = Date.UTC(y, month - 1, day, hour, minute);
    if (new Date(t).getUTCDate() !== day || Math.abs(t - ref) > HALF_YEAR_MS) continue; // 31/02, 29/02 of a common year
    if (best === null || Math.abs(t - ref) < Math.abs(best - ref)) best = t;
  }
  return best;
}

function stepTime(f: Feature, reference: string | null): number | null {
  return labelTime(labelOf(f), reference);
}

function trackPoints(markers: Feature[], issuedAt: string): ForecastTrackPoint[] {
  const byTime = new Map<number, [number, number]>();
  for (const f of markers) {
    const at = labelTime(labelOf(f), issuedAt);
    const centre = isRecord(f.geometry) ? markerCentre(f.geometry) : null;
    if (at !== null && centre && !byTime.has(at)) byTime.set(at, centre);
  }
  return [...byTime].sort(([a], [b]) => a - b).map(([at, coordinates]) => ({ at: new Date(at).toISOString(), coordinates }));
}

/** The centre of a marker's bounding box (GDACS draws each track point as a small circle). */
function markerCentre(geometry: Record<string, unknown>): [number, number] | null {
  const ring = geometry.type === 'Polygon' && Array.isArray(geometry.coordinates) ? geometry.coordinates[0] : null;
  if (!Array.isArray(ring) || ring.length === 0) return null;
  let minX = Infinity,
    maxX = -Infinity,
    minY = Infinity,
    maxY = -Infinity;
  for (const p of ring) {
    if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number' || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) return null;
    minX = Math.min(minX, p[0]);
    maxX = Math.max(maxX, p[0]);
    minY = Math.min(minY, p[1]);
    maxY = Math.max(maxY, p[1]);
  }
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  const lon = round((minX + maxX) / 2);
  const lat = round((minY + maxY) / 2);
  return Math.abs(lat) <= 90 && Math.abs(lon) <= 540 ? [lon, lat] : null;
}

/** A feature's polygons that have an area and are valid GeoJSON; the others are left out. */
function usablePolygons(f: Feature, hasArea: (polygon: unknown[]) => boolean): Position[][][] {
  const g = f.geometry;
  if (!isRecord(g) || !Array.isArray(g.coordinates)) return [];
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  return polygons.filter((p): p is Position[][] => Array.isArray(p) && hasArea(p) && isValidPolygon(p));
}

function isValidPolygon(coordinates: unknown): boolean {
  try {
    parseEventGeometry({ type: 'Polygon', coordinates });
    return true;
  } catch (error) {
    if (error instanceof InvalidGeometryError) return false;
    throw error;
  }
}

const asArea = (polygons: Position[][][]): ForecastArea['geometry'] =>
  polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
