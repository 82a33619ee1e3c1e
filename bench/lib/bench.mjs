// What the bench runners share: the bench Neo4j's environment, running one TypeScript side of a
// benchmark from source, numbers for people, and the results files under bench/results.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { devEnv, ROOT } from '../../scripts/dev/dev-env.mjs';

/** Where the bench services keep their data: never the development database (BENCH_HOME moves it, e.g. for a second checkout). */
export const BENCH_HOME = resolve(ROOT, process.env.BENCH_HOME ?? join('.local', 'bench'));

/**
 * The separate bench Neo4j on 127.0.0.1:7688 (data in .local/bench, heap and page cache from NEO4J_HEAP / NEO4J_PAGECACHE), no MQTT.
 * BENCH_NEO4J_URI and BENCH_HOME give a second bench run a Neo4j of its own.
 */
export function benchNeo4jEnv() {
  return devEnv({
    TIERSIGHT_HOME: BENCH_HOME,
    NEO4J_URI: process.env.BENCH_NEO4J_URI ?? 'bolt://127.0.0.1:7688',
    NEO4J_HEAP: process.env.NEO4J_HEAP ?? '8g',
    NEO4J_PAGECACHE: process.env.NEO4J_PAGECACHE ?? '4g',
    SERVICES_MQTT: 'off',
    LOG_LEVEL: 'warn',
  });
}

/** Runs a TypeScript file from source (ts-node) with `env`, its stderr passed through; returns its stdout, or null when it failed. */
export function runTypeScript(file, { env, nodeArgs = [], args = [] }) {
  const res = spawnSync(process.execPath, [...nodeArgs, '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', file, ...args], {
    cwd: ROOT,
    env: { ...env, TS_NODE_PROJECT: 'tsconfig.json' },
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  return res.status === 0 ? res.stdout : null;
}

/** A number for people: thousands grouped, at most `digits` decimals. */
export const fmt = (value, digits = 0) => Number(value).toLocaleString('en-US', { maximumFractionDigits: digits });

/** Appends one result, stamped with the time, as a line of bench/results/<name>.jsonl. */
export function appendResult(name, result) {
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  appendFileSync(join(ROOT, 'bench', 'results', `${name}.jsonl`), `${JSON.stringify({ at: new Date().toISOString(), ...result })}\n`);
}

/** A TCP port free on loopback right now (for a process the bench starts). */
export const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
