import Redis, { Cluster } from 'ioredis';
import { BaseEnv, ConfigError, loadConfig } from '@tiersight/config';
import { clusterSeeds, closeRedisClient, createRedisClient, hashTagged, isCluster, isRedisUnavailable, keyPrefix, redisAddress } from './redis-client';
import { clusterProblem } from './verify-redis';

const single = { REDIS_URL: 'redis://127.0.0.1:6379', QUEUE_PREFIX: 'tiersight' };
const clustered = { REDIS_URL: 'redis://:s%40cret@ignored:6379', QUEUE_PREFIX: 'tiersight', REDIS_CLUSTER_NODES: ['10.0.0.1:7000', '[::1]:7001'] };

describe('the key prefix', () => {
  it('is QUEUE_PREFIX on one Redis, so existing keys keep their names', () => {
    expect(keyPrefix(single)).toBe('tiersight');
    expect(keyPrefix({ ...single, REDIS_CLUSTER_NODES: [] })).toBe('tiersight');
  });

  it('is the hash tag {QUEUE_PREFIX} on a cluster, so every key of the deployment hashes to one slot', () => {
    expect(keyPrefix(clustered)).toBe('{tiersight}');
    expect(keyPrefix({ ...clustered, QUEUE_PREFIX: 'T1a2b3c4d-tel' })).toBe('{T1a2b3c4d-tel}');
  });

  it('keeps a prefix that already holds a hash tag, and does not count an empty {} as one', () => {
    expect(hashTagged('{acme}')).toBe('{acme}');
    expect(hashTagged('eu-{acme}')).toBe('eu-{acme}');
    expect(hashTagged('acme{}')).toBe('{acme{}}');
  });
});

describe('the cluster settings', () => {
  it('reads the seeds, IPv6 in brackets included', () => {
    expect(clusterSeeds(clustered)).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: '::1', port: 7001 },
    ]);
  });

  it('names where it connects without the password', () => {
    expect(redisAddress({ ...single, REDIS_URL: 'redis://:hunter2@10.0.0.9:6380' })).toBe('Redis at redis://:***@10.0.0.9:6380');
    expect(redisAddress(clustered)).toBe('the Redis Cluster at 10.0.0.1:7000,[::1]:7001');
  });

  it('reads what CLUSTER INFO says about the slots', () => {
    const info = (state: string, assigned: number, ok: number) =>
      `cluster_state:${state}\r\ncluster_slots_assigned:${assigned}\r\ncluster_slots_ok:${ok}\r\ncluster_known_nodes:3\r\n`;
    expect(clusterProblem(info('ok', 16384, 16384))).toBeNull();
    expect(clusterProblem(info('fail', 10923, 10923))).toBe('cluster_state:fail, 10923 of 16384 slots served (10923 assigned)');
    expect(clusterProblem('')).toBe('cluster_state:unknown, 0 of 16384 slots served (0 assigned)');
  });
});

describe('createRedisClient', () => {
  const lazy = { lazyConnect: true };

  it('makes one Redis from REDIS_URL without REDIS_CLUSTER_NODES', async () => {
    const client = createRedisClient(single, 'store', lazy);
    expect(client).toBeInstanceOf(Redis);
    expect(isCluster(client)).toBe(false);
    expect(client.options).toMatchObject({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 3 });
    await closeRedisClient(client);
  });

  it('makes a Cluster over the seeds, with the credentials and TLS of REDIS_URL on every node', async () => {
    const client = createRedisClient({ ...clustered, REDIS_URL: 'rediss://app:s%40cret@ignored:6379' }, 'rate-limit', {
      ...lazy,
      keyPrefix: '{tiersight}:rate:',
    });
    expect(client).toBeInstanceOf(Cluster);
    const cluster = client as Cluster;
    expect(cluster.options.lazyConnect).toBe(true);
    expect(cluster.options.redisOptions).toMatchObject({
      username: 'app',
      password: 's@cret',
      tls: {},
      maxRetriesPerRequest: 2,
      keyPrefix: '{tiersight}:rate:',
    });
    await closeRedisClient(client);
  });

  it("gives BullMQ's connections maxRetriesPerRequest null, connected by BullMQ itself", async () => {
    for (const config of [single, clustered]) {
      for (const purpose of ['queue', 'worker'] as const) {
        const client = createRedisClient(config, purpose);
        const options = isCluster(client) ? { ...client.options, ...client.options.redisOptions } : client.options;
        expect(options).toMatchObject({ maxRetriesPerRequest: null, lazyConnect: true });
        await closeRedisClient(client);
      }
    }
  });

  it('moves what a cluster decides for itself to the top level', async () => {
    const never = () => null;
    const client = createRedisClient(clustered, 'store', { ...lazy, enableOfflineQueue: false, enableAutoPipelining: true, retryStrategy: never }) as Cluster;
    expect(client.options).toMatchObject({ enableOfflineQueue: false, enableAutoPipelining: true, clusterRetryStrategy: never });
    expect(client.options.redisOptions).not.toHaveProperty('enableOfflineQueue');
    await closeRedisClient(client);
  });
});

