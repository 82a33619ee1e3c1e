// Public entry of @tiersight/forecast-engine: a pure library (no Nest, no I/O). Forecasts of sensor readings
// against threshold rules, and the anticipated impacts they raise (DESIGN §10).
export { ForecastEngineError, ForecastEngineErrorCode } from './forecast-engine.error';
export {
  anticipate,
  DEFAULT_FORECAST_OPTIONS,
  DEFAULT_P_MIN,
  forecastOptions,
  type Anticipation,
  type ForecastOptions,
  type ForecastPoint,
  type ThresholdSpec,
} from './anticipate';
export {
  emptyAnticipationState,
  stepAnticipation,
  type AnticipationState,
  type AnticipationStatus,
  type AnticipationStep,
  type AnticipationTransition,
} from './anticipation-state';
export type { Reading } from './window';
