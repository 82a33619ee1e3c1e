// npm run test:cluster — the integration project (every *.int-spec.ts and *.e2e-spec.ts, the API and
// the worker included) against a Redis Cluster: three `redis-server` masters in cluster mode on loopback
// (127.0.0.1:7001-7003, scripts/lib/redis-cluster.mjs; reused when already up and healthy, stopped after),
// with REDIS_CLUSTER_NODES set so that every Redis client is a cluster client and every key carries the
// hash tag {QUEUE_PREFIX}. It runs on a Neo4j of its own (127.0.0.1:7690, data in .local/test-cluster,
// emptied first), so it never meets `npm test`'s. Arguments go to Jest: `npm run test:cluster -- apps/worker/test`
// runs those files only.
//   TEST_HOME, TEST_NEO4J_URI, TEST_NEO4J_HEAP, TEST_NEO4J_PAGECACHE   as for npm test (other defaults)
//   TEST_REDIS_CLUSTER_PORT=7001   the first of the three ports (their cluster bus: port + 10000)
//   TEST_WEB_BUILD=0               keep the last build of the pages (their browser tests are in the project)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { devEnv, ROOT } from './dev/dev-env.mjs';
import { clusterSeeds, ensureRedisCluster, stopRedisCluster } from './lib/redis-cluster.mjs';

const home = process.env.TEST_HOME ?? join(ROOT, '.local', 'test-cluster');
const firstPort = Number(process.env.TEST_REDIS_CLUSTER_PORT ?? 7001);
const [seed] = clusterSeeds(firstPort);
const env = devEnv({
  TIERSIGHT_HOME: home,
  NEO4J_URI: process.env.TEST_NEO4J_URI ?? 'bolt://127.0.0.1:7690',
  NEO4J_HEAP: process.env.TEST_NEO4J_HEAP ?? '1g',
  NEO4J_PAGECACHE: process.env.TEST_NEO4J_PAGECACHE ?? '512m',
  REDIS_CLUSTER_NODES: clusterSeeds(firstPort).join(','),
  // Credentials only, on a cluster. A node of it, so a client that ignored REDIS_CLUSTER_NODES would fail
  // loudly on the keys of the other nodes' slots instead of quietly using another Redis.
  REDIS_URL: `redis://${seed}`,
});
const say = (line) => process.stdout.write(`${line}\n`);
const fail = (error) => {
  process.stderr.write(`npm run test:cluster: ${error.message}\n`);
  process.exit(1);
};
const cluster = { home, firstPort };
const started = Date.now();

const { ensureFreshServices, stopServices, ServiceError } = await import('./lib/services.mjs');
try {
  const c = await ensureRedisCluster(cluster, say);
  say(`${c.state === 'started' ? `started a Redis Cluster in ${c.seconds.toFixed(1)} s` : 'reused the Redis Cluster'} at ${c.seeds}`);
  await ensureFreshServices({ mqtt: true }, env);
} catch (error) {
  await stopRedisCluster(cluster).catch(() => undefined);
  if (!(error instanceof ServiceError)) process.stderr.write(`${error?.stack ?? error}\n`);
  fail(error);
}
const { buildWeb, ensureChromium } = await import('./web.mjs');
try {
  try {
    ensureChromium();
  } catch (error) {
    process.stderr.write(`npm run test:cluster: ${error.message}\n`);
  }
  if (process.env.TEST_WEB_BUILD !== '0') buildWeb();
} catch (error) {
  fail(error);
}
const jest = join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
// One file at a time, as npm test runs the integration project (each file runs its own API and worker).
const status =
  spawnSync(process.execPath, [jest, '--selectProjects', 'integration', '--runInBand', '--forceExit', '--passWithNoTests', ...process.argv.slice(2)], {
    cwd: ROOT,
    env,
    stdio: 'inherit',
  }).status ?? 1;
await stopServices(env, { quiet: true }).catch(() => undefined);
await stopRedisCluster(cluster, say).catch(() => undefined);
say(`npm run test:cluster: ${status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 60_000).toFixed(1)} min`);
process.exit(status);
