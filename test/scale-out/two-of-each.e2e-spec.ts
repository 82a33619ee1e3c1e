// About 80 s here; the margin is for a machine busy with other runs (each process compiles its sources at start).
jest.setTimeout(420_000);

import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Job, Queue } from 'bullmq';
import type { Exposure, ImportPayload } from '@tiersight/contracts';
import { Neo4jService } from '@tiersight/graph';
import { createRedisClient, keyPrefix, QUEUES, type RedisClient, RedisStore } from '@tiersight/queues';
import { ExposureBook, type ImpactInput, ProjectionBuilder } from '@tiersight/risk-engine';
import { Receivers } from '../../apps/worker/test/webhooks-receivers';
import { getFound, getJson, postJson, requestJson } from '../support/api-harness';
import { type ApiProcess, spawnApiProcess } from '../support/api-process';
import { deleteByPrefix, deleteRedisKeys } from '../support/cleanup';
import { KAOHSIUNG_AREA, quakeAtT3, smallNetwork } from '../support/small-network';
import { uniquePrefix, workerConfig } from '../support/test-env';
import { eventually } from '../support/wait';
import { spawnWorkerProcess } from '../support/worker-process';

const SENSORS = 4;
const SENSOR_SITES = ['T2a', 'T2b', 'M1', 'C1'];
/** Telemetry requests per half of the run; each holds one SenML pack of READINGS_PER_PACK readings per sensor. */
const REQUESTS = 8;
const READINGS_PER_PACK = 30;
const PER_SENSOR = 2 * REQUESTS * READINGS_PER_PACK;
const USGS_FILE = join(__dirname, '../../fixtures/feeds/usgs/usgs-significant_month-2014-03-24.geojson');

/**
 * DESIGN §1 run for real: two API processes and two worker processes (each
 * consuming every queue) against one Neo4j and one Redis. The flows go
 * through both APIs in turn: import, a feed both workers schedule, events,
 * SenML readings, propagation and signed webhooks to two subscriptions.
 *
 * - The stored exposures are what the risk engine computes from the network
 *   and the events' hits (what one API and one worker store: the worked
 *   examples of apps/worker/test/propagation.e2e-spec.ts).
 * - Every change is alerted once per subscription (counted by webhook-id).
 * - The propagation run is single-writer (the risk queue's global
 *   concurrency is 1). A worker is SIGKILLed while it runs one (held at its
 *   write by a lock this test takes on the exposure stamp): the other worker
 *   takes that same job over once its lock (RISK_LOCK_MS) runs out, and no
 *   reading, exposure or alert is lost.
 */
