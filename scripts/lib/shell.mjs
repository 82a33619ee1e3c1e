// Small process helpers for the services script.
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';

export const log = (line) => process.stdout.write(`${line}\n`);

export class ServiceError extends Error {}

export function which(command) {
  const res = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return res.status === 0 ? res.stdout.trim() : null;
}

export function run(command, args, options = {}) {
  return spawnSync(command, args, { encoding: 'utf8', ...options });
}

/** Runs a command with its output streamed line by line to `onLine`; resolves with the exit code. */
export function stream(command, args, onLine, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let buffer = '';
    const feed = (chunk) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop();
      lines.forEach(onLine);
    };
    child.stdout.on('data', feed);
    child.stderr.on('data', feed);
    child.on('error', reject);
    child.on('close', (code) => {
      if (buffer) onLine(buffer);
      resolve(code);
    });
  });
}

export function portOpen(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Who listens on a TCP port, from `ss -ltnp` when available. */
export function listenerOf(port) {
  const res = run('ss', ['-ltnpH', `sport = :${port}`]);
  if (res.status !== 0 || !res.stdout.trim()) return null;
  const m = /users:\(\("([^"]+)",pid=(\d+)/.exec(res.stdout);
  return m ? `${m[1]} (pid ${m[2]})` : res.stdout.trim().split(/\s+/).slice(-1)[0];
}

export function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

let aptUpdated = false;
/** Installs Debian packages when running as root with apt-get; otherwise says exactly what to run. */
export async function ensurePackages(packages, why) {
  if (!isRoot() || !which('apt-get')) {
    throw new ServiceError(`${why}: install it with \`sudo apt-get install -y ${packages.join(' ')}\``);
  }
  log(`  installing ${packages.join(', ')} from Debian packages (${why})…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    const update = run('apt-get', ['update', '-qq'], { env });
    if (update.status !== 0) throw new ServiceError(`apt-get update failed: ${update.stderr.trim().split('\n').pop()}`);
    aptUpdated = true;
  }
  const res = run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env });
  if (res.status !== 0) throw new ServiceError(`apt-get install ${packages.join(' ')} failed: ${res.stderr.trim().split('\n').pop()}`);
}

export async function waitUntil(what, check, timeoutMs, intervalMs = 300) {
  const deadline = Date.now() + timeoutMs;
  let last = null;
  while (Date.now() < deadline) {
    try {
      const result = await check();
      if (result === true) return;
      last = result;
    } catch (error) {
      last = error?.message ?? String(error);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new ServiceError(`${what} did not become ready within ${Math.round(timeoutMs / 1000)} s${last ? `: ${last}` : ''}`);
}

export function pidAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function stopPid(pid, name, timeoutMs = 30_000) {
  if (!pidAlive(pid)) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (pidAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (pidAlive(pid)) {
    log(`  ${name} did not stop in ${timeoutMs / 1000} s; killing it`);
    process.kill(pid, 'SIGKILL');
  }
  return true;
}
