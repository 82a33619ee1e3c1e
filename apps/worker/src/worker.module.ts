import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { ConfigModule, WorkerEnv } from '@tiersight/config';
import { GraphModule } from '@tiersight/graph';
import { HealthModule } from '@tiersight/health';
import { Metrics, ObservabilityModule } from '@tiersight/observability';
import { QueuesModule } from '@tiersight/queues';
import { RiskModule } from '@tiersight/risk';
import { GraphProcessor } from './processors/graph.processor';
import { RiskProcessor } from './processors/risk.processor';
import { WorkerStartup } from './worker-startup.service';
import { TelemetryModule } from '@tiersight/telemetry';
import { MqttIngress } from './telemetry/mqtt-ingress.service';
import { TelemetryProcessor } from './telemetry/telemetry.processor';
import { DisruptionsModule } from '@tiersight/disruptions';
import { EventsProcessor } from './events/events.processor';
import { FeedSchedules } from './feeds/feed-schedules.service';
import { FeedsProcessor } from './feeds/feeds.processor';
import { WebhooksModule } from '@tiersight/webhooks';
import { ChangeConsumerProcessor } from './webhooks/change-consumer.processor';
import { DeliveryProcessor } from './webhooks/delivery.processor';

@Module({})
export class WorkerModule {
  static forRoot(config: WorkerEnv, logger: Logger, metrics: Metrics): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        ObservabilityModule.forRoot(logger, metrics),
        QueuesModule.forRoot(config),
        GraphModule,
        HealthModule,
        RiskModule,
        TelemetryModule.forRoot(config),
        DisruptionsModule.forRoot(config),
        WebhooksModule.forWorker(),
      ],
      providers: [GraphProcessor, RiskProcessor, WorkerStartup, TelemetryProcessor, MqttIngress, FeedsProcessor, EventsProcessor, FeedSchedules, ChangeConsumerProcessor, DeliveryProcessor],
    };
  }
}
