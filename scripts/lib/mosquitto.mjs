// Mosquitto for local runs: reuse the broker answering an MQTT CONNECT at MQTT_URL, else start
// `mosquitto` (Debian package mosquitto) on loopback with its config and data in <home>/mosquitto.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { firstLine, installPackages, isLoopback, isRoot, listenerOf, ownedPid, portOpen, run, ServiceError, tailFile, waitUntil, which } from './shell.mjs';

export function mqttAddress(uri) {
  let url;
  try {
    url = new URL(uri);
  } catch {
    throw new ServiceError(`MQTT_URL=${uri} is not a URL like mqtt://127.0.0.1:1883`);
  }
  if (!/^(mqtt|tcp):$/.test(url.protocol)) throw new ServiceError(`MQTT_URL=${uri} must start with mqtt://`);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || 1883),
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}

export const mosquittoPaths = (home) => {
  const dir = join(home, 'mosquitto');
  return { dir, conf: join(dir, 'mosquitto.conf'), pidfile: join(dir, 'mosquitto.pid'), log: join(dir, 'mosquitto.log') };
};

const utf8 = (text) => {
  const bytes = Buffer.from(text, 'utf8');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(bytes.length);
  return Buffer.concat([len, bytes]);
};

/** An MQTT 3.1.1 CONNECT packet (clean session, keep-alive 10 s). */
function connectPacket({ username, password }) {
  const flags = 0x02 | (username ? 0x80 : 0) | (username && password ? 0x40 : 0);
  const body = Buffer.concat([
    utf8('MQTT'),
    Buffer.from([0x04, flags, 0x00, 0x0a]),
    utf8(`tiersight-probe-${process.pid}`),
    ...(username ? [utf8(username)] : []),
    ...(username && password ? [utf8(password)] : []),
  ]);
  const length = [];
  let n = body.length;
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    length.push(byte);
  } while (n > 0);
  return Buffer.concat([Buffer.from([0x10, ...length]), body]);
}

const CONNACK_CODES = {
  1: 'unacceptable protocol version',
  2: 'client id rejected',
  3: 'server unavailable',
  4: 'bad user name or password',
  5: 'not authorized',
};

/** MQTT CONNECT → CONNACK handshake. Resolves with { ok: true } | { auth: reason } | { error: reason }; never throws. */
export function probeMqtt(uri, timeoutMs = 2000) {
  const address = mqttAddress(uri);
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    const socket = net.connect({ host: address.host, port: address.port });
    const done = (result) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done({ error: 'no MQTT answer (timeout)' }));
    socket.once('error', (error) => done({ error: error.code === 'ECONNREFUSED' ? 'connection refused' : error.message }));
    socket.once('connect', () => socket.write(connectPacket(address)));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      if (received[0] !== 0x20 || received[1] !== 0x02) return done({ error: 'the port answers, but not as an MQTT broker' });
      const code = received[3];
      if (code === 0) {
        socket.end(Buffer.from([0xe0, 0x00])); // DISCONNECT
        return done({ ok: true });
      }
      const reason = CONNACK_CODES[code] ?? `CONNACK code ${code}`;
      return done(code === 4 || code === 5 ? { auth: reason } : { error: `broker refused the connection: ${reason}` });
    });
    socket.once('end', () => done({ error: 'the port closed the connection without an MQTT answer' }));
  });
}

/** Pid of the mosquitto this module started for this home (listening on `port`, when given). */
export function ownMosquittoPid(home, port) {
  const paths = mosquittoPaths(home);
  const pid = ownedPid(paths.pidfile, ['mosquitto', paths.conf]);
  if (!pid || !port) return pid;
  try {
    const m = /^listener (\d+)/m.exec(readFileSync(paths.conf, 'utf8'));
    return m && Number(m[1]) === port ? pid : null;
  } catch {
    return null;
  }
}

