import { CodedError, type FieldError } from '@tiersight/contracts';

/** Why a twin run request was refused; the API maps each code to its problem type. */
export enum TwinErrorCode {
  /** No such run, or one older than the retention. */
  RunNotFound = 'TWIN_RUN_NOT_FOUND',
  /** Samples, horizon, threshold or draw parameters out of range. */
  InvalidRequest = 'TWIN_INVALID_REQUEST',
  /** A scenario impact that cannot be run (no sites, values out of range). */
  InvalidScenario = 'TWIN_INVALID_SCENARIO',
  /** A site, supplier or event the request names does not exist (or the event is not active). */
  UnknownReference = 'TWIN_UNKNOWN_REFERENCE',
  /** A cursor this API did not issue. */
  InvalidCursor = 'TWIN_INVALID_CURSOR',
  /** Results asked of a run that has not succeeded (yet). */
  RunNotReady = 'TWIN_RUN_NOT_READY',
  /** A cancel of a run that already succeeded or failed. */
  NotCancellable = 'TWIN_NOT_CANCELLABLE',
}

export class TwinError extends CodedError<TwinErrorCode, { errors?: FieldError[] }> {}
