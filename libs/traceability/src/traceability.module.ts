import { Module } from '@nestjs/common';
import { AuditModule } from '@tiersight/audit';
import { GraphModule } from '@tiersight/graph';
import { CaptureRunner } from './capture-runner.service';
import { CaptureRepository } from './capture.repository';
import { CaptureService } from './capture.service';
import { EpcisEventRepository } from './epcis-event.repository';
import { EpcisEventsService } from './epcis-events.service';
import { TraceRepository } from './trace.repository';
import { TraceService } from './trace.service';

/**
 * GS1 EPCIS 2.0 traceability (DESIGN §11): capture (checked by the API,
 * written by the worker), queries, receipts and lot traces. Needs ConfigModule
 * and QueuesModule (global).
 */
@Module({
  imports: [GraphModule, AuditModule],
  providers: [CaptureRepository, CaptureService, CaptureRunner, EpcisEventRepository, EpcisEventsService, TraceRepository, TraceService],
  exports: [CaptureService, CaptureRunner, EpcisEventsService, TraceService],
})
export class TraceabilityModule {}
