import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { ConfigModule, WorkerEnv } from '@tiersight/config';
import { DisruptionsModule, FeedReadiness } from '@tiersight/disruptions';
import { GraphModule } from '@tiersight/graph';
import { HealthModule } from '@tiersight/health';
import { Metrics, ObservabilityModule } from '@tiersight/observability';
import { QueuesModule, queueWorkerProviders } from '@tiersight/queues';
import { RiskModule } from '@tiersight/risk-runs';
import { TelemetryModule } from '@tiersight/telemetry';
import { WebhooksModule } from '@tiersight/webhooks';
import { EventsProcessor } from './events/events.processor';
import { FeedSchedules } from './feeds/feed-schedules.service';
import { FeedsProcessor } from './feeds/feeds.processor';
import { GraphProcessor } from './graph/graph.processor';
import { RiskStartup } from './risk/risk-startup.service';
import { RiskProcessor } from './risk/risk.processor';
import { MqttIngress } from './telemetry/mqtt-ingress.service';
import { TelemetrySchedules } from './telemetry/telemetry-schedules.service';
import { TelemetryProcessor } from './telemetry/telemetry.processor';
import { ChangeFanout } from './webhooks/change-fanout.service';
import { DeliveryProcessor } from './webhooks/delivery.processor';
import { TraceabilityModule } from '@tiersight/traceability';
import { EpcisProcessor } from './epcis/epcis.processor';
import { TwinRunsModule } from '@tiersight/twin-runs';
import { TwinProcessor } from './twin/twin.processor';
import { OnboardingModule } from '@tiersight/onboarding';
import { OnboardingProcessor } from './onboarding/onboarding.processor';
import { BacktestsModule } from '@tiersight/backtests';
import { BacktestsProcessor } from './backtests/backtests.processor';

/** One processor per queue, all run by the shared queue workers of libs/queues; the schedules, ingress and stream consumer beside them. */
@Module({})
export class WorkerModule {
  static forRoot(config: WorkerEnv, logger: Logger, metrics: Metrics): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        ObservabilityModule.forRoot(logger, metrics),
        QueuesModule.forRoot(config, { waitForRedis: true }),
        GraphModule,
        HealthModule.forRoot({ checks: [FeedReadiness] }),
        RiskModule,
        TelemetryModule.forRoot(config),
        DisruptionsModule.forRoot(config),
        WebhooksModule.forWorker(),
        TraceabilityModule,
        TwinRunsModule,
        OnboardingModule,
        BacktestsModule.forWorker(),
      ],
      providers: [
        ...queueWorkerProviders(
          GraphProcessor,
          RiskProcessor,
          FeedsProcessor,
          EventsProcessor,
          TelemetryProcessor,
          DeliveryProcessor,
          TwinProcessor,
          EpcisProcessor,
          OnboardingProcessor,
          BacktestsProcessor,
        ),
        RiskStartup,
        FeedSchedules,
        TelemetrySchedules,
        MqttIngress,
        ChangeFanout,
      ],
    };
  }
}
