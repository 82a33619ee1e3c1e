/**
 * Measures one API + one worker against two APIs + two workers, in the same
 * run (see run.mjs). Prints one JSON line on stdout.
 *
 * Each setup gets processes of its own (run from source, as the e2e tests
 * run them), a QUEUE_PREFIX and an id prefix of its own, and the same two loads:
 * - alerts: BENCH_ALERTS exposure changes put on the risk engine's stream
 *   (where a propagation puts them) for one subscription; timed from the
 *   first change until the local receiver has every webhook-id (fan-out,
 *   BullMQ, signing and the POST inside), as `npm run bench:webhooks` does;
 * - readings: BENCH_READINGS SenML readings from BENCH_SENSORS sensors,
 *   posted by BENCH_CLIENTS clients in requests of 6,000 records that
 *   alternate between the APIs; timed from the first request until every
 *   telemetry job is done, as `npm run bench:ingest -- telemetry` does.
 * The load average is sampled before and after each phase. BENCH_ROUNDS
 * rounds (3), alternating which setup goes first; the median round is reported.
 * Correctness, after each phase (outside the timing): every SKU published
 * arrived, and every reading sent is read back from its sensor's window in
 * Redis (`ok` false otherwise: run.mjs exits non-zero).
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { Queue } from 'bullmq';
import { EXPOSURE_CHANGES_STREAM } from '@tiersight/contracts';
import { Neo4jService } from '@tiersight/graph';
import { createRedisClient, keyPrefix, QUEUES, RedisStore } from '@tiersight/queues';
import { type ApiProcess, spawnApiProcess } from '../../test/support/api-process';
import { deleteRedisKeys } from '../../test/support/cleanup';
import { workerConfig } from '../../test/support/test-env';
import { spawnWorkerProcess } from '../../test/support/worker-process';

const ALERTS = Number(process.env.BENCH_ALERTS ?? 5_000);
const READINGS = Number(process.env.BENCH_READINGS ?? 240_000);
const SENSORS = Number(process.env.BENCH_SENSORS ?? 1_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
/** Each setup runs this many times; the median round per phase is reported. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PACK = 60;
const PER_REQUEST = 6_000;
const log = (m: string) => process.stderr.write(`[bench:scale-out] ${m}\n`);
const load = () => loadavg()[0];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
    await sleep(intervalMs);
  }
}

interface Phase {
  count: number;
  seconds: number;
  perSecond: number;
  loadBefore: number;
  loadAfter: number;
}

/** Deterministic readings, one a minute per sensor, 5–6 °C (no rule fires: the phase measures ingest, not sensor events). */
function telemetryBodies(prefix: string): string[] {
  const perSensor = Math.ceil(READINGS / SENSORS);
  const t0 = Math.floor(Date.now() / 1000) - perSensor * 60 - 3600;
  const bodies: string[] = [];
  let pending: unknown[] = [];
  let records = 0;
  for (let from = 0; from < perSensor; from += PACK) {
    for (let s = 0; s < SENSORS; s++) {
      const pack = [];
      for (let k = from; k < Math.min(perSensor, from + PACK); k++) {
        const v = Math.round((5 + ((k * 7 + s) % 10) * 0.1) * 100) / 100;
        pack.push(k === from ? { bn: `${prefix}s${s}`, bt: t0 + k * 60, bu: 'Cel', v } : { t: (k - from) * 60, v });
      }
      pending.push(pack);
      records += pack.length;
      if (records >= PER_REQUEST) {
        bodies.push(JSON.stringify(pending));
        pending = [];
        records = 0;
      }
    }
  }
  if (pending.length) bodies.push(JSON.stringify(pending));
  return bodies;
}

