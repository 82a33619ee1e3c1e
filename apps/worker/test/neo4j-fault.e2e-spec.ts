jest.setTimeout(240_000);

import type { INestApplication } from '@nestjs/common';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { getQueueToken } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import type { ImportPayload } from '@tiersight/contracts';
import { QUEUES, RedisStore } from '@tiersight/queues';
import { getJson, postJson, RunningApi, startApi, startWorker } from '../../../test/support/api-harness';
import { deleteRedisKeys, obliterateQueues } from '../../../test/support/cleanup';
import { KillableNeo4j } from '../../../test/support/killable-neo4j';
import { uniquePrefix } from '../../../test/support/test-env';
import { eventually } from '../../../test/support/wait';

const ROOT = join(__dirname, '..', '..', '..');
/** The stoppable Neo4j: its own Bolt port, its own data under the suite's home. */
const NEO4J_PORT = Number(process.env.TEST_FAULT_NEO4J_PORT ?? 7716);
const HOME = resolve(ROOT, process.env.TIERSIGHT_HOME ?? join('.local', 'test'), 'neo4j-fault');

const EVENTS = 10;
/** Sites (and SKUs) of the import under way when Neo4j stops: one transaction of a few seconds. */
const BIG = 1500;

/** `n` sites, each shipping its own SKU, far enough apart that an event over site i hits it alone. */
function network(p: string, n: number): ImportPayload {
  return {
    suppliers: [{ id: `${p}SUP`, name: 'Fault Works', country: 'US' }],
    sites: Array.from({ length: n }, (_, i) => ({
      id: `${p}S${i}`,
      supplierId: `${p}SUP`,
      name: `site ${i}`,
      kind: 'plant' as const,
      ...at(i),
      country: 'US',
    })),
    parts: [],
    skus: Array.from({ length: n }, (_, i) => ({ id: `${p}SKU${i}`, name: `sku ${i}`, dailyRevenue: 1000, category: 'fault' })),
    supplies: Array.from({ length: n }, (_, i) => ({
      fromSiteId: `${p}S${i}`,
      toSkuId: `${p}SKU${i}`,
      partId: `${p}SKU${i}`,
      share: 1,
      bufferDays: 0,
      leadTimeDays: 0,
    })),
  };
}
const at = (i: number) => ({ lat: -60 + (i % 100) * 1.2, lon: -170 + Math.floor(i / 100) * 20 });

// A run on a Redis Cluster (npm run test:cluster) skips it: it starts servers of its own, and the cluster is not what it tests.
const describeSingle = process.env.REDIS_CLUSTER_NODES ? describe.skip : describe;

/**
 * A Neo4j of the test's own, stopped (SIGTERM, a clean shutdown) while a
 * propagation run is under way and an import is being written, then started
 * again: the API (whose /health/ready answers 503 meanwhile) and the worker
 * carry on without a restart, the run completes once Neo4j is back, and the
 * import is in the graph whole or not at all.
 */
describeSingle('a Neo4j stopped mid-run and mid-import, then started again', () => {
  const p = uniquePrefix('nfk');
  const q = uniquePrefix('nfkbig');
  const queuePrefix = p.slice(0, -1);
  const neo4j = new KillableNeo4j(NEO4J_PORT, HOME);
  let api: RunningApi | undefined;
  let worker: INestApplication | undefined;

  beforeAll(async () => {
    rmSync(HOME, { recursive: true, force: true });
    await neo4j.start();
    const env = { NEO4J_URI: neo4j.uri, QUEUE_PREFIX: queuePrefix };
    api = await startApi(env);
    worker = await startWorker(env);
    expect((await postJson(`${api.url}/v1/graph/import`, network(p, EVENTS))).status).toBe(200);
  });

  afterAll(async () => {
    await worker?.close();
    if (api) {
      await obliterateQueues(api.app);
      await deleteRedisKeys(api.app.get(RedisStore).client, queuePrefix);
      await api.close();
    }
    await neo4j.stop();
    rmSync(HOME, { recursive: true, force: true });
  });

  it('completes the run after the restart, keeps the import whole or absent, and answers 503 while Neo4j is away', async () => {
    const app = api!;
    const risk = app.app.get<Queue>(getQueueToken(QUEUES.risk));
    // Hold the runs back while the events go in, so that the run starts with Neo4j going away.
    await eventually('risk queue idle', async () => (await risk.getJobCounts('active', 'waiting')).active === 0);
    await risk.pause();
    for (let i = 0; i < EVENTS; i++) {
      const { lat, lon } = at(i);
      const event = {
        id: `${p}EV${i}`,
        type: 'flood',
        title: `flood ${i}`,
        severity: 0.8,
        expectedDurationDays: 20,
        geometry: { type: 'Point', coordinates: [lon, lat] },
        radiusKm: 5,
      };
      expect((await postJson(`${app.url}/v1/events`, event)).status).toBe(201);
    }

    // The import goes out, then Neo4j stops under it and the run starts.
    const big = network(q, BIG);
    const imported = postJson(`${app.url}/v1/graph/import`, big);
    await new Promise((r) => setTimeout(r, 500));
    const stopping = neo4j.stop();
    await risk.resume();
    const running = await eventually('a run under way', async () => (await risk.getActive())[0] as Job | undefined);
    expect(await stopping).toBe('stopped');

    // Away: not ready (503 problem+json with the failing check named), while the run waits.
    const away = await eventually('503 while Neo4j is away', async () => {
      const res = await getJson(`${app.url}/health/ready`);
      if (res.status === 503) return res;
      throw new Error(`answered ${res.status}`);
    });
    expect(away.type).toMatch(/^application\/problem\+json/);
    expect(away.body.checks).toMatchObject({ neo4j: { status: 'down' }, redis: { status: 'up' } });
    expect(await running.isActive()).toBe(true);

    await neo4j.start();
    const upAt = Date.now();
    await eventually('ready again, same process', async () => (await getJson(`${app.url}/health/ready`)).status === 200, 60_000);

    // The run completes after the restart, and its exposures are every event's.
    await eventually(
      'every event propagated',
      async () => {
        for (let i = 0; i < EVENTS; i++) {
          const res = await getJson(`${app.url}/v1/exposures/${p}SKU${i}`);
          if (res.status !== 200 || res.body.eventIds[0] !== `${p}EV${i}`) return false;
        }
        return true;
      },
      90_000,
    );
    const ran = await risk.getJob(running.id!);
    expect(ran?.finishedOn).toBeGreaterThanOrEqual(upAt);
    expect(await ran?.isCompleted()).toBe(true);

    // The import: all of it (answered 200) or none of it (answered 503), never a part.
    const answer = await imported;
    expect([200, 503]).toContain(answer.status);
    if (answer.status === 503) expect(answer.type).toMatch(/^application\/problem\+json/);
    const counts = await app.neo4j.run<{ nodes: number; supplies: number }>(
      `MATCH (n) WHERE n.id STARTS WITH $q
       OPTIONAL MATCH (n)-[s:SUPPLIES]->() RETURN count(DISTINCT n) AS nodes, count(s) AS supplies`,
      { q },
    );
    const { nodes, supplies } = counts.records[0].toObject();
    const whole = { nodes: 2 * BIG + 1, supplies: BIG };
    expect([{ nodes: 0, supplies: 0 }, whole]).toContainEqual({ nodes, supplies });
    if (answer.status === 200) expect({ nodes, supplies }).toEqual(whole);
  });
});
