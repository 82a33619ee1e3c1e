export { GraphModule } from './graph.module';
export { Neo4jService, Neo4jConnectError } from './neo4j.service';
export { MigrationRunner } from './migration.runner';
export { MIGRATIONS } from './migrations';
export type { Migration } from './migrations';
export { GraphError, GraphErrorCode, mapNeo4jError } from './graph.errors';
export type { RowError } from './graph.errors';
export { ImportService, MAX_REPORTED_ERRORS } from './import/import.service';
export type { ImportProgress } from './import/import.service';
export { IMPORT_BATCH_ROWS } from './import/import.repository';
export type { ImportCounts, ImportHooks } from './import/import.repository';
export { checkShapes, checkReferences, referenceQuery, rowIndex, SHARE_TOLERANCE } from './import/validate-import';
export type { GraphFacts, NormalizedImport } from './import/validate-import';
export { checkField, DEFAULT_TTR_DAYS, ROW_RULES } from './import/row-rules';
export type { FieldRule } from './import/row-rules';
export { IMPORT_ENTITIES } from './import/import-payload';
export type {
  ImportEntity,
  ImportPayload,
  PartRow,
  Provenance,
  SiteKind,
  SiteRow,
  SkuRow,
  SupplierRow,
  SupplyRow,
  Visibility,
} from './import/import-payload';
export { SupplyGraphRepository } from './read/supply-graph.repository';
export type { DownstreamSku, SiteView, SkuView, SupplierView, UpstreamEdge, UpstreamTree } from './read/supply-graph.repository';
export { decodeCursor, encodeCursor, InvalidCursorError, toPage } from './read/pagination';
export type { Page } from './read/pagination';
export { SupplyNetworkReader } from './projection/supply-network.reader';
export type { NetworkEdge, NetworkSite, NetworkSku, NetworkSupplier, SupplyNetworkVisitor } from './projection/supply-network.reader';
export { csvLine, csvToRows } from './import/csv-rows';
export { EventRepository, eventContentHash } from './events/event.repository';
export type { StoredEvent } from './events/event.repository';
export { EVENT_TYPES } from './events/event.types';
export type { ActiveImpact, DisruptionEvent, EventHit, EventStatus, EventType, EventView } from './events/event.types';
export { ExposureRepository, ExposuresChangedError } from './exposures/exposure.repository';
export type { AttributionWrite, ExposureFilter, StoredAttribution, StoredExposure } from './exposures/exposure.repository';