async function measure(processes: number): Promise<{
  processes: number;
  startSeconds: number;
  alerts: Phase;
  readings: Phase;
  check: { readingsSent: number; readingsStored: number; alertsArrived: number; ok: boolean };
}> {
  const tag = randomBytes(3).toString('hex');
  const p = `B${tag}-`;
  const queuePrefix = `bench-scale-${processes}-${tag}`;
  const adminKey = `bench-${randomBytes(16).toString('hex')}`;
  const auth = { authorization: `Bearer ${adminKey}` };
  const config = workerConfig({ QUEUE_PREFIX: queuePrefix });
  const env = {
    // Not production: the local receiver is plain http.
    NODE_ENV: 'development',
    QUEUE_PREFIX: queuePrefix,
    ADMIN_API_KEY: adminKey,
    LOG_LEVEL: 'warn',
    TS_NODE_TRANSPILE_ONLY: 'true',
    RATE_LIMIT_PER_MINUTE: '1000000',
    WEBHOOK_ALLOWED_TARGETS: '127.0.0.1/32',
    TELEMETRY_RULES: JSON.stringify({ metrics: { temperature: [{ id: 'too-warm', kind: 'above', threshold: 80, forMinutes: 60, x: 0.5, days: 7 }] } }),
    TELEMETRY_SILENCE_CHECK_S: '3600',
    // Every reading of the run stays in its sensor's window, so that what was stored can be counted.
    TELEMETRY_WINDOW: String(Math.max(500, Math.ceil(READINGS / SENSORS))),
    MQTT_URL: undefined,
    FEEDS: undefined,
    FEEDS_FILE: undefined,
  };

  // Receiver: the first arrival of each webhook-id.
  const arrivals = new Map<string, number>();
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = String(req.headers['webhook-id']);
      if (!arrivals.has(id)) arrivals.set(id, Date.now());
      res.end();
    });
  });
  receiver.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  const redis = createRedisClient(config, 'queue');
  const store = new RedisStore(config);
  const neo4j = new Neo4jService(config);
  const queues = Object.values(QUEUES).map((name) => new Queue(name, { connection: redis, prefix: keyPrefix(config) }));
  const telemetry = queues.find((q) => q.name === QUEUES.telemetry)!;
  const apis: ApiProcess[] = [];
  const workers: ChildProcess[] = [];
  try {
    log(`${processes} API + ${processes} worker process(es): starting`);
    const started = Date.now();
    for (let i = 0; i < processes; i++) {
      apis.push(await spawnApiProcess(env));
      workers.push(spawnWorkerProcess(env, { stdio: ['ignore', 'ignore', 'inherit'] }));
    }
    await Promise.all(apis.map((a) => a.ready(300_000)));
    await until(
      'the workers',
      async () => (await queues[0].getWorkers()).length >= processes && (await telemetry.getWorkers()).length >= processes,
      300_000,
      250,
    );
    const startSeconds = (Date.now() - started) / 1000;
    await sleep(2_000); // their start-up propagation and the change-stream lease settle

    const post = (i: number, path: string, body?: string, type = 'application/json', method = 'POST') =>
      fetch(`${apis[i % apis.length].url}${path}`, { method, headers: body === undefined ? auth : { 'content-type': type, ...auth }, body });

    // Alerts.
    const sub = await post(0, '/v1/webhooks', JSON.stringify({ url: hook, description: 'bench' }));
    if (sub.status !== 201) throw new Error(`subscription: ${sub.status} ${await sub.text()}`);
    const alertsLoad = load();
    const alertsStart = Date.now();
    const key = store.key(EXPOSURE_CHANGES_STREAM);
    for (let i = 0; i < ALERTS; i += 500) {
      const pipeline = store.client.pipeline();
      for (let j = i; j < Math.min(ALERTS, i + 500); j++) {
        const skuId = `${p}SKU-${j}`;
        const after = {
          skuId,
          x: 0.5,
          days: 24,
          onsetDays: 37,
          revenueAtRisk: 120000,
          eventIds: [],
          criticalPath: [{ nodeId: skuId, x: 0.5, days: 24, onsetDays: 37 }],
          confidence: null,
        };
        pipeline.xadd(key, '*', 'change', JSON.stringify({ v: 1, kind: 'created', skuId, before: null, after }));
      }
      await pipeline.exec();
    }
    await until(`${ALERTS} alerts delivered`, async () => arrivals.size >= ALERTS, 600_000);
    const alertsSeconds = (Math.max(...arrivals.values()) - alertsStart) / 1000;
    const alerts = { count: ALERTS, seconds: alertsSeconds, perSecond: ALERTS / alertsSeconds, loadBefore: alertsLoad, loadAfter: load() };
    log(`${processes}+${processes}: ${Math.round(alerts.perSecond)} alerts/s`);

    // Readings: ten sites, the sensors spread over them.
    const sites = Array.from({ length: 10 }, (_, i) => ({
      id: `${p}site${i}`,
      supplierId: `${p}sup`,
      name: `Cold store ${i}`,
      kind: 'warehouse',
      lat: 50 + i * 0.1,
      lon: 8,
      country: 'DE',
    }));
    const imported = await post(
      0,
      '/v1/graph/import',
      JSON.stringify({ suppliers: [{ id: `${p}sup`, name: 'Cold Chain GmbH', country: 'DE' }], sites, skus: [], supplies: [] }),
    );
    if (!imported.ok) throw new Error(`import: ${imported.status} ${await imported.text()}`);
    for (let s = 0; s < SENSORS; s += 25) {
      await Promise.all(
        Array.from({ length: Math.min(25, SENSORS - s) }, async (_, j) => {
          const body = JSON.stringify({ siteId: sites[(s + j) % sites.length].id, metric: 'temperature', unit: 'Cel' });
          const res = await post(s + j, `/v1/sensors/${p}s${s + j}`, body, 'application/json', 'PUT');
          if (!res.ok) throw new Error(`sensor: ${res.status} ${await res.text()}`);
        }),
      );
    }
    const bodies = telemetryBodies(p);
    const before = (await telemetry.getJobCounts('completed')).completed;
    const readingsLoad = load();
    const readingsStart = Date.now();
    let next = 0;
    let jobs = 0;
    let accepted = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < bodies.length) {
          const i = next++;
          const res = await post(i, '/v1/telemetry', bodies[i], 'application/senml+json');
          if (res.status !== 202) throw new Error(`POST /v1/telemetry answered ${res.status}: ${await res.text()}`);
          const answer = (await res.json()) as { jobs: number; accepted: number };
          jobs += answer.jobs;
          accepted += answer.accepted;
        }
      }),
    );
    await until(
      'every telemetry job done',
      async () => {
        const c = await telemetry.getJobCounts('completed', 'waiting', 'active', 'prioritized', 'failed');
        if (c.failed > 0) throw new Error(`${c.failed} telemetry job(s) failed`);
        return c.completed >= before + jobs && c.waiting + c.active + c.prioritized === 0;
      },
      600_000,
      50,
    );
    const readingsSeconds = (Date.now() - readingsStart) / 1000;
    const readingsLoadAfter = load();
    // Read back what the workers stored: every sensor's window.
    let stored = 0;
    const zcards = store.client.pipeline();
    for (let s = 0; s < SENSORS; s++) zcards.zcard(store.key(`telemetry:w:${p}s${s}`));
    for (const [error, n] of (await zcards.exec()) ?? []) {
      if (error) throw error;
      stored += n as number;
    }
    const sent = bodies.reduce((n, b) => n + (JSON.parse(b) as unknown[][]).reduce((m, pack) => m + pack.length, 0), 0);
    // The rate counts readings stored, not readings sent.
    const readings = { count: stored, seconds: readingsSeconds, perSecond: stored / readingsSeconds, loadBefore: readingsLoad, loadAfter: readingsLoadAfter };
    const check = {
      readingsSent: sent,
      readingsStored: stored,
      alertsArrived: arrivals.size,
      ok: stored === sent && accepted === sent && arrivals.size === ALERTS,
    };
    log(`${processes}+${processes}: ${Math.round(readings.perSecond)} readings/s`);
    await post(0, `/v1/webhooks/${((await sub.json()) as { id: string }).id}`, undefined, undefined, 'DELETE');
    return { processes, startSeconds, alerts, readings, check };
  } finally {
    await Promise.all(
      [...workers, ...apis.map((a) => a.child)]
        .filter((c) => c.exitCode === null && c.signalCode === null)
        .map(async (c) => {
          const exited = new Promise((r) => c.once('exit', r));
          c.kill('SIGTERM');
          await Promise.race([exited, sleep(20_000)]);
          if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
        }),
    );
    for (const q of queues) {
      await q.obliterate({ force: true }).catch(() => undefined);
      await q.close();
    }
    await deleteRedisKeys(store.client, queuePrefix);
    await neo4j.run('MATCH (n) WHERE n.id STARTS WITH $p DETACH DELETE n', { p });
    await neo4j.onApplicationShutdown();
    await store.onApplicationShutdown();
    redis.disconnect();
    receiver.closeAllConnections();
    receiver.close();
  }
}

