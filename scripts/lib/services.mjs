// Local services without Docker: Neo4j 5.26 (Community server from Maven Central jars, Java 17),
// Redis (redis-server) and Mosquitto. Used by `npm run services:up|down|status`
// (scripts/services.mjs), `npm test`, `npm run demo` and the benchmarks.
//
//   import { ensureServices, stopServices, serviceStatus, ServiceError } from './lib/services.mjs';
//
//   const s = await ensureServices({ mqtt: true });
//     Idempotent. For each service: reuse the one that answers at its URL (with the configured
//     credentials), else start one on loopback. Resolves with
//     { home, neo4j, redis, mosquitto } where each is
//     { service, state: 'reused' | 'started' | 'skipped', address, ours, pid, log, seconds? }.
//     Options: mqtt (default true; SERVICES_MQTT=off also skips Mosquitto), quiet (no output).
//   await stopServices();   stops only what this module started (found by the pid files in
//                           TIERSIGHT_HOME, checked against the process command line).
//   await serviceStatus();  prints and resolves with one row per service.
//
// Full signatures: ensureServices({ mqtt, quiet }, env), stopServices(env, { quiet }),
// serviceStatus(env, { quiet }); `env` defaults to the process environment over a `.env` file at
// the repository root (scripts/dev/dev-env.mjs), over the defaults below. Expected failures reject with a
// ServiceError whose message is a one-line reason for the user (followed by log tails when a
// server did not start); anything else is a bug.
//
// Environment (defaults):
//   NEO4J_URI=bolt://127.0.0.1:7687  NEO4J_USER=neo4j  NEO4J_PASSWORD=tiersight-dev
//   REDIS_URL=redis://127.0.0.1:6379  MQTT_URL=mqtt://127.0.0.1:1883  SERVICES_MQTT=on
//   TIERSIGHT_HOME=<repo>/.local (neo4j/, redis/, mosquitto/ folders with data, logs and pid files)
//   NEO4J_HEAP=2g  NEO4J_PAGECACHE=2g (each at most 1/8 of the RAM when not set)
//   NEO4J_TX_MEMORY (default 85% of the heap)  NEO4J_START_TIMEOUT=90 (seconds)
// Servers are only started for loopback addresses; a remote one that does not answer is an error.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { devEnv, ROOT } from '../dev/dev-env.mjs';
import { ensureMosquitto, mosquittoPaths, mosquittoStatus, ownMosquittoPid, probeMqtt } from './mosquitto.mjs';
import { ensureNeo4j, neo4jPaths, neo4jStatus, ownNeo4jPid, probeNeo4j } from './neo4j.mjs';
import { ensureRedis, ownRedisPid, pingRedis, redisPaths, redisStatus } from './redis.mjs';
import { jvmSize, stopPid, withLock } from './shell.mjs';

export { ServiceError } from './shell.mjs';

export const SERVICE_DEFAULTS = {
  NEO4J_URI: 'bolt://127.0.0.1:7687',
  NEO4J_USER: 'neo4j',
  NEO4J_PASSWORD: 'tiersight-dev',
  REDIS_URL: 'redis://127.0.0.1:6379',
  MQTT_URL: 'mqtt://127.0.0.1:1883',
  SERVICES_MQTT: 'on',
};

/** The settings the services use: `env` over the defaults, with TIERSIGHT_HOME resolved. */
export function serviceConfig(env = devEnv()) {
  const cfg = { ...SERVICE_DEFAULTS };
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') cfg[key] = value;
  const memoryDefault = jvmSize(Math.min(2 * 1024 ** 3, Math.max(512 * 1024 ** 2, totalmem() / 8)));
  cfg.NEO4J_HEAP ??= memoryDefault;
  cfg.NEO4J_PAGECACHE ??= memoryDefault;
  cfg.ROOT = ROOT;
  cfg.home = resolve(ROOT, cfg.TIERSIGHT_HOME ?? '.local');
  return cfg;
}

const printer = (quiet) => (quiet ? () => {} : (line) => process.stdout.write(`${line}\n`));
const shortPath = (path) => (path ? (path.startsWith(ROOT) ? relative(ROOT, path) : path) : '-');

function table(say, rows) {
  const cells = rows.map((r) => [r.service, r.state, r.address, r.managed, shortPath(r.log)]);
  const head = ['service', 'state', 'address', 'managed by', 'log'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => String(c[i]).length)));
  const line = (c) => `  ${c.map((v, i) => String(v).padEnd(widths[i])).join('  ')}`.trimEnd();
  say(line(head));
  for (const c of cells) say(line(c));
}

const managed = (row) => (row.state === 'skipped' ? '-' : row.ours ? `Tiersight${row.pid ? ` (pid ${row.pid})` : ''}` : 'not Tiersight');

function announce(say, row) {
  if (row.state === 'started') say(`started ${row.service} at ${row.address} in ${row.seconds.toFixed(1)} s (pid ${row.pid}, log ${shortPath(row.log)})`);
  else say(`reused ${row.service} at ${row.address}${row.ours ? ` (started earlier by Tiersight, pid ${row.pid})` : ''}`);
}

