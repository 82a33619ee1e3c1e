import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { ConfigModule, WorkerEnv } from '@tiersight/config';
import { GraphModule } from '@tiersight/graph';
import { HealthModule } from '@tiersight/health';
import { Metrics, ObservabilityModule } from '@tiersight/observability';
import { QueuesModule } from '@tiersight/queues';
import { NetworkSnapshotService } from './graph-sync/network-snapshot.service';
import { GraphProcessor } from './processors/graph.processor';

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
      ],
      providers: [NetworkSnapshotService, GraphProcessor],
    };
  }
}
