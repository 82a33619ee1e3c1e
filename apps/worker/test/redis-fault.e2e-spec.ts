jest.setTimeout(180_000);

import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { EXPOSURE_CHANGES_STREAM, type ImportPayload } from '@tiersight/contracts';
import { QUEUES, RedisStore } from '@tiersight/queues';
import { deleteByPrefix, getJson, postJson, requestJson, RunningApi, startApi } from '../../../test/support/api-harness';
import { KillableRedis } from '../../../test/support/killable-redis';
import { uniquePrefix } from '../../../test/support/test-env';
import { eventually } from '../../../test/support/wait';
import { spawnWorkerProcess } from '../../../test/support/worker-process';
import { Receivers } from './webhooks-receivers';

const ROOT = join(__dirname, '..', '..', '..');
/** The killable Redis: its own port, its own data under the suite's home. */
const REDIS_PORT = Number(process.env.TEST_FAULT_REDIS_PORT ?? 6395);
const HOME = resolve(ROOT, process.env.TIERSIGHT_HOME ?? join('.local', 'test'), 'redis-fault');

const EVENTS = 60;
const SENSORS = 4;
const READING_REQUESTS = 60;
const PER_REQUEST = 25;
const T0 = Date.parse('2024-05-01T00:00:00Z') / 1000;

/** One site and one SKU per event, far apart: event i exposes SKU i alone, so each event makes exactly one alert. */
function network(p: string): ImportPayload {
  const at = (i: number) => ({ lat: 5 + (i % 10) * 3, lon: -150 + Math.floor(i / 10) * 20 });
  return {
    suppliers: [{ id: `${p}SUP`, name: 'Fault Works', country: 'US' }],
    sites: Array.from({ length: EVENTS }, (_, i) => ({
      id: `${p}S${i}`,
      supplierId: `${p}SUP`,
      name: `site ${i}`,
      kind: 'plant' as const,
      ...at(i),
      country: 'US',
    })),
    parts: [],
    skus: Array.from({ length: EVENTS }, (_, i) => ({ id: `${p}SKU${i}`, name: `sku ${i}`, dailyRevenue: 1000, category: `${p}cat` })),
    supplies: Array.from({ length: EVENTS }, (_, i) => ({
      fromSiteId: `${p}S${i}`,
      toSkuId: `${p}SKU${i}`,
      partId: `${p}SKU${i}`,
      share: 1,
      bufferDays: 0,
      leadTimeDays: 0,
    })),
  };
}

// A run on a Redis Cluster (npm run test:cluster) skips it: it starts servers of its own, and the cluster is not what it tests.
const describeSingle = process.env.REDIS_CLUSTER_NODES ? describe.skip : describe;

/**
 * Redis itself SIGKILLed in the middle of a burst of readings, events and
 * alerts, and started again on its data (AOF, fsync before each answer):
 * the API (in this process) and a real worker process reconnect by
 * themselves, every reading and event the API acknowledged is processed,
 * and every alert reaches its receiver exactly once.
 */
