// Neo4j Community 5.26 from Maven Central jars, started with Java 17/21 (see docs/adr/0001).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { ensurePackages, listenerOf, log, pidAlive, portOpen, run, ServiceError, stream, waitUntil, which } from './shell.mjs';

export const NEO4J_VERSION = '5.26.30';
const JVM_OPENS = [
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '--enable-native-access=ALL-UNNAMED',
  '-Dio.netty.tryReflectionSetAccessible=true',
];

export function boltAddress(uri) {
  const url = new URL(uri.replace(/^(bolt|neo4j)(\+s|\+ssc)?:/, 'http:'));
  return { host: url.hostname, port: Number(url.port || 7687) };
}

const isLoopback = (host) => host === 'localhost' || host === '::1' || host.startsWith('127.');

/** 'ok' when Bolt answers with these credentials, 'auth' when it refuses them, else the connection error. */
export async function probeNeo4j(env) {
  const driver = neo4j.driver(env.NEO4J_URI, neo4j.auth.basic(env.NEO4J_USER, env.NEO4J_PASSWORD), {
    connectionTimeout: 2000,
    maxConnectionLifetime: 5000,
  });
  try {
    // verifyAuthentication resolves false (it does not throw) when the credentials are refused.
    return (await driver.verifyAuthentication()) ? 'ok' : 'auth';
  } catch (error) {
    if (String(error.code).includes('Unauthorized') || String(error.code).includes('AuthenticationRateLimit')) return 'auth';
    return error.message.split('\n')[0];
  } finally {
    await driver.close();
  }
}

function javaMajor(javaBin) {
  const res = run(javaBin, ['-version']);
  const m = /version "(\d+)(?:\.(\d+))?/.exec(`${res.stderr}${res.stdout}`);
  if (!m) return null;
  return m[1] === '1' ? Number(m[2]) : Number(m[1]);
}

/** A Java that Neo4j 5.26 supports (17 or 21): JAVA_HOME, `java` on PATH, then /usr/lib/jvm. */
async function findJava(env) {
  const candidates = [];
  if (env.JAVA_HOME) candidates.push(join(env.JAVA_HOME, 'bin', 'java'));
  if (which('java')) candidates.push('java');
  if (existsSync('/usr/lib/jvm')) {
    for (const dir of readdirSync('/usr/lib/jvm').sort()) candidates.push(join('/usr/lib/jvm', dir, 'bin', 'java'));
  }
  for (const java of candidates) {
    const major = javaMajor(java);
    if (major === 17 || major === 21) return java;
  }
  await ensurePackages(['openjdk-17-jre-headless'], 'Java 17 not found (Neo4j 5.26 needs Java 17 or 21)');
  return findJava({ ...env, JAVA_HOME: '/usr/lib/jvm/java-17-openjdk-amd64' });
}

/** Copies the Neo4j jars from Maven Central into tools/neo4j/lib once (about 120 MB), with visible progress. */
async function ensureJars(root) {
  const toolDir = join(root, 'tools', 'neo4j');
  const marker = join(toolDir, 'lib', '.neo4j-version');
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === NEO4J_VERSION) return join(toolDir, 'lib');
  if (!which('mvn')) await ensurePackages(['maven'], 'Maven not found (it fetches the Neo4j jars)');
  log(`  fetching Neo4j ${NEO4J_VERSION} jars from Maven Central (once, about 120 MB)…`);
  let downloads = 0;
  const code = await stream('mvn', ['-B', '-f', join(toolDir, 'pom.xml'), 'package'], (line) => {
    if (/Downloaded from/.test(line)) {
      downloads++;
      if (process.stdout.isTTY) process.stdout.write(`\r  ${downloads} artifacts downloaded`);
      else if (downloads % 50 === 0) log(`  ${downloads} artifacts downloaded`);
    } else if (/\[ERROR\]/.test(line)) log(`  ${line}`);
  });
  if (process.stdout.isTTY && downloads) process.stdout.write('\n');
  if (code !== 0) throw new ServiceError(`Maven could not fetch the Neo4j jars (exit ${code}); rerun \`mvn -f tools/neo4j/pom.xml package\` to see why`);
  writeFileSync(marker, `${NEO4J_VERSION}\n`);
  log(`  jars ready in tools/neo4j/lib`);
  return join(toolDir, 'lib');
}

