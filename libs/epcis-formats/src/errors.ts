import { CodedError } from '@tiersight/contracts';

/** Why this library refused an input; callers map codes, never messages. */
export enum EpcisFormatsErrorCode {
  NotAnEvent = 'EPCIS_NOT_AN_EVENT',
  BadCompanyPrefixLength = 'EPCIS_BAD_COMPANY_PREFIX_LENGTH',
  NotConvertible = 'EPCIS_NOT_CONVERTIBLE',
}

export class EpcisFormatsError extends CodedError<EpcisFormatsErrorCode> {}
