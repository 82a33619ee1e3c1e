export { candidateBoxes, containsLocation, EARTH_RADIUS_KM, greatCircleKm } from './geometry';
export type { BBox, EventGeometry } from './geometry';
export { InvalidGeometryError, parseEventGeometry } from './validate-geometry';
export {
  DEFAULT_FORECAST_P,
  FORECAST_P_HORIZON_HOURS,
  forecastAnticipation,
  forecastBoxes,
  forecastP,
  parseEventForecast,
  type ForecastAnticipation,
  type ForecastPOptions,
} from './forecast';
