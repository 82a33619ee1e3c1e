import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { EventGeometry } from '@tiersight/contracts';
import type { Point } from 'geojson';

export type { CountryArea, EventGeometry } from '@tiersight/contracts';

/** Mean Earth radius (IUGG), as DESIGN §3.1 prescribes for great-circle distances. */
export const EARTH_RADIUS_KM = 6371.0088;

/** A latitude/longitude box; `west > east` means it crosses the antimeridian. */
export interface BBox {
  south: number;
  west: number;
  north: number;
  east: number;
}

const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance by the haversine formula. */
export function greatCircleKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = rad(lat2 - lat1);
  const dLon = rad(lon2 - lon1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Whether a location lies inside the event's area (GeoJSON rules: holes excluded, boundary counts as inside). */
export function containsLocation(geometry: EventGeometry, lat: number, lon: number, country?: string | null): boolean {
  if (geometry.type === 'Country') return !!country && geometry.countries.includes(country);
  if (geometry.type === 'Point') {
    const [plon, plat] = geometry.coordinates;
    return greatCircleKm(plat, plon, lat, lon) <= geometry.radiusKm;
  }
  const point: Point = { type: 'Point', coordinates: [lon, lat] };
  if (booleanPointInPolygon(point, geometry)) return true;
  // A polygon drawn across the antimeridian with longitudes beyond ±180 (e.g. 170…190): test the shifted point too.
  const shifted: Point = { type: 'Point', coordinates: [lon < 0 ? lon + 360 : lon - 360, lat] };
  return booleanPointInPolygon(shifted, geometry);
}

/**
 * Boxes that together cover the area, used to ask the spatial index for
 * candidates; the exact test is `containsLocation`. Returns one box, or two
 * when the area crosses the antimeridian.
 */
export function candidateBoxes(geometry: EventGeometry): BBox[] {
  if (geometry.type === 'Country') return [{ south: -90, west: -180, north: 90, east: 180 }];
  if (geometry.type === 'Point') {
    const [lon, lat] = geometry.coordinates;
    const dLat = (geometry.radiusKm / EARTH_RADIUS_KM) * (180 / Math.PI) * 1.001;
    const south = Math.max(-90, lat - dLat);
    const north = Math.min(90, lat + dLat);
    if (south === -90 || north === 90) return [{ south, north, west: -180, east: 180 }];
    // The widest longitude span is at the latitude nearest a pole.
    const maxLat = Math.max(Math.abs(south), Math.abs(north));
    const dLon = Math.min(180, dLat / Math.cos(rad(maxLat)));
    return splitLongitudes(south, north, lon - dLon, lon + dLon);
  }
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const boxes: BBox[] = [];
  for (const polygon of polygons) {
    let south = 90,
      north = -90,
      west = Infinity,
      east = -Infinity;
    for (const [x, y] of polygon[0]) {
      south = Math.min(south, y);
      north = Math.max(north, y);
      west = Math.min(west, x);
      east = Math.max(east, x);
    }
    boxes.push(...splitLongitudes(south, north, west, east));
  }
  return boxes;
}

function splitLongitudes(south: number, north: number, west: number, east: number): BBox[] {
  if (east - west >= 360) return [{ south, north, west: -180, east: 180 }];
  if (west < -180)
    return [
      { south, north, west: west + 360, east: 180 },
      { south, north, west: -180, east },
    ];
  if (east > 180)
    return [
      { south, north, west, east: 180 },
      { south, north, west: -180, east: east - 360 },
    ];
  return [{ south, north, west, east }];
}
