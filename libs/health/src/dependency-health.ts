import { Inject, Injectable, Optional } from '@nestjs/common';
import { FEED_CONFIG, FeedConfig, FeedHealth } from '@tiersight/disruptions';
import { HealthIndicatorService } from '@nestjs/terminus';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Neo4jService } from '@tiersight/graph';
import { QUEUES } from '@tiersight/queues';

const withTimeout = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref())]);

/** Readiness checks of the services the API cannot work without. */
@Injectable()
export class DependencyHealth {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly neo4j: Neo4jService,
    @InjectQueue(QUEUES.graph) private readonly queue: Queue,
    @Optional() private readonly feedHealth?: FeedHealth,
    @Optional() @Inject(FEED_CONFIG) private readonly feedConfig?: FeedConfig,
  ) {}

  /**
   * Feeds never make the platform down: the stored events still stand. A
   * source whose last pull failed is listed and the check reads "degraded".
   */
  async feeds() {
    const check = this.health.check('feeds');
    if (!this.feedHealth || !this.feedConfig) return check.up({ state: 'ok', sources: 0 });
    try {
      const records = await withTimeout(this.feedHealth.all(this.feedConfig.sources.map((s) => s.id)), 3000);
      const failing = records.filter((r) => r.state === 'failing').map((r) => ({ sourceId: r.sourceId, lastError: r.lastError, since: r.lastSuccessAt }));
      return check.up({ state: failing.length ? 'degraded' : 'ok', sources: records.length, failing });
    } catch (error) {
      return check.up({ state: 'unknown', message: (error as Error).message });
    }
  }

  async neo4jReachable() {
    const check = this.health.check('neo4j');
    try {
      await withTimeout(this.neo4j.ping(), 3000);
      return check.up();
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }

  async redisReachable() {
    const check = this.health.check('redis');
    try {
      await withTimeout(this.queue.getJobCounts('waiting'), 3000);
      return check.up();
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }
}
