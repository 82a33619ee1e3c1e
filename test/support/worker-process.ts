import { type ChildProcess, spawn, type StdioOptions } from 'node:child_process';
import { join } from 'node:path';
import { LOCAL_SERVICES } from './test-env';

const ROOT = join(__dirname, '..', '..');

/**
 * The worker as a real child process run from source (ts-node), so a test can
 * kill it: the local services unless the environment names others, no health
 * port, then `env` (a variable set to undefined is removed). Its stderr is
 * passed on when TEST_LOG_LEVEL is set, unless `stdio` sends it elsewhere.
 */
export function spawnWorkerProcess(
  env: Record<string, string | undefined>,
  { stdio = ['ignore', 'ignore', 'pipe'], nodeArgs = [] }: { stdio?: StdioOptions; nodeArgs?: string[] } = {},
): ChildProcess {
  const merged: NodeJS.ProcessEnv = { ...LOCAL_SERVICES, ...process.env, WORKER_HEALTH_PORT: '0', TS_NODE_PROJECT: 'tsconfig.json', ...env };
  for (const [name, value] of Object.entries(merged)) if (value === undefined) delete merged[name];
  const child = spawn(process.execPath, [...nodeArgs, '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/worker/src/main.ts'], {
    cwd: ROOT,
    env: merged,
    stdio,
  });
  child.stderr?.on('data', (d: Buffer) => process.env.TEST_LOG_LEVEL && process.stderr.write(d));
  return child;
}
