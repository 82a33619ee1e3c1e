// Neo4j Community 5.26 for local runs without Docker: the server's own entry point
// (org.neo4j.server.CommunityEntryPoint) on a classpath of Maven Central jars that
// tools/neo4j/pom.xml copies into tools/neo4j/lib, run with Java 17 (or 21).
// Data, logs and config live in <TIERSIGHT_HOME>/neo4j. See /work/shared/NEO4J-LOCAL.md.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { join, relative } from 'node:path';
import neo4j from 'neo4j-driver';
import {
  findProcesses,
  firstLine,
  installPackages,
  isLoopback,
  jvmSize,
  listenerOf,
  ownedPid,
  parseSize,
  pidAlive,
  portOpen,
  run,
  ServiceError,
  sleep,
  stream,
  tailFile,
  which,
} from './shell.mjs';

export const NEO4J_VERSION = '5.26.30';
const ENTRY_POINT = 'org.neo4j.server.CommunityEntryPoint';
/** Without these, Neo4j fails on Java 17/21 with a LinkageError on java.nio.DirectByteBuffer. */
const JVM_OPENS = [
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '--enable-native-access=ALL-UNNAMED',
  '-Dio.netty.tryReflectionSetAccessible=true',
];
/** A subset of the flags Neo4j's own launcher adds (server.jvm.additional in its default neo4j.conf). */
const JVM_FLAGS = [
  '-XX:+UseG1GC',
  '-XX:-OmitStackTraceInFastThrow',
  '-XX:+DisableExplicitGC',
  '-XX:+ExitOnOutOfMemoryError',
  '-Djdk.nio.maxCachedBufferSize=1024',
  '-Dlog4j2.disable.jmx=true',
  '-Dfile.encoding=UTF-8',
];

export function boltAddress(uri) {
  let url;
  try {
    url = new URL(uri.replace(/^(bolt|neo4j)(\+s|\+ssc)?:/, 'http:'));
  } catch {
    throw new ServiceError(`NEO4J_URI=${uri} is not a URI like bolt://127.0.0.1:7687`);
  }
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 7687) };
}

export const neo4jPaths = (home) => {
  const dir = join(home, 'neo4j');
  return {
    dir,
    conf: join(dir, 'conf'),
    data: join(dir, 'data'),
    logs: join(dir, 'logs'),
    pidfile: join(dir, 'neo4j.pid'),
    log: join(dir, 'logs', 'neo4j.log'),
    console: join(dir, 'logs', 'console.log'),
    // Inside the data folder, so deleting the data for a fresh database also re-arms the initial password.
    initMarker: join(dir, 'data', '.tiersight-initial-password-set'),
  };
};

/** Pid of the Neo4j this module started for this home, when it is still alive. */
export const ownNeo4jPid = (home) => ownedPid(neo4jPaths(home).pidfile, [ENTRY_POINT, `--home-dir=${neo4jPaths(home).dir}`]);

