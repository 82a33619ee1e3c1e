// Redis: reuse the one at REDIS_URL, else start redis-server on loopback.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { ensurePackages, listenerOf, log, portOpen, run, ServiceError, waitUntil, which } from './shell.mjs';

export async function pingRedis(url) {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 1500, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG' ? 'ok' : 'no PONG';
  } catch (error) {
    return error.message;
  } finally {
    client.disconnect();
  }
}

export async function ensureRedis(home, env) {
  const url = new URL(env.REDIS_URL);
  const host = url.hostname;
  const port = Number(url.port || 6379);
  const probe = await pingRedis(env.REDIS_URL);
  if (probe === 'ok') return { state: 'reused', address: env.REDIS_URL };
  if (!(host === 'localhost' || host.startsWith('127.'))) throw new ServiceError(`cannot reach Redis at ${env.REDIS_URL}: ${probe}`);
  if (await portOpen(host, port)) throw new ServiceError(`port ${port} is taken by ${listenerOf(port) ?? 'another process'}, which does not answer PING: set REDIS_URL`);
  if (!which('redis-server')) await ensurePackages(['redis-server'], 'redis-server not found');
  const dir = join(home, 'redis');
  mkdirSync(dir, { recursive: true });
  const pidfile = join(dir, 'redis.pid');
  const logfile = join(dir, 'redis.log');
  const res = run('redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--daemonize', 'yes', '--dir', dir, '--pidfile', pidfile,
    '--logfile', logfile, '--appendonly', 'yes', '--maxmemory-policy', 'noeviction', '--save', '',
  ]);
  if (res.status !== 0) throw new ServiceError(`redis-server failed to start: ${(res.stderr || res.stdout).trim()}`);
  log(`  starting Redis on 127.0.0.1:${port}…`);
  await waitUntil('Redis', async () => ((await pingRedis(env.REDIS_URL)) === 'ok' ? true : 'no PONG yet'), 20_000);
  return { state: 'started', address: env.REDIS_URL, pidfile: existsSync(pidfile) ? pidfile : null, log: logfile };
}
