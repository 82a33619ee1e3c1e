// npm test — starts the local services the suite needs (reusing running ones),
// then runs every Jest project: unit (pure logic) and integration (real servers).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { devEnv, ROOT } from './dev/dev-env.mjs';

const { ensureServices } = await import('./lib/services.mjs');
try {
  await ensureServices({ mqtt: true });
} catch (error) {
  process.stderr.write(`npm test: ${error.message}\n`);
  process.exit(1);
}
// The browser tests (apps/web/test) drive the built pages in Debian's Chromium.
const { buildWeb, ensureChromium } = await import('./web.mjs');
try {
  // Without Chromium only the browser tests fail (with the same hint); the rest still runs.
  try {
    ensureChromium();
  } catch (error) {
    process.stderr.write(`npm test: ${error.message}\n`);
  }
  buildWeb();
} catch (error) {
  process.stderr.write(`npm test: ${error.message}\n`);
  process.exit(1);
}
const jest = join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const args = process.argv.slice(2);
const res = spawnSync(process.execPath, [jest, '--maxWorkers=2', ...args], { cwd: ROOT, env: devEnv(), stdio: 'inherit' });
process.exit(res.status ?? 1);
