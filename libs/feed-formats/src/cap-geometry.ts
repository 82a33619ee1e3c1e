import type { EventGeometry } from '@tiersight/contracts';
import { EARTH_RADIUS_KM } from '@tiersight/geo-engine';
import type { CapArea, CapCircle } from './cap-model';

const CIRCLE_STEPS = 64;

/**
 * The event area of a set of CAP areas: a single circle stays a point with a
 * radius; polygons become a Polygon or a MultiPolygon, and circles given
 * alongside polygons (or several distinct circles) are approximated by
 * 64-sided polygons. Repeated areas (the same area in several infos) count
 * once. A circle of radius 0 gets `zeroRadiusKm`. Null when no area has a
 * polygon or circle (geocode-only alerts).
 */
export function capGeometry(areas: CapArea[], zeroRadiusKm: number): EventGeometry | null {
  const polygons = new Map<string, Array<[number, number]>>();
  const circles = new Map<string, CapCircle>();
  for (const area of areas) {
    for (const ring of area.polygons) polygons.set(JSON.stringify(ring), ring);
    for (const circle of area.circles) {
      const sized = circle.radiusKm > 0 ? circle : { ...circle, radiusKm: zeroRadiusKm };
      circles.set(JSON.stringify(sized), sized);
    }
  }
  if (polygons.size === 0 && circles.size === 1) {
    const [circle] = circles.values();
    return { type: 'Point', coordinates: circle.center, radiusKm: circle.radiusKm };
  }
  const rings = [...polygons.values(), ...[...circles.values()].map((circle) => circleRing(circle))];
  if (rings.length === 0) return null;
  if (rings.length === 1) return { type: 'Polygon', coordinates: [rings[0]] };
  return { type: 'MultiPolygon', coordinates: rings.map((ring) => [ring]) };
}

/** A closed ring approximating a circle on the sphere; longitudes stay continuous across the antimeridian. */
export function circleRing(circle: CapCircle, steps = CIRCLE_STEPS): Array<[number, number]> {
  const [lon0, lat0] = circle.center;
  const phi1 = (lat0 * Math.PI) / 180;
  const lambda1 = (lon0 * Math.PI) / 180;
  const delta = Math.min(circle.radiusKm, 0.99 * Math.PI * EARTH_RADIUS_KM) / EARTH_RADIUS_KM;
  const ring: Array<[number, number]> = [];
  for (let i = 0; i < steps; i++) {
    const theta = (2 * Math.PI * i) / steps;
    const phi2 = Math.asin(Math.sin(phi1) * Math.cos(delta) + Math.cos(phi1) * Math.sin(delta) * Math.cos(theta));
    const lambda2 = lambda1 + Math.atan2(Math.sin(theta) * Math.sin(delta) * Math.cos(phi1), Math.cos(delta) - Math.sin(phi1) * Math.sin(phi2));
    ring.push([round6((lambda2 * 180) / Math.PI), round6((phi2 * 180) / Math.PI)]);
  }
  ring.push([ring[0][0], ring[0][1]]);
  return ring;
}

const round6 = (value: number) => Math.round(value * 1e6) / 1e6;
