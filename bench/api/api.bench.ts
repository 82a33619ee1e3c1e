/**
 * bench/api — run by `npm run bench:api` against the bench Neo4j holding the network `npm run bench:import`
 * loaded (the `large` one: 250k sites, 1M edges). Prints one JSON line on stdout; progress on stderr.
 *
 * 1. 100 active events, seeded as bench/propagate seeds them (10–50 km around seeded sites), stored and
 *    geo-matched; the exposures computed and stored by the risk run the worker makes (ExposureRunService).
 * 2. The API started from its built bundle (`--api-bundle`, as run.mjs builds it) on a port of its own (its own QUEUE_PREFIX, the rate limit raised),
 *    warmed up; the distinct reads listed: the exposure list's first page, later pages (by nextCursor),
 *    filters (category, event, minimum revenue at risk, and a filter's second page), one SKU's exposure
 *    with its critical path and attribution, the RXI top list.
 * 3. Correctness: every distinct read through the API and as bare Cypher must agree.
 * 4. Load: the same sequence of reads at `--rate` requests/s for `--seconds`, open loop (open-loop.ts),
 *    through the API (autocannon) and, as the baseline, as bare Cypher through the driver.
 */
import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import neo4j from 'neo4j-driver';
import pino from 'pino';
import { chunks } from '@tiersight/contracts';
import { BaseEnv, loadConfig } from '@tiersight/config';
import { EventRepository, Neo4jService, SupplyNetworkReader } from '@tiersight/graph';
import { QueueProducer, RedisStore } from '@tiersight/queues';
import { ExposureRunService, RiskModule, RiskReportsService } from '@tiersight/risk-runs';
import { deleteRedisKeys } from '../../test/support/cleanup';
import { CliModule } from '../../tools/cli/cli.module';
import { type LoadResult, loadApi, loadCallback } from './open-loop';
import { difference, listPath, type Read, recordStatements, RXI_INDEX, runBare, seeded, sequence } from './read-plan';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    rate: { type: 'string', default: '500' },
    connections: { type: 'string', default: '100' },
    keep: { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    'api-bundle': { type: 'string' },
  },
});
const SECONDS = Number(args.seconds);
const RATE = Number(args.rate);
const CONNECTIONS = Math.min(Number(args.connections), RATE);
const EVENTS = 100;
const SOURCE = 'bench-api';
const ROOT = join(__dirname, '..', '..');
const log = (m: string) => process.stderr.write(`[bench:api] ${m}\n`);
const load = () => loadavg().map((l) => Math.round(l * 100) / 100);
const ms = (t0: number) => Math.round(performance.now() - t0);

/** As bench/propagate: a point and a radius around 100 seeded sites, severity and duration seeded too. */
function seededEvents(sites: Array<{ lat: number; lon: number }>) {
  const rnd = seeded(12345);
  return Array.from({ length: EVENTS }, (_, i) => {
    const c = sites[Math.floor(rnd() * sites.length)];
    return { id: `BENCH-API-EV-${i + 1}`, lat: c.lat, lon: c.lon, radiusKm: 10 + rnd() * 40, x: 0.3 + rnd() * 0.7, days: 5 + Math.floor(rnd() * 55) };
  });
}

