// Public entry of @tiersight/contracts: the shapes every lib and app shares, declared once. Types, constants and validators only; no I/O.
export {
  ALERT_TYPES,
  EVENT_STATUSES,
  EVENT_TYPES,
  EXPOSURE_CHANGE_KINDS,
  LOT_FLAG_CAUSE_KINDS,
  OUTLOOK_CHANGE_KINDS,
  PROVENANCES,
  SITE_KINDS,
  VISIBILITIES,
  type AlertType,
  type EventStatus,
  type EventType,
  type ExposureChangeKind,
  type LotFlagCauseKind,
  type OutlookChangeKind,
  type Provenance,
  type SiteKind,
  type Visibility,
} from './enums';
export { ENTITY_ID_CHARS, ENTITY_ID_PATTERN, ENTITY_ID_RULE, IsEntityId, isEntityId, MAX_ENTITY_ID_LENGTH } from './ids';
export { MAX_DAYS } from './limits';
export { chunks } from './chunks';
export { CodedError, type FieldError } from './coded-error';
export type { Exposure, ExposureNumbers, PathConfidence, PathHop, PathVia } from './exposure';
export type { AnticipatedEventRef, ExposureOutlook, OutlookChangeMessage } from './outlook';
export type { SupplyTerms } from './supply-terms';
export { RECALL_LOTS_SHOWN, type LotFlag, type LotFlagAlert, type LotFlagCause, type RecallScope } from './lot-flag';
export { EXPOSURE_CHANGE_VERSION, EXPOSURE_CHANGES_STREAM, type ExposureChangeMessage } from './exposure-change';
export type {
  AnticipatedEventHit,
  CountryArea,
  DisruptionEvent,
  EventForecast,
  EventGeometry,
  EventHit,
  ForecastArea,
  ForecastTrackPoint,
  IncomingEvent,
} from './event';
export type { TelemetryRecord } from './telemetry';
export {
  IMPORT_ENTITIES,
  type ImportEntity,
  type ImportPayload,
  type PartRow,
  type SiteRow,
  type SkuRow,
  type SupplierRow,
  type SupplyRow,
} from './import-payload';
export type { ReadinessCheck } from './readiness';
export { SITE_PRECISIONS, type SitePlacement, type SitePlacementView, type SitePrecision } from './site-placement';
export { IS_PUBLIC } from './routes';
