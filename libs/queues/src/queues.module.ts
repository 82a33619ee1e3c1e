import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { BaseEnv } from '@tiersight/config';
import { DEFAULT_JOB_OPTIONS } from './job-options';
import { QUEUES } from './jobs';
import { QueueProducer } from './queue-producer';
import { RedisStore } from './redis-store';
import { DeadLetters } from './dead-letters';

/** Redis connection options for BullMQ from REDIS_URL; workers need maxRetriesPerRequest: null. */
export function redisConnection(redisUrl: string) {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username || undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

/** Registers every queue with shared defaults and exports the typed producer. No processors here. */
@Module({})
export class QueuesModule {
  static forRoot(config: BaseEnv): DynamicModule {
    const queues = Object.values(QUEUES).map((name) => ({ name }));
    const registered = BullModule.registerQueue(...queues);
    return {
      module: QueuesModule,
      global: true,
      imports: [
        BullModule.forRoot({
          connection: redisConnection(config.REDIS_URL),
          prefix: config.QUEUE_PREFIX,
          defaultJobOptions: DEFAULT_JOB_OPTIONS,
        }),
        registered,
      ],
      providers: [QueueProducer, RedisStore, DeadLetters],
      exports: [QueueProducer, RedisStore, DeadLetters, registered],
    };
  }
}
