import { CodedError } from '@tiersight/contracts';

/** Why the engine refused a call: programming errors of its caller, never bad rows (those are reasons in results). */
export enum PlaceEngineErrorCode {
  DuplicateId = 'PLACE_DUPLICATE_ID',
}

export class PlaceEngineError extends CodedError<PlaceEngineErrorCode> {}
