import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { chunks } from '@tiersight/contracts';
import type { Neo4jService } from '@tiersight/graph';
import { hashTagged, isCluster, QUEUES, type RedisClient } from '@tiersight/queues';

/** Deletes every node whose id starts with the prefix (a test's own data). */
export async function deleteByPrefix(neo4j: Neo4jService, prefix: string): Promise<void> {
  await neo4j.run('MATCH (n) WHERE n.id STARTS WITH $prefix DETACH DELETE n', { prefix });
}

/** Empties and removes every queue of the app (under its own QUEUE_PREFIX), jobs running or not. */
export async function obliterateQueues(app: INestApplicationContext): Promise<void> {
  for (const name of Object.values(QUEUES)) await app.get<Queue>(getQueueToken(name)).obliterate({ force: true });
}

/**
 * Deletes every Redis key of a run whose QUEUE_PREFIX is `prefix` (keys under
 * `<prefix>:`, or `{<prefix>}:` on a Redis Cluster, as keyPrefix makes them),
 * 500 keys to a command. On a cluster every master is scanned (each holds
 * only its own slots); the keys share one slot, so one DEL takes a batch.
 */
export async function deleteRedisKeys(redis: RedisClient, prefix: string): Promise<void> {
  const cluster = isCluster(redis);
  const match = `${cluster ? hashTagged(prefix) : prefix}:*`;
  for (const node of cluster ? redis.nodes('master') : [redis]) {
    for (const batch of chunks(await scanAll(node, match), 500)) await redis.del(...batch);
  }
}

async function scanAll(node: Redis, match: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await node.scan(cursor, 'MATCH', match, 'COUNT', 1000);
    keys.push(...found);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

/** Ends a worker's persistent MQTT session (by its client id) so the broker stops keeping messages for it. */
export async function endMqttSession(mqttUrl: string, clientId: string): Promise<void> {
  const { default: mqtt } = await import('mqtt');
  const wipe = await mqtt.connectAsync(mqttUrl, { clientId, clean: true, protocolVersion: 5, properties: { sessionExpiryInterval: 0 }, reconnectPeriod: 0 });
  await wipe.endAsync();
}
