// A Redis Cluster for local runs (`npm run test:cluster`): three masters of Debian's `redis-server` in
// cluster mode on loopback (ports first, first+1, first+2; their cluster bus on port+10000), AOF
// persistence and noeviction as for the plain Redis (scripts/lib/redis.mjs), data, logs and pid files
// in <home>/redis-<port>, joined by `redis-cli --cluster create … --cluster-replicas 0`.
//
//   const c = await ensureRedisCluster({ home, firstPort: 7001 }, say);
//     Reuses the three nodes when they already answer as one healthy cluster (cluster_state:ok, three
//     masters, every slot served); else stops the ones this module started there, empties their
//     folders and starts and joins three fresh ones. Resolves with { seeds: '127.0.0.1:7001,…',
//     state: 'reused' | 'started', pids, seconds }. Expected failures reject with a ServiceError.
//   await stopRedisCluster({ home, firstPort }, say);   stops only the nodes this module started.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { redisServerArgs } from './redis.mjs';
import { firstLine, installPackages, listenerOf, ownedPid, portOpen, run, ServiceError, stopPid, tailFile, waitUntil, which } from './shell.mjs';

const HOST = '127.0.0.1';
const MASTERS = 3;
const SLOTS = 16384;

export const clusterPorts = (firstPort) => Array.from({ length: MASTERS }, (_, i) => firstPort + i);
export const clusterSeeds = (firstPort) => clusterPorts(firstPort).map((port) => `${HOST}:${port}`);

export const clusterNodePaths = (home, port) => {
  const dir = join(home, `redis-${port}`);
  return { dir, pidfile: join(dir, 'redis.pid'), log: join(dir, 'redis.log'), nodesConf: join(dir, 'nodes.conf') };
};

/** Pid of the node this module started on `port` (Redis shows "redis-server 127.0.0.1:<port> [cluster]" as its title). */
const ownNodePid = (home, port) => ownedPid(clusterNodePaths(home, port).pidfile, ['redis-server', `:${port}`]);

/** A node's CLUSTER INFO as a map, or { error } when it does not answer as a cluster node. */
async function clusterInfo(port, timeoutMs = 1500) {
  const client = new Redis({
    host: HOST,
    port,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    const text = await client.cluster('INFO');
    return Object.fromEntries(
      text
        .split(/\r?\n/)
        .map((line) => line.split(':'))
        .filter((kv) => kv.length === 2),
    );
  } catch (error) {
    return { error: firstLine(error?.message ?? error) || 'no answer' };
  } finally {
    client.disconnect();
  }
}

/** Null when this node sees the whole cluster serving every slot; else why not. */
const unhealthy = (info) =>
  info.error ??
  (info.cluster_state === 'ok' && Number(info.cluster_slots_ok) === SLOTS && Number(info.cluster_size) === MASTERS
    ? null
    : `cluster_state:${info.cluster_state}, ${info.cluster_slots_ok ?? 0} slots served, ${info.cluster_size ?? 0} masters`);

async function healthy(ports) {
  const reasons = await Promise.all(ports.map(async (port) => unhealthy(await clusterInfo(port))));
  const bad = reasons.findIndex((r) => r !== null);
  return bad < 0 ? true : `${HOST}:${ports[bad]}: ${reasons[bad]}`;
}

export async function stopRedisCluster({ home, firstPort }, say = () => {}) {
  await Promise.all(
    clusterPorts(firstPort).map(async (port) => {
      const pid = ownNodePid(home, port);
      if (!pid) return;
      const how = await stopPid(pid, 15_000, () => say(`  Redis Cluster node ${HOST}:${port} (pid ${pid}) did not stop within 15 s; killing it`));
      rmSync(clusterNodePaths(home, port).pidfile, { force: true });
      say(`stopped Redis Cluster node ${HOST}:${port} (pid ${pid}${how === 'killed' ? ', killed' : ''})`);
    }),
  );
}

function startNode(server, home, port) {
  const paths = clusterNodePaths(home, port);
  rmSync(paths.dir, { recursive: true, force: true }); // a fresh node: `--cluster create` needs empty masters
  mkdirSync(paths.dir, { recursive: true });
  const args = redisServerArgs(port, paths, ['--cluster-enabled', 'yes', '--cluster-config-file', paths.nodesConf, '--cluster-node-timeout', '5000']);
  const res = run(server, args);
  if (res.status !== 0)
    throw new ServiceError(`redis-server failed to start on port ${port}: ${firstLine(`${res.stderr}${res.stdout}`) || `exit ${res.status}`}`);
}

/** Starts (or reuses) the three masters and joins them; see the top of this file. */
export async function ensureRedisCluster({ home, firstPort }, say = () => {}) {
  const ports = clusterPorts(firstPort);
  const seeds = clusterSeeds(firstPort);
  const pids = () => ports.map((port) => ownNodePid(home, port));
  if ((await healthy(ports)) === true) return { seeds: seeds.join(','), state: 'reused', pids: pids(), seconds: 0 };

  const started = Date.now();
  await stopRedisCluster({ home, firstPort }, say); // ours but not (or no longer) one healthy cluster
  for (const port of ports) {
    for (const p of [port, port + 10_000]) {
      if (await portOpen(HOST, p)) {
        throw new ServiceError(
          `port ${p} (${p === port ? 'a Redis Cluster node' : `the cluster bus of port ${port}`}) is taken by ${listenerOf(p) ?? 'another process'}, ` +
            'which is not a healthy Tiersight test cluster: stop it, or set TEST_REDIS_CLUSTER_PORT to the first of three free ports (their +10000 free too)',
        );
      }
    }
  }
  if (!which('redis-server')) installPackages(['redis-server'], 'redis-server not found', say);
  const server = which('redis-server');
  if (!server) throw new ServiceError('redis-server is still not found after installing it: put it on PATH');
  if (!which('redis-cli')) installPackages(['redis-tools'], 'redis-cli not found (it joins the cluster)', say);
  const cli = which('redis-cli');
  if (!cli) throw new ServiceError('redis-cli is still not found after installing it: put it on PATH');

  for (const port of ports) startNode(server, home, port);
  say(`  starting a Redis Cluster of ${MASTERS} masters on ${seeds.join(', ')} (data in ${join(home, 'redis-<port>')})`);
  const logs = () =>
    ports
      .map((port) => {
        const tail = tailFile(clusterNodePaths(home, port).log, 8);
        return tail ? `\n--- last lines of ${clusterNodePaths(home, port).log} ---\n${tail}` : '';
      })
      .join('');
  try {
    await waitUntil(
      'the Redis Cluster nodes',
      async () => {
        const infos = await Promise.all(ports.map((port) => clusterInfo(port)));
        const down = infos.findIndex((info) => info.error);
        return down < 0 ? true : `${HOST}:${ports[down]}: ${infos[down].error}`;
      },
      20_000,
      200,
    );
    const created = run(cli, ['--cluster', 'create', ...seeds, '--cluster-replicas', '0', '--cluster-yes']);
    if (created.status !== 0) {
      const detail = `${created.stdout ?? ''}${created.stderr ?? ''}`.trim().split('\n').slice(-5).join('\n');
      throw new ServiceError(`\`redis-cli --cluster create ${seeds.join(' ')}\` failed (exit ${created.status}):\n${detail}`);
    }
    await waitUntil('the Redis Cluster', () => healthy(ports), 30_000, 300);
  } catch (error) {
    await stopRedisCluster({ home, firstPort });
    throw new ServiceError(`${error.message}${logs()}`);
  }
  return { seeds: seeds.join(','), state: 'started', pids: pids(), seconds: (Date.now() - started) / 1000 };
}
