// A simulated cold-chain sensor stream over MQTT: SenML packs (RFC 8428) of
// fridge temperatures that run normally, go through one excursion long enough
// to trip the default `too-warm` rule (above 8 °C for 60 minutes) and recover.
//
//   import { publishSimulatedReadings } from '../tools/telemetry-sim/telemetry-sim.mjs';
//   await publishSimulatedReadings({ mqttUrl: 'mqtt://127.0.0.1:1883', sensors: ['fridge-1'] });
//
//   node tools/telemetry-sim/telemetry-sim.mjs --sensor fridge-1 [--sensor fridge-2]
//     [--url mqtt://127.0.0.1:1883] [--topic tiersight/telemetry/sim] [--phase all|excursion|recovery]
//     [--start 2024-05-01T08:00:00Z] [--interval-ms 0] [--dry-run]
//
// Readings are 5 minutes apart in simulated time (compressed: `intervalMs`
// between packs in real time). The sensors must be registered first
// (PUT /v1/sensors/:id with metric "temperature" and unit "Cel").
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

export const STEP_SECONDS = 300;
/** One hour normal, two hours warm, one hour normal again (5-minute steps). */
const LEAD_STEPS = 12;
const WARM_STEPS = 24;
const TAIL_STEPS = 12;
const TOTAL_STEPS = LEAD_STEPS + WARM_STEPS + TAIL_STEPS;
/** Readings 0 … EXCURSION_END-1 hold the lead-in and the warm run (the rule trips); the rest the recovery. */
export const EXCURSION_END = LEAD_STEPS + WARM_STEPS;

/** A small deterministic generator, so a run can be repeated exactly. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The temperature profile of one sensor: ≈5 °C, a ramp to ≈11.5 °C (never faster than 0.6 °C/min), back to ≈5 °C. */
export function coldChainProfile(index, startSeconds) {
  const next = random(index + 1);
  const readings = [];
  for (let i = 0; i < TOTAL_STEPS; i++) {
    let base = 5;
    if (i >= LEAD_STEPS && i < EXCURSION_END) base = Math.min(11.5, 5 + 2.5 * (i - LEAD_STEPS + 1));
    else if (i >= EXCURSION_END) base = Math.max(5, 11.5 - 2.5 * (i - EXCURSION_END + 1));
    const v = Math.round((base + (next() - 0.5) * 0.4) * 100) / 100;
    readings.push({ t: startSeconds + i * STEP_SECONDS, v });
  }
  return readings;
}

/** SenML packs of at most `packSize` readings: base name, base time and base unit on the first record, relative times after. */
export function toSenmlPacks(sensorId, readings, packSize = 6) {
  const packs = [];
  for (let i = 0; i < readings.length; i += packSize) {
    const part = readings.slice(i, i + packSize);
    const bt = part[0].t;
    packs.push(part.map((r, j) => (j === 0 ? { bn: sensorId, bt, bu: 'Cel', v: r.v } : { t: r.t - bt, v: r.v })));
  }
  return packs;
}

/**
 * The packs a run publishes, in publishing order (sensors interleaved), with
 * the times at which the default `too-warm` rule raises and clears.
 */
export function simulatedPacks({ sensors, startSeconds, phase = 'all', packSize = 6 }) {
  const bySensor = sensors.map((id, index) => {
    const all = coldChainProfile(index, startSeconds);
    const readings = phase === 'excursion' ? all.slice(0, EXCURSION_END) : phase === 'recovery' ? all.slice(EXCURSION_END) : all;
    return { id, all, packs: toSenmlPacks(id, readings, packSize) };
  });
  const packs = [];
  for (let k = 0; bySensor.some((s) => k < s.packs.length); k++) {
    for (const s of bySensor) if (k < s.packs.length) packs.push({ sensorId: s.id, pack: s.packs[k] });
  }
  const expected = Object.fromEntries(bySensor.map((s) => [s.id, expectedEpisode(s.all)]));
  return { packs, readings: packs.reduce((n, p) => n + p.pack.length, 0), expected };
}

