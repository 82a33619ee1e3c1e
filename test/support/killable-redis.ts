import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Redis from 'ioredis';
import { eventually } from './wait';

const ROOT = join(__dirname, '..', '..');
const REDIS_SERVER = '/usr/bin/redis-server';

/**
 * A redis-server of a test's own (Debian's), on its own port and data folder
 * under `home`, that the test may SIGKILL and start again on the same data.
 * Its arguments come from the builder the services scripts use
 * (scripts/lib/redis.mjs: loopback, AOF on, noeviction), plus
 * `appendfsync always`: Redis answers a write only once it is fsynced, so a
 * write the platform was told succeeded is on disk whatever kills the server
 * (with `everysec` the last second of acknowledged writes can be lost).
 */
export class KillableRedis {
  readonly url: string;
  private readonly args: string[];
  private readonly pidfile: string;
  private readonly dir: string;

  constructor(
    readonly port: number,
    home: string,
  ) {
    this.url = `redis://127.0.0.1:${port}`;
    const lib = pathToFileURL(join(ROOT, 'scripts', 'lib', 'redis.mjs')).href;
    const script = `
      import { redisPaths, redisServerArgs } from '${lib}';
      const paths = redisPaths(${JSON.stringify(home)});
      process.stdout.write(JSON.stringify({ paths, args: redisServerArgs(${port}, paths, ['--appendfsync', 'always']) }));`;
    const built = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' })) as {
      paths: { dir: string; pidfile: string };
      args: string[];
    };
    this.args = built.args;
    this.dir = built.paths.dir;
    this.pidfile = built.paths.pidfile;
  }

  /** Starts the server (daemonised) on its data folder and waits until it answers PING with its data loaded. */
  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    execFileSync(REDIS_SERVER, this.args, { stdio: 'ignore' });
    await eventually('Redis answering', () => this.ping(), 20_000);
  }

  /** SIGKILL: no shutdown, no final save; only what the AOF already holds survives. Resolves once the port is closed. */
  async kill(): Promise<void> {
    process.kill(this.pid(), 'SIGKILL');
    await eventually('Redis gone', async () => !(await this.ping()), 10_000);
  }

  /** Stops the server if it runs (SHUTDOWN NOSAVE: the test's data is thrown away). */
  async stop(): Promise<void> {
    const client = this.client();
    try {
      await client.connect();
      await client.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
    } catch {
      // not running
    } finally {
      client.disconnect();
    }
  }

  private pid(): number {
    return Number(readFileSync(this.pidfile, 'utf8').trim());
  }

  /** True when the server answers PING (BUSY LOADING and refused connections are false). */
  private async ping(): Promise<boolean> {
    const client = this.client();
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  }

  private client(): Redis {
    const client = new Redis(this.url, {
      lazyConnect: true,
      connectTimeout: 1000,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      enableOfflineQueue: false,
    });
    client.on('error', () => undefined);
    return client;
  }
}