type Result = Awaited<ReturnType<typeof measure>>;

/** The round whose rate is the median (of an odd count; the lower middle of an even one). */
function median(results: Result[], phase: 'alerts' | 'readings'): Phase {
  const sorted = results.map((r) => r[phase]).sort((a, b) => a.perSecond - b.perSecond);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

async function main(): Promise<void> {
  const runs: Record<1 | 2, Result[]> = { 1: [], 2: [] };
  // Rounds alternate which setup goes first (1+1, 2+2 | 2+2, 1+1 | …): the shared machine's load drifts.
  for (let round = 0; round < ROUNDS; round++) {
    for (const processes of round % 2 === 0 ? ([1, 2] as const) : ([2, 1] as const)) runs[processes].push(await measure(processes));
  }
  const summary = (n: 1 | 2) => ({
    alerts: median(runs[n], 'alerts'),
    readings: median(runs[n], 'readings'),
    startSeconds: runs[n][0].startSeconds,
    rounds: runs[n],
  });
  process.stdout.write(
    `${JSON.stringify({
      cores: cpus().length,
      rounds: ROUNDS,
      alerts: ALERTS,
      readings: READINGS,
      sensors: SENSORS,
      clients: CLIENTS,
      one: summary(1),
      two: summary(2),
      ok: [...runs[1], ...runs[2]].every((r) => r.check.ok),
    })}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