describe('two API processes and two workers (real processes, Neo4j and Redis)', () => {
  const p = uniquePrefix('scale');
  const queuePrefix = p.slice(0, -1);
  const tag = p.slice(1, 9).toLowerCase();
  const feedSource = `usgs-${tag}`;
  const feedEventId = `usgs:usc000ndnj-${tag}`;
  const config = workerConfig({ QUEUE_PREFIX: queuePrefix });
  const net = smallNetwork(p);
  const receivers = new Receivers();
  // One admin key for both APIs, as behind a load balancer.
  const adminKey = `test-admin-${randomBytes(16).toString('hex')}`;
  const auth = { authorization: `Bearer ${adminKey}` };
  const env = {
    NODE_ENV: 'test',
    ADMIN_API_KEY: adminKey,
    QUEUE_PREFIX: queuePrefix,
    LOG_LEVEL: 'warn',
    TS_NODE_TRANSPILE_ONLY: 'true',
    WEBHOOK_ALLOWED_TARGETS: '127.0.0.1/32',
    WEBHOOK_TIMEOUT_MS: '2000',
    WEBHOOK_BACKOFF_BASE_MS: '200',
    WEBHOOK_BACKOFF_MAX_MS: '1000',
    // A dead worker's propagation and telemetry jobs are taken over after 3 s instead of 30 s.
    RISK_LOCK_MS: '3000',
    TELEMETRY_LOCK_MS: '3000',
    TELEMETRY_WINDOW: String(PER_SENSOR),
    // No rule fires on these readings: the events of the run are the ones it posts and pulls.
    TELEMETRY_RULES: JSON.stringify({ metrics: { temperature: [{ id: 'too-warm', kind: 'above', threshold: 80, forMinutes: 60, x: 0.5, days: 7 }] } }),
    RATE_LIMIT_PER_MINUTE: '100000',
    MQTT_URL: undefined,
    FEEDS_FILE: undefined,
  };
  let feedServer: Server;
  let feeds = '';
  let served = '';
  let quakeDocument = '';
  const apis: ApiProcess[] = [];
  const workers: ChildProcess[] = [];
  const subscriptions: Array<{ id: string; path: string; api: ApiProcess }> = [];
  let redis: RedisClient;
  let store: RedisStore;
  let neo4j: Neo4jService;
  const queues = new Map<string, Queue>();
  const queue = (name: string) => queues.get(name)!;
  /** Alternates between the two APIs. */
  let turn = 0;
  const nextApi = () => apis[turn++ % apis.length];
  const alive = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;

  const sensorId = (i: number) => `${p}s${i}`;
  const t0 = Math.floor(Date.now() / 1000) - PER_SENSOR * 60 - 600;
  const reading = (i: number, k: number) => ({ t: t0 + k * 60, v: Math.round((4 + i + ((k * 7) % 10) * 0.1) * 100) / 100 });
  /** Request `r` (of 2·REQUESTS): readings r·30 … r·30+29 of every sensor, as one SenML pack each. */
  const postReadings = async (r: number) => {
    const api = nextApi();
    const packs = Array.from({ length: SENSORS }, (_, i) =>
      Array.from({ length: READINGS_PER_PACK }, (_, j) => {
        const { t, v } = reading(i, r * READINGS_PER_PACK + j);
        return j === 0 ? { bn: sensorId(i), bu: 'Cel', bt: t, v } : { t: t - (t0 + r * READINGS_PER_PACK * 60), v };
      }),
    );
    const res = await postJson(`${api.url}/v1/telemetry`, packs, { 'content-type': 'application/senml+json', ...auth });
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(SENSORS * READINGS_PER_PACK);
  };

  const exposureOf = async (sku: string) => {
    const api = nextApi();
    return getFound(`${api.url}/v1/exposures/${p}${sku}`, auth);
  };
  const hitsOf = async (eventId: string): Promise<ImpactInput[]> => {
    const api = nextApi();
    const event = await getFound(`${api.url}/v1/events/${encodeURIComponent(eventId)}`, auth);
    return (event.hits as Array<{ siteId: string; x: number; days: number }>)
      .filter((h) => h.siteId.startsWith(p))
      .map((h) => ({ site: h.siteId, x: h.x, days: h.days, eventId }));
  };
  /** Waits until the stored exposures of this run's SKUs are what the risk engine computes from the events' hits. */
  const settledOn = async (eventIds: string[]) => {
    const impacts = (await Promise.all(eventIds.map(hitsOf))).flat();
    const expected = engineExposures(net, impacts);
    expect(expected.size).toBeGreaterThan(0);
    await eventually(
      `exposures of ${eventIds.length} event(s) stored`,
      async () => {
        for (const sku of net.skus!.map((k) => k.id.slice(p.length))) {
          const stored = await exposureOf(sku);
          const want = expected.get(p + sku);
          if (!want) {
            if (stored !== null) throw new Error(`${sku} exposed, expected not`);
            continue;
          }
          if (stored === null || !sameExposure(stored, want))
            throw new Error(`${sku}: ${JSON.stringify(stored && numbers(stored))} vs ${JSON.stringify(numbers(want))}`);
        }
        return true;
      },
      60_000,
    );
    return expected;
  };
  /** Each subscription was told every exposure as it now stands (deliveries run in parallel, so not necessarily last). */
  const alertsCaughtUp = async (expected: Map<string, Exposure>) =>
    eventually(
      'alerts caught up with the exposures',
      async () => {
        for (const { path } of subscriptions) {
          for (const [sku, e] of expected) {
            const told = receivers
              .at(path)
              .some((r) => r.payload?.data?.skuId === sku && same(Number(r.payload.data.x), e.x) && same(Number(r.payload.data.days), e.days));
            if (!told) throw new Error(`${path} not told ${sku} at x ${e.x}, ${e.days} days`);
          }
        }
        return true;
      },
      60_000,
    );

  const lastPullAt = async () => {
    const list = await getJson(`${nextApi().url}/v1/feeds`, auth);
    return list.body.items.find((f: { id: string }) => f.id === feedSource)?.health?.lastPullAt ?? null;
  };
  /** Transactions waiting for the exposure stamp's lock (a propagation at its write). */
  const blockedAtStamp = async () => {
    const session = neo4j.driver.session();
    try {
      const res = await session.run(
        "SHOW TRANSACTIONS YIELD currentQuery, status WHERE currentQuery CONTAINS 'MERGE (m:ExposureMeta' AND status STARTS WITH 'Blocked' RETURN count(*) AS n",
      );
      return Number(res.records[0].get('n'));
    } finally {
      await session.close();
    }
  };

  beforeAll(async () => {
    // A USGS feed with one earthquake at C1 (Munich), as both workers' schedulers pull it.
    const usgs = JSON.parse(readFileSync(USGS_FILE, 'utf8'));
    const quake = usgs.features.find((f: { id: string }) => f.id === 'usc000ndnj');
    quake.id = `usc000ndnj-${tag}`;
    quake.properties = {
      ...quake.properties,
      time: Date.now() - 3_600_000,
      updated: Date.now() - 3_600_000,
      place: 'near Munich',
      title: 'M 6.7 - near Munich',
    };
    quake.geometry.coordinates = [11.58, 48.14, 10];
    // Empty until the graph is in: events are matched to the sites there are when they arrive.
    served = JSON.stringify({ ...usgs, features: [] });
    quakeDocument = JSON.stringify({ ...usgs, features: [quake] });
    feedServer = createServer((_req, res) => res.end(served));
    await new Promise<void>((resolve) => feedServer.listen(0, '127.0.0.1', resolve));
    feeds = JSON.stringify([
      { id: feedSource, format: 'usgs-geojson', url: `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}/`, intervalSeconds: 3600 },
    ]);

    receivers.on('/a', (_req, res) => res.end('ok'));
    receivers.on('/b', (_req, res) => res.end('ok'));
    await receivers.start();

    redis = createRedisClient(config, 'queue');
    store = new RedisStore(config);
    neo4j = new Neo4jService(config);
    for (const name of Object.values(QUEUES)) queues.set(name, new Queue(name, { connection: redis, prefix: keyPrefix(config) }));

    // All four start at once (each compiles the sources it runs); the workers' start-up propagation finds no graph of this run yet.
    apis.push(await spawnApiProcess({ ...env, FEEDS: feeds }), await spawnApiProcess({ ...env, FEEDS: feeds }));
    for (let i = 0; i < 2; i++) workers.push(spawnWorkerProcess({ ...env, FEEDS: feeds }));
    await Promise.all(apis.map((a) => a.ready(300_000)));
    const imported = await postJson(`${apis[0].url}/v1/graph/import`, net, auth);
    expect(imported.status).toBe(200);
    for (const [i, path] of ['/a', '/b'].entries()) {
      const api = nextApi();
      const created = await postJson(`${api.url}/v1/webhooks`, { url: `${receivers.base}${path}`, filters: { skuIds: net.skus!.map((k) => k.id) } }, auth);
      expect(created.status).toBe(201);
      receivers.secret(path, created.body.secret);
      subscriptions[i] = { id: created.body.id, path, api };
    }
    for (let i = 0; i < SENSORS; i++) {
      const api = nextApi();
      const put = await requestJson('PUT', `${api.url}/v1/sensors/${sensorId(i)}`, { siteId: p + SENSOR_SITES[i], metric: 'temperature', unit: 'Cel' }, auth);
      expect(put.status).toBe(200);
    }

    await eventually(
      'both workers consuming every queue',
      async () => {
        for (const w of workers) if (!alive(w)) throw new Error(`worker exited (${w.exitCode ?? w.signalCode})`);
        for (const q of queues.values()) if ((await q.getWorkers()).length < 2) return false;
        return true;
      },
      300_000,
    );
  });

  afterAll(async () => {
    for (const { id, api } of subscriptions) if (alive(api.child)) await requestJson('DELETE', `${api.url}/v1/webhooks/${id}`, undefined, auth);
    const children = [...workers, ...apis.map((a) => a.child)].filter(alive);
    await Promise.all(
      children.map(async (c) => {
        const exited = new Promise((r) => c.once('exit', r));
        c.kill('SIGTERM');
        await exited;
      }),
    );
    for (const q of queues.values()) {
      await q.obliterate({ force: true });
      await q.close();
    }
    if (store) await deleteRedisKeys(store.client, queuePrefix);
    if (neo4j) {
      await neo4j.run('MATCH (e:Event {source: $source}) DETACH DELETE e', { source: feedSource });
      await deleteByPrefix(neo4j, p);
      await neo4j.onApplicationShutdown();
    }
    await store?.onApplicationShutdown();
    redis?.disconnect();
    await receivers.close();
    feedServer?.close();
  });

  it('gives the exposures one of each gives, alerts each change once, and loses nothing when a worker dies mid-propagation', async () => {
    // 1. The feed (both workers scheduled it; one scheduler between them) now has an earthquake: a pull asked
    // for through one API stores it and its propagation; one asked for through the other changes nothing.
    served = quakeDocument;
    const pull = async (api: ApiProcess) => {
      const before = await lastPullAt();
      expect((await postJson(`${api.url}/v1/feeds/${feedSource}/pull`, {}, auth)).status).toBe(202);
      await eventually('the asked-for pull recorded', async () => (await lastPullAt()) !== before);
    };
    await pull(apis[1]);
    // Stored, then matched to the sites inside it (C1).
    await eventually('the feed event stored and matched', async () => (await hitsOf(feedEventId).catch(() => [])).length > 0);
    await settledOn([feedEventId]);
    await pull(apis[0]);
    const ofSource = await getJson(`${apis[0].url}/v1/events?source=${feedSource}&limit=50`, auth);
    expect(ofSource.body.items.map((e: { id: string }) => e.id)).toEqual([feedEventId]);

    // 2. An event posted through one API, readings through both.
    const quake = await postJson(`${nextApi().url}/v1/events`, quakeAtT3(p), auth);
    expect(quake.status).toBe(201);
    for (let r = 0; r < REQUESTS; r++) await postReadings(r);
    const beforeKill = await settledOn([feedEventId, `${p}EV-quake`]);
    await alertsCaughtUp(beforeKill);
    const firstHalf = receivers.got.length;

    // 3. Hold the exposure stamp: the next propagation computes, publishes its changes and then waits at its write.
    const session = neo4j.driver.session();
    const lock = session.beginTransaction();
    const held = await lock.run("MATCH (m:ExposureMeta {id: 'exposures'}) SET m.heldBy = $p RETURN count(m) AS n", { p });
    expect(held.records[0].get('n')).toBe(1);
    const storm = { id: `${p}EV-storm`, type: 'storm', title: 'Typhoon over Kaohsiung', severity: 0.5, expectedDurationDays: 10, geometry: KAOHSIUNG_AREA };
    const stormApi = nextApi();
    expect((await postJson(`${stormApi.url}/v1/events`, storm, auth)).status).toBe(201);
    const running = await eventually(
      'a worker running the propagation, held at its write',
      async () => {
        const [job] = await queue(QUEUES.risk).getActive();
        if (!job?.processedBy) return null;
        return (await blockedAtStamp()) > 0 ? job : null;
      },
      60_000,
    );
    const holderPid = Number(running.processedBy!.split(':').pop());
    const victim = workers.find((w) => w.pid === holderPid)!;
    const survivor = workers.find((w) => w !== victim)!;
    expect(victim).toBeDefined();

    // 4. SIGKILL it with readings in flight, then let the write through.
    await postReadings(REQUESTS);
    const exited = new Promise((r) => victim.once('exit', r));
    victim.kill('SIGKILL');
    await exited;
    for (let r = REQUESTS + 1; r < 2 * REQUESTS; r++) await postReadings(r);
    await lock.rollback();
    await session.close();

    // 5. The other worker took the same propagation job over (after the dead one's lock ran out) and finished it.
    const taken = await eventually(
      'the propagation taken over',
      async () => {
        const job = await Job.fromId(queue(QUEUES.risk), running.id!);
        return job?.finishedOn ? job : null;
      },
      60_000,
    );
    expect(Number(taken.processedBy!.split(':').pop())).toBe(survivor.pid);
    expect(taken.stalledCounter).toBeGreaterThanOrEqual(1);
    expect(taken.attemptsStarted).toBeGreaterThanOrEqual(2);
    expect(taken.failedReason ?? null).toBeNull();
    // It ran the propagation afresh (not skipped) and published the storm's changes a second time: the dead run had
    // published them before its write, so the fan-out's check against what each subscription was told is what keeps
    // them from being alerted twice (checked below).
    expect(taken.returnvalue).toMatchObject({ skipped: false });
    expect(taken.returnvalue.changes).toEqual(
      expect.arrayContaining([
        { kind: 'created', skuId: `${p}SKU-B` },
        { kind: 'worsened', skuId: `${p}SKU-A` },
      ]),
    );

    // 6. Nothing lost: the exposures of every event, every change alerted, every reading stored.
    const final = await settledOn([feedEventId, `${p}EV-quake`, `${p}EV-storm`]);
    expect([...final.keys()].sort()).toEqual([`${p}SKU-A`, `${p}SKU-B`]);
    await alertsCaughtUp(final);
    expect(receivers.got.length).toBeGreaterThan(firstHalf);

    for (const { path } of subscriptions) {
      const got = receivers.at(path);
      expect(got.filter((r) => !r.verified)).toEqual([]);
      // One webhook-id per alert (a delivery retried after the kill keeps its id) …
      const byId = new Map<string, string>();
      for (const r of got) {
        const alert = JSON.stringify([r.payload!.type, r.payload!.data.skuId, r.payload!.data.x, r.payload!.data.days]);
        expect(byId.get(r.id) ?? alert).toBe(alert);
        byId.set(r.id, alert);
      }
      // … and no change alerted twice, although the killed run published its changes and the survivor published them again.
      const alerts = [...byId.values()];
      expect(new Set(alerts).size).toBe(alerts.length);
    }
    // Both subscriptions got the same alerts.
    const contents = (path: string) =>
      [...new Map(receivers.at(path).map((r) => [r.id, `${r.payload!.type} ${r.payload!.data.skuId} ${r.payload!.data.x}`])).values()].sort();
    expect(contents('/a')).toEqual(contents('/b'));

    await eventually(
      'telemetry queue drained',
      async () => {
        const c = await queue(QUEUES.telemetry).getJobCounts('waiting', 'active', 'prioritized', 'failed');
        expect(c.failed).toBe(0);
        return c.waiting + c.active + c.prioritized === 0;
      },
      60_000,
    );
    for (let i = 0; i < SENSORS; i++) {
      expect(await store.client.zcard(store.key(`telemetry:w:${sensorId(i)}`))).toBe(PER_SENSOR);
      const api = nextApi();
      const sensor = await getJson(`${api.url}/v1/sensors/${sensorId(i)}`, auth);
      expect(sensor.body.lastValue).toBe(reading(i, PER_SENSOR - 1).v);
    }
  });
});

