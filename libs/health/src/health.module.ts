import { DynamicModule, Module, Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { ReadinessCheck } from '@tiersight/contracts';
import { GraphModule } from '@tiersight/graph';
import { DependencyHealth, READINESS_CHECKS } from './dependency-health';
import { HealthController } from './health.controller';

export interface HealthOptions {
  /**
   * Providers of more readiness checks, each a ReadinessCheck offered by
   * another module (e.g. the feeds' check): health depends on none of them.
   */
  checks?: Array<Type<ReadinessCheck>>;
}

/** /health/live, /health/ready (Neo4j, Redis and the added checks) and /metrics, shared by the API and the worker. Needs QueuesModule. */
@Module({})
export class HealthModule {
  static forRoot(options: HealthOptions = {}): DynamicModule {
    const checks = options.checks ?? [];
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ errorLogStyle: 'json', logger: false }), GraphModule],
      controllers: [HealthController],
      providers: [DependencyHealth, { provide: READINESS_CHECKS, useFactory: (...added: ReadinessCheck[]) => added, inject: checks }],
    };
  }
}
