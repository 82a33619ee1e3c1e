// Telemetry ingest: SenML packs POSTed to /v1/telemetry on the built API and
// processed by the built worker (rules evaluated, windows and latest values in
// Redis, only rule transitions written to Neo4j), measured from the first
// request until the last job is done; the rate counts the readings read back
// from the sensors' windows in Redis afterwards (each window sized to hold every
// reading of the run), and the run fails when any is missing or a sensor's
// latest value is not its newest reading. Baseline, in the same run: the same
// readings written straight into Redis by a minimal pipelined loop (one
// sorted-set window and one latest-value hash), with no HTTP, parsing, queue or
// rules. Uses the development Neo4j and Redis under a throw-away prefix and
// removes everything it wrote.
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import neo4j from 'neo4j-driver';
import { ensureBuilt } from '../../scripts/dev/build.mjs';
import { devEnv } from '../../scripts/dev/dev-env.mjs';
import { startBundle, stop, waitFor } from '../../scripts/dev/processes.mjs';
import { ensureServices } from '../../scripts/lib/services.mjs';
import { appendResult, freePort } from '../lib/bench.mjs';

/** Deterministic readings: `sensors` sensors, one a minute each, about 5 °C; every 50th sensor goes warm for 2 hours in the middle (rule transitions). */
function buildRequests({ prefix, sensors, readings, packSize, perRequest }) {
  const perSensor = Math.ceil(readings / sensors);
  const t0 = Math.floor(Date.now() / 1000) - perSensor * 60 - 3600;
  const bodies = [];
  let pending = [];
  let pendingRecords = 0;
  let total = 0;
  for (let from = 0; from < perSensor; from += packSize) {
    for (let s = 0; s < sensors; s++) {
      const pack = [];
      for (let k = from; k < Math.min(perSensor, from + packSize); k++) {
        const warm = s % 50 === 0 && k >= perSensor / 2 && k < perSensor / 2 + 120;
        const v = Math.round(((warm ? 11 : 5) + ((k * 7 + s) % 10) * 0.03) * 100) / 100;
        pack.push(pack.length === 0 ? { bn: `${prefix}s${s}`, bt: t0 + k * 60, bu: 'Cel', v } : { t: (k - from) * 60, v });
      }
      pending.push(pack);
      pendingRecords += pack.length;
      total += pack.length;
      if (pendingRecords >= perRequest) {
        bodies.push(JSON.stringify(pending));
        pending = [];
        pendingRecords = 0;
      }
    }
  }
  if (pending.length) bodies.push(JSON.stringify(pending));
  return { bodies, total, t0, perSensor };
}

/** Readings held in the windows `windowKey(sensor)` of every sensor (ZCARD, pipelined). */
async function storedReadings(redis, keys) {
  let n = 0;
  for (let i = 0; i < keys.length; i += 1000) {
    const pipeline = redis.pipeline();
    for (const key of keys.slice(i, i + 1000)) pipeline.zcard(key);
    for (const [error, count] of await pipeline.exec()) {
      if (error) throw error;
      n += count;
    }
  }
  return n;
}