describeSingle('a Redis killed mid-burst (SIGKILL, AOF) and started again', () => {
  const p = uniquePrefix('rfk');
  const queuePrefix = p.slice(0, -1);
  const redis = new KillableRedis(REDIS_PORT, HOME);
  const receivers = new Receivers();
  const env = {
    REDIS_URL: redis.url,
    QUEUE_PREFIX: queuePrefix,
    WEBHOOK_ALLOWED_TARGETS: '127.0.0.1/32',
    TELEMETRY_RULES: JSON.stringify({
      metrics: { temperature: [{ id: 'too-warm', kind: 'above', threshold: 100, forMinutes: 60, x: 0.5, days: 7, anticipate: false }] },
    }),
    TELEMETRY_WINDOW: String(READING_REQUESTS * PER_REQUEST),
    // A job whose worker could not record its end while Redis was away stays active until its lock runs
    // out and a stalled check hands it back (up to two lock periods): short locks keep that wait short.
    TELEMETRY_LOCK_MS: '5000',
    RISK_LOCK_MS: '5000',
  };
  let api: RunningApi | undefined;
  let worker: ChildProcess | undefined;
  let subId = '';
  /** The worker's warnings and errors, shown when an alert is missing. */
  const workerTrouble: string[] = [];
  /** The worker's propagation runs (mode, changes, resolved), shown when an exposure is wrong. */
  const workerRuns: string[] = [];

  beforeAll(async () => {
    rmSync(HOME, { recursive: true, force: true });
    await redis.start();
    receivers.on('/alerts', (_q, res) => setTimeout(() => res.end('ok'), 5));
    await receivers.start();
    api = await startApi(env);
    expect((await postJson(`${api.url}/v1/graph/import`, network(p))).status).toBe(200);
    for (let i = 0; i < SENSORS; i++) {
      expect((await requestJson('PUT', `${api.url}/v1/sensors/${p}t${i}`, { siteId: `${p}S${i}`, metric: 'temperature', unit: 'Cel' })).status).toBe(200);
    }
    const created = await postJson(`${api.url}/v1/webhooks`, { url: `${receivers.base}/alerts`, filters: { categories: [`${p}cat`] } });
    expect(created.status).toBe(201);
    subId = created.body.id;
    receivers.secret('/alerts', created.body.secret);

    worker = spawnWorkerProcess({ ...env, MQTT_URL: '', LOG_LEVEL: 'info', FEEDS: undefined, FEEDS_FILE: undefined }, { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((ready, fail) => {
      let out = '';
      worker!.stdout?.on('data', (d) => {
        out += d;
        if (process.env.TEST_LOG_LEVEL) process.stderr.write(d);
        if (out.includes('"worker running"')) ready();
      });
      let partial = '';
      worker!.stdout?.on('data', (d) => {
        const lines = (partial + d).split('\n');
        partial = lines.pop() ?? '';
        workerTrouble.push(...lines.filter((l) => /"level":(40|50|60)/.test(l)).map((l) => l.slice(0, 600)));
        workerRuns.push(...lines.filter((l) => l.includes('"exposures propagated"')).map((l) => l.replace(/"phases":\{[^}]*\},?/, '').slice(0, 500)));
      });
      worker!.once('exit', (code) => fail(new Error(`worker exited (${code}) before it ran`)));
    });
    const store = api.app.get(RedisStore);
    await eventually(
      'change consumer group ready',
      async () => ((await store.client.xinfo('GROUPS', store.key(EXPOSURE_CHANGES_STREAM)).catch(() => [])) as unknown[]).length > 0,
    );
  });

  afterAll(async () => {
    if (worker && worker.exitCode === null && worker.signalCode === null) {
      const exited = new Promise((r) => worker!.once('exit', r));
      worker.kill('SIGTERM');
      await exited;
    }
    if (api) {
      if (subId) await requestJson('DELETE', `${api.url}/v1/webhooks/${subId}`);
      await api.neo4j.run('MATCH (e:Event) WHERE e.id STARTS WITH $p DETACH DELETE e', { p });
      await deleteByPrefix(api.neo4j, p);
      await api.close();
    }
    if (receivers.base) await receivers.close();
    await redis.stop();
    rmSync(HOME, { recursive: true, force: true });
  });

  it('loses no acknowledged reading or event and delivers every alert exactly once', async () => {
    const app = api!;
    const statuses: Array<{ route: string; status: number; type: string }> = [];
    let killed = false;
    let eventsAcked = 0;
    const ackedReadings = new Map<string, Set<number>>(); // sensor → times of acknowledged readings

    /** Events one after the other; one the API did not acknowledge (503, or no answer) is pushed again, as a client would. */
    const pushEvents = async () => {
      for (let i = 0; i < EVENTS; i++) {
        const event = {
          id: `${p}EV${i}`,
          type: 'flood',
          title: `flood ${i}`,
          severity: 0.8,
          expectedDurationDays: 20,
          geometry: { type: 'Point', coordinates: [-150 + Math.floor(i / 10) * 20, 5 + (i % 10) * 3] },
          radiusKm: 5,
        };
        for (;;) {
          const res = await postJson(`${app.url}/v1/events`, event).catch(() => null);
          if (res) statuses.push({ route: 'events', status: res.status, type: res.type });
          if (res?.status === 201) break;
          await new Promise((r) => setTimeout(r, 200));
        }
        eventsAcked++;
      }
    };
    /** Readings of every sensor in each request; only what an answer acknowledged is counted (nothing is sent twice). */
    const postReadings = async () => {
      for (let k = 0; k < READING_REQUESTS; k++) {
        const times = Array.from({ length: PER_REQUEST }, (_, j) => T0 + (k * PER_REQUEST + j) * 60);
        const packs = Array.from({ length: SENSORS }, (_, i) => times.map((t) => ({ bn: `${p}t${i}`, bu: 'Cel', bt: t, v: 5 + i })));
        const res = await postJson(`${app.url}/v1/telemetry`, packs, { 'content-type': 'application/senml+json' }).catch(() => null);
        if (res) statuses.push({ route: 'telemetry', status: res.status, type: res.type });
        if (res?.status === 202 && res.body.accepted === SENSORS * PER_REQUEST) {
          for (let i = 0; i < SENSORS; i++) {
            const acked = ackedReadings.get(`${p}t${i}`) ?? new Set<number>();
            times.forEach((t) => acked.add(t));
            ackedReadings.set(`${p}t${i}`, acked);
          }
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    /** Kills Redis once alerts flow and about a third of the events are in, then starts it again on its data. */
    const fault = async () => {
      await eventually('burst under way', async () => receivers.got.length >= 3 && eventsAcked >= EVENTS / 3, 60_000);
      await redis.kill();
      killed = true;
      await new Promise((r) => setTimeout(r, 1500));
      await redis.start();
    };

    await Promise.all([pushEvents(), postReadings(), fault()]);
    expect(killed).toBe(true);
    // The alerts of the events before the kill were under way, and those after it still to come.
    const workerPid = worker!.pid;

    // Every event's alert arrives, through the same worker process and the same API.
    await eventually(
      'an alert for every event',
      async () => {
        const n = new Set(receivers.at('/alerts').map((r) => r.payload?.data?.skuId)).size;
        if (n === EVENTS) return true;
        throw new Error(`${n} alerted, acked ${eventsAcked}`);
      },
      90_000,
    ).catch(async (error: Error) => {
      const trouble = workerTrouble.slice(-40).join('\n');
      throw new Error(`${error.message}\n${await whereItStopped(app, p, subId, receivers)}\nworker warnings and errors:\n${trouble}`);
    });
    expect(worker!.pid).toBe(workerPid);
    expect(worker!.exitCode).toBeNull();

    // Answers while Redis was away were 503 problem+json, never another 5xx.
    const refused = statuses.filter((s) => s.status >= 500);
    expect(refused.filter((s) => s.status !== 503 || !s.type.startsWith('application/problem+json'))).toEqual([]);

    // Every event processed: each SKU exposed by its own event. A run publishes its changes before it
    // writes them (the alert can come first): a run cut short between the two is run again, after its
    // retry delay or, when its worker could not even record the failure, once its lock (RISK_LOCK_MS) runs out.
    const wrong: string[] = [];
    await eventually('every exposure stored', async () => (await exposuresWrong(app, p)).length === 0, 90_000).catch(() => undefined);
    for (let i = 0; i < EVENTS; i++) {
      const exposure = await getJson(`${app.url}/v1/exposures/${p}SKU${i}`);
      const eventIds = JSON.stringify(exposure.body?.eventIds ?? null);
      if (exposure.status !== 200 || eventIds !== JSON.stringify([`${p}EV${i}`])) {
        const alerts = receivers.at('/alerts').filter((r) => r.payload?.data?.skuId === `${p}SKU${i}`);
        wrong.push(`SKU${i}: ${exposure.status} ${eventIds}; alerts ${JSON.stringify(alerts.map((r) => [r.payload?.type, r.payload?.data?.eventIds]))}`);
      }
    }
    if (wrong.length) {
      throw new Error(
        `exposures wrong:\n${wrong.join('\n')}\n${await whereItStopped(app, p, subId, receivers)}\nruns:\n${workerRuns.join('\n')}\nworker warnings and errors:\n${workerTrouble.slice(-40).join('\n')}`,
      );
    }

    // Every acknowledged reading is in its sensor's window, once the telemetry queue has drained.
    const telemetry = app.app.get<Queue>(getQueueToken(QUEUES.telemetry));
    await eventually(
      'telemetry drained',
      async () => {
        const counts = await telemetry.getJobCounts('active', 'waiting', 'prioritized', 'failed');
        expect(counts.failed).toBe(0);
        if (counts.active + counts.waiting + counts.prioritized === 0) return true;
        throw new Error(`jobs left: ${JSON.stringify(counts)}`);
      },
      90_000,
    );
    const store = app.app.get(RedisStore);
    const ackedCount = [...ackedReadings.values()].reduce((n, s) => n + s.size, 0);
    expect(ackedCount).toBeGreaterThan(0);
    for (const [sensor, times] of ackedReadings) {
      const stored = new Set((await store.client.zrange(store.key(`telemetry:w:${sensor}`), '0', '-1')).map((m) => Number(m.split('|')[0])));
      expect([...times].filter((t) => !stored.has(t))).toEqual([]);
    }

    // Exactly once: one delivery per SKU in the log, each delivered, each webhook-id received once and signed.
    const logged: Array<{ id: string; status: string; skuId: string }> = [];
    await eventually('every delivery logged as delivered', async () => {
      logged.length = 0;
      let cursor: string | null = null;
      do {
        const page = await getJson(`${app.url}/v1/webhooks/${subId}/deliveries?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
        logged.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor);
      return logged.length === EVENTS && logged.every((d) => d.status === 'delivered');
    });
    expect(new Set(logged.map((d) => d.skuId)).size).toBe(EVENTS);
    const got = receivers.at('/alerts');
    expect(got.filter((r) => !r.verified)).toEqual([]);
    const perId = new Map<string, number>();
    for (const r of got) perId.set(r.id, (perId.get(r.id) ?? 0) + 1);
    expect([...perId].filter(([, n]) => n !== 1)).toEqual([]);
    expect(new Set(logged.map((d) => d.id))).toEqual(new Set(perId.keys()));

    // Both processes answer as ready again without a restart.
    expect((await getJson(`${app.url}/health/ready`)).status).toBe(200);
  });
});

/** For a missing alert: how far each SKU without one got (event, exposure, delivery record, jobs), so a failure says where the chain broke. */
async function whereItStopped(app: RunningApi, p: string, subId: string, receivers: Receivers): Promise<string> {
  const alerted = new Set(receivers.at('/alerts').map((r) => r.payload?.data?.skuId));
  const missing = Array.from({ length: EVENTS }, (_, i) => i).filter((i) => !alerted.has(`${p}SKU${i}`));
  const deliveries = await getJson(`${app.url}/v1/webhooks/${subId}/deliveries?limit=500`).catch(() => null);
  const store = app.app.get(RedisStore);
  const lines: string[] = [];
  for (const i of missing) {
    const event = await getJson(`${app.url}/v1/events/${p}EV${i}`).catch(() => null);
    const exposure = await getJson(`${app.url}/v1/exposures/${p}SKU${i}`).catch(() => null);
    const delivery = (deliveries?.body.items ?? []).filter((d: { skuId: string }) => d.skuId === `${p}SKU${i}`);
    lines.push(
      `SKU${i}: event ${event?.status} ${event?.body?.status ?? ''}; exposure ${exposure?.status} ${JSON.stringify(exposure?.body?.eventIds ?? null)}; deliveries ${JSON.stringify(delivery)}`,
    );
  }
  for (const name of [QUEUES.risk, QUEUES.webhooks]) {
    const queue = app.app.get<Queue>(getQueueToken(name));
    const counts = await queue.getJobCounts('active', 'waiting', 'delayed', 'prioritized', 'failed', 'completed');
    const failed = await queue.getFailed(0, 5);
    lines.push(`${name}: ${JSON.stringify(counts)} failed: ${JSON.stringify(failed.map((j) => [j.name, j.failedReason, j.data]))}`);
  }
  const keys = ['risk:requested', 'risk:done'].map((k) => store.key(k));
  lines.push(
    `risk counters: ${JSON.stringify(await store.client.mget(...keys))}; requested events: ${JSON.stringify(await store.client.hgetall(store.key('risk:requested-events')))}`,
  );
  const groups = await store.client.xinfo('GROUPS', store.key(EXPOSURE_CHANGES_STREAM)).catch((e: Error) => e.message);
  lines.push(`change stream groups: ${JSON.stringify(groups)}`);
  return lines.join('\n');
}

/** The SKUs not exposed by exactly their own event. */
async function exposuresWrong(app: RunningApi, p: string): Promise<number[]> {
  const wrong: number[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const exposure = await getJson(`${app.url}/v1/exposures/${p}SKU${i}`);
    if (exposure.status !== 200 || JSON.stringify(exposure.body.eventIds) !== JSON.stringify([`${p}EV${i}`])) wrong.push(i);
  }
  return wrong;
}
