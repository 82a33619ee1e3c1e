/** Why a key request was refused; the API maps each code to its problem type. */
export enum AccessErrorCode {
  KeyNotFound = 'ACCESS_KEY_NOT_FOUND',
  InvalidKeyRequest = 'ACCESS_INVALID_KEY_REQUEST',
}

/** One bad field of a request. */
export interface AccessFieldError {
  field: string;
  message: string;
}

export class AccessError extends Error {
  constructor(
    readonly code: AccessErrorCode,
    message: string,
    readonly details?: { errors?: AccessFieldError[] },
  ) {
    super(message);
    this.name = 'AccessError';
  }
}
