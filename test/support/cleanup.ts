import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { chunks } from '@tiersight/contracts';
import type { Neo4jService } from '@tiersight/graph';
import { QUEUES } from '@tiersight/queues';

/** Deletes every node whose id starts with the prefix (a test's own data). */
export async function deleteByPrefix(neo4j: Neo4jService, prefix: string): Promise<void> {
  await neo4j.run('MATCH (n) WHERE n.id STARTS WITH $prefix DETACH DELETE n', { prefix });
}

/** Empties and removes every queue of the app (under its own QUEUE_PREFIX), jobs running or not. */
export async function obliterateQueues(app: INestApplicationContext): Promise<void> {
  for (const name of Object.values(QUEUES)) await app.get<Queue>(getQueueToken(name)).obliterate({ force: true });
}

/** Deletes every Redis key under `<prefix>:` (a run's QUEUE_PREFIX), 500 keys to a command. */
export async function deleteRedisKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}:*`);
  for (const batch of chunks(keys, 500)) await redis.del(...batch);
}