/** What the risk engine computes on the network for these impacts: the exposures one API and one worker store. */
function engineExposures(net: ImportPayload, impacts: ImpactInput[]): Map<string, Exposure> {
  const b = new ProjectionBuilder();
  for (const s of net.suppliers ?? []) b.addSupplier(s.id);
  for (const s of net.sites ?? [])
    b.addSite({ id: s.id, supplierId: s.supplierId, country: s.country, ttrDays: 30, source: s.source, confirmedAt: s.confirmedAt });
  for (const k of net.skus ?? []) b.addSku({ id: k.id, dailyRevenue: k.dailyRevenue, category: k.category });
  for (const e of net.supplies ?? []) {
    b.addEdge({
      from: e.fromSiteId,
      to: (e.toSiteId ?? e.toSkuId)!,
      partId: e.partId,
      share: e.share,
      bufferDays: e.bufferDays,
      leadTimeDays: e.leadTimeDays,
      source: e.source,
      confirmedAt: e.confirmedAt,
    });
  }
  return new Map(new ExposureBook(b.build(), impacts).exposures().map((e) => [e.skuId, e]));
}

const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

const numbers = (e: Exposure) => ({
  x: e.x,
  days: e.days,
  onsetDays: e.onsetDays,
  revenueAtRisk: e.revenueAtRisk,
  eventIds: [...e.eventIds].sort(),
  path: e.criticalPath.map((h) => [h.nodeId, h.x, h.days, h.onsetDays]),
});

function sameExposure(stored: Exposure, expected: Exposure): boolean {
  const close = (a: unknown, b: unknown): boolean =>
    typeof a === 'number' && typeof b === 'number'
      ? same(a, b)
      : Array.isArray(a) && Array.isArray(b)
        ? a.length === b.length && a.every((v, i) => close(v, b[i]))
        : a === b;
  const [s, e] = [numbers(stored), numbers(expected)];
  return (Object.keys(e) as Array<keyof typeof e>).every((k) => close(s[k], e[k]));
}
