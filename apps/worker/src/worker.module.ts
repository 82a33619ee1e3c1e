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
      ],
      providers: [GraphProcessor, RiskProcessor, WorkerStartup],
    };
  }
}