describe('REDIS_CLUSTER_NODES', () => {
  const load = (env: Record<string, string>) => loadConfig(BaseEnv, { NEO4J_PASSWORD: 'x', ...env });

  it('is empty unless set (one Redis at REDIS_URL)', () => {
    expect(load({}).REDIS_CLUSTER_NODES).toEqual([]);
    expect(load({ REDIS_CLUSTER_NODES: '' }).REDIS_CLUSTER_NODES).toEqual([]);
  });

  it('reads comma-separated host:port seeds', () => {
    expect(load({ REDIS_CLUSTER_NODES: '127.0.0.1:7001, redis-a.internal:7002,[::1]:7003' }).REDIS_CLUSTER_NODES).toEqual([
      '127.0.0.1:7001',
      'redis-a.internal:7002',
      '[::1]:7003',
    ]);
  });

  it.each(['127.0.0.1', '127.0.0.1:0', '127.0.0.1:65536', 'redis://127.0.0.1:7001', '127.0.0.1:7001;127.0.0.1:7002'])('refuses %s', (seeds) => {
    expect(() => load({ REDIS_CLUSTER_NODES: seeds })).toThrow(/REDIS_CLUSTER_NODES must be comma-separated host:port seeds of a Redis Cluster/);
  });

  it('refuses a REDIS_URL that names a database other than 0 (a cluster has only 0)', () => {
    expect(() => load({ REDIS_CLUSTER_NODES: '127.0.0.1:7001', REDIS_URL: 'redis://127.0.0.1:6379/2' })).toThrow(ConfigError);
    expect(() => load({ REDIS_CLUSTER_NODES: '127.0.0.1:7001', REDIS_URL: 'redis://127.0.0.1:6379/2' })).toThrow(/database 0 only/);
    expect(load({ REDIS_CLUSTER_NODES: '127.0.0.1:7001', REDIS_URL: 'redis://127.0.0.1:6379/0' }).REDIS_CLUSTER_NODES).toHaveLength(1);
    expect(load({ REDIS_URL: 'redis://127.0.0.1:6379/2' }).REDIS_CLUSTER_NODES).toEqual([]);
  });
});

describe('isRedisUnavailable', () => {
  it('takes a client that gave up, a closed connection or a refused one for Redis being away', async () => {
    // A real client against a port nobody listens on, failing its command after one reconnection.
    const client = createRedisClient({ ...single, REDIS_URL: 'redis://127.0.0.1:1' }, 'store', { maxRetriesPerRequest: 1, retryStrategy: () => 10 });
    client.on('error', () => undefined);
    const error = await client.get('k').catch((e: unknown) => e);
    client.disconnect();
    expect(isRedisUnavailable(error)).toBe(true);
    expect(isRedisUnavailable(new Error('Connection is closed.'))).toBe(true);
    expect(isRedisUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }))).toBe(true);
  });

  it('leaves a wrong command and other errors to be what they are', () => {
    expect(isRedisUnavailable(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBe(false);
    expect(isRedisUnavailable('Connection is closed.')).toBe(false);
    expect(isRedisUnavailable(undefined)).toBe(false);
  });
});
