export { candidateBoxes, containsLocation, EARTH_RADIUS_KM, greatCircleKm } from './geometry';
export type { EventGeometry } from './geometry';
export { InvalidGeometryError, parseEventGeometry } from './validate-geometry';
