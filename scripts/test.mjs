// npm test — starts the local services the suite needs (reusing running ones),
// then runs every Jest project: unit (pure logic) and integration (real servers).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { devEnv, ROOT } from './dev/dev-env.mjs';

// The suite runs on a Neo4j of its own, emptied first (127.0.0.1:7689, data in
// .local/test): what a developer keeps in the development database — an earlier
// demo's active events, say — never meets the tests, and the tests never touch it.
// TEST_HOME and TEST_NEO4J_URI give a second checkout (or a second suite) a Neo4j of its own.
const env = devEnv({
  TIERSIGHT_HOME: process.env.TEST_HOME ?? join(ROOT, '.local', 'test'),
  NEO4J_URI: process.env.TEST_NEO4J_URI ?? 'bolt://127.0.0.1:7689',
  NEO4J_HEAP: process.env.TEST_NEO4J_HEAP ?? '1g',
  NEO4J_PAGECACHE: process.env.TEST_NEO4J_PAGECACHE ?? '512m',
});
const { ensureFreshServices, stopServices } = await import('./lib/services.mjs');
const { buildWebAsync, ensureChromium } = await import('./web.mjs');
const jest = join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const args = process.argv.slice(2);
const run = (flags) =>
  new Promise((done) =>
    spawn(process.execPath, [jest, ...flags, '--passWithNoTests', ...args], { cwd: ROOT, env, stdio: 'inherit' }).on('exit', (code) => done(code ?? 1)),
  );
const fail = async (error) => {
  process.stderr.write(`npm test: ${error.message}\n`);
  await stopServices(env, { quiet: true }).catch(() => undefined);
  process.exit(1);
};

// Neo4j boots (fresh data) while the pages are built and the unit tests run: they need no server.
const services = ensureFreshServices({ mqtt: true }, env).then(
  () => null,
  (error) => error,
);
// The browser tests (apps/web/test) drive the built pages in Debian's Chromium.
try {
  // Without Chromium only the browser tests fail (with the same hint); the rest still runs.
  try {
    ensureChromium();
  } catch (error) {
    process.stderr.write(`npm test: ${error.message}\n`);
  }
  // TEST_WEB_BUILD=0: keep the last build (a run of server-side specs while the pages are being edited).
  if (process.env.TEST_WEB_BUILD !== '0') await buildWebAsync();
} catch (error) {
  await services;
  await fail(error);
}
// Pure unit tests in parallel; the integration files one at a time: each runs its own api and
// worker, and a worker propagates over the whole graph, so two files at once would each see
// (and resolve, and alert on) the other's exposures.
const unit = await run(['--selectProjects', 'unit', '--maxWorkers=2']);
const servicesError = await services;
if (servicesError) await fail(servicesError);
// --forceExit: a driver or client some file leaves open must not hold the whole run.
const integration = await run(['--selectProjects', 'integration', '--runInBand', '--forceExit']);
await stopServices(env, { quiet: true }).catch(() => undefined);
process.exit(unit || integration);
