import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, BaseEnv } from '@tiersight/config';

/** Short-lived shared state in Redis (counters, dedupe keys), namespaced by QUEUE_PREFIX. */
@Injectable()
export class RedisStore implements OnApplicationShutdown {
  readonly client: Redis;
  private readonly prefix: string;

  constructor(@Inject(APP_CONFIG) config: BaseEnv) {
    this.client = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3, lazyConnect: false });
    this.client.on('error', () => undefined); // connection errors surface on the commands that need Redis
    this.prefix = `${config.QUEUE_PREFIX}:`;
  }

  key(name: string): string {
    return this.prefix + name;
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
