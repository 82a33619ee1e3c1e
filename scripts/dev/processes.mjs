// Starting the api and worker bundles as child processes and waiting for them, for the demo.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './dev-env.mjs';

/** Starts `node dist/apps/<app>/main.js`; its JSON log goes to .local/logs/<app>.log and to `onLine`. */
export function startBundle(app, bundle, env, onLine = () => {}) {
  const logDir = join(ROOT, '.local', 'logs');
  mkdirSync(logDir, { recursive: true });
  const logPath = join(logDir, `${app}.log`);
  const log = createWriteStream(logPath, { flags: 'a' });
  const child = spawn(process.execPath, ['--enable-source-maps', bundle], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let buffered = '';
  const feed = (chunk) => {
    log.write(chunk);
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop();
    for (const line of lines) onLine(line);
  };
  child.stdout.on('data', feed);
  child.stderr.on('data', feed);
  return { child, logPath };
}

export async function waitFor(what, check, { timeoutMs = 60_000, intervalMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`${what} did not happen within ${timeoutMs / 1000} s${last ? `: ${last.message}` : ''}`);
}

export async function stop(child) {
  if (!child || child.exitCode !== null) return;
  child.kill('SIGTERM');
  await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}
