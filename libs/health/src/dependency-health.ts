import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { ReadinessCheck } from '@tiersight/contracts';
import { Neo4jService } from '@tiersight/graph';
import { QUEUES } from '@tiersight/queues';

/** The readiness checks other modules add (HealthModule.forRoot `checks`). */
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

const CHECK_TIMEOUT_MS = 3000;

const withTimeout = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref())]);

/** Readiness checks of the services the API cannot work without, plus those other modules add. */
@Injectable()
export class DependencyHealth {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly neo4j: Neo4jService,
    @InjectQueue(QUEUES.graph) private readonly queue: Queue,
    @Inject(READINESS_CHECKS) private readonly added: readonly ReadinessCheck[],
  ) {}

  async neo4jReachable() {
    const check = this.health.check('neo4j');
    try {
      await withTimeout(this.neo4j.ping(), CHECK_TIMEOUT_MS);
      return check.up();
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }

  async redisReachable() {
    const check = this.health.check('redis');
    try {
      await withTimeout(this.queue.getJobCounts('waiting'), CHECK_TIMEOUT_MS);
      return check.up();
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }

  /** The checks other modules added, in their order. */
  addedChecks() {
    return this.added.map((added) => () => this.run(added));
  }

  /** An advisory check that fails still reads up, with `state: "unknown"`. */
  private async run(added: ReadinessCheck) {
    const check = this.health.check(added.name);
    try {
      return check.up(await withTimeout(added.probe(), CHECK_TIMEOUT_MS));
    } catch (error) {
      const message = (error as Error).message;
      return added.advisory ? check.up({ state: 'unknown', message }) : check.down({ message });
    }
  }
}
