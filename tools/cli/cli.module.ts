import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { AuditModule } from '@tiersight/audit';
import { BaseEnv, ConfigModule } from '@tiersight/config';
import { GraphModule } from '@tiersight/graph';
import { Metrics, ObservabilityModule } from '@tiersight/observability';
import { QueuesModule } from '@tiersight/queues';

/** What the command-line tools need: config, the graph library, the audit log and the queue producer. */
@Module({})
export class CliModule {
  static forRoot(config: BaseEnv, logger: Logger): DynamicModule {
    return {
      module: CliModule,
      imports: [ConfigModule.forRoot(config), ObservabilityModule.forRoot(logger, new Metrics('cli')), QueuesModule.forRoot(config), GraphModule, AuditModule],
    };
  }
}
