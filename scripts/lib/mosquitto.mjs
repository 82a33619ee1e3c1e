// Mosquitto: reuse the broker at MQTT_URL, else start one on loopback.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { ensurePackages, isRoot, log, portOpen, run, ServiceError, waitUntil, which } from './shell.mjs';

export function mqttAddress(uri) {
  const url = new URL(uri);
  return { host: url.hostname, port: Number(url.port || 1883) };
}

export async function ensureMosquitto(home, env) {
  const { host, port } = mqttAddress(env.MQTT_URL);
  if (await portOpen(host, port)) return { state: 'reused', address: env.MQTT_URL };
  if (!(host === 'localhost' || host.startsWith('127.'))) throw new ServiceError(`cannot reach the MQTT broker at ${env.MQTT_URL}`);
  const binary = which('mosquitto') ?? (which('/usr/sbin/mosquitto') ? '/usr/sbin/mosquitto' : null);
  if (!binary) await ensurePackages(['mosquitto'], 'mosquitto not found');
  const dir = join(home, 'mosquitto');
  mkdirSync(dir, { recursive: true });
  const pidfile = join(dir, 'mosquitto.pid');
  const logfile = join(dir, 'mosquitto.log');
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, [
    `listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence true', `persistence_location ${dir}/`,
    `pid_file ${pidfile}`, `log_dest file ${logfile}`,
    // Run as root, mosquitto drops to the 'mosquitto' user, which cannot write into the project folder.
    ...(isRoot() ? [`user ${userInfo().username}`] : []), '',
  ].join('\n'));
  const res = run(which('mosquitto') ?? '/usr/sbin/mosquitto', ['-d', '-c', conf]);
  if (res.status !== 0) throw new ServiceError(`mosquitto failed to start: ${(res.stderr || res.stdout).trim()}`);
  log(`  starting Mosquitto on 127.0.0.1:${port}…`);
  await waitUntil('Mosquitto', async () => ((await portOpen(host, port)) ? true : 'port closed'), 15_000);
  return { state: 'started', address: env.MQTT_URL, pidfile, log: logfile };
}
