import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageOf } from '../openapi/page.dto';

const EVENT_HASH = 'CBV 2.0 event hash: ni:///sha-256;<hex>?ver=CBV2.0';

export class CaptureLinks {
  @ApiProperty({ type: String, example: '/v1/epcis/capture/cap_9f2a1c0b3d4e5f6a7b8c9d0e' })
  self: string;
}

/** 202: the document passed its checks and waits for the worker to write it. */
export class CaptureAccepted {
  @ApiProperty({ type: String })
  captureId: string;

  @ApiProperty({ type: String, enum: ['pending'] })
  status: 'pending';

  @ApiProperty({ type: Number, description: 'events in the document' })
  eventCount: number;

  @ApiProperty({ type: CaptureLinks })
  links: CaptureLinks;
}

export class CaptureCounts {
  @ApiProperty({ type: Number, description: 'events in the document' })
  events: number;

  @ApiProperty({ type: Number, nullable: true, description: 'events stored by this capture (null until it finished)' })
  captured: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'events already stored (same event hash), or repeated in the document: skipped' })
  duplicates: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'stored events whose declared hash eventID differs from their computed hash (kept, flagged)' })
  flagged: number | null;
}

export class CaptureError {
  @ApiPropertyOptional({ type: Number })
  eventIndex?: number;

  @ApiPropertyOptional({ type: String, description: 'JSON pointer into the document' })
  pointer?: string;

  @ApiProperty({ type: String })
  message: string;
}

export class CaptureViewLinks {
  @ApiProperty({ type: String })
  self: string;

  @ApiProperty({ type: String, description: 'the events this capture stored (GET /v1/epcis/events?captureId=…)' })
  events: string;
}

export class CaptureView {
  @ApiProperty({ type: String })
  captureId: string;

  @ApiProperty({ type: String, enum: ['pending', 'running', 'succeeded', 'failed'] })
  status: 'pending' | 'running' | 'succeeded' | 'failed';

  @ApiProperty({ type: String, enum: ['rollback'], description: 'a refused document is captured not at all' })
  captureErrorBehaviour: 'rollback';

  @ApiProperty({ type: String })
  createdAt: string;

  @ApiProperty({ type: String, nullable: true })
  startedAt: string | null;

  @ApiProperty({ type: String, nullable: true })
  finishedAt: string | null;

  @ApiProperty({ type: CaptureCounts })
  counts: CaptureCounts;

  @ApiProperty({ type: [CaptureError], description: 'why a failed capture was refused, per event' })
  errors: CaptureError[];

  @ApiProperty({ type: String, nullable: true, description: 'hex root of the RFC 6962 Merkle tree of the event hashes stored' })
  merkleRoot: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'the audit log entry that records the root' })
  auditSeq: number | null;

  @ApiProperty({ type: CaptureViewLinks })
  links: CaptureViewLinks;
}

export class EventSite {
  @ApiProperty({ type: String })
  siteId: string;

  @ApiProperty({ type: String, nullable: true })
  supplierId: string | null;

  @ApiProperty({ type: String, enum: ['readPoint', 'bizLocation'] })
  via: string;
}

export class EventLot {
  @ApiProperty({ type: String, description: 'canonical GS1 Digital Link (or the identifier as given, for non-GS1 EPCs)' })
  lotId: string;

  @ApiProperty({ type: String, enum: ['sgtin', 'lgtin', 'gtin', 'sscc', 'other'] })
  kind: string;

  @ApiProperty({ type: String, enum: ['observed', 'parent', 'child', 'input', 'output'] })
  role: string;

  @ApiProperty({ type: Boolean, description: 'named in a quantity list (a class) rather than an EPC list' })
  byClass: boolean;

  @ApiProperty({ type: Number, nullable: true })
  quantity: number | null;

  @ApiProperty({ type: String, nullable: true })
  uom: string | null;
}

export class SensorReading {
  @ApiProperty({ type: String, example: 'Temperature' })
  type: string;

  @ApiProperty({ type: String })
  time: string;

  @ApiProperty({ type: Number, nullable: true })
  value: number | null;

