import { Injectable } from '@nestjs/common';
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
  ) {}

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