export async function ensureMosquitto(cfg, say) {
  const { host, port } = mqttAddress(cfg.MQTT_URL);
  const paths = mosquittoPaths(cfg.home);
  const row = { service: 'Mosquitto', address: cfg.MQTT_URL, log: null };
  const ownPid = ownMosquittoPid(cfg.home, port);
  const probe = await probeMqtt(cfg.MQTT_URL);
  if (probe.ok) return { ...row, state: 'reused', ours: Boolean(ownPid), pid: ownPid, log: ownPid ? paths.log : null };
  if (probe.auth)
    throw new ServiceError(
      `the MQTT broker at ${cfg.MQTT_URL} refused the connection (${probe.auth}): put a user and password in MQTT_URL, as mqtt://USER:PASSWORD@${host}:${port}`,
    );
  if (!isLoopback(host)) throw new ServiceError(`cannot reach the MQTT broker at ${cfg.MQTT_URL}: ${probe.error}`);
  if (!ownPid && (await portOpen(host, port))) {
    throw new ServiceError(
      `port ${port} taken by ${listenerOf(port) ?? 'another process'}, which does not answer as an MQTT broker (${probe.error}): ` +
        `stop it, or set MQTT_URL to a free port such as mqtt://127.0.0.1:${port + 1} (or SERVICES_MQTT=off)`,
    );
  }
  if (!ownPid && ownMosquittoPid(cfg.home)) {
    throw new ServiceError(
      `the Mosquitto that Tiersight started in ${paths.dir} (pid ${ownMosquittoPid(cfg.home)}) listens on another port than MQTT_URL=${cfg.MQTT_URL}: ` +
        'run `npm run services:down` first, or set MQTT_URL back',
    );
  }
  const started = Date.now();
  if (!ownPid) {
    if (!which('mosquitto')) installPackages(['mosquitto'], 'mosquitto not found', say);
    const binary = which('mosquitto');
    if (!binary) throw new ServiceError('mosquitto is still not found after installing it: put it on PATH');
    mkdirSync(paths.dir, { recursive: true });
    rmSync(paths.pidfile, { force: true });
    const lines = [
      '# Written by scripts/lib/mosquitto.mjs on every start.',
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence true',
      `persistence_location ${paths.dir}/`,
      `pid_file ${paths.pidfile}`,
      `log_dest file ${paths.log}`,
      'log_type error',
      'log_type warning',
      'log_type notice',
      'log_timestamp_format %Y-%m-%dT%H:%M:%S',
      // Started as root, mosquitto switches to user "mosquitto", which cannot write into this folder.
      ...(isRoot() ? [`user ${userInfo().username}`] : []),
    ];
    writeFileSync(paths.conf, `${lines.join('\n')}\n`);
    const res = run(binary, ['-d', '-c', paths.conf]);
    if (res.status !== 0) {
      const tail = tailFile(paths.log, 10);
      throw new ServiceError(
        `mosquitto failed to start (exit ${res.status}): ${firstLine(`${res.stderr}${res.stdout}`)}${tail ? `\n--- last lines of ${paths.log} ---\n${tail}` : ''}`,
      );
    }
    say(`  starting Mosquitto on 127.0.0.1:${port} (data in ${paths.dir})`);
  }
  try {
    await waitUntil(
      'Mosquitto',
      async () => {
        const p = await probeMqtt(cfg.MQTT_URL);
        return p.ok ? true : (p.auth ?? p.error);
      },
      15_000,
      200,
    );
  } catch (error) {
    const tail = tailFile(paths.log, 15);
    throw new ServiceError(`${error.message}${tail ? `\n--- last lines of ${paths.log} ---\n${tail}` : ''}`);
  }
  return {
    ...row,
    state: ownPid ? 'reused' : 'started',
    ours: true,
    pid: ownMosquittoPid(cfg.home, port),
    log: paths.log,
    seconds: (Date.now() - started) / 1000,
  };
}

export async function mosquittoStatus(cfg) {
  const { host, port } = mqttAddress(cfg.MQTT_URL);
  const probe = await probeMqtt(cfg.MQTT_URL);
  const pid = ownMosquittoPid(cfg.home, port);
  let state;
  if (probe.ok) state = 'up';
  else if (probe.auth) state = `up, refused: ${probe.auth}`;
  else state = (await portOpen(host, port)) ? `port taken by ${listenerOf(port) ?? 'another process'}` : 'down';
  return {
    service: 'Mosquitto',
    state,
    address: cfg.MQTT_URL,
    ours: Boolean(pid),
    pid,
    log: pid ? mosquittoPaths(cfg.home).log : null,
    answers: Boolean(probe.ok || probe.auth),
  };
}
