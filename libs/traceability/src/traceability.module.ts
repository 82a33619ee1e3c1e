import { Module } from '@nestjs/common';
import { AuditModule } from '@tiersight/audit';
import { APP_CONFIG, BaseEnv } from '@tiersight/config';
import { GraphModule } from '@tiersight/graph';
import { loadRuleConfig } from '@tiersight/telemetry';
import { CaptureRunner } from './capture-runner.service';
import { CaptureRepository } from './capture.repository';
import { CaptureService } from './capture.service';
import { EpcisEventRepository } from './epcis-event.repository';
import { EpcisEventsService } from './epcis-events.service';
import { FlaggedLotsRepository } from './flagged-lots.repository';
import { FlaggedLotsService } from './flagged-lots.service';
import { LotFlagRepository } from './lot-flag.repository';
import { LOT_FLAG_RULES, LotFlagService } from './lot-flag.service';
import { TraceRepository } from './trace.repository';
import { TraceService } from './trace.service';

/**
 * GS1 EPCIS 2.0 traceability (DESIGN §11): capture (checked by the API,
 * written by the worker), queries, receipts, lot traces and the risk link
 * (lots flagged by events, sensor excursions and their own readings). Needs ConfigModule
 * and QueuesModule (global).
 */
@Module({
  imports: [GraphModule, AuditModule],
  providers: [
    CaptureRepository,
    CaptureService,
    CaptureRunner,
    EpcisEventRepository,
    EpcisEventsService,
    TraceRepository,
    TraceService,
    // The risk link: lots' own readings are checked against the telemetry rules in force.
    { provide: LOT_FLAG_RULES, inject: [APP_CONFIG], useFactory: (config: BaseEnv) => loadRuleConfig(config) },
    LotFlagRepository,
    LotFlagService,
    FlaggedLotsRepository,
    FlaggedLotsService,
  ],
  exports: [CaptureService, CaptureRunner, EpcisEventsService, TraceService, LotFlagService, FlaggedLotsService],
})
export class TraceabilityModule {}