@Module({})
class BenchModule {
  static forRoot(config: BaseEnv): DynamicModule {
    return { module: BenchModule, imports: [CliModule.forRoot(config, pino({ level: 'warn' })), RiskModule] };
  }
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/**
 * The API from its bundle as `npm run start:api` runs it (from source without `--api-bundle`);
 * `--cpu-prof <dir>` makes it write a V8 CPU profile there on exit.
 */
async function startApi(env: NodeJS.ProcessEnv) {
  const port = await freePort();
  const adminKey = `bench-${randomBytes(16).toString('hex')}`;
  const profile = args['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', args['cpu-prof']] : [];
  const entry = args['api-bundle']
    ? ['--enable-source-maps', args['api-bundle']]
    : ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'];
  const child = spawn(process.execPath, [...profile, ...entry], {
    cwd: ROOT,
    env: {
      ...env,
      TS_NODE_PROJECT: 'tsconfig.json',
      HOST: '127.0.0.1',
      PORT: String(port),
      ADMIN_API_KEY: adminKey,
      // 500 requests/s is 30,000 a minute from one key: the limiter still counts each request in Redis.
      RATE_LIMIT_PER_MINUTE: String(Math.max(1200, RATE * 60 * 4)),
      NODE_ENV: 'production',
      LOG_LEVEL: env.API_LOG_LEVEL ?? 'info',
      MQTT_URL: '',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 600_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited (${child.exitCode})`);
    if (Date.now() > deadline) throw new Error('the API did not get ready within 10 minutes');
    const ok = await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return { child, url, headers: { authorization: `Bearer ${adminKey}` } };
}

async function stopApi(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null) return;
  child.kill('SIGTERM');
  await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, 30_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** CPU seconds (user and system) the process has used so far, from the kernel. */
function cpuSeconds(pid: number): number {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}
/** Linux's USER_HZ: the unit of /proc/<pid>/stat times. */
const CLOCK_TICKS = 100;

/** The API process's memory through a phase: RSS from the kernel (and its peak over the process's life), heap and outside-heap from its /metrics (while it answers). */
class ApiMemory {
  private readonly peak = { heapUsedMB: 0, externalMB: 0, rssMB: 0 };
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pid: number,
    private readonly url: string,
  ) {}

  start() {
    this.timer = setInterval(() => void this.sample(), 2000);
  }

  async stop() {
    clearInterval(this.timer);
    await this.sample();
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { ...this.peak, rssPeakMB: Math.round(kb('VmHWM') / 1024) };
  }

  async sample() {
    const text = await fetch(`${this.url}/metrics`).then(
      (r) => r.text(),
      () => '',
    );
    const metric = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(text)?.[1] ?? 0) / 2 ** 20;
    this.peak.heapUsedMB = Math.max(this.peak.heapUsedMB, Math.round(metric('nodejs_heap_size_used_bytes')));
    this.peak.externalMB = Math.max(this.peak.externalMB, Math.round(metric('nodejs_external_memory_bytes')));
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    this.peak.rssMB = Math.max(this.peak.rssMB, Math.round(Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0) / 1024));
  }
}

async function main() {
  const config = loadConfig(BaseEnv);
  const app = await NestFactory.createApplicationContext(BenchModule.forRoot(config), { logger: false });
  const db = app.get(Neo4jService);
  await db.verify();
  const out: Record<string, unknown> = { rate: RATE, seconds: SECONDS, connections: CONNECTIONS, ok: true };
  const events = app.get(EventRepository);
  const runs = app.get(ExposureRunService);
  const producer = app.get(QueueProducer);
  let api: Awaited<ReturnType<typeof startApi>> | undefined;
  const driver = neo4j.driver(config.NEO4J_URI, neo4j.auth.basic(config.NEO4J_USER, config.NEO4J_PASSWORD), {
    maxConnectionPoolSize: 100,
    disableLosslessIntegers: true,
  });
  try {
    const edges = Number((await db.query('MATCH ()-[r:SUPPLIES]->() RETURN count(r) AS n')).records[0].get('n'));
    if (edges === 0) throw new Error('the bench database is empty: run npm run bench:import first');
    out.edges = edges;

    // 1. 100 active events, stored and geo-matched; the exposures computed and stored by the worker's run
    // (both kept from a previous run with --keep: the same events, already propagated).
    let t0 = performance.now();
    const kept = await db.query(
      "MATCH (e:Event {source: $source, status: 'active'}) WITH count(e) AS events OPTIONAL MATCH (m:ExposureMeta) RETURN events, m.stamp AS stamp",
      { source: SOURCE },
    );
    const keptFromPrevious = Number(kept.records[0].get('events')) === EVENTS && kept.records[0].get('stamp') !== null;
    if (keptFromPrevious) {
      out.exposureRun = { mode: 'kept from the previous run', ms: 0 };
      log(`${EVENTS} events and their exposures kept from the previous run (--keep)`);
    } else {
      const sites: Array<{ lat: number; lon: number }> = [];
      const noop = () => undefined;
      await app.get(SupplyNetworkReader).read({ supplier: noop, sku: noop, edge: noop, site: (s) => sites.push({ lat: s.lat, lon: s.lon }) });
      for (const e of seededEvents(sites))
        await events.upsert({
          id: e.id,
          source: SOURCE,
          type: 'other',
          title: e.id,
          severity: e.x,
          expectedDurationDays: e.days,
          geometry: { type: 'Point', coordinates: [e.lon, e.lat], radiusKm: e.radiusKm },
          country: null,
          startsAt: new Date().toISOString(),
        });
      log(`${EVENTS} events stored and geo-matched in ${ms(t0)} ms`);
      t0 = performance.now();
      const run = await runs.runIfNeeded(await producer.requestPropagation({ cause: 'manual' }));
      out.exposureRun = { mode: run.mode ?? 'skipped', ms: ms(t0) };
      log(`exposures stored by the risk run (${String(run.mode ?? 'skipped')}) in ${ms(t0)} ms`);
    }
    const counts = await db.query(
      "MATCH (k:Sku) WHERE k.exposureJson IS NOT NULL WITH count(k) AS exposed MATCH (e:Event {source: $source, status: 'active'})-[h:HITS]->() RETURN exposed, count(h) AS hits",
      { source: SOURCE },
    );
    out.exposedSkus = Number(counts.records[0].get('exposed'));
    out.siteImpacts = Number(counts.records[0].get('hits'));
    log(`${String(out.exposedSkus)} SKUs exposed`);

    // The baseline's RXI: every site's RXI, computed by the platform, stored on the site under a range index
    // (kept from the previous run with --keep: a stale value would show as a difference in step 3).
    t0 = performance.now();
    const rxi = await app.get(RiskReportsService).rxiSites(Number.MAX_SAFE_INTEGER);
    const stored = Number((await db.query('MATCH (s:Site) WHERE s.benchRxi IS NOT NULL RETURN count(s) AS n')).records[0].get('n'));
    if (keptFromPrevious && stored === rxi.sites.length) {
      log(`RXI of ${rxi.sites.length} sites kept for the baseline from the previous run (--keep)`);
    } else {
      for (const part of chunks(rxi.sites, 10_000))
        await db.run('UNWIND $rows AS r MATCH (s:Site {id: r.siteId}) SET s.benchRxi = r.rxi, s.benchRxiRevenue = r.revenueAtRisk, s.benchTier = r.tier', {
          rows: part,
        });
      log(`RXI of ${rxi.sites.length} sites stored for the baseline in ${ms(t0)} ms`);
    }
    await db.run(RXI_INDEX);
    await db.run('CALL db.awaitIndexes(300)');

    // 2. The API, warmed up (the first RXI request loads the projection and computes RXI for every site).
    t0 = performance.now();
    api = await startApi(process.env);
    log(`API ready in ${ms(t0)} ms`);
    const get = async (path: string) => {
      const res = await fetch(`${api!.url}${path}`, { headers: api!.headers });
      if (!res.ok) throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`);
      return res.json() as Promise<Record<string, unknown>>;
    };
    t0 = performance.now();
    await get('/v1/risk/rxi?limit=50');
    log(`API warm (projection and RXI) in ${ms(t0)} ms`);

    // The distinct reads.
    const reads: Read[] = [];
    const first = listPath(50, {});
    reads.push({ kind: 'list-first', path: first, limit: 50, filter: {} });
    let page = (await get(first)) as { items: Array<{ skuId: string; revenueAtRisk: number }>; nextCursor: string | null };
    const skuPool = page.items.map((i) => i.skuId);
    for (let p = 2; p <= 20 && page.nextCursor; p++) {
      const cursor = page.nextCursor;
      reads.push({ kind: 'list-later', path: listPath(50, {}, cursor), limit: 50, filter: {}, cursor });
      page = (await get(listPath(50, {}, cursor))) as typeof page;
    }
    const exposedIds = (await db.query('MATCH (k:Sku) WHERE k.exposureJson IS NOT NULL RETURN k.id AS id ORDER BY id')).records.map(
      (r) => r.get('id') as string,
    );
    const rnd = seeded(99);
    for (let i = 0; i < 500 && exposedIds.length; i++) skuPool.push(exposedIds[Math.floor(rnd() * exposedIds.length)]);
    for (const skuId of new Set(skuPool)) reads.push({ kind: 'sku', path: `/v1/exposures/${encodeURIComponent(skuId)}`, skuId });
    const categories = (
      await db.query(
        'MATCH (k:Sku) WHERE k.exposureJson IS NOT NULL AND k.category IS NOT NULL RETURN k.category AS c, count(*) AS n ORDER BY n DESC, c LIMIT 5',
      )
    ).records.map((r) => r.get('c') as string);
    const revenues = (await db.query('MATCH (k:Sku) WHERE k.exposureJson IS NOT NULL RETURN k.revenueAtRisk AS r ORDER BY r DESC')).records.map(
      (r) => r.get('r') as number,
    );
    const filters: Array<Read & { kind: 'list-filter' }> = [];
    const addFilter = (filter: Parameters<typeof listPath>[1]) => filters.push({ kind: 'list-filter', path: listPath(50, filter), limit: 50, filter });
    for (const category of categories) addFilter({ category });
    for (const k of [1, 10, 25, 50, 75, 100]) addFilter({ eventId: `BENCH-API-EV-${k}` });
    for (const rank of [100, 1000, 10_000]) if (revenues.length > rank) addFilter({ minRevenueAtRisk: Math.floor(revenues[rank]) });
    if (categories.length && revenues.length > 1000) addFilter({ category: categories[0], minRevenueAtRisk: Math.floor(revenues[1000]) });
    for (const f of [...filters]) {
      const next = ((await get(f.path)) as typeof page).nextCursor;
      if (next) filters.push({ ...f, path: listPath(50, f.filter, next), cursor: next });
    }
    reads.push(...filters);
    for (const limit of [50, 20]) reads.push({ kind: 'rxi', path: `/v1/risk/rxi?limit=${limit}`, limit });
    out.distinctReads = Object.fromEntries(['list-first', 'list-later', 'list-filter', 'sku', 'rxi'].map((k) => [k, reads.filter((r) => r.kind === k).length]));

    // 3. Correctness: every distinct read, through the API and bare, must agree.
    for (const read of reads) read.statements = await recordStatements(driver, read);
    const mismatches: string[] = [];
    for (const read of reads) {
      const why = difference(read, await get(read.path), await runBare(driver, read));
      if (why) mismatches.push(`${read.path}: ${why}`);
    }
    out.mismatches = mismatches.length;
    if (mismatches.length) {
      out.ok = false;
      out.mismatchExamples = mismatches.slice(0, 5);
    }
    log(`${reads.length} distinct reads checked against bare Cypher: ${mismatches.length} differ`);

    // 4. Load, the API first, then the same sequence as bare Cypher; a short warm-up of each first.
    const plan = sequence(reads, RATE * SECONDS);
    const options = { rate: RATE, seconds: SECONDS, connections: CONNECTIONS };
    const warm = { rate: Math.min(RATE, 100), seconds: 5, connections: Math.min(CONNECTIONS, 100) };
    await loadApi(api.url, api.headers, plan, warm);
    const memory = new ApiMemory(api.child.pid!, api.url);
    const phase = async (name: string, work: () => Promise<LoadResult>) => {
      const before = load();
      log(`${name}: ${RATE} requests/s for ${SECONDS} s over ${CONNECTIONS} connections (load ${before.join(' ')})`);
      const result = await work();
      log(
        `${name}: ${result.perSecond}/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, max ${result.latencyMs.max} ms, errors ${result.errors}, non-2xx ${result.non2xx}`,
      );
      return { ...result, load: { before, after: load() } };
    };
    await memory.sample();
    memory.start();
    const cpuBefore = cpuSeconds(api.child.pid!);
    const loadStarted = performance.now();
    out.api = await phase('API', () => loadApi(api!.url, api!.headers, plan, options));
    const cpu = cpuSeconds(api.child.pid!) - cpuBefore;
    const answered = (out.api as LoadResult).requests;
    out.apiCpu = { seconds: cpu, msPerRequest: (cpu * 1000) / Math.max(1, answered), share: cpu / ((performance.now() - loadStarted) / 1000) };
    out.apiMemory = await memory.stop();
    const bare = async (r: Read | { kind: string; path: string }) => void (await runBare(driver, r as Read));
    await loadCallback(plan, bare, warm);
    out.cypher = await phase('bare Cypher', () => loadCallback(plan, bare, options));
    out.cypherQueries = Object.fromEntries(reads.map((r) => [r.kind, r.statements!.map((st) => st.query.trim())]));
    const apiResult = out.api as LoadResult;
    if (apiResult.errors > 0 || apiResult.non2xx > 0) out.ok = false;
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    await stopApi(api?.child);
    await driver.close();
    if (!args.keep) {
      log('cleaning up: the events closed, exposures cleared by a run, the baseline RXI removed');
      for (let k = 1; k <= EVENTS; k++) await events.close(`BENCH-API-EV-${k}`, 'bench done').catch(() => undefined);
      await runs.runIfNeeded(await producer.requestPropagation({ cause: 'manual' })).catch((e: Error) => log(`clearing run: ${e.message}`));
      await db.run('MATCH (e:Event {source: $source}) DETACH DELETE e', { source: SOURCE });
      await db.run('DROP INDEX bench_site_rxi IF EXISTS');
      await db.autoCommit(
        'MATCH (s:Site) WHERE s.benchRxi IS NOT NULL CALL (s) { REMOVE s.benchRxi, s.benchRxiRevenue, s.benchTier } IN TRANSACTIONS OF 10000 ROWS',
      );
    }
    await deleteRedisKeys(app.get(RedisStore).client, config.QUEUE_PREFIX);
    await app.close();
  }
}

main().catch((error) => {
  process.stderr.write(`api bench: ${(error as Error).stack}\n`);
  process.exit(1);
});
