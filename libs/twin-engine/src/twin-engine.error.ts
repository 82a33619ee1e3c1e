import { CodedError } from '@tiersight/contracts';

/** Why the twin refused a request; callers map codes, never messages. */
export enum TwinEngineErrorCode {
  InvalidValue = 'TWIN_INVALID_VALUE',
  UnknownSite = 'TWIN_UNKNOWN_SITE',
  DuplicateDriver = 'TWIN_DUPLICATE_DRIVER',
  InvalidRange = 'TWIN_INVALID_RANGE',
  IncompletePartials = 'TWIN_INCOMPLETE_PARTIALS',
}

export class TwinEngineError extends CodedError<TwinEngineErrorCode> {}
