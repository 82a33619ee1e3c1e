import { CodedError, type FieldError } from '@tiersight/contracts';

/** Why a key request was refused; the API maps each code to its problem type. */
export enum AccessErrorCode {
  KeyNotFound = 'ACCESS_KEY_NOT_FOUND',
  InvalidKeyRequest = 'ACCESS_INVALID_KEY_REQUEST',
}

export class AccessError extends CodedError<AccessErrorCode, { errors?: FieldError[] }> {}
