import { CodedError } from '@tiersight/contracts';

/** Why a traceability request was refused; the API maps each code to its problem type. */
export enum TraceabilityErrorCode {
  /** The body is not a valid EPCIS 2.0 capture document (schema, vocabularies, identifiers). */
  InvalidDocument = 'TRACE_INVALID_DOCUMENT',
  /** More events in one document than EPCIS_MAX_EVENTS. */
  TooManyEvents = 'TRACE_TOO_MANY_EVENTS',
  /** A supplier key named a location that is not one of its own sites. */
  LocationForbidden = 'TRACE_LOCATION_FORBIDDEN',
  CaptureNotFound = 'TRACE_CAPTURE_NOT_FOUND',
  EventNotFound = 'TRACE_EVENT_NOT_FOUND',
  LotNotFound = 'TRACE_LOT_NOT_FOUND',
  /** No SKU with that id (the flagged lots feeding a SKU). */
  SkuNotFound = 'TRACE_SKU_NOT_FOUND',
  /** A query parameter that cannot be read (a bad time, EPC or cursor). */
  InvalidQuery = 'TRACE_INVALID_QUERY',
}

/** One problem, located by a JSON pointer into the document or by the query parameter. */
export interface TraceabilityFieldError {
  pointer?: string;
  eventIndex?: number;
  field?: string;
  message: string;
}

export class TraceabilityError extends CodedError<TraceabilityErrorCode, { errors?: TraceabilityFieldError[] }> {}
