// npm test — starts the local services the suite needs (reusing running ones),
// then runs every Jest project: unit (pure logic) and integration (real servers).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { devEnv, ROOT } from './dev/dev-env.mjs';

// The suite runs on a Neo4j of its own, emptied first (127.0.0.1:7689, data in
// .local/test): what a developer keeps in the development database — an earlier
// demo's active events, say — never meets the tests, and the tests never touch it.
const home = join(ROOT, '.local', 'test');
const env = devEnv({
  TIERSIGHT_HOME: home,
  NEO4J_URI: process.env.TEST_NEO4J_URI ?? 'bolt://127.0.0.1:7689',
  NEO4J_HEAP: process.env.TEST_NEO4J_HEAP ?? '1g',
  NEO4J_PAGECACHE: process.env.TEST_NEO4J_PAGECACHE ?? '512m',
});
const { ensureServices, stopServices } = await import('./lib/services.mjs');
try {
  await stopServices(env, { quiet: true });
  rmSync(join(home, 'neo4j', 'data'), { recursive: true, force: true });
  await ensureServices({ mqtt: true }, env);
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
const res = spawnSync(process.execPath, [jest, '--maxWorkers=2', ...args], { cwd: ROOT, env, stdio: 'inherit' });
await stopServices(env, { quiet: true }).catch(() => undefined);
process.exit(res.status ?? 1);