function writeConf(home, port, env) {
  for (const dir of ['conf', 'data', 'logs', 'import', 'plugins']) mkdirSync(join(home, dir), { recursive: true });
  const conf = [
    'server.default_listen_address=127.0.0.1',
    'server.bolt.enabled=true',
    `server.bolt.listen_address=127.0.0.1:${port}`,
    'server.http.enabled=false',
    'server.https.enabled=false',
    `server.directories.data=${join(home, 'data')}`,
    `server.directories.logs=${join(home, 'logs')}`,
    `server.directories.import=${join(home, 'import')}`,
    `server.directories.plugins=${join(home, 'plugins')}`,
    'dbms.security.auth_enabled=true',
    `server.memory.pagecache.size=${env.NEO4J_PAGECACHE ?? '2g'}`,
    'dbms.usage_report.enabled=false',
    'db.tx_log.rotation.retention_policy=2 files',
    'dbms.security.allow_csv_import_from_file_urls=true',
  ];
  writeFileSync(join(home, 'conf', 'neo4j.conf'), `${conf.join('\n')}\n`);
}

function tail(file, lines = 15) {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

export async function ensureNeo4j(root, home, env) {
  const { host, port } = boltAddress(env.NEO4J_URI);
  const probe = await probeNeo4j(env);
  if (probe === 'ok') return { state: 'reused', address: env.NEO4J_URI };
  if (probe === 'auth') throw new ServiceError(`Neo4j at ${env.NEO4J_URI} rejected the credentials of ${env.NEO4J_USER}: set NEO4J_PASSWORD to its password`);
  if (!isLoopback(host)) throw new ServiceError(`cannot reach Neo4j at ${env.NEO4J_URI}: ${probe}`);
  if (await portOpen(host, port)) {
    throw new ServiceError(`port ${port} is taken by ${listenerOf(port) ?? 'another process'}, which does not answer as Neo4j: stop it or set NEO4J_URI to another port`);
  }
  const java = await findJava(env);
  const lib = await ensureJars(root);
  writeConf(home, port, env);
  const classpath = `${lib}/*`;
  const neoEnv = { ...process.env, NEO4J_HOME: home, NEO4J_CONF: join(home, 'conf') };
  if (!existsSync(join(home, 'data', 'dbms', 'auth.ini'))) {
    // The initial password only takes effect before the very first start.
    const res = run(java, [...JVM_OPENS, '-cp', classpath, 'org.neo4j.cli.AdminTool', 'dbms', 'set-initial-password', env.NEO4J_PASSWORD], { env: neoEnv });
    if (res.status !== 0) throw new ServiceError(`could not set the Neo4j password: ${(res.stderr || res.stdout).trim().split('\n').pop()}`);
  }
  const consoleLog = join(home, 'logs', 'console.log');
  const out = openSync(consoleLog, 'a');
  const child = spawn(
    java,
    [...JVM_OPENS, `-Xms${env.NEO4J_HEAP ?? '2g'}`, `-Xmx${env.NEO4J_HEAP ?? '2g'}`, '-XX:+UseG1GC', '-cp', classpath, 'org.neo4j.server.CommunityEntryPoint', `--home-dir=${home}`, `--config-dir=${join(home, 'conf')}`],
    { detached: true, stdio: ['ignore', out, out], env: neoEnv },
  );
  closeSync(out);
  child.unref();
  writeFileSync(join(home, 'neo4j.pid'), `${child.pid}\n`);
  log(`  starting Neo4j ${NEO4J_VERSION} on 127.0.0.1:${port} (pid ${child.pid})…`);
  try {
    await waitUntil('Neo4j', async () => {
      if (!pidAlive(child.pid)) throw new ServiceError('the Neo4j process exited');
      return (await probeNeo4j(env)) === 'ok' ? true : 'Bolt not answering yet';
    }, 120_000, 500);
  } catch (error) {
    throw new ServiceError(`${error.message}\n--- ${join(home, 'logs', 'neo4j.log')} ---\n${tail(join(home, 'logs', 'neo4j.log'))}\n--- ${consoleLog} ---\n${tail(consoleLog)}`);
  }
  return { state: 'started', address: env.NEO4J_URI, pid: child.pid, log: join(home, 'logs', 'neo4j.log') };
}
