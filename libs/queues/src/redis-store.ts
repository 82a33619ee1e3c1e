import { Inject, Injectable, OnApplicationShutdown, Optional } from '@nestjs/common';
import type Redis from 'ioredis';
import type { RedisOptions } from 'ioredis';
import { APP_CONFIG, BaseEnv } from '@tiersight/config';
import { createRedisClient, keyPrefix, RedisClient, RedisPurpose } from './redis-client';

/** Which kind of store connection a process makes (`store` unless QueuesModule.forRoot is told `waitForRedis`): see RedisPurpose. */
export const REDIS_STORE_PURPOSE = Symbol('REDIS_STORE_PURPOSE');

/**
 * Short-lived shared state in Redis (counters, dedupe keys), every key under
 * the deployment's prefix (`keyPrefix`: QUEUE_PREFIX, or the hash tag
 * `{QUEUE_PREFIX}` on a Redis Cluster, so that every key of the deployment
 * lives in one slot and multi-key commands and scripts stay legal).
 */
@Injectable()
export class RedisStore implements OnApplicationShutdown {
  /**
   * One Redis, or a Cluster when REDIS_CLUSTER_NODES is set. Typed as `Redis`
   * because both answer the same commands and callers keep one interface;
   * what differs is `duplicate` (a Cluster takes seeds first and ignores Redis
   * options given there): use `duplicate()` below for second connections.
   */
  readonly client: Redis;
  /** The prefix of every key, without the trailing `:` (`tiersight`, or `{tiersight}` on a cluster). */
  readonly prefix: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: BaseEnv,
    @Optional() @Inject(REDIS_STORE_PURPOSE) private readonly purpose: Extract<RedisPurpose, 'store' | 'job-store'> = 'store',
  ) {
    this.client = createRedisClient(config, purpose) as Redis;
    this.client.on('error', () => undefined); // connection errors surface on the commands that need Redis
    this.prefix = keyPrefix(config);
  }

  key(name: string): string {
    return `${this.prefix}:${name}`;
  }

  /**
   * A connection of its own to the same Redis or Cluster (blocking reads,
   * auto-pipelining), with `overrides` on top of the store's options; the
   * caller closes it. Unlike `client.duplicate()`, the options apply on a
   * cluster too.
   */
  duplicate(overrides: RedisOptions = {}): RedisClient {
    return createRedisClient(this.config, this.purpose, overrides);
  }

  async incr(name: string): Promise<number> {
    return this.client.incr(this.key(name));
  }

  async getNumber(name: string): Promise<number> {
    return Number((await this.client.get(this.key(name))) ?? 0);
  }

  /** Stores `value` unless the stored number is already larger (monotonic marker). */
  async raiseTo(name: string, value: number): Promise<void> {
    await this.client.eval(
      "local v = tonumber(redis.call('GET', KEYS[1]) or '0') if tonumber(ARGV[1]) > v then redis.call('SET', KEYS[1], ARGV[1]) end return 1",
      1,
      this.key(name),
      String(value),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => undefined);
  }
}
