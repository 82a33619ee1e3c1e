import Redis, { Cluster, type ClusterNode, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { BaseEnv } from '@tiersight/config';

/** A connection to the one Redis at REDIS_URL, or to the Redis Cluster at REDIS_CLUSTER_NODES. */
export type RedisClient = Redis | Cluster;

/** What a client needs from the configuration (REDIS_CLUSTER_NODES absent or empty: one Redis). */
export type RedisSettings = Pick<BaseEnv, 'REDIS_URL' | 'QUEUE_PREFIX'> & { REDIS_CLUSTER_NODES?: readonly string[] };

/**
 * What a connection is for, which sets how it behaves when Redis is away:
 * - `store`: the shared short-lived state (RedisStore) in the API; a command fails after 3 reconnections
 *   (the request answers 503 and the client tries again);
 * - `job-store`: the same state in a worker; commands wait for Redis, as BullMQ's own do, so a job under
 *   way when Redis goes away finishes once it is back instead of failing half done (a webhook sent but
 *   not yet recorded would be sent again by the retry);
 * - `queue`: BullMQ queues (producers); commands wait for Redis (BullMQ's production settings);
 * - `worker`: a BullMQ worker or queue-events reader, which BullMQ requires to wait (`maxRetriesPerRequest: null`);
 * - `rate-limit`: the API's rate-limit counts, one script call per request; a command fails after 2
 *   reconnections, and the calls of concurrent requests go out in one write (auto-pipelining).
 * BullMQ connects its clients itself (lazyConnect); the others connect at once.
 */
export type RedisPurpose = 'store' | 'job-store' | 'queue' | 'worker' | 'rate-limit';

const PURPOSES: Record<RedisPurpose, RedisOptions> = {
  store: { maxRetriesPerRequest: 3 },
  'job-store': { maxRetriesPerRequest: null },
  queue: { maxRetriesPerRequest: null, lazyConnect: true },
  worker: { maxRetriesPerRequest: null, lazyConnect: true },
  'rate-limit': { maxRetriesPerRequest: 2, enableAutoPipelining: true },
};

/** A hash tag is the first `{…}` with something inside: Redis hashes only that part of a key. */
const HASH_TAG = /\{[^{}]+\}/;

export const isClustered = (config: RedisSettings): boolean => (config.REDIS_CLUSTER_NODES?.length ?? 0) > 0;

/** `prefix` as a hash tag (`{prefix}`), or as it is when it already holds one. */
export const hashTagged = (prefix: string): string => (HASH_TAG.test(prefix) ? prefix : `{${prefix}}`);

/**
 * The prefix of every Redis key of the deployment — RedisStore keys, BullMQ's
 * `prefix`, rate-limit counts — without the trailing `:`. On a cluster it is
 * the hash tag `{QUEUE_PREFIX}`, so every key hashes to one slot and the
 * multi-key scripts, transactions and pipelines (BullMQ's own included) are
 * legal; on one Redis it is QUEUE_PREFIX as it always was, so existing keys
 * keep their names.
 */
export const keyPrefix = (config: RedisSettings): string => (isClustered(config) ? hashTagged(config.QUEUE_PREFIX) : config.QUEUE_PREFIX);

/** The cluster's seeds as ioredis nodes (`[::1]:7000` → host `::1`). */
export function clusterSeeds(config: RedisSettings): ClusterNode[] {
  return (config.REDIS_CLUSTER_NODES ?? []).map((seed) => {
    const at = seed.lastIndexOf(':');
    return { host: seed.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(seed.slice(at + 1)) };
  });
}

/** Where the clients connect, for messages: the cluster's seeds, or REDIS_URL without its password. */
export function redisAddress(config: RedisSettings): string {
  if (isClustered(config)) return `the Redis Cluster at ${config.REDIS_CLUSTER_NODES!.join(',')}`;
  const url = new URL(config.REDIS_URL);
  if (url.password) url.password = '***';
  return `Redis at ${url.toString().replace(/\/$/, '')}`;
}

/** On a cluster, REDIS_URL gives the credentials and TLS of every node (its host, port and database are not used). */
function nodeOptions(redisUrl: string): RedisOptions {
  const url = new URL(redisUrl);
  return {
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    tls: url.protocol === 'rediss:' ? {} : undefined,
  };
}

/**
 * The one way the platform makes a Redis client: a `Redis` from REDIS_URL,
 * or, with REDIS_CLUSTER_NODES, a `Cluster` over those seeds. `overrides`
 * are connection options (a cluster applies them to every node); `cluster`
 * options apply to a cluster only.
 */
export function createRedisClient(
  config: RedisSettings,
  purpose: RedisPurpose,
  overrides: RedisOptions = {},
  cluster: Omit<ClusterOptions, 'redisOptions'> = {},
): RedisClient {
  if (!isClustered(config)) return new Redis(config.REDIS_URL, { ...PURPOSES[purpose], ...overrides });
  // What a cluster decides for itself (connecting, queueing while away, pipelining, reconnecting) moves to the top level.
  const { lazyConnect, enableOfflineQueue, enableAutoPipelining, retryStrategy, ...options } = { ...PURPOSES[purpose], ...overrides };
  return new Cluster(clusterSeeds(config), {
    lazyConnect,
    enableAutoPipelining,
    ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
    ...(retryStrategy === undefined ? {} : { clusterRetryStrategy: retryStrategy }),
    ...cluster,
    redisOptions: { ...nodeOptions(config.REDIS_URL), ...options },
  });
}

export const isCluster = (client: RedisClient): client is Cluster => client instanceof Cluster;

/** What ioredis rejects a command with when Redis cannot be reached (it gives these no code; the texts are its constants). */
const UNREACHABLE_MESSAGES = new Set(['Connection is closed.', "Stream isn't writeable and enableOfflineQueue options is false"]);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);

/**
 * True for an error that says Redis is away rather than that a command was
 * wrong: a connection gave up after its retries, was closed, or was refused.
 * The API answers such an error 503 (try again), never 500.
 */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { code?: unknown }).code;
  return (
    error.name === 'MaxRetriesPerRequestError' ||
    error.name === 'ClusterAllFailedError' ||
    UNREACHABLE_MESSAGES.has(error.message) ||
    (typeof code === 'string' && UNREACHABLE_CODES.has(code))
  );
}

/** Closes a client made by createRedisClient: QUIT when connected (replies first), else just the socket. */
export async function closeRedisClient(client: RedisClient): Promise<void> {
  if (client.status === 'wait' || client.status === 'end') {
    client.disconnect();
    return;
  }
  await client.quit().catch(() => client.disconnect());
}
