// Local services without Docker: Neo4j (from Maven Central jars), Redis and Mosquitto.
// `ensureServices()` starts what is missing and reuses what answers (idempotent);
// `stopServices()` stops only what it started; `serviceStatus()` reports all three.
// Used by `npm run services:*`, `npm test` and `npm run demo`.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { devEnv, ROOT } from '../dev/dev-env.mjs';
import { ensureMosquitto, mqttAddress } from './mosquitto.mjs';
import { boltAddress, ensureNeo4j, probeNeo4j } from './neo4j.mjs';
import { ensureRedis, pingRedis } from './redis.mjs';
import { log, pidAlive, portOpen, stopPid } from './shell.mjs';

export { ServiceError } from './shell.mjs';

const homeOf = (env) => env.TIERSIGHT_HOME ?? join(ROOT, '.local');
const stateFile = (env) => join(homeOf(env), 'services.json');

function readState(env) {
  try {
    return JSON.parse(readFileSync(stateFile(env), 'utf8'));
  } catch {
    return {};
  }
}

function writeState(env, state) {
  mkdirSync(homeOf(env), { recursive: true });
  writeFileSync(stateFile(env), `${JSON.stringify(state, null, 2)}\n`);
}

const readPid = (file) => (file && existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : null);

export async function ensureServices({ mqtt = true, quiet = false } = {}, env = devEnv()) {
  const home = homeOf(env);
  mkdirSync(home, { recursive: true });
  const state = readState(env);
  const rows = [];
  // The state is written after each start, so a later failure never hides what is already running.
  const neo = await ensureNeo4j(ROOT, join(home, 'neo4j'), env);
  if (neo.state === 'started') writeState(env, Object.assign(state, { neo4j: { pidfile: join(home, 'neo4j', 'neo4j.pid') } }));
  rows.push(['Neo4j', neo]);
  const redis = await ensureRedis(home, env);
  if (redis.state === 'started') writeState(env, Object.assign(state, { redis: { pidfile: redis.pidfile } }));
  rows.push(['Redis', redis]);
  if (mqtt && env.SERVICES_MQTT !== 'off') {
    const broker = await ensureMosquitto(home, env);
    if (broker.state === 'started') writeState(env, Object.assign(state, { mosquitto: { pidfile: broker.pidfile } }));
    rows.push(['Mosquitto', broker]);
  }
  if (!quiet) {
    for (const [name, r] of rows) {
      log(`  ${name.padEnd(10)} ${r.state.padEnd(8)} ${r.address}${r.log ? `   logs: ${r.log}` : ''}`);
    }
  }
  return Object.fromEntries(rows.map(([name, r]) => [name.toLowerCase(), r]));
}

export async function stopServices(env = devEnv()) {
  const state = readState(env);
  for (const name of ['neo4j', 'redis', 'mosquitto']) {
    const pid = readPid(state[name]?.pidfile);
    if (pid && (await stopPid(pid, name, name === 'neo4j' ? 60_000 : 15_000))) log(`  ${name.padEnd(10)} stopped (pid ${pid})`);
    else log(`  ${name.padEnd(10)} not started by Tiersight: left as it is`);
    delete state[name];
  }
  writeState(env, state);
}

export async function serviceStatus(env = devEnv()) {
  const state = readState(env);
  const ours = (name) => (pidAlive(readPid(state[name]?.pidfile)) ? 'started by Tiersight' : 'not started by Tiersight');
  const neo = await probeNeo4j(env);
  const { host, port } = boltAddress(env.NEO4J_URI);
  log(`  Neo4j      ${neo === 'ok' ? 'up' : neo === 'auth' ? 'up (credentials refused)' : (await portOpen(host, port)) ? 'port open, not answering' : 'down'}  ${env.NEO4J_URI}  ${ours('neo4j')}`);
  log(`  Redis      ${(await pingRedis(env.REDIS_URL)) === 'ok' ? 'up' : 'down'}  ${env.REDIS_URL}  ${ours('redis')}`);
  const m = mqttAddress(env.MQTT_URL);
  log(`  Mosquitto  ${(await portOpen(m.host, m.port)) ? 'up' : 'down'}  ${env.MQTT_URL}  ${ours('mosquitto')}`);
}
