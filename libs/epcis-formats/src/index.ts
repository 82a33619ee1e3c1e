// Public entry of @tiersight/epcis-formats: GS1 EPCIS 2.0 documents, identifiers
// and event hashes as a pure library (no Nest, no I/O).
export { EpcisFormatsError, EpcisFormatsErrorCode } from './errors';
export type {
  BizTransaction,
  DestinationElement,
  EpcisAction,
  EpcisDocument,
  EpcisEvent,
  EpcisEventType,
  JsonLdContext,
  QuantityElement,
  SensorElement,
  SensorReport,
  SourceElement,
} from './epcis-types';
export { validateEpcisDocument, type EpcisValidationResult } from './epcis-validation';
export type { EpcisValidationError } from './schema-errors';
export { EPCIS_DOCUMENT_SCHEMA } from './epcis-schema';
export { cbvValueProblem, expandCbvValue, STANDARD_PREFIXES, type CbvVocabulary } from './cbv-vocabulary';
export { EpcErrorCode, normaliseEpc, toEpcUrn, type EpcKind, type EpcNormalisation, type EpcNormalisationFailure, type NormalisedEpc } from './epc-identity';
export { gs1CheckDigit, hasValidGs1CheckDigit } from './gs1-check-digit';
export { checkEventHash, eventHash, eventHashContext, eventPreHash, EVENT_HASH_VERSION, type EventHashCheck, type EventHashContext } from './event-hash';