/** Starts what is missing and reuses what answers; see the top of this file. */
export async function ensureServices({ mqtt = true, quiet = false } = {}, env = devEnv()) {
  const cfg = serviceConfig(env);
  cfg.tty = !quiet && Boolean(process.stdout.isTTY); // in-place progress (jar download, waiting for Bolt)
  const say = printer(quiet);
  mkdirSync(cfg.home, { recursive: true });
  rmSync(join(cfg.home, 'services.json'), { force: true }); // state file of an earlier version; pid files are the record now
  return withLock(join(cfg.home, '.services.lock'), say, async () => {
    const result = { home: cfg.home };
    result.neo4j = await ensureNeo4j(cfg, say);
    announce(say, result.neo4j);
    result.redis = await ensureRedis(cfg, say);
    announce(say, result.redis);
    if (mqtt && !/^(off|false|0|no)$/i.test(String(cfg.SERVICES_MQTT))) {
      result.mosquitto = await ensureMosquitto(cfg, say);
      announce(say, result.mosquitto);
    } else {
      result.mosquitto = { service: 'Mosquitto', state: 'skipped', address: cfg.MQTT_URL, ours: false, pid: null, log: null };
    }
    say('');
    table(
      say,
      [result.neo4j, result.redis, result.mosquitto].map((r) => ({ ...r, managed: managed(r) })),
    );
    return result;
  });
}

/**
 * ensureServices on an empty database: what this module started under
 * TIERSIGHT_HOME is stopped and its Neo4j data removed first (a separate home,
 * such as the test suite's or the benchmarks', never the development one).
 */
export async function ensureFreshServices(options = {}, env = devEnv()) {
  const cfg = serviceConfig(env);
  await stopServices(env, { quiet: true });
  rmSync(neo4jPaths(cfg.home).data, { recursive: true, force: true });
  return ensureServices(options, env);
}

/** Stops what this module started (pid files in TIERSIGHT_HOME); leaves everything else running. */
export async function stopServices(env = devEnv(), { quiet = false } = {}) {
  const cfg = serviceConfig(env);
  const say = printer(quiet);
  const service = (name, ownPid, paths, timeoutMs, probe, address) => ({
    name,
    pid: ownPid(cfg.home),
    pidfile: paths(cfg.home).pidfile,
    timeoutMs,
    answers: async () => {
      const p = await probe();
      return Boolean(p.ok || p.auth);
    },
    address,
  });
  const services = [
    service('Neo4j', ownNeo4jPid, neo4jPaths, 60_000, () => probeNeo4j(cfg), cfg.NEO4J_URI),
    service('Redis', ownRedisPid, redisPaths, 15_000, () => pingRedis(cfg.REDIS_URL), cfg.REDIS_URL),
    service('Mosquitto', ownMosquittoPid, mosquittoPaths, 15_000, () => probeMqtt(cfg.MQTT_URL), cfg.MQTT_URL),
  ];
  const result = {};
  // In parallel: Neo4j alone takes about 10 s to shut down (its Bolt server waits twice 5 s).
  await Promise.all(
    services.map(async (s) => {
      if (s.pid) {
        const started = Date.now();
        const how = await stopPid(s.pid, s.timeoutMs, () => say(`  ${s.name} (pid ${s.pid}) did not stop within ${s.timeoutMs / 1000} s; killing it`));
        rmSync(s.pidfile, { force: true });
        say(`stopped ${s.name} (pid ${s.pid}${how === 'killed' ? ', killed' : ''}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        result[s.name.toLowerCase()] = 'stopped';
      } else if (await s.answers()) {
        say(`${s.name} at ${s.address}: left running (not started by Tiersight)`);
        result[s.name.toLowerCase()] = 'left running';
      } else {
        say(`${s.name} at ${s.address}: not running`);
        result[s.name.toLowerCase()] = 'not running';
      }
    }),
  );
  return result;
}

/** One row per service: up/down, address, whether Tiersight started it, log. */
export async function serviceStatus(env = devEnv(), { quiet = false } = {}) {
  const cfg = serviceConfig(env);
  const say = printer(quiet);
  const rows = [await neo4jStatus(cfg), await redisStatus(cfg), await mosquittoStatus(cfg)];
  // A server this module started on another port than the configured one (an earlier REDIS_URL or MQTT_URL).
  const elsewhere = { Redis: ownRedisPid(cfg.home), Mosquitto: ownMosquittoPid(cfg.home) };
  for (const row of rows)
    if (!row.ours && elsewhere[row.service]) row.note = `a ${row.service} started by Tiersight (pid ${elsewhere[row.service]}) runs on another port`;
  table(
    say,
    rows.map((r) => ({ ...r, managed: r.ours ? `Tiersight (pid ${r.pid})` : r.answers ? 'not Tiersight' : '-' })),
  );
  for (const row of rows) if (row.note) say(`  note: ${row.note}`);
  if (!existsSync(cfg.home)) say(`  (no ${shortPath(cfg.home)} folder yet: \`npm run services:up\` creates it)`);
  return rows;
}
