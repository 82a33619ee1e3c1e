import type { Schemas } from './api';

/** The API's shapes the analyst pages read, by the names the pages use (all from the OpenAPI document at /docs). */
export type Exposure = Schemas['SkuExposure'];
export type ExposureDetail = Schemas['SkuExposureDetail'];
export type PathHop = Schemas['PathHop'];
export type SkuOutlook = Schemas['SkuOutlook'];
export type DisruptionEvent = Schemas['DisruptionEvent'];
/** An event's area: a GeoJSON Point, Polygon or MultiPolygon, or whole countries. */
export type EventArea = DisruptionEvent['geometry'];
export type Site = Schemas['Site'];
export type Sku = Schemas['Sku'];
export type UpstreamEdge = Schemas['UpstreamEdge'];
export type UpstreamTree = Schemas['UpstreamTree'];
export type ScenarioBody = Schemas['ScenarioDto'];
export type ScenarioAnswer = Schemas['ScenarioResult'];
