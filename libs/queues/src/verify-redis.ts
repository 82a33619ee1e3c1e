import { createRedisClient, isCluster, redisAddress, RedisSettings } from './redis-client';

/** Every hash slot of a Redis Cluster. */
const SLOTS = 16384;

/**
 * Fails with one readable line when Redis does not answer PING or, on a
 * cluster (REDIS_CLUSTER_NODES), when the cluster is not whole: `CLUSTER INFO`
 * must say `cluster_state:ok` with every slot assigned and served. A bare
 * REDIS_URL (the import CLI) is checked as one Redis.
 */
export async function verifyRedis(target: RedisSettings | string, timeoutMs = 3000): Promise<void> {
  const config: RedisSettings = typeof target === 'string' ? { REDIS_URL: target, QUEUE_PREFIX: 'check' } : target;
  const where = redisAddress(config);
  const client = createRedisClient(
    config,
    'store',
    { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false },
    { slotsRefreshTimeout: timeoutMs },
  );
  client.on('error', () => undefined);
  let problem: string | null;
  try {
    problem = await withTimeout(
      (async () => {
        await client.connect();
        if (!isCluster(client)) {
          await client.ping();
          return null;
        }
        return clusterProblem(await client.cluster('INFO'));
      })(),
      timeoutMs * 2,
    );
  } catch (error) {
    throw new Error(`cannot reach ${where}: ${(error as Error).message}`, { cause: error });
  } finally {
    client.disconnect();
  }
  if (problem) throw new Error(`${where} is not ready: ${problem}`);
}

/** Why a cluster cannot serve every key (from CLUSTER INFO), or null when it can. */
export function clusterProblem(info: string): string | null {
  const fields = new Map(
    info
      .split(/\r?\n/)
      .map((line) => line.split(':'))
      .filter((kv) => kv.length === 2)
      .map(([k, v]) => [k.trim(), v.trim()]),
  );
  const state = fields.get('cluster_state');
  const assigned = Number(fields.get('cluster_slots_assigned') ?? 0);
  const ok = Number(fields.get('cluster_slots_ok') ?? 0);
  if (state === 'ok' && assigned === SLOTS && ok === SLOTS) return null;
  return `cluster_state:${state ?? 'unknown'}, ${ok} of ${SLOTS} slots served (${assigned} assigned)`;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
