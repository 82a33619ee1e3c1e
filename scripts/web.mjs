// The web pages (apps/web) for npm test: the same two steps as `npm run build:web` (type-check,
// then bundle into dist/web with Vite), and Debian's Chromium for their browser tests.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './dev/dev-env.mjs';
import { installPackages } from './lib/shell.mjs';

/** Debian's Chromium: the browser tests drive it through playwright-core and never download a browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** The two steps of a build of the pages: type-check, then bundle with Vite (node arguments of each). */
const BUILD_STEPS = [
  [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join('apps', 'web', 'tsconfig.json')],
  [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join('apps', 'web', 'vite.config.mts'), '--logLevel', 'warn'],
];

export function buildWeb() {
  for (const args of BUILD_STEPS) {
    const res = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
    if (res.status !== 0) throw new Error(`building the web pages failed (${args.slice(1).join(' ')})`);
  }
}

/** buildWeb without holding the event loop (npm test starts Neo4j meanwhile). */
export async function buildWebAsync() {
  for (const args of BUILD_STEPS) {
    const status = await new Promise((done) => spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit' }).on('exit', (code) => done(code ?? 1)));
    if (status !== 0) throw new Error(`building the web pages failed (${args.slice(1).join(' ')})`);
  }
}

/** Installs Debian's chromium when it is missing (as root), else fails with the exact command. */
export function ensureChromium(say = (line) => process.stderr.write(`${line}\n`)) {
  if (existsSync(CHROMIUM)) return;
  installPackages(['chromium'], "the browser tests need Debian's Chromium", say);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    if (process.argv[2] === 'build') buildWeb();
    else if (process.argv[2] === 'chromium') ensureChromium();
    else throw new Error('usage: node scripts/web.mjs build|chromium');
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