  @ApiProperty({ type: String, nullable: true })
  uom: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'in the base unit of its quantity (CEL, KGM, MTR, PAL, MTS, LTR, P1)' })
  normalisedValue: number | null;

  @ApiProperty({ type: String, nullable: true })
  normalisedUom: string | null;

  @ApiProperty({ type: Number, nullable: true })
  minValue: number | null;

  @ApiProperty({ type: Number, nullable: true })
  maxValue: number | null;

  @ApiProperty({ type: Number, nullable: true })
  meanValue: number | null;

  @ApiProperty({ type: String, nullable: true })
  exception: string | null;

  @ApiProperty({ type: String, nullable: true })
  deviceId: string | null;
}

export class EventLinks {
  @ApiProperty({ type: String })
  self: string;

  @ApiProperty({ type: String })
  receipt: string;
}

export class EpcisEventView {
  @ApiProperty({ type: String, description: 'the declared eventID, or the event hash when none was declared' })
  eventId: string;

  @ApiProperty({ type: String, description: EVENT_HASH })
  eventHash: string;

  @ApiProperty({ type: String, nullable: true })
  declaredEventId: string | null;

  @ApiProperty({ type: Boolean, description: 'the declared eventID is a hash id that is not this event’s hash (kept, flagged)' })
  declaredHashDiffers: boolean;

  @ApiProperty({ type: String })
  type: string;

  @ApiProperty({ type: String })
  eventTime: string;

  @ApiProperty({ type: String, description: 'when this repository captured it' })
  recordTime: string;

  @ApiProperty({ type: String })
  captureId: string;

  @ApiProperty({ type: [EventSite], description: 'the sites whose GLN is the readPoint or bizLocation' })
  sites: EventSite[];

  @ApiProperty({ type: [EventLot] })
  lots: EventLot[];

  @ApiProperty({ type: [SensorReading] })
  sensorReadings: SensorReading[];

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the event in EPCIS 2.0 JSON as captured' })
  event: Record<string, unknown>;

  @ApiProperty({ type: EventLinks })
  links: EventLinks;
}

export class QueryResultsBody {
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, description: 'EPCIS 2.0 events, each with `tiersight:eventHash`' })
  eventList: Record<string, unknown>[];
}

export class QueryResults {
  @ApiProperty({ type: String, enum: ['SimpleEventQuery'] })
  queryName: 'SimpleEventQuery';

  @ApiProperty({ type: QueryResultsBody })
  resultsBody: QueryResultsBody;
}

export class QueryDocumentBody {
  @ApiProperty({ type: QueryResults })
  queryResults: QueryResults;
}

/** EPCIS 2.0 EPCISQueryDocument. */
export class EpcisQueryDocument {
  @ApiProperty({ type: 'array', items: {}, name: '@context' })
  '@context': unknown[];

  @ApiProperty({ type: String, enum: ['EPCISQueryDocument'] })
  type: 'EPCISQueryDocument';

  @ApiProperty({ type: String, enum: ['2.0'] })
  schemaVersion: '2.0';

  @ApiProperty({ type: String })
  creationDate: string;

  @ApiProperty({ type: QueryDocumentBody })
  epcisBody: QueryDocumentBody;

  @ApiProperty({ type: String, nullable: true, name: 'tiersight:nextCursor', description: 'pass as `cursor` for the next page; null on the last page' })
  'tiersight:nextCursor': string | null;
}

export class AuditActorView {
  @ApiProperty({ type: String })
  keyId: string;

  @ApiProperty({ type: String })
  role: string;

  @ApiProperty({ type: String, nullable: true })
  supplierId: string | null;
}

export class AuditEntryView {
  @ApiProperty({ type: Number })
  seq: number;

  @ApiProperty({ type: String })
  at: string;

  @ApiProperty({ type: AuditActorView })
  actor: AuditActorView;

  @ApiProperty({ type: String })
  action: string;

  @ApiProperty({ type: String, nullable: true })
  target: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'for a capture: captureId, merkleRoot, treeSize and the counts' })
  change: unknown;

  @ApiProperty({ type: String })
  prevHash: string;

  @ApiProperty({ type: String, description: 'SHA-256 of the RFC 8785 canonical entry without its hash' })
  hash: string;
}

export class ReceiptTree {
  @ApiProperty({ type: String })
  algorithm: string;

  @ApiProperty({ type: String })
  leaf: string;

  @ApiProperty({ type: String })
  node: string;

  @ApiProperty({ type: String })
  proof: string;
}

/** A Merkle inclusion proof of one event, to a root recorded in the audit chain. */
export class EventReceipt {
  @ApiProperty({ type: Number, enum: [1] })
  version: 1;

  @ApiProperty({ type: String })
  eventId: string;

