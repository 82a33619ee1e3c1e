export { candidateBoxes, containsLocation, EARTH_RADIUS_KM, greatCircleKm } from './geometry';
export type { BBox, CountryArea, EventGeometry } from './geometry';
export { InvalidGeometryError, parseEventGeometry } from './validate-geometry';
