import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { GraphModule } from '@tiersight/graph';
import { DependencyHealth } from './dependency-health';
import { HealthController } from './health.controller';

/** /health/live, /health/ready (Neo4j and Redis) and /metrics, shared by the API and the worker. Needs QueuesModule. */
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json', logger: false }), GraphModule],
  controllers: [HealthController],
  providers: [DependencyHealth],
})
export class HealthModule {}
