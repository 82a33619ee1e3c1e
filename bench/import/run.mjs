// npm run bench:import [-- --size large|medium|small] [--only loop,loadcsv,cli,http] [--csv-batch N] [--loop-batch N]
//                       [--csv-sweep 1000,10000,50000] [--cpu-prof DIR]
// Imports a generated network into an EMPTY database of a separate bench Neo4j (127.0.0.1:7688, data in
// .local/bench; BENCH_NEO4J_URI and BENCH_HOME move it), a fresh database for every run, in one command:
//   loop     the baseline write loop: the same rows, batched UNWIND … MATCH … CREATE, a transaction per batch, no validation
//   loadcsv  the baseline LOAD CSV: the same rows as CSV, CREATE, plans checked (index seeks, no Eager), batch by measurement
//   cli      the platform through `npm run import` (every DESIGN §2 rule, all or nothing, audited)
//   http     the platform through POST /v1/graph/import on the built API (IMPORT_MAX_BODY_MB raised to the file's size)
// Prints seconds and edges/s of each and the platform's ratios to both baselines, appends them to
// bench/results/import.jsonl, and exits non-zero when any run's graph does not hold exactly the file's rows.
// --csv-sweep runs LOAD CSV once per batch size (each into a fresh database) and keeps the fastest;
// --only platform runs the in-process import with its phases timed (with --cpu-prof DIR: a CPU profile of it).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Redis from 'ioredis';
import neo4j from 'neo4j-driver';
import { ensureBuilt } from '../../scripts/dev/build.mjs';
import { ROOT } from '../../scripts/dev/dev-env.mjs';
import { startBundle, stop, waitFor } from '../../scripts/dev/processes.mjs';
import { ensureFreshServices } from '../../scripts/lib/services.mjs';
import { appendResult, BENCH_HOME as home, benchNeo4jEnv, fmt, freePort } from '../lib/bench.mjs';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'large' },
    seed: { type: 'string', default: '42' },
    only: { type: 'string', default: 'loop,loadcsv,cli,http' },
    'csv-batch': { type: 'string', default: '10000' },
    'csv-sweep': { type: 'string' },
    'loop-batch': { type: 'string', default: '10000' },
    'cpu-prof': { type: 'string' },
  },
});
const runs = values.only.split(',');
const tag = randomBytes(3).toString('hex');
const queuePrefix = `bench-import-${tag}`;
const env = { ...benchNeo4jEnv(), QUEUE_PREFIX: queuePrefix };
const data = join(home, 'data', `${values.size}-${values.seed}`);
const jsonFile = join(data, 'network.json');

