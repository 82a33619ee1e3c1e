// Builds an app with the Nest CLI when its bundle is missing or older than any source file.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './dev-env.mjs';

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

export function bundlePath(app) {
  return join(ROOT, 'dist', 'apps', app, 'main.js');
}

export function ensureBuilt(app, { quiet = false } = {}) {
  const bundle = bundlePath(app);
  const sources = Math.max(newestSource(join(ROOT, 'apps')), newestSource(join(ROOT, 'libs')));
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= sources) return bundle;
  if (!quiet) process.stderr.write(`building ${app}…\n`);
  const res = spawnSync(process.execPath, [join(ROOT, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), 'build', app], {
    cwd: ROOT,
    stdio: quiet ? 'pipe' : 'inherit',
  });
  if (res.status !== 0) {
    if (quiet) process.stderr.write(String(res.stdout) + String(res.stderr));
    throw new Error(`build of ${app} failed`);
  }
  return bundle;
}