  @ApiProperty({ type: String, description: EVENT_HASH })
  eventHash: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the event as captured' })
  event: Record<string, unknown>;

  @ApiProperty({ description: 'the @context of the document the event came in', oneOf: [{ type: 'string' }, { type: 'object' }, { type: 'array' }] })
  context: unknown;

  @ApiProperty({ type: String })
  captureId: string;

  @ApiProperty({ type: Number })
  leafIndex: number;

  @ApiProperty({ type: Number })
  treeSize: number;

  @ApiProperty({ type: String, description: 'hex SHA-256(0x00 ‖ event hash digest)' })
  leafHash: string;

  @ApiProperty({ type: [String], description: 'hex sibling hashes, from the leaf up' })
  proof: string[];

  @ApiProperty({ type: String, description: 'hex Merkle root' })
  root: string;

  @ApiProperty({ type: ReceiptTree })
  tree: ReceiptTree;

  @ApiProperty({ type: AuditEntryView })
  auditEntry: AuditEntryView;
}

export class UnmappedLocation {
  @ApiProperty({ type: String, description: 'the readPoint or bizLocation, canonical form' })
  location: string;

  @ApiProperty({ type: String, nullable: true, description: 'the GLN a site would need to take these events; null for a location that is not a GS1 location' })
  glnBase: string | null;

  @ApiProperty({ type: Number })
  eventCount: number;

  @ApiProperty({ type: String })
  firstSeen: string;

  @ApiProperty({ type: String })
  lastSeen: string;
}

export class UnmappedLocationPage extends PageOf(UnmappedLocation) {}

export class TraceSite {
  @ApiProperty({ type: String })
  siteId: string;

  @ApiProperty({ type: String, nullable: true })
  supplierId: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'derived tier of the site (null when it supplies no SKU)' })
  tier: number | null;
}

export class TraceEvent {
  @ApiProperty({ type: String })
  eventId: string;

  @ApiProperty({ type: String })
  eventHash: string;

  @ApiProperty({ type: String })
  type: string;

  @ApiProperty({ type: String, nullable: true })
  bizStep: string | null;

  @ApiProperty({ type: String })
  eventTime: string;

  @ApiProperty({ type: TraceSite, nullable: true })
  site: TraceSite | null;
}

/** A lot's identity (EPC parts), as every traceability answer names it. */
export class LotFields {
  @ApiProperty({ type: String, description: 'canonical GS1 Digital Link (or the EPC as captured for non-GS1 ids)' })
  lotId: string;

  @ApiProperty({ type: String, enum: ['sgtin', 'lgtin', 'gtin', 'sscc', 'other'] })
  kind: string;

  @ApiProperty({ type: String, nullable: true })
  gtin: string | null;

  @ApiProperty({ type: String, nullable: true })
  lot: string | null;

  @ApiProperty({ type: String, nullable: true })
  serial: string | null;
}

export class TraceStart extends LotFields {
  @ApiProperty({ type: TraceEvent, nullable: true, description: 'where and when the lot was made (its transformation), else first seen' })
  origin: TraceEvent | null;
}

export class TracedLot extends LotFields {
  @ApiProperty({ type: Number, description: 'transformation levels from the traced lot' })
  depth: number;

  @ApiProperty({ type: String, description: 'the lot one level nearer the traced lot' })
  via: string;

  @ApiProperty({ type: TraceEvent, nullable: true, description: 'the transformation linking the two, where and when' })
  event: TraceEvent | null;
}

export class TracedSku {
  @ApiProperty({ type: String })
  skuId: string;

  @ApiProperty({ type: String })
  name: string;

  @ApiProperty({ type: String })
  gtin: string;

  @ApiProperty({ type: [String] })
  lotIds: string[];
}

export class TraceResult {
  @ApiProperty({ type: TraceStart })
  lot: TraceStart;

  @ApiProperty({ type: String, enum: ['backward', 'forward'] })
  direction: 'backward' | 'forward';

  @ApiProperty({ type: Number })
  depth: number;

  @ApiProperty({ type: [TracedLot] })
  lots: TracedLot[];

  @ApiProperty({ type: [TracedSku], description: 'forward: the SKUs (by GTIN) the lots are units of' })
  skus: TracedSku[];

  @ApiProperty({ type: Boolean, description: 'the walk stopped at depth (or at 10,000 lots) with more beyond' })
  truncated: boolean;
}
