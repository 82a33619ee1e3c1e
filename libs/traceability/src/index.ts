// Public entry of @tiersight/traceability: GS1 EPCIS 2.0 capture, queries, receipts and lot traces (DESIGN §11).
export { TraceabilityModule } from './traceability.module';
export { TraceabilityError, TraceabilityErrorCode } from './traceability.error';
export type { TraceabilityFieldError } from './traceability.error';
export { CaptureService, capturePath } from './capture.service';
export type { CaptureAccepted, CaptureView } from './capture.service';
export { CaptureRunner } from './capture-runner.service';
export type { CaptureRunResult } from './capture-runner.service';
export type { CaptureStatus } from './capture.repository';
export { EpcisEventsService, TIERSIGHT_NS } from './epcis-events.service';
export type { EpcisEventView, EpcisQueryDocument, UnmappedLocationView } from './epcis-events.service';
export type { EventQueryParams } from './event-query';
export type { SensorReading } from './sensor-readings';
export { RECEIPT_TREE, verifyReceipt } from './receipt';
export type { EventReceipt, ReceiptCheck } from './receipt';
export { MAX_TRACE_DEPTH, TraceService } from './trace.service';
export type { TracedLot, TraceEvent, TraceResult } from './trace.service';
export type { TraceDirection } from './trace.repository';
