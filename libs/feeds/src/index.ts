export { FEED_FORMATS } from './feed-adapter';
export type { DeadLetter, FeedAdapter, FeedContext, FeedFormat, FeedItem, FeedParseResult, SkippedItem } from './feed-adapter';
export { adapterFor, FEED_ADAPTERS, isFeedFormat, UnknownFeedFormatError } from './registry';
export { DEFAULT_SEVERITY_POLICY, earthquakeRadiusKm, magnitudeBand } from './severity-policy';
export { severityPolicyMarkdown } from './severity-policy-table';
export type {
  CapCertainty,
  CapSeverity,
  CapUrgency,
  GdacsAlertLevel,
  GdacsHazard,
  MagnitudeBand,
  PagerAlertLevel,
  SeverityLevel,
  SeverityPolicy,
} from './severity-policy';
export { stableEventId } from './event-id';
export { usgsGeoJsonAdapter } from './usgs.adapter';
export { gdacsRssAdapter, bboxPolygon } from './gdacs-rss.adapter';
export { gdacsGeoJsonAdapter } from './gdacs-geojson.adapter';
export { capAdapter } from './cap.adapter';
export { capEventId } from './cap-alert';
export { parseCapIndex } from './cap-index';
export type { CapIndexEntry, CapIndexResult } from './cap-index';
export { asIso2, iso3ToIso2, numericToIso2 } from './iso-countries';
export { MAX_JSON_DOCUMENT_BYTES, MAX_XML_DOCUMENT_BYTES } from './document-text';
