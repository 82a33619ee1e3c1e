// Public entry of @tiersight/place-engine: a pure library (no Nest, no I/O).
export { PlaceEngineError, PlaceEngineErrorCode } from './errors';
export { cleanCell, compactKey, foldForMatch, repairMojibake, words, type CellIssue, type CellIssueCode, type CleanCell } from './text';
export { countryInText, countryName, isCountryCode, resolveCountry, type CountryFailure, type CountryMatch, type CountryResolution } from './countries';
export { defaultGazetteer, Gazetteer, GAZETTEER_ATTRIBUTION, type Area, type Place, type PlaceSource, type RawCity } from './gazetteer';
export { GeoNamesDump } from './cities500';
export {
  CONFIRM_BELOW_CONFIDENCE,
  geocode,
  type GeocodeFailure,
  type GeocodeHit,
  type GeocodeInput,
  type GeocodeMiss,
  type GeocodeResult,
  type Precision,
} from './geocode';
export {
  normaliseRow,
  placeRow,
  type NormalisedRow,
  type PlacedRow,
  type RawFacilityRow,
  type RowField,
  type RowIssue,
  type RowIssueCode,
} from './normalise-row';
export { facilityNameKey, nameSimilarity, type FacilityNameKey } from './facility-names';
export {
  compareFacilities,
  DUPLICATE_THRESHOLD,
  proposeDuplicates,
  type DuplicateEvidence,
  type DuplicateOptions,
  type DuplicateProposal,
  type FacilityRecord,
} from './duplicates';
