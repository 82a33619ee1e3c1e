import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { BaseEnv } from '@tiersight/config';
import { DEFAULT_JOB_OPTIONS } from './job-options';
import { QUEUES } from './jobs';
import { QueueProducer } from './queue-producer';
import { closeRedisClient, createRedisClient, keyPrefix, RedisClient } from './redis-client';
import { REDIS_STORE_PURPOSE, RedisStore } from './redis-store';
import { DeadLetters } from './dead-letters';

/** The connection every queue of the process shares (BullMQ connects it on first use). */
const QUEUE_CONNECTION = Symbol('QUEUE_CONNECTION');

/** Closes the queues' shared connection with the application (BullMQ leaves a connection it was given open). */
@Injectable()
class QueueConnection implements OnApplicationShutdown {
  constructor(@Inject(QUEUE_CONNECTION) private readonly client: RedisClient) {}

  async onApplicationShutdown(): Promise<void> {
    await closeRedisClient(this.client);
  }
}

/** Makes the shared connection when a queue first needs it (never in Nest's preview mode) and closes it. */
@Module({})
class QueueConnectionModule {
  static forRoot(config: BaseEnv): DynamicModule {
    return {
      module: QueueConnectionModule,
      providers: [{ provide: QUEUE_CONNECTION, useFactory: () => createRedisClient(config, 'queue') }, QueueConnection],
      exports: [QUEUE_CONNECTION],
    };
  }
}

/**
 * Registers every queue with shared defaults and exports the typed producer. No processors here.
 * The queues share one connection from createRedisClient (one Redis, or the Redis Cluster) and
 * the deployment's key prefix (a hash tag on a cluster: BullMQ's scripts touch several keys of a queue).
 */
@Module({})
export class QueuesModule {
  /**
   * `waitForRedis` (workers): the store's commands wait while Redis is away
   * instead of failing, so jobs under way finish once it is back.
   */
  static forRoot(config: BaseEnv, { waitForRedis = false }: { waitForRedis?: boolean } = {}): DynamicModule {
    const queues = Object.values(QUEUES).map((name) => ({ name }));
    const registered = BullModule.registerQueue(...queues);
    return {
      module: QueuesModule,
      global: true,
      imports: [
        BullModule.forRootAsync({
          imports: [QueueConnectionModule.forRoot(config)],
          inject: [QUEUE_CONNECTION],
          useFactory: (connection: RedisClient) => ({ connection, prefix: keyPrefix(config), defaultJobOptions: DEFAULT_JOB_OPTIONS }),
        }),
        registered,
      ],
      providers: [QueueProducer, RedisStore, DeadLetters, { provide: REDIS_STORE_PURPOSE, useValue: waitForRedis ? 'job-store' : 'store' }],
      exports: [QueueProducer, RedisStore, DeadLetters, registered],
    };
  }
}
