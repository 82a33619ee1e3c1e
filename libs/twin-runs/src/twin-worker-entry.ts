import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The file a twin worker thread starts from, and the Node options it needs. */
export interface WorkerEntry {
  file: string;
  execArgv?: string[];
}

/** The bundle webpack writes next to each app's main.js (second entry, libs/twin-runs/webpack.config.js). */
export const BUNDLED_WORKER_FILE = 'twin-worker.js';

/**
 * Where the worker thread's code is, wherever this module runs from:
 * - in an app's webpack bundle `__dirname` is the bundle's directory
 *   (dist/apps/<app>), which holds `twin-worker.js`;
 * - from source (ts-node, Jest) it is this directory, whose `twin.worker.ts`
 *   runs under ts-node with the same path aliases;
 * - compiled by tsc, `twin.worker.js` sits here.
 * Null when none is found: runs then stay in the calling thread.
 */
export function twinWorkerEntry(dir: string = __dirname): WorkerEntry | null {
  const bundled = join(dir, BUNDLED_WORKER_FILE);
  if (existsSync(bundled)) return { file: bundled, execArgv: [] };
  const compiled = join(dir, 'twin.worker.js');
  if (existsSync(compiled)) return { file: compiled, execArgv: [] };
  const source = join(dir, 'twin.worker.ts');
  if (existsSync(source)) return { file: source, execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'] };
  return null;
}
