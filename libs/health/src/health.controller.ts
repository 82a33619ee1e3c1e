import { Controller, Get, Header, SetMetadata } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { IS_PUBLIC } from '@tiersight/contracts';
import { Metrics } from '@tiersight/observability';
import { DependencyHealth } from './dependency-health';

@ApiTags('operations')
@SetMetadata(IS_PUBLIC, true)
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly dependencies: DependencyHealth,
    private readonly metrics: Metrics,
  ) {}

  /** The process is up (no dependency checked). */
  @Get('health/live')
  live() {
    return { status: 'ok' };
  }

  /** Neo4j and Redis answer; 503 otherwise. Checks other modules add follow (a failing feed shows as `feeds.state: degraded` with 200). */
  @Get('health/ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.dependencies.neo4jReachable(), () => this.dependencies.redisReachable(), ...this.dependencies.addedChecks()]);
  }

  @Get('metrics')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async prometheus(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
