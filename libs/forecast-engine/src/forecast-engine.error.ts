import { CodedError } from '@tiersight/contracts';

/** Why the forecast engine refused an input; callers map codes, never messages. */
export enum ForecastEngineErrorCode {
  InvalidOption = 'FORECAST_INVALID_OPTION',
  InvalidRule = 'FORECAST_INVALID_RULE',
}

export class ForecastEngineError extends CodedError<ForecastEngineErrorCode> {}
