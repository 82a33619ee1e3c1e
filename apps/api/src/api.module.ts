import { DynamicModule, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { MulterModule } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { AccessModule } from '@tiersight/access';
import { AuditModule } from '@tiersight/audit';
import { ApiEnv, ConfigModule } from '@tiersight/config';
import { HealthModule } from '@tiersight/health';
import { GraphModule } from '@tiersight/graph';
import { Metrics, ObservabilityModule } from '@tiersight/observability';
import { QueuesModule } from '@tiersight/queues';
import { RiskModule } from '@tiersight/risk-runs';
import { GraphImportController } from './analyst/graph-import/graph-import.controller';
import { GraphImportFlow } from './analyst/graph-import/graph-import.flow';
import { SupplyGraphController } from './analyst/supply-graph/supply-graph.controller';
import { EventsController } from './analyst/events/events.controller';
import { EventsFlow } from './analyst/events/events.flow';
import { ExposureReadCache } from './analyst/exposures/exposure-read-cache';
import { ExposuresController } from './analyst/exposures/exposures.controller';
import { RiskReportsController } from './analyst/risk-reports/risk-reports.controller';
import { ScenariosController } from './analyst/scenarios/scenarios.controller';
import { JsonBodyMiddleware } from './http/json-body.middleware';
import { DisruptionsModule, FeedReadiness } from '@tiersight/disruptions';
import { FeedsController } from './operations/feeds.controller';
import { queueBoardModules } from './operations/queue-board';
import { ProblemFilter } from './http/problem.filter';
import { TelemetryModule } from '@tiersight/telemetry';
import { SensorsController } from './telemetry/sensors.controller';
import { TelemetryController } from './telemetry/telemetry.controller';
import { AuditController } from './admin/audit.controller';
import { KeysController } from './admin/keys.controller';
import { MeController } from './access/me.controller';
import { PortalModule } from '@tiersight/portal';
import { PortalSitesController } from './portal/portal-sites.controller';
import { PortalSubtierController } from './portal/portal-subtier.controller';
import { PortalSurveysController } from './portal/portal-surveys.controller';
import { PortalOnboardingController } from './portal/portal-onboarding.controller';
import { PortalOnboardingFlow } from './portal/portal-onboarding.flow';
import { SurveysController } from './analyst/surveys/surveys.controller';
import { WebhooksModule } from '@tiersight/webhooks';
import { WebhooksController } from './webhooks/webhooks.controller';
import { RequestContextMiddleware } from './http/request-context.middleware';
import { TraceabilityModule } from '@tiersight/traceability';
import { EpcisCaptureController } from './traceability/epcis-capture.controller';
import { EpcisEventsController } from './traceability/epcis-events.controller';
import { LotFlagsController } from './traceability/lot-flags.controller';
import { TraceController } from './traceability/trace.controller';
import { TwinRunsModule } from '@tiersight/twin-runs';
import { TwinController } from './analyst/twin/twin.controller';
import { OnboardingModule } from '@tiersight/onboarding';
import { OnboardingController } from './analyst/onboarding/onboarding.controller';
import { OnboardingConfirmFlow } from './analyst/onboarding/onboarding-confirm.flow';
import { BacktestsModule } from '@tiersight/backtests';
import { BacktestsController } from './analyst/backtests/backtests.controller';

@Module({})
export class ApiModule implements NestModule {
  static forRoot(config: ApiEnv, logger: Logger, metrics: Metrics): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        ObservabilityModule.forRoot(logger, metrics),
        QueuesModule.forRoot(config),
        GraphModule,
        HealthModule.forRoot({ checks: [FeedReadiness] }),
        RiskModule,
        TelemetryModule.forRoot(config),
        AuditModule,
        AccessModule.forRoot(),
        PortalModule,
        DisruptionsModule.forRoot(config),
        ...queueBoardModules(),
        WebhooksModule.forApi(),
        TraceabilityModule,
        TwinRunsModule,
        OnboardingModule,
        BacktestsModule.forApi(),
        // Uploads (the onboarding lists) stay in memory, one file per request, within ONBOARDING_MAX_BYTES (413 beyond).
        MulterModule.register({ limits: { fileSize: config.ONBOARDING_MAX_BYTES, files: 1, fields: 8, fieldSize: 64 * 1024 } }),
      ],
      controllers: [
        GraphImportController,
        SupplyGraphController,
        EventsController,
        ExposuresController,
        ScenariosController,
        RiskReportsController,
        TelemetryController,
        SensorsController,
        FeedsController,
        KeysController,
        MeController,
        AuditController,
        PortalSitesController,
        PortalSubtierController,
        PortalSurveysController,
        SurveysController,
        WebhooksController,
        EpcisCaptureController,
        EpcisEventsController,
        // Before TraceController: its /v1/trace/{lot} would take /v1/trace/flagged.
        LotFlagsController,
        TraceController,
        TwinController,
        OnboardingController,
        PortalOnboardingController,
        BacktestsController,
      ],
      providers: [
        ExposureReadCache,
        GraphImportFlow,
        EventsFlow,
        OnboardingConfirmFlow,
        PortalOnboardingFlow,
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestContextMiddleware, JsonBodyMiddleware).forRoutes({ path: '*path', method: RequestMethod.ALL });
  }
}
