import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { LOCAL_SERVICES } from './test-env';
import { eventually } from './wait';

const ROOT = join(__dirname, '..', '..');

export interface ApiProcess {
  child: ChildProcess;
  url: string;
  /** The admin key this API accepts (ADMIN_API_KEY). */
  adminKey: string;
  /** Resolves once `/health/ready` answers 200 (Neo4j and Redis reachable, migrations run). */
  ready(timeoutMs?: number): Promise<void>;
}

/** A free loopback port (the OS picks it; the API then binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The API as a real child process run from source (ts-node), the way
 * spawnWorkerProcess runs the worker: the local services unless the
 * environment names others, a port of its own on 127.0.0.1, a random admin
 * key, then `env` (a variable set to undefined is removed). Its stderr is
 * passed on when TEST_LOG_LEVEL is set.
 */
export async function spawnApiProcess(env: Record<string, string | undefined>): Promise<ApiProcess> {
  const port = await freePort();
  const adminKey = env.ADMIN_API_KEY ?? `test-admin-${randomBytes(16).toString('hex')}`;
  const merged: NodeJS.ProcessEnv = {
    ...LOCAL_SERVICES,
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    ADMIN_API_KEY: adminKey,
    TS_NODE_PROJECT: 'tsconfig.json',
    ...env,
  };
  for (const [name, value] of Object.entries(merged)) if (value === undefined) delete merged[name];
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'], {
    cwd: ROOT,
    env: merged,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (d: Buffer) => process.env.TEST_LOG_LEVEL && process.stderr.write(d));
  const url = `http://127.0.0.1:${port}`;
  const ready = async (timeoutMs = 90_000) => {
    await eventually(
      `api process on port ${port} ready`,
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited (${child.exitCode ?? child.signalCode})`);
        return (await fetch(`${url}/health/ready`)).status === 200;
      },
      timeoutMs,
    );
  };
  return { child, url, adminKey, ready };
}