function tool(args, nodeArgs = []) {
  const res = spawnSync(
    process.execPath,
    ['--max-old-space-size=8192', ...nodeArgs, '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', ...args],
    {
      cwd: ROOT,
      env: { ...env, TS_NODE_PROJECT: 'tsconfig.json' },
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (res.status !== 0) throw new Error(`${args[0]} failed`);
  return res.stdout;
}

const lastJson = (stdout) => JSON.parse(stdout.trim().split('\n').pop());
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

/** What the graph must hold after importing the file into an empty database. */
function expectedCounts() {
  const network = JSON.parse(readFileSync(jsonFile, 'utf8'));
  const n = (k) => network[k]?.length ?? 0;
  return { Supplier: n('suppliers'), Site: n('sites'), Part: n('parts'), Sku: n('skus'), OPERATES: n('sites'), SUPPLIES: n('supplies') };
}

/** What the graph holds: nodes per label, relationships per type, and the typed properties every site and edge must carry. */
async function graphCounts() {
  const driver = neo4j.driver(env.NEO4J_URI, neo4j.auth.basic(env.NEO4J_USER, env.NEO4J_PASSWORD), { disableLosslessIntegers: true });
  try {
    const one = async (q) => (await driver.executeQuery(q)).records[0].get('c');
    const counts = {};
    for (const label of ['Supplier', 'Site', 'Part', 'Sku']) counts[label] = await one(`MATCH (n:${label}) RETURN count(n) AS c`);
    for (const type of ['OPERATES', 'SUPPLIES']) counts[type] = await one(`MATCH ()-[r:${type}]->() RETURN count(r) AS c`);
    counts.sitesWithPointAndDatetime = await one(
      `MATCH (s:Site) WHERE s.location IS :: POINT AND s.confirmedAt IS :: ZONED DATETIME AND s.ttrDays IS NOT NULL RETURN count(s) AS c`,
    );
    counts.edgesWithDatetime = await one(`MATCH ()-[r:SUPPLIES]->() WHERE r.confirmedAt IS :: ZONED DATETIME AND r.share > 0 RETURN count(r) AS c`);
    return counts;
  } finally {
    await driver.close();
  }
}

const failures = [];
function check(name, expected, got) {
  const want = { ...expected, sitesWithPointAndDatetime: expected.Site, edgesWithDatetime: expected.SUPPLIES };
  const wrong = Object.keys(want).filter((k) => want[k] !== got[k]);
  if (wrong.length) {
    failures.push(name);
    console.log(`  WRONG ${name}: ${wrong.map((k) => `${k} ${got[k]} (expected ${want[k]})`).join(', ')}`);
  } else
    console.log(
      `  ${name}: counts as expected (${Object.entries(got)
        .map(([k, v]) => `${k} ${fmt(v)}`)
        .join(', ')})`,
    );
}

async function fresh() {
  await ensureFreshServices({ mqtt: false, quiet: true }, env);
}

/** POSTs the file as it is to the built API; the clock starts before the file is read, as for the other runs. */
async function viaHttp() {
  const adminKey = `bench-${randomBytes(16).toString('hex')}`;
  const port = await freePort();
  const megabytes = Math.ceil(statSync(jsonFile).size / 1024 ** 2) + 1;
  const apiEnv = {
    ...env,
    ADMIN_API_KEY: adminKey,
    PORT: String(port),
    IMPORT_MAX_BODY_MB: String(Math.max(20, megabytes)),
    RATE_LIMIT_PER_MINUTE: '1000000',
    NODE_ENV: 'production',
    NODE_OPTIONS: '--max-old-space-size=8192',
  };
  delete apiEnv.MQTT_URL;
  const api = startBundle('bench-import-api', ensureBuilt('api'), apiEnv).child;
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitFor('the api', async () => (await fetch(`${base}/health/ready`)).ok, { timeoutMs: 120_000 });
    const started = process.hrtime.bigint();
    const body = readFileSync(jsonFile);
    const res = await fetch(`${base}/v1/graph/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
      body,
      signal: AbortSignal.timeout(3_600_000),
    });
    const answer = await res.json();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (res.status !== 200) throw new Error(`POST /v1/graph/import answered ${res.status}: ${JSON.stringify(answer).slice(0, 500)}`);
    return { mode: 'http', seconds, edges: answer.supplies, bodyMB: megabytes, edgesPerSecond: answer.supplies / seconds };
  } finally {
    await stop(api);
  }
}

async function removeQueueKeys() {
  const redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    for (;;) {
      const keys = await redis.keys(`${queuePrefix}:*`);
      if (keys.length === 0) break;
      for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    }
  } finally {
    redis.disconnect();
  }
}

async function main() {
  if (!existsSync(jsonFile)) {
    console.log(`generating the ${values.size} network (seed ${values.seed})…`);
    mkdirSync(data, { recursive: true });
    tool(['tools/cli/generate.ts', '--size', values.size, '--seed', values.seed, '--out', jsonFile]);
    tool(['tools/cli/generate.ts', '--size', values.size, '--seed', values.seed, '--format', 'csv', '--out', join(data, 'csv')]);
  }
  const expected = expectedCounts();
  console.log(
    `import of the ${values.size} network: ${Object.entries(expected)
      .map(([k, v]) => `${fmt(v)} ${k}`)
      .join(', ')}; each run into a fresh empty database (${env.NEO4J_URI}, heap ${env.NEO4J_HEAP}, page cache ${env.NEO4J_PAGECACHE})`,
  );
  const results = {};
  const timed = async (name, what, work) => {
    console.log(`${name}: ${what} (load ${load()})`);
    await fresh();
    const loadBefore = load();
    const result = await work();
    result.load = `${loadBefore} → ${load()}`;
    console.log(
      `  ${result.seconds.toFixed(1)} s, ${fmt(result.edges / result.seconds)} edges/s${
        result.phases
          ? `; ${Object.entries(result.phases)
              .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
              .join(', ')}`
          : ''
      }`,
    );
    check(name, expected, await graphCounts());
    results[name] = result;
    return result;
  };
  const bench = (mode, args = [], nodeArgs = []) => lastJson(tool(['bench/import/import.bench.ts', '--mode', mode, ...args], nodeArgs));

  if (runs.includes('loop')) {
    await timed('loop', `UNWIND … MATCH … CREATE, ${values['loop-batch']} rows a statement, a transaction each, no validation`, async () =>
      bench('loop', ['--json', jsonFile, '--batch', values['loop-batch']]),
    );
  }
  if (runs.includes('loadcsv')) {
    const importDir = join(home, 'neo4j', 'import');
    const batches = (values['csv-sweep'] ?? values['csv-batch']).split(',');
    let best = null;
    for (const batch of batches) {
      const r = await timed(`loadcsv`, `LOAD CSV … CREATE … IN TRANSACTIONS OF ${batch} ROWS`, async () => {
        mkdirSync(importDir, { recursive: true });
        for (const f of ['suppliers', 'sites', 'parts', 'skus', 'supplies']) copyFileSync(join(data, 'csv', `${f}.csv`), join(importDir, `${f}.csv`));
        return bench('loadcsv', ['--batch', batch]);
      });
      if (!best || r.seconds < best.seconds) best = r;
    }
    results.loadcsv = best;
    if (batches.length > 1) console.log(`  fastest LOAD CSV batch: ${best.batch} rows`);
  }
  if (runs.includes('platform')) {
    const nodeArgs = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : [];
    await timed('platform', 'ImportService in process, phases timed', async () => bench('platform', ['--json', jsonFile], nodeArgs));
  }
  try {
    if (runs.includes('cli')) {
      await timed('cli', 'npm run import -- network.json (every §2 rule, one transaction, audited)', async () => {
        const out = lastJson(tool(['tools/cli/import.ts', jsonFile]));
        return { mode: 'cli', seconds: out.seconds, edges: out.supplies, edgesPerSecond: out.supplies / out.seconds };
      });
    }
    if (runs.includes('http')) {
      await timed('http', 'POST /v1/graph/import with the file as its body (built API)', viaHttp);
    }
  } finally {
    await removeQueueKeys();
  }

  const eps = (r) => r.edges / r.seconds;
  console.log(`\nimport of the ${values.size} network (${fmt(expected.SUPPLIES)} SUPPLIES edges, all entities included):`);
  for (const [name, r] of Object.entries(results))
    console.log(`  ${name.padEnd(8)} ${r.seconds.toFixed(1).padStart(7)} s  ${fmt(eps(r)).padStart(7)} edges/s  (load ${r.load})`);
  const ratios = {};
  for (const platform of ['cli', 'http', 'platform'].filter((p) => results[p])) {
    for (const baseline of ['loop', 'loadcsv'].filter((b) => results[b])) {
      ratios[`${platform}/${baseline}`] = eps(results[platform]) / eps(results[baseline]);
      console.log(`  ${platform} / ${baseline}: ${ratios[`${platform}/${baseline}`].toFixed(2)}×`);
    }
  }
  appendResult('import', { size: values.size, edges: expected.SUPPLIES, runs: results, ratios, failures });
  console.log(
    `the bench Neo4j keeps the last import on ${env.NEO4J_URI}; stop it with TIERSIGHT_HOME=${home} NEO4J_URI=${env.NEO4J_URI} npm run services:down`,
  );
  if (failures.length) throw new Error(`wrong counts after ${failures.join(', ')}`);
}

main().catch((error) => {
  console.error(`bench:import: ${error.message}`);
  process.exit(1);
});