/** The Bolt port in the neo4j.conf written for this home (the port our Neo4j listens on). */
export function ownNeo4jPort(home) {
  try {
    const m = /^server\.bolt\.listen_address=.*:(\d+)\s*$/m.exec(readFileSync(join(neo4jPaths(home).conf, 'neo4j.conf'), 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Asks Bolt for `RETURN 1` with the configured credentials. Never throws; resolves with
 * { ok: true } | { auth: 'refused' | 'rate-limited' | 'expired', message } | { error }.
 */
export async function probeNeo4j(cfg, timeoutMs = 5000) {
  const driver = neo4j.driver(cfg.NEO4J_URI, neo4j.auth.basic(cfg.NEO4J_USER, cfg.NEO4J_PASSWORD), {
    connectionTimeout: 2000,
    connectionAcquisitionTimeout: 3000,
    maxConnectionPoolSize: 1,
    logging: { level: 'error', logger: () => {} },
  });
  const work = (async () => {
    await driver.verifyConnectivity();
    const session = driver.session(cfg.NEO4J_DATABASE ? { database: cfg.NEO4J_DATABASE } : {});
    try {
      await session.run('RETURN 1');
    } finally {
      await session.close();
    }
    return { ok: true };
  })().catch((error) => {
    const code = String(error?.code ?? '');
    if (code.endsWith('Security.Unauthorized')) return { auth: 'refused', message: firstLine(error.message) };
    if (code.endsWith('Security.AuthenticationRateLimit')) return { auth: 'rate-limited', message: firstLine(error.message) };
    if (code.endsWith('Security.CredentialsExpired')) return { auth: 'expired', message: firstLine(error.message) };
    const message = firstLine(error?.message ?? error);
    if (/acquisition timed out/i.test(message)) return { error: 'no Bolt handshake within 3 s' };
    return { error: message || code || 'no answer' };
  });
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ error: `no Bolt answer within ${timeoutMs / 1000} s` }), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    await Promise.race([driver.close().catch(() => {}), sleep(1000)]);
  }
}

function credentialsError(cfg, probe, paths) {
  if (probe.auth === 'expired') {
    return new ServiceError(
      `Neo4j at ${cfg.NEO4J_URI} wants its initial password changed (its data was created without one); ` +
        `set it with cypher-shell, or delete ${paths.data} to start over`,
    );
  }
  const ours =
    paths && existsSync(paths.data) ? `; the local database in ${paths.data} keeps the password it was created with (delete that folder to start over)` : '';
  const limited = probe.auth === 'rate-limited' ? ' (too many failed attempts: Neo4j locks the user for a few seconds)' : '';
  return new ServiceError(
    `Neo4j at ${cfg.NEO4J_URI} rejected the credentials of user ${cfg.NEO4J_USER}${limited}: set NEO4J_PASSWORD (environment or .env) to its password${ours}`,
  );
}

function javaMajor(java) {
  const res = run(java, ['-version']);
  const m = /version "(\d+)(?:\.(\d+))?/.exec(`${res.stderr ?? ''}${res.stdout ?? ''}`);
  if (!m) return null;
  return m[1] === '1' ? Number(m[2]) : Number(m[1]);
}

/** A Java that Neo4j 5.26 runs on (17 to 21): $JAVA_HOME, `java` on PATH, then /usr/lib/jvm. */
function findJava(env) {
  const candidates = [];
  if (env.JAVA_HOME) candidates.push(join(env.JAVA_HOME, 'bin', 'java'));
  const onPath = which('java');
  if (onPath) candidates.push(onPath);
  if (existsSync('/usr/lib/jvm')) {
    for (const dir of readdirSync('/usr/lib/jvm').sort()) candidates.push(join('/usr/lib/jvm', dir, 'bin', 'java'));
  }
  const seen = [];
  for (const java of candidates) {
    if (!existsSync(java)) continue;
    const major = javaMajor(java);
    if (major >= 17 && major <= 21) return { java, major };
    if (major) seen.push(`${java} is Java ${major}`);
  }
  return { java: null, seen };
}

const libDir = (root) => join(root, 'tools', 'neo4j', 'lib');
const versionMarker = (root) => join(libDir(root), '.neo4j-version');

function jarsReady(root) {
  const lib = libDir(root);
  return (
    existsSync(versionMarker(root)) &&
    readFileSync(versionMarker(root), 'utf8').trim() === NEO4J_VERSION &&
    existsSync(join(lib, `neo4j-${NEO4J_VERSION}.jar`)) &&
    existsSync(join(lib, `neo4j-bolt-${NEO4J_VERSION}.jar`))
  );
}

/** Java 17+ and, when the jars are not there yet, Maven: installed from Debian packages when root, else the command to run. */
function ensureToolchain(root, env, say) {
  let { java, seen } = findJava(env);
  const needMaven = !jarsReady(root) && !which('mvn');
  const packages = [...(java ? [] : ['openjdk-17-jre-headless']), ...(needMaven ? ['maven'] : [])];
  if (packages.length) {
    const why = [
      java ? null : `Java 17 not found${seen?.length ? ` (${seen.join('; ')})` : ''}`,
      needMaven ? 'Maven not found (it fetches the Neo4j jars)' : null,
    ]
      .filter(Boolean)
      .join(' and ');
    installPackages(packages, `${why}; Neo4j ${NEO4J_VERSION} needs Java 17 or 21`, say);
    ({ java } = findJava(env));
    if (!java) throw new ServiceError('Java 17 is still not found after installing openjdk-17-jre-headless: set JAVA_HOME to a Java 17 or 21');
    if (needMaven && !which('mvn')) throw new ServiceError('Maven is still not found after installing it: put `mvn` on PATH');
  }
  return java;
}

/** Copies the Neo4j jars from Maven Central into tools/neo4j/lib (once, about 120 MB), showing progress. */
export async function ensureJars(root, say, tty = Boolean(process.stdout.isTTY)) {
  if (jarsReady(root)) return libDir(root);
  const lib = libDir(root);
  // Jars of another version on the same classpath would clash: start from an empty folder.
  if (existsSync(lib)) for (const f of readdirSync(lib)) if (f.endsWith('.jar') || f.startsWith('.')) rmSync(join(lib, f), { force: true });
  const pom = join(root, 'tools', 'neo4j', 'pom.xml');
  say(`  fetching the Neo4j ${NEO4J_VERSION} jars with Maven into ${relative(root, lib)}/ (first time only: about 150 MB with Maven's own plugins)…`);
  const started = Date.now();
  let files = 0;
  let bytes = 0;
  let shownBytes = 0;
  let shownAt = Date.now();
  const errors = [];
  const show = (final = false) => {
    const text = `  ${files} files downloaded, ${(bytes / 1024 ** 2).toFixed(1)} MB, ${Math.round((Date.now() - started) / 1000)} s`;
    if (tty) process.stdout.write(`\r${text}${final ? '\n' : ''}`);
    else if (final ? bytes > shownBytes : bytes - shownBytes >= 20 * 1024 ** 2 || Date.now() - shownAt >= 5000) {
      say(text);
      shownBytes = bytes;
      shownAt = Date.now();
    }
  };
  const code = await stream('mvn', ['-B', '-Dstyle.color=never', '-f', pom, 'package'], (line) => {
    const m = /Downloaded from \S+: \S+ \((\d+(?:\.\d+)?) (B|kB|MB|GB)/.exec(line);
    if (m) {
      files++;
      bytes += Number(m[1]) * { B: 1, kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[m[2]];
      show();
    } else if (/^\[ERROR\]/.test(line)) errors.push(line);
  });
  if (files) show(true);
  if (code !== 0) {
    throw new ServiceError(
      `Maven could not fetch the Neo4j jars (exit ${code}); run \`mvn -B -f tools/neo4j/pom.xml package\` to see why` +
        (errors.length ? `:\n${errors.slice(0, 8).join('\n')}` : ''),
    );
  }
  writeFileSync(versionMarker(root), `${NEO4J_VERSION}\n`);
  if (!jarsReady(root)) throw new ServiceError(`Maven ran but tools/neo4j/lib lacks neo4j-${NEO4J_VERSION}.jar: check tools/neo4j/pom.xml`);
  const jars = readdirSync(lib).filter((f) => f.endsWith('.jar')).length;
  say(`  ${jars} jars ready in ${relative(root, lib)}/ (${Math.round((Date.now() - started) / 1000)} s)`);
  return lib;
}

/** Heap, page cache and transaction memory; the defaults shrink on small machines. */
export function neo4jMemory(cfg) {
  const heap = parseSize(cfg.NEO4J_HEAP);
  const pagecache = parseSize(cfg.NEO4J_PAGECACHE);
  if (!(heap > 0)) throw new ServiceError(`NEO4J_HEAP=${cfg.NEO4J_HEAP} is not a size such as 2g or 512m`);
  if (!(pagecache > 0)) throw new ServiceError(`NEO4J_PAGECACHE=${cfg.NEO4J_PAGECACHE} is not a size such as 2g or 512m`);
  // Neo4j caps the memory of all running transactions at 70% of the heap by default; bulk imports
  // run as large transactions, so allow 85% (NEO4J_TX_MEMORY overrides; 0 means no limit).
  if (heap + pagecache > totalmem()) {
    throw new ServiceError(
      `NEO4J_HEAP (${cfg.NEO4J_HEAP}) + NEO4J_PAGECACHE (${cfg.NEO4J_PAGECACHE}) exceed this machine's memory (${jvmSize(totalmem())}): lower them`,
    );
  }
  const tx = cfg.NEO4J_TX_MEMORY ? cfg.NEO4J_TX_MEMORY : jvmSize(heap * 0.85);
  return { heap: jvmSize(heap), pagecache: jvmSize(pagecache), tx };
}

function writeConf(paths, port, mem) {
  for (const dir of ['conf', 'data', 'logs', 'import', 'plugins', 'run']) mkdirSync(join(paths.dir, dir), { recursive: true });
  const lines = [
    '# Written by scripts/lib/neo4j.mjs on every start: edit the code (or NEO4J_* variables), not this file.',
    'server.default_listen_address=127.0.0.1',
    'server.bolt.enabled=true',
    `server.bolt.listen_address=127.0.0.1:${port}`,
    'server.http.enabled=false',
    'server.https.enabled=false',
    `server.directories.data=${paths.data}`,
    `server.directories.logs=${paths.logs}`,
    `server.directories.import=${join(paths.dir, 'import')}`,
    `server.directories.plugins=${join(paths.dir, 'plugins')}`,
    `server.directories.run=${join(paths.dir, 'run')}`,
    'dbms.security.auth_enabled=true',
    `server.memory.pagecache.size=${mem.pagecache}`,
    `dbms.memory.transaction.total.max=${mem.tx}`,
    'dbms.usage_report.enabled=false',
    // Keep transaction logs small: a development database, rebuilt from the generator at will.
    'db.tx_log.rotation.retention_policy=2 files',
    'dbms.security.allow_csv_import_from_file_urls=true',
  ];
  writeFileSync(join(paths.conf, 'neo4j.conf'), `${lines.join('\n')}\n`);
}

/** Where the logs end now, so that a failure shows only what this start wrote. */
function logMark(paths) {
  const size = (file) => (existsSync(file) ? statSync(file).size : 0);
  return { [paths.log]: size(paths.log), [paths.console]: size(paths.console) };
}

function linesSince(file, mark) {
  if (!existsSync(file)) return [];
  if (!mark) return tailFile(file, 25).split('\n');
  const text = readFileSync(file);
  const from = text.length >= (mark[file] ?? 0) ? (mark[file] ?? 0) : 0;
  return text
    .subarray(from)
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim());
}

/** The log tails to show when Neo4j fails to start (only what this start wrote, given a mark). */
function logTails(paths, mark) {
  const parts = [];
  for (const file of [paths.log, paths.console]) {
    const lines = linesSince(file, mark).slice(-25);
    if (lines.some((l) => l.trim())) parts.push(`--- last lines of ${file} ---\n${lines.join('\n')}`);
  }
  return parts.length ? `\n${parts.join('\n')}` : '';
}

/** The first ERROR line (or exception) this start logged, shortened, for the one-line reason. */
function firstError(paths, mark) {
  for (const file of [paths.log, paths.console]) {
    const line = linesSince(file, mark).find((l) => /\bERROR\b|Exception|Error:/.test(l));
    if (line) return line.replace(/^\S+ \S+ ERROR\s+/, '').slice(0, 300);
  }
  return null;
}

/** Waits until Bolt answers `RETURN 1` with our credentials, the process exits, or the deadline passes. */
async function waitReady(cfg, paths, pid, timeoutMs, mark) {
  const started = Date.now();
  const deadline = started + timeoutMs;
  let last = '';
  let dots = 0;
  const tty = cfg.tty ?? Boolean(process.stdout.isTTY);
  const endDots = () => tty && dots && process.stdout.write('\n');
  while (Date.now() < deadline) {
    if (!pidAlive(pid)) {
      endDots();
      const reason = firstError(paths, mark);
      throw new ServiceError(`Neo4j (pid ${pid}) exited during startup${reason ? `: ${reason}` : `; see ${paths.log}`}${logTails(paths, mark)}`);
    }
    const probe = await probeNeo4j(cfg);
    if (probe.ok) {
      endDots();
      return (Date.now() - started) / 1000;
    }
    if (probe.auth) {
      // Bolt only opens once the system database is up, so a refusal is final: the data
      // folder was created with another password. Stop asking (Neo4j rate-limits failures).
      endDots();
      const error = credentialsError(cfg, probe, paths);
      error.message += ` (that Neo4j keeps running, pid ${pid}: \`npm run services:down\` stops it)`;
      throw error;
    }
    last = probe.error;
    if (tty) process.stdout.write(dots++ ? '.' : '  waiting for Bolt');
    await sleep(500);
  }
  endDots();
  throw new ServiceError(
    `Neo4j (pid ${pid}) did not answer on ${cfg.NEO4J_URI} within ${Math.round(timeoutMs / 1000)} s (last: ${last}); ` +
      `it is left running in case it is only slow (a large store recovering): rerun \`npm run services:up\` to wait again, ` +
      `or \`npm run services:down\` to stop it${logTails(paths, mark)}`,
  );
}

/**
 * Reuses the Neo4j answering at NEO4J_URI with the configured credentials, else starts one on
 * 127.0.0.1:<port> with its data in <home>/neo4j. Resolves with the service row.
 */
export async function ensureNeo4j(cfg, say) {
  const { ROOT: root, home } = cfg;
  const paths = neo4jPaths(home);
  const { host, port } = boltAddress(cfg.NEO4J_URI);
  const row = { service: 'Neo4j', address: cfg.NEO4J_URI, log: null };
  const ownPid = ownNeo4jPid(home);
  const probe = await probeNeo4j(cfg);
  if (probe.ok) return { ...row, state: 'reused', ours: Boolean(ownPid), pid: ownPid, log: ownPid ? paths.log : null };
  if (probe.auth) {
    const onOurData = ownPid || findProcesses([ENTRY_POINT, `--home-dir=${paths.dir}`]).length > 0;
    throw credentialsError(cfg, probe, onOurData ? paths : null);
  }
  if (!isLoopback(host)) throw new ServiceError(`cannot reach Neo4j at ${cfg.NEO4J_URI}: ${probe.error}`);

  const startTimeout = Number(cfg.NEO4J_START_TIMEOUT ?? 90) * 1000;
  if (ownPid && ownNeo4jPort(home) !== port) {
    throw new ServiceError(
      `the Neo4j that Tiersight started on ${paths.dir} (pid ${ownPid}) listens on port ${ownNeo4jPort(home)}, not on port ${port} of NEO4J_URI; ` +
        'one data folder takes one server: run `npm run services:down` first, or set NEO4J_URI (or TIERSIGHT_HOME) back',
    );
  }
  if (ownPid) {
    // Started by an earlier `up` and still coming up (recovery after a crash can take a while).
    say(`  Neo4j (pid ${ownPid}, started earlier by Tiersight) is not answering yet; waiting for it…`);
    const seconds = await waitReady(cfg, paths, ownPid, startTimeout, null);
    return { ...row, state: 'reused', ours: true, pid: ownPid, log: paths.log, seconds };
  }
  if (await portOpen(host, port)) {
    const who = listenerOf(port) ?? 'another process';
    throw new ServiceError(
      `port ${port} taken by ${who}, which does not answer as a Neo4j with these credentials (Bolt: ${probe.error}): ` +
        `stop it, or set NEO4J_URI to a free port such as bolt://127.0.0.1:${port + 2}`,
    );
  }
  // One process per data folder (store lock): a Neo4j on this home but another port would block ours.
  const sharing = findProcesses([ENTRY_POINT, `--home-dir=${paths.dir}`]);
  if (sharing.length) {
    throw new ServiceError(
      `another Neo4j (pid ${sharing.join(', ')}) already uses ${paths.dir} on another port: stop it, or set TIERSIGHT_HOME to another folder`,
    );
  }

  const t0 = Date.now();
  const mem = neo4jMemory(cfg);
  const firstBoot = !existsSync(paths.initMarker) && !existsSync(join(paths.data, 'databases', 'system'));
  if (firstBoot && cfg.NEO4J_USER !== 'neo4j') {
    throw new ServiceError(`a new local Neo4j database only has user neo4j: set NEO4J_USER=neo4j (it is ${cfg.NEO4J_USER})`);
  }
  if (firstBoot && cfg.NEO4J_PASSWORD.length < 8) throw new ServiceError('NEO4J_PASSWORD must have at least 8 characters for a new Neo4j database');
  const java = ensureToolchain(root, cfg, say);
  const lib = await ensureJars(root, say, cfg.tty);
  writeConf(paths, port, mem);
  const classpath = `${lib}/*`; // a literal wildcard for the JVM, never expanded by a shell
  const neoEnv = { ...process.env, NEO4J_HOME: paths.dir, NEO4J_CONF: paths.conf };
  if (firstBoot) {
    // User neo4j starts with password "neo4j" and "change required"; the initial password is
    // only taken before the very first start of the database.
    say('  new database: setting the initial password of user neo4j');
    const res = run(java, [...JVM_OPENS, '-cp', classpath, 'org.neo4j.cli.AdminTool', 'dbms', 'set-initial-password', cfg.NEO4J_PASSWORD], { env: neoEnv });
    if (res.status !== 0) {
      throw new ServiceError(`could not set the initial Neo4j password: ${firstLine(`${res.stderr}`.trim().split('\n').pop() || res.stdout)}`);
    }
  }

  mkdirSync(paths.logs, { recursive: true });
  const mark = logMark(paths);
  const out = openSync(paths.console, 'a');
  const args = [
    ...JVM_OPENS,
    `-Xms${mem.heap}`,
    `-Xmx${mem.heap}`,
    ...JVM_FLAGS,
    '-cp',
    classpath,
    ENTRY_POINT,
    `--home-dir=${paths.dir}`,
    `--config-dir=${paths.conf}`,
  ];
  const child = spawn(java, args, { cwd: paths.dir, detached: true, stdio: ['ignore', out, out], env: neoEnv });
  closeSync(out);
  const spawnError = await new Promise((resolve) => {
    child.once('error', resolve);
    child.once('spawn', () => resolve(null));
  });
  if (spawnError) throw new ServiceError(`could not run ${java}: ${spawnError.message}`);
  child.unref();
  writeFileSync(paths.pidfile, `${child.pid}\n`);
  say(`  starting Neo4j ${NEO4J_VERSION} on 127.0.0.1:${port} (pid ${child.pid}, heap ${mem.heap}, page cache ${mem.pagecache}, data in ${paths.data})`);
  await waitReady(cfg, paths, child.pid, startTimeout, mark);
  const seconds = (Date.now() - t0) / 1000;
  if (firstBoot) writeFileSync(paths.initMarker, `${new Date().toISOString()} initial password set for user neo4j\n`);
  return { ...row, state: 'started', ours: true, pid: child.pid, log: paths.log, seconds };
}

export async function neo4jStatus(cfg) {
  const { host, port } = boltAddress(cfg.NEO4J_URI);
  const probe = await probeNeo4j(cfg);
  const pid = ownNeo4jPid(cfg.home);
  let state;
  if (probe.ok) state = 'up';
  else if (probe.auth) state = 'up, credentials refused';
  else if (pid && ownNeo4jPort(cfg.home) !== port) state = `down (Tiersight's Neo4j, pid ${pid}, listens on port ${ownNeo4jPort(cfg.home)})`;
  else if (pid) state = 'starting';
  else state = (await portOpen(host, port)) ? `port taken by ${listenerOf(port) ?? 'another process'}` : 'down';
  return {
    service: 'Neo4j',
    state,
    address: cfg.NEO4J_URI,
    ours: Boolean(pid),
    pid,
    log: pid ? neo4jPaths(cfg.home).log : null,
    answers: Boolean(probe.ok || probe.auth),
  };
}
