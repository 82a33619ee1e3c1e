// Small process, network and file helpers for the local services (scripts/lib/services.mjs).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { delimiter, join } from 'node:path';

/** An expected failure: its message is shown to the user as is, without a stack trace. */
export class ServiceError extends Error {}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const isLoopback = (host) => host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);

/** The first line of an error message (driver errors can be long). */
export const firstLine = (text) =>
  String(text ?? '')
    .trim()
    .split('\n')[0];

/** Absolute path of a command on PATH (plus the sbin folders, where Debian puts mosquitto), or null. */
export function which(command, extraDirs = ['/usr/local/sbin', '/usr/sbin', '/sbin']) {
  if (command.includes('/')) return existsSync(command) ? command : null;
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...extraDirs];
  for (const dir of dirs) {
    const path = join(dir, command);
    try {
      if (statSync(path).isFile()) return path;
    } catch {}
  }
  return null;
}

export function run(command, args, options = {}) {
  return spawnSync(command, args, { encoding: 'utf8', ...options });
}

/** Runs a command and feeds its output (stdout and stderr) line by line to `onLine`; resolves with the exit code. */
export function stream(command, args, onLine, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    const feeders = [child.stdout, child.stderr].map((pipe) => {
      let buffer = '';
      pipe.on('data', (chunk) => {
        buffer += chunk.toString();
        const lines = buffer.split(/\r?\n/);
        buffer = lines.pop();
        lines.forEach(onLine);
      });
      return () => buffer && onLine(buffer);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      feeders.forEach((flush) => flush());
      resolve(code ?? 1);
    });
  });
}

/** True when something accepts TCP connections at host:port. */
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

/** "name (pid N)" of the process listening on a TCP port, from `ss -ltnp` when available. */
export function listenerOf(port) {
  const res = run('ss', ['-ltnpH', `sport = :${port}`]);
  if (res.status !== 0 || !res.stdout?.trim()) return null;
  const m = /users:\(\("([^"]+)",pid=(\d+)/.exec(res.stdout);
  return m ? `${m[1]} (pid ${m[2]})` : null;
}

export function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

let aptUpdated = false;

/**
 * Installs Debian packages when running as root with apt-get, saying what it runs;
 * otherwise fails with the exact command for the user to run.
 */
export function installPackages(packages, why, say) {
  const command = `apt-get install -y ${packages.join(' ')}`;
  if (!which('apt-get')) throw new ServiceError(`${why}: install ${packages.join(' and ')} (on Debian/Ubuntu: sudo ${command}), then rerun`);
  if (!isRoot()) throw new ServiceError(`${why}: install ${packages.length > 1 ? 'them' : 'it'} with \`sudo apt-get update && sudo ${command}\`, then rerun`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const step = (args) => {
    say(`  ${why}: running \`apt-get ${args.join(' ')}\`…`);
    const res = run('apt-get', args, { env, maxBuffer: 64 * 1024 * 1024 });
    if (res.status !== 0) {
      const detail = `${res.stderr ?? ''}${res.stdout ?? ''}`.trim().split('\n').slice(-5).join('\n');
      throw new ServiceError(`\`apt-get ${args.join(' ')}\` failed (exit ${res.status}):\n${detail}`);
    }
  };
  if (!aptUpdated) {
    step(['update']);
    aptUpdated = true;
  }
  step(['install', '-y', '--no-install-recommends', ...packages]);
}

/** Polls `check` (true = ready; a string = why not yet) until it is ready or the deadline passes. */
export async function waitUntil(what, check, timeoutMs, intervalMs = 300) {
  const deadline = Date.now() + timeoutMs;
  let last = null;
  while (Date.now() < deadline) {
    const result = await check();
    if (result === true) return;
    last = result;
    await sleep(intervalMs);
  }
  throw new ServiceError(`${what} did not become ready within ${Math.round(timeoutMs / 1000)} s${last ? ` (last: ${last})` : ''}`);
}

/** True while the process runs (an exited process its parent has not reaped yet counts as gone). */
export function pidAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (error.code !== 'EPERM') return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S …"; the comm may contain spaces or parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return !existsSync('/proc/self'); // no /proc (macOS): trust kill(0)
  }
}

/** The command line of a live process ('' when it is gone or unreadable). */
export function processCommand(pid) {
  if (!pidAlive(pid)) return '';
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    const res = run('ps', ['-p', String(pid), '-o', 'command=']);
    return res.status === 0 ? res.stdout.trim() : '';
  }
}

export function readPid(file) {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** The pid in `file` when that process is alive and its command line contains every marker; else null. */
export function ownedPid(file, markers) {
  const pid = readPid(file);
  if (!pid) return null;
  const command = processCommand(pid);
  return command && markers.every((m) => command.includes(m)) ? pid : null;
}

/** Pids of live processes whose command line contains every marker (Linux /proc only). */
export function findProcesses(markers) {
  const res = run('pgrep', ['-f', markers[0]]);
  if (res.status !== 0) return [];
  return res.stdout
    .split('\n')
    .map(Number)
    .filter((pid) => pid && pid !== process.pid && markers.every((m) => processCommand(pid).includes(m)));
}

/** SIGTERM, then SIGKILL after `timeoutMs`; resolves with 'stopped' or 'killed'. */
export async function stopPid(pid, timeoutMs, onSlow = () => {}) {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return 'stopped';
  }
  const deadline = Date.now() + timeoutMs;
  while (pidAlive(pid) && Date.now() < deadline) await sleep(200);
  if (!pidAlive(pid)) return 'stopped';
  onSlow();
  try {
    process.kill(pid, 'SIGKILL');
  } catch {}
  while (pidAlive(pid)) await sleep(100);
  return 'killed';
}

/** The last `lines` lines of a text file (reads at most the last 64 KB). */
export function tailFile(file, lines = 20) {
  if (!existsSync(file)) return '';
  const fd = openSync(file, 'r');
  try {
    const size = statSync(file).size;
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } finally {
    closeSync(fd);
  }
}

/** '2g', '512m', '1.5G', '1024k' or a byte count → bytes (NaN when unreadable). */
export function parseSize(text) {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(String(text));
  if (!m) return Number.NaN;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2].toLowerCase()];
  return Math.round(Number(m[1]) * unit);
}

/** Bytes → a JVM/Neo4j size such as '2g' or '512m'. */
export function jvmSize(bytes) {
  const mb = Math.max(64, Math.floor(bytes / 1024 ** 2));
  return mb % 1024 === 0 ? `${mb / 1024}g` : `${mb}m`;
}

/**
 * A lock file so that two `services up` (say `npm test` and `npm run demo` started together)
 * do not both start a Neo4j on the same data folder. Waits for a live holder; takes over a dead one's.
 */
export async function withLock(file, say, fn, timeoutMs = 20 * 60_000) {
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const holder = readPid(file);
      if (!holder || holder === process.pid || !pidAlive(holder)) {
        rmSync(file, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new ServiceError(`another \`services up\` (pid ${holder}) still holds ${file}`);
      if (!told) say(`  waiting for another \`services up\` (pid ${holder}) to finish…`);
      told = true;
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    if (readPid(file) === process.pid) rmSync(file, { force: true });
  }
}