/** When `above 8 °C for 60 minutes` raises and clears on these readings (what the platform should report). */
function expectedEpisode(readings) {
  let since = null;
  let raisedAt = null;
  let clearedAt = null;
  for (const { t, v } of readings) {
    if (v > 8) {
      since ??= t;
      if (raisedAt === null && t - since >= 3600) raisedAt = t;
    } else {
      since = null;
      if (raisedAt !== null && clearedAt === null) clearedAt = t;
    }
  }
  return { raisedAt, clearedAt };
}

/**
 * Publishes the simulated stream over MQTT at QoS 1 and resolves once the
 * broker acknowledged every pack. Returns what was published and when the
 * default `too-warm` rule should raise and clear for each sensor.
 */
export async function publishSimulatedReadings({
  mqttUrl = 'mqtt://127.0.0.1:1883',
  topic = 'tiersight/telemetry/sim',
  sensors,
  startSeconds = Math.floor(Date.now() / 1000 / 60) * 60 - TOTAL_STEPS * STEP_SECONDS,
  phase = 'all',
  packSize = 6,
  intervalMs = 0,
  onPack = () => {},
}) {
  if (!Array.isArray(sensors) || sensors.length === 0) throw new Error('publishSimulatedReadings: give at least one sensor id');
  const plan = simulatedPacks({ sensors, startSeconds, phase, packSize });
  const { default: mqtt } = await import('mqtt');
  const client = await mqtt.connectAsync(mqttUrl, {
    clientId: `tiersight-sim-${process.pid}-${Date.now()}`,
    clean: true,
    connectTimeout: 10_000,
    reconnectPeriod: 0,
  });
  try {
    for (const { sensorId, pack } of plan.packs) {
      await client.publishAsync(`${topic.replace(/\/+$/, '')}/${sensorId}`, JSON.stringify(pack), { qos: 1 });
      onPack({ sensorId, records: pack.length });
      if (intervalMs > 0) await new Promise((r) => setTimeout(r, intervalMs));
    }
  } finally {
    await client.endAsync();
  }
  return { startSeconds, phase, packs: plan.packs.length, readings: plan.readings, expected: plan.expected };
}

async function main() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: process.env.MQTT_URL || 'mqtt://127.0.0.1:1883' },
      topic: { type: 'string', default: 'tiersight/telemetry/sim' },
      sensor: { type: 'string', multiple: true },
      phase: { type: 'string', default: 'all' },
      start: { type: 'string' },
      'interval-ms': { type: 'string', default: '0' },
      'pack-size': { type: 'string', default: '6' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  if (!values.sensor?.length || !['all', 'excursion', 'recovery'].includes(values.phase)) {
    process.stderr.write(
      'usage: node tools/telemetry-sim/telemetry-sim.mjs --sensor ID [--sensor ID…] [--url mqtt://…] [--topic T] [--phase all|excursion|recovery] [--start ISO] [--interval-ms N] [--dry-run]\n',
    );
    process.exit(2);
  }
  const options = { sensors: values.sensor, phase: values.phase, packSize: Number(values['pack-size']) };
  if (values.start) options.startSeconds = Math.floor(Date.parse(values.start) / 1000);
  if (values['dry-run']) {
    options.startSeconds ??= Math.floor(Date.now() / 1000 / 60) * 60 - TOTAL_STEPS * STEP_SECONDS;
    process.stdout.write(`${JSON.stringify({ startSeconds: options.startSeconds, ...simulatedPacks(options) })}\n`);
    return;
  }
  const summary = await publishSimulatedReadings({ ...options, mqttUrl: values.url, topic: values.topic, intervalMs: Number(values['interval-ms']) });
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    process.stderr.write(`telemetry-sim: ${error.message}\n`);
    process.exit(1);
  });
}
