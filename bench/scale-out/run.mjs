// npm run bench:scale-out — one API + one worker against two APIs + two workers, in the same run:
// alerts delivered per second (exposure changes on the risk engine's stream → fan-out → BullMQ → signed
// POST to a local receiver) and telemetry readings stored per second (SenML over HTTP → queue → worker),
// each setup with processes, a QUEUE_PREFIX and ids of its own (removed afterwards). Uses the local
// development services (Neo4j, Redis). BENCH_ALERTS (5000), BENCH_READINGS (240000), BENCH_SENSORS (1000)
// and BENCH_CLIENTS (4) size the loads; BENCH_ROUNDS (3) rounds, alternating which setup goes first, the
// median round of each reported. Exits non-zero when an alert or a stored reading is missing.
import { devEnv } from '../../scripts/dev/dev-env.mjs';
import { ensureServices } from '../../scripts/lib/services.mjs';
import { appendResult, fmt as f, runTypeScript } from '../lib/bench.mjs';

const env = devEnv({ SERVICES_MQTT: 'off', LOG_LEVEL: 'warn' });
await ensureServices({ mqtt: false }, env);
const out = runTypeScript('bench/scale-out/scale-out.bench.ts', { env: { ...env, TS_NODE_TRANSPILE_ONLY: 'true' } });
if (out === null) process.exit(1);
const r = JSON.parse(out.trim().split('\n').pop());
const load = (x) => `load ${x.loadBefore.toFixed(1)}→${x.loadAfter.toFixed(1)}`;
const cell = (x, unit) => `${f(x.perSecond).padStart(7)} ${unit} (${f(x.seconds, 1)} s, ${load(x)})`;
console.log(
  `scale-out on ${r.cores} cores: ${f(r.alerts)} alerts to one subscription, ${f(r.readings)} readings from ${f(r.sensors)} sensors (${r.clients} clients alternating between the APIs)`,
);
// Side by side per round: the two setups of a round ran one after the other, so their ratio is the fair comparison.
const ratios = { alerts: [], readings: [] };
for (let i = 0; i < r.rounds; i++) {
  const [one, two] = [r.one.rounds[i], r.two.rounds[i]];
  console.log(`  round ${i + 1} (${i % 2 === 0 ? '1+1 first' : '2+2 first'})`);
  for (const [phase, unit] of [
    ['alerts', 'alerts/s'],
    ['readings', 'readings/s'],
  ]) {
    const ratio = two[phase].perSecond / one[phase].perSecond;
    ratios[phase].push(ratio);
    console.log(`    ${phase.padEnd(9)} 1+1 ${cell(one[phase], unit)}   2+2 ${cell(two[phase], unit)}   ratio ${f(ratio, 2)}×`);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
console.log(`  ratio 2+2 / 1+1 (median of the rounds): alerts ${f(median(ratios.alerts), 2)}×, readings ${f(median(ratios.readings), 2)}×`);
console.log(`  start-up: 1+1 ready in ${f(r.one.startSeconds, 1)} s, 2+2 in ${f(r.two.startSeconds, 1)} s (processes run from source)`);
if (r.cores <= 2) {
  console.log(`  on ${r.cores} cores every process (and Redis and Neo4j) shares the same CPUs: a second API and worker add no CPU to use`);
}
const checks = [...r.one.rounds, ...r.two.rounds].map((x) => x.check);
console.log(
  r.ok
    ? '  checked: every alert arrived and every reading sent was read back from the sensor windows, in every round'
    : `  CHECK FAILED: ${checks
        .filter((c) => !c.ok)
        .map((c) => `${c.alertsArrived} alerts of ${r.alerts}, ${c.readingsStored} readings stored of ${c.readingsSent}`)
        .join('; ')}`,
);
appendResult('scale-out', r);
if (!r.ok) process.exit(1);
