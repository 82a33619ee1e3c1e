// Redis for local runs: reuse the one answering PING at REDIS_URL, else start `redis-server`
// (Debian package redis-server) on loopback with AOF persistence and noeviction (BullMQ needs both).
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { firstLine, installPackages, isLoopback, listenerOf, ownedPid, portOpen, run, ServiceError, tailFile, waitUntil, which } from './shell.mjs';

export function redisAddress(uri) {
  let url;
  try {
    url = new URL(uri);
  } catch {
    throw new ServiceError(`REDIS_URL=${uri} is not a URL like redis://127.0.0.1:6379`);
  }
  if (!/^rediss?:$/.test(url.protocol)) throw new ServiceError(`REDIS_URL=${uri} must start with redis:// (or rediss://)`);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || 6379),
    password: decodeURIComponent(url.password),
    tls: url.protocol === 'rediss:',
  };
}

export const redisPaths = (home) => {
  const dir = join(home, 'redis');
  return { dir, pidfile: join(dir, 'redis.pid'), log: join(dir, 'redis.log') };
};

/** Resolves with { ok: true } | { auth: message } | { error: message }; never throws. */
export async function pingRedis(uri, timeoutMs = 1500) {
  const client = new Redis(uri, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    reconnectOnError: () => false,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    const reply = await client.ping();
    return reply === 'PONG' ? { ok: true } : { error: `PING answered ${reply}` };
  } catch (error) {
    const message = firstLine(error?.message ?? error);
    return /NOAUTH|WRONGPASS|invalid password|invalid username-password/i.test(message) ? { auth: message } : { error: message || 'no answer' };
  } finally {
    client.disconnect();
  }
}

/**
 * Pid of the redis-server this module started for this home (on `port` when given; Redis
 * rewrites its process title to "redis-server host:port").
 */
/**
 * A daemonised redis-server on loopback with its data, pid file and log in `paths`, and `extra` after:
 * queued jobs survive a restart (AOF) and BullMQ's keys are never evicted.
 */
export function redisServerArgs(port, paths, extra = []) {
  return [
    ...['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--daemonize', 'yes'],
    ...['--dir', paths.dir, '--pidfile', paths.pidfile, '--logfile', paths.log],
    ...['--appendonly', 'yes', '--maxmemory-policy', 'noeviction'],
    ...extra,
  ];
}

export const ownRedisPid = (home, port) => ownedPid(redisPaths(home).pidfile, ['redis-server', ...(port ? [`:${port}`] : [])]);

export async function ensureRedis(cfg, say) {
  const { host, port, password, tls } = redisAddress(cfg.REDIS_URL);
  const paths = redisPaths(cfg.home);
  const row = { service: 'Redis', address: cfg.REDIS_URL, log: null };
  const ownPid = ownRedisPid(cfg.home, port);
  const probe = await pingRedis(cfg.REDIS_URL);
  if (probe.ok) return { ...row, state: 'reused', ours: Boolean(ownPid), pid: ownPid, log: ownPid ? paths.log : null };
  if (probe.auth)
    throw new ServiceError(
      `Redis at ${cfg.REDIS_URL} refused to authenticate (${probe.auth}): put its password in REDIS_URL, as redis://:PASSWORD@${host}:${port}`,
    );
  if (!isLoopback(host)) throw new ServiceError(`cannot reach Redis at ${cfg.REDIS_URL}: ${probe.error}`);
  if (tls) throw new ServiceError(`cannot reach Redis at ${cfg.REDIS_URL} (${probe.error}), and a local Redis is only started for redis:// URLs`);
  if (!ownPid && (await portOpen(host, port))) {
    throw new ServiceError(
      `port ${port} taken by ${listenerOf(port) ?? 'another process'}, which does not answer Redis PING (${probe.error}): ` +
        `stop it, or set REDIS_URL to a free port such as redis://127.0.0.1:${port + 1}`,
    );
  }
  if (!ownPid && ownRedisPid(cfg.home)) {
    throw new ServiceError(
      `the Redis that Tiersight started in ${paths.dir} (pid ${ownRedisPid(cfg.home)}) listens on another port than REDIS_URL=${cfg.REDIS_URL}: ` +
        'run `npm run services:down` first, or set REDIS_URL back',
    );
  }
  const started = Date.now();
  if (!ownPid) {
    if (!which('redis-server')) installPackages(['redis-server'], 'redis-server not found', say);
    const server = which('redis-server');
    if (!server) throw new ServiceError('redis-server is still not found after installing it: put it on PATH');
    mkdirSync(paths.dir, { recursive: true });
    rmSync(paths.pidfile, { force: true });
    const args = redisServerArgs(port, paths, password ? ['--requirepass', password] : []);
    const res = run(server, args);
    if (res.status !== 0) throw new ServiceError(`redis-server failed to start: ${firstLine(`${res.stderr}${res.stdout}`) || `exit ${res.status}`}`);
    say(`  starting Redis on 127.0.0.1:${port} (data in ${paths.dir})`);
  }
  try {
    await waitUntil(
      'Redis',
      async () => {
        const p = await pingRedis(cfg.REDIS_URL);
        return p.ok ? true : (p.auth ?? p.error);
      },
      20_000,
      200,
    );
  } catch (error) {
    const tail = tailFile(paths.log, 15);
    throw new ServiceError(`${error.message}${tail ? `\n--- last lines of ${paths.log} ---\n${tail}` : ''}`);
  }
  const pid = ownRedisPid(cfg.home, port);
  return { ...row, state: ownPid ? 'reused' : 'started', ours: true, pid, log: paths.log, seconds: (Date.now() - started) / 1000 };
}

export async function redisStatus(cfg) {
  const { host, port } = redisAddress(cfg.REDIS_URL);
  const probe = await pingRedis(cfg.REDIS_URL);
  const pid = ownRedisPid(cfg.home, port);
  let state;
  if (probe.ok) state = 'up';
  else if (probe.auth) state = 'up, password refused';
  else state = (await portOpen(host, port)) ? `port taken by ${listenerOf(port) ?? 'another process'}` : 'down';
  return {
    service: 'Redis',
    state,
    address: cfg.REDIS_URL,
    ours: Boolean(pid),
    pid,
    log: pid ? redisPaths(cfg.home).log : null,
    answers: Boolean(probe.ok || probe.auth),
  };
}
