import type { EventGeometry } from './geometry';

export class InvalidGeometryError extends Error {}

const MAX_VERTICES = 100_000;

const isPosition = (p: unknown): p is [number, number] =>
  Array.isArray(p) &&
  p.length >= 2 &&
  p.length <= 3 &&
  p.every((v) => typeof v === 'number' && Number.isFinite(v)) &&
  (p[1] as number) >= -90 &&
  (p[1] as number) <= 90 &&
  (p[0] as number) >= -540 &&
  (p[0] as number) <= 540;

function checkRing(ring: unknown, where: string, count: { n: number }): void {
  if (!Array.isArray(ring) || ring.length < 4) throw new InvalidGeometryError(`${where} must be a closed ring of at least 4 positions`);
  for (const p of ring) {
    if (!isPosition(p)) throw new InvalidGeometryError(`${where} holds a position that is not [longitude, latitude] in range`);
    if (++count.n > MAX_VERTICES) throw new InvalidGeometryError(`geometry has more than ${MAX_VERTICES} positions`);
  }
  const first = ring[0] as number[];
  const last = ring[ring.length - 1] as number[];
  if (first[0] !== last[0] || first[1] !== last[1]) throw new InvalidGeometryError(`${where} is not closed (first and last positions differ)`);
}

function checkPolygon(rings: unknown, where: string, count: { n: number }): void {
  if (!Array.isArray(rings) || rings.length === 0) throw new InvalidGeometryError(`${where} must be an array of rings`);
  rings.forEach((ring, i) => checkRing(ring, `${where}[${i}]`, count));
}

/** Parses a GeoJSON Point (with radiusKm), Polygon or MultiPolygon, or a Country area, into an event geometry, or says what is wrong. */
export function parseEventGeometry(geometry: unknown, radiusKm?: unknown): EventGeometry {
  if (typeof geometry !== 'object' || geometry === null) throw new InvalidGeometryError('geometry must be a GeoJSON object');
  const g = geometry as { type?: unknown; coordinates?: unknown };
  const count = { n: 0 };
  switch (g.type) {
    case 'Point':
      if (!isPosition(g.coordinates) || Math.abs(g.coordinates[0]) > 180) {
        throw new InvalidGeometryError('Point coordinates must be [longitude, latitude] in range');
      }
      if (typeof radiusKm !== 'number' || !Number.isFinite(radiusKm) || radiusKm <= 0 || radiusKm > 20_000) {
        throw new InvalidGeometryError('a Point geometry needs radiusKm, a number in (0, 20000]');
      }
      return { type: 'Point', coordinates: [g.coordinates[0], g.coordinates[1]], radiusKm };
    case 'Polygon':
      checkPolygon(g.coordinates, 'coordinates', count);
      return { type: 'Polygon', coordinates: g.coordinates as number[][][] };
    case 'MultiPolygon':
      if (!Array.isArray(g.coordinates) || g.coordinates.length === 0) throw new InvalidGeometryError('MultiPolygon coordinates must be an array of polygons');
      g.coordinates.forEach((poly, i) => checkPolygon(poly, `coordinates[${i}]`, count));
      return { type: 'MultiPolygon', coordinates: g.coordinates as number[][][][] };
    case 'Country': {
      const countries = (g as { countries?: unknown }).countries;
      if (
        !Array.isArray(countries) ||
        countries.length === 0 ||
        countries.length > 50 ||
        !countries.every((c) => typeof c === 'string' && /^[A-Z]{2}$/.test(c))
      ) {
        throw new InvalidGeometryError('a Country geometry needs countries, 1 to 50 ISO 3166-1 alpha-2 codes');
      }
      return { type: 'Country', countries: [...new Set(countries as string[])].sort() };
    }
    default:
      throw new InvalidGeometryError('geometry type must be Point, Polygon, MultiPolygon or Country');
  }
}
