jest.setTimeout(120_000);
import 'reflect-metadata';
import { getQueueToken } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import type { Cluster } from 'ioredis';
import { ConfigModule } from '@tiersight/config';
import { Metrics, ObservabilityModule } from '@tiersight/observability';
import {
  ALL_EVENTS,
  DeadLetters,
  isCluster,
  type JobHandlers,
  keyPrefix,
  QueueProducer,
  type QueueProcessor,
  QUEUES,
  QueuesModule,
  queueWorkerProviders,
  RedisStore,
  verifyRedis,
} from '@tiersight/queues';
import { getJson, startApi } from '../support/api-harness';
import { deleteRedisKeys } from '../support/cleanup';
import { silentLogger, uniquePrefix, workerConfig } from '../support/test-env';
import { eventually } from '../support/wait';

@Injectable()
class GraphProcessor implements QueueProcessor<typeof QUEUES.graph> {
  readonly queue = QUEUES.graph;
  readonly handlers: JobHandlers<typeof QUEUES.graph> = { 'graph.changed': async () => 'handled on the cluster' };
}

/** Several keys in one script, as the telemetry commit and the webhook scripts touch them. */
const MOVE = `
redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], 'moved', ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[1], 'm')
return redis.call('GET', KEYS[1])`;

const seeds = process.env.REDIS_CLUSTER_NODES;
const onCluster = seeds ? describe : describe.skip;

/**
 * The platform on a Redis Cluster (run by `npm run test:cluster`, which
 * starts three masters and sets REDIS_CLUSTER_NODES): every key of the
 * deployment under the hash tag {QUEUE_PREFIX}, so multi-key scripts,
 * transactions, pipelines, BullMQ's own scripts and the rate limit's all run
 * in one slot. Skipped under `npm test` (one Redis).
 */
onCluster(`on a Redis Cluster${seeds ? ` (${seeds})` : ' — skipped: REDIS_CLUSTER_NODES is unset; `npm run test:cluster` runs it'}`, () => {
  const prefix = uniquePrefix('cluster').slice(0, -1);
  const config = workerConfig({ QUEUE_PREFIX: prefix });
  let moduleRef: TestingModule;
  let store: RedisStore;
  let queue: Queue;

  beforeAll(async () => {
    await verifyRedis(config);
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), ObservabilityModule.forRoot(silentLogger(), new Metrics('cluster-test')), QueuesModule.forRoot(config)],
      providers: queueWorkerProviders(GraphProcessor),
    }).compile();
    await moduleRef.init(); // starts the worker
    store = moduleRef.get(RedisStore);
    queue = moduleRef.get<Queue>(getQueueToken(QUEUES.graph));
  });

  afterAll(async () => {
    if (moduleRef) {
      for (const name of Object.values(QUEUES)) await moduleRef.get<Queue>(getQueueToken(name)).obliterate({ force: true });
      await deleteRedisKeys(store.client, prefix);
      await moduleRef.close();
    }
  });

  const cluster = () => store.client as unknown as Cluster;
  const slot = async (key: string) => Number(await cluster().cluster('KEYSLOT', key));
  /** Keys under the run's hash tag on each master: only one master may hold any. */
  const keysPerMaster = async (match = `{${prefix}}:*`) =>
    Promise.all(
      cluster()
        .nodes('master')
        .map(async (node) => (await node.keys(match)).length),
    );

  it('checks the whole cluster at start, and names it in one line when a seed does not answer', async () => {
    expect(isCluster(store.client)).toBe(true);
    await expect(verifyRedis(config)).resolves.toBeUndefined();
    await expect(verifyRedis({ ...config, REDIS_CLUSTER_NODES: ['127.0.0.1:1'] })).rejects.toThrow(/^cannot reach the Redis Cluster at 127\.0\.0\.1:1: /);
  });

  it('puts every key of the deployment under the hash tag {QUEUE_PREFIX}: one slot', async () => {
    expect(keyPrefix(config)).toBe(`{${prefix}}`);
    expect(store.prefix).toBe(`{${prefix}}`);
    expect(store.key('risk:requested')).toBe(`{${prefix}}:risk:requested`);
    const keys = [
      store.key('risk:requested'),
      store.key('telemetry:w:S-1'),
      store.key('wh:d:abc'),
      queue.toKey('wait'),
      queue.toKey('meta'),
      `{${prefix}}:rate:{default:key:k1:default}:hits`,
    ];
    const slots = await Promise.all(keys.map(slot));
    expect(new Set(slots)).toEqual(new Set([await slot(prefix)]));
  });

  it('runs multi-key scripts, transactions and pipelines in that slot (and the same script without the tag is refused)', async () => {
    const keys = [store.key('c:count'), store.key('c:hash'), store.key('c:zset')];
    expect(await store.client.eval(MOVE, keys.length, ...keys, '5')).toBe('5');
    expect(await store.client.hget(keys[1], 'moved')).toBe('5');
    await expect(store.client.eval(MOVE, 3, `${prefix}:a`, `${prefix}:b`, `${prefix}:c`, '1')).rejects.toThrow(/CROSSSLOT/);

    const producer = moduleRef.get(QueueProducer);
    const seq = await producer.requestPropagation({ cause: 'event', eventIds: ['E-1', 'E-2'] }); // MULTI over two keys, then a job
    expect(seq).toBe(1);
    expect(await producer.requestedEvents()).toEqual(
      new Map([
        ['E-1', 1],
        ['E-2', 1],
      ]),
    );
    await producer.settleRequestedEvents(new Map([['E-1', 1]])); // a script
    expect(await producer.requestedEvents()).toEqual(new Map([['E-2', 1]]));
    expect((await producer.requestedEvents()).has(ALL_EVENTS)).toBe(false);

    const letters = moduleRef.get(DeadLetters);
    await letters.add(...['a', 'b', 'c'].map((itemRef) => ({ kind: 'feed' as const, source: `${prefix}-feed`, itemRef, reason: 'bad' }))); // a pipeline
    expect((await letters.list({ limit: 10, source: `${prefix}-feed` })).map((l) => l.itemRef)).toEqual(['c', 'b', 'a']);

    await store.raiseTo('c:marker', 7);
    await store.raiseTo('c:marker', 3);
    expect(await store.getNumber('c:marker')).toBe(7);
  });

  it('takes a BullMQ job round trip, with every key of the queue on one master', async () => {
    const job = await queue.add('graph.changed', { v: 1, graphVersion: 1, cause: 'import' });
    await eventually('the job completed', async () => (await queue.getJobState(job.id!)) === 'completed');
    expect((await queue.getJob(job.id!))?.returnvalue).toBe('handled on the cluster');
    const perMaster = await keysPerMaster();
    expect(perMaster.filter((n) => n > 0)).toHaveLength(1);
  });

  it('counts the rate limit on the cluster, under the same hash tag', async () => {
    const api = await startApi({ QUEUE_PREFIX: prefix, RATE_LIMIT_PER_MINUTE: '2' });
    try {
      expect((await getJson(`${api.url}/health/ready`)).status).toBe(200);
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await getJson(`${api.url}/v1/skus?limit=1`)).status);
      expect(statuses).toEqual([200, 200, 429]);
      const rateKeys = await Promise.all(
        cluster()
          .nodes('master')
          .map((node) => node.keys(`{${prefix}}:rate:*`)),
      );
      expect(rateKeys.flat().length).toBeGreaterThan(0);
      expect((await keysPerMaster()).filter((n) => n > 0)).toHaveLength(1);
    } finally {
      await api.close();
    }
  });
});