/** The baseline: the same readings, resolved, written with pipelined ZADD + HSET per pack. */
async function baseline(redis, prefix, bodies) {
  const started = process.hrtime.bigint();
  let n = 0;
  for (const body of bodies) {
    const pipeline = redis.pipeline();
    for (const pack of JSON.parse(body)) {
      const { bn, bt } = pack[0];
      const args = [];
      let last = null;
      for (const r of pack) {
        const t = bt + (r.t ?? 0);
        args.push(t, `${t}|${r.v}`);
        last = `${t}|${r.v}`;
      }
      pipeline.zadd(`${prefix}w:${bn}`, ...args);
      pipeline.hset(`${prefix}last`, bn, last);
      n += pack.length;
    }
    await pipeline.exec();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { readings: n, seconds, readingsPerSecond: n / seconds };
}

export async function run(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      readings: { type: 'string', default: '600000' },
      sensors: { type: 'string', default: '1000' },
      'pack-size': { type: 'string', default: '60' },
      'request-records': { type: 'string', default: '6000' },
      clients: { type: 'string', default: '4' },
    },
  });
  const sensors = Number(values.sensors);
  const tag = randomBytes(3).toString('hex');
  const prefix = `B${tag}-`;
  const queuePrefix = `bench-tel-${tag}`;
  const adminKey = `bench-${randomBytes(16).toString('hex')}`;
  const [port, healthPort] = [await freePort(), await freePort()];
  const rules = { metrics: { temperature: [{ id: 'too-warm', kind: 'above', threshold: 8, forMinutes: 60, x: 0.5, days: 7 }] } };
  const env = devEnv({
    QUEUE_PREFIX: queuePrefix,
    ADMIN_API_KEY: adminKey,
    PORT: String(port),
    WORKER_HEALTH_PORT: String(healthPort),
    RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: 'warn',
    MQTT_URL: '',
    TELEMETRY_RULES: JSON.stringify(rules),
    NODE_ENV: 'production',
    TELEMETRY_SILENCE_CHECK_S: '3600',
    // Every reading of the run stays in its sensor's window, so that what was stored can be counted.
    TELEMETRY_WINDOW: String(Math.min(100_000, Math.max(500, Math.ceil(Number(values.readings) / sensors)))),
  });
  delete env.MQTT_URL;
  await ensureServices({ mqtt: false, quiet: true }, env);
  console.log('telemetry ingest: building the api and the worker when their sources changed…');
  const apiBundle = ensureBuilt('api');
  const workerBundle = ensureBuilt('worker');
  const base = `http://127.0.0.1:${port}`;
  const auth = { authorization: `Bearer ${adminKey}` };
  const redis = new Redis(env.REDIS_URL);
  const driver = neo4j.driver(env.NEO4J_URI, neo4j.auth.basic(env.NEO4J_USER, env.NEO4J_PASSWORD));
  const queue = new Queue('telemetry', {
    connection: { host: new URL(env.REDIS_URL).hostname, port: Number(new URL(env.REDIS_URL).port || 6379) },
    prefix: queuePrefix,
  });
  let api;
  let worker;
  try {
    api = startBundle('bench-api', apiBundle, env).child;
    worker = startBundle('bench-worker', workerBundle, env).child;
    await waitFor('the api', async () => (await fetch(`${base}/health/ready`)).ok, { timeoutMs: 120_000 });
    await waitFor('the worker', async () => (await fetch(`http://127.0.0.1:${healthPort}/health/ready`)).ok, { timeoutMs: 120_000 });

    // Ten sites of one supplier, each feeding one SKU; the sensors spread over them.
    const sites = Array.from({ length: 10 }, (_, i) => ({
      id: `${prefix}site${i}`,
      supplierId: `${prefix}sup`,
      name: `Cold store ${i}`,
      kind: 'warehouse',
      lat: 50 + i * 0.1,
      lon: 8,
      country: 'DE',
    }));
    const imported = await fetch(`${base}/v1/graph/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({
        suppliers: [{ id: `${prefix}sup`, name: 'Cold Chain GmbH', country: 'DE' }],
        sites,
        skus: [{ id: `${prefix}sku`, name: 'Vaccine', dailyRevenue: 1000 }],
        supplies: sites.map((s) => ({ fromSiteId: s.id, toSkuId: `${prefix}sku`, partId: `${prefix}sku`, share: 0.1, bufferDays: 1, leadTimeDays: 1 })),
      }),
    });
    if (!imported.ok) throw new Error(`import failed: ${imported.status} ${await imported.text()}`);
    for (let s = 0; s < sensors; s += 25) {
      await Promise.all(
        Array.from({ length: Math.min(25, sensors - s) }, async (_, j) => {
          const res = await fetch(`${base}/v1/sensors/${prefix}s${s + j}`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json', ...auth },
            body: JSON.stringify({ siteId: sites[(s + j) % sites.length].id, metric: 'temperature', unit: 'Cel' }),
          });
          if (!res.ok) throw new Error(`sensor registration failed: ${res.status} ${await res.text()}`);
        }),
      );
    }

    const { bodies, total } = buildRequests({
      prefix,
      sensors,
      readings: Number(values.readings),
      packSize: Number(values['pack-size']),
      perRequest: Number(values['request-records']),
    });
    console.log(
      `telemetry ingest: ${total.toLocaleString('en-US')} readings from ${sensors} sensors in ${bodies.length} requests (${values['pack-size']} readings per SenML pack, ${values['request-records']} per request, ${values.clients} clients)`,
    );

    const load = () =>
      loadavg()
        .map((l) => l.toFixed(1))
        .join(' ');
    const loadBefore = load();
    // Platform: HTTP → queue → worker, until every job is done.
    const before = (await queue.getJobCounts('completed')).completed;
    const started = process.hrtime.bigint();
    let next = 0;
    let jobs = 0;
    let postedAt = 0n;
    await Promise.all(
      Array.from({ length: Number(values.clients) }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++];
          const res = await fetch(`${base}/v1/telemetry`, { method: 'POST', headers: { 'content-type': 'application/senml+json', ...auth }, body });
          if (res.status !== 202) throw new Error(`POST /v1/telemetry answered ${res.status}: ${await res.text()}`);
          jobs += (await res.json()).jobs;
        }
      }),
    );
    postedAt = process.hrtime.bigint();
    await waitFor(
      'the worker to finish',
      async () => {
        const c = await queue.getJobCounts('completed', 'waiting', 'active', 'prioritized', 'failed');
        if (c.failed > 0) throw new Error(`${c.failed} telemetry job(s) failed`);
        return c.completed >= before + jobs && c.waiting + c.active + c.prioritized === 0;
      },
      { timeoutMs: 600_000, intervalMs: 50 },
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // What was stored, read back from where the worker keeps it: every sensor's window and latest value.
    const sensorIds = Array.from({ length: sensors }, (_, s) => `${prefix}s${s}`);
    const stored = await storedReadings(
      redis,
      sensorIds.map((id) => `${queuePrefix}:telemetry:w:${id}`),
    );
    const latest = await redis.hmget(`${queuePrefix}:telemetry:last`, ...sensorIds);
    const newest = new Map();
    for (const body of bodies)
      for (const pack of JSON.parse(body)) {
        const { bn, bt } = pack[0];
        for (const r of pack) {
          const t = bt + (r.t ?? 0);
          if (!newest.has(bn) || t > newest.get(bn).t) newest.set(bn, { t, v: r.v });
        }
      }
    const wrongLatest = sensorIds.filter((id, i) => latest[i] !== `${newest.get(id).t}|${newest.get(id).v}`).length;
    const platform = {
      readings: total,
      stored,
      wrongLatest,
      seconds,
      readingsPerSecond: stored / seconds,
      httpSeconds: Number(postedAt - started) / 1e9,
      jobs,
    };
    const transitions = await driver.executeQuery('MATCH (e:Event) WHERE e.id STARTS WITH $id RETURN count(e) AS n', { id: `sensor:${prefix}` });
    platform.events = Number(transitions.records[0].get('n'));

    // Baseline: the same readings straight into Redis.
    const base_ = await baseline(redis, `${queuePrefix}:baseline:`, bodies);
    base_.stored = await storedReadings(
      redis,
      sensorIds.map((id) => `${queuePrefix}:baseline:w:${id}`),
    );
    base_.readingsPerSecond = base_.stored / base_.seconds;
    const ratio = platform.readingsPerSecond / base_.readingsPerSecond;
    const f = (x) => Math.round(x).toLocaleString('en-US');
    console.log(
      `  platform  ${platform.seconds.toFixed(1)} s  ${f(platform.readingsPerSecond)} readings/s stored (${f(stored)} of ${f(total)} read back from the windows; HTTP accepted all in ${platform.httpSeconds.toFixed(1)} s; ${jobs} jobs; ${platform.events} sensor events raised)`,
    );
    console.log(
      `  baseline  ${base_.seconds.toFixed(1)} s  ${f(base_.readingsPerSecond)} readings/s stored (${f(base_.stored)} read back; pipelined ZADD + HSET straight into Redis)`,
    );
    console.log(`  ratio     ${ratio.toFixed(2)}× (platform / baseline); target ≥ 20,000 readings/s end to end`);
    console.log(`  machine load (1/5/15 min) before ${loadBefore}, after ${load()}`);
    appendResult('ingest', { part: 'telemetry', sensors, platform, baseline: base_, ratio, load: { before: loadBefore, after: load() } });
    if (stored !== total || wrongLatest > 0 || base_.stored !== total)
      throw new Error(
        `stored readings differ from those sent: platform ${stored} of ${total} with ${wrongLatest} wrong latest values, baseline ${base_.stored}`,
      );
  } finally {
    await stop(worker);
    await stop(api);
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    for (;;) {
      const keys = await redis.keys(`${queuePrefix}:*`);
      if (keys.length === 0) break;
      for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    }
    await driver.executeQuery('MATCH (n) WHERE n.id STARTS WITH $p OR n.id STARTS WITH $e DETACH DELETE n', { p: prefix, e: `sensor:${prefix}` });
    await driver.close();
    redis.disconnect();
  }
}
