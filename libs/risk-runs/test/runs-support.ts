import { DynamicModule, Module } from '@nestjs/common';
import type { StoredEvent } from '@tiersight/graph';
import { CliModule } from '../../../tools/cli/cli.module';
import { silentLogger, workerConfig } from '../../../test/support/test-env';
import { RiskModule } from '../src';

/** The risk runs on the real Neo4j and Redis, without a worker, under a queue prefix of their own. */
@Module({})
export class RunsModule {
  static forRoot(prefix: string): DynamicModule {
    return { module: RunsModule, imports: [CliModule.forRoot(workerConfig({ QUEUE_PREFIX: prefix }), silentLogger()), RiskModule] };
  }
}

/** Builds pushed events whose ids start with the test's prefix: by default severity 1 for 40 days, 50 km around a point in Chile. */
export const eventFactory =
  (prefix: string) =>
  (id: string, over: Partial<StoredEvent>): StoredEvent => ({
    id: prefix + id,
    source: 'push',
    type: 'other',
    title: id,
    severity: 1,
    expectedDurationDays: 40,
    geometry: { type: 'Point', coordinates: [-70.4, -23.65], radiusKm: 50 } as StoredEvent['geometry'],
    country: null,
    startsAt: new Date().toISOString(),
    ...over,
  });
