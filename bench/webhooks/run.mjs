// npm run bench:webhooks — webhook delivery to a local receiver: the platform
// (risk-engine change stream → alert fan-out → BullMQ → signed POST, in a real
// worker process) against a minimal loop of plain signed POSTs, in the same run.
// Uses the local development services (Neo4j for the subscription, Redis), under
// a throw-away QUEUE_PREFIX that is removed afterwards. Exits non-zero when a
// delivery's signature does not verify or the SKUs delivered are not those sent.
import { loadavg } from 'node:os';
import { devEnv } from '../../scripts/dev/dev-env.mjs';
import { ensureServices } from '../../scripts/lib/services.mjs';
import { appendResult, fmt as f, runTypeScript } from '../lib/bench.mjs';

const env = devEnv({ SERVICES_MQTT: 'off', LOG_LEVEL: 'warn' });
await ensureServices({ mqtt: false }, env);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const loadBefore = load();
const out = runTypeScript('bench/webhooks/webhooks.bench.ts', { env: { ...env, TS_NODE_TRANSPILE_ONLY: 'true' } });
if (out === null) process.exit(1);
const r = { ...JSON.parse(out.trim().split('\n').pop()), load: { before: loadBefore, after: load() } };
const row = (name, x) => `${name.padEnd(28)} ${f(x.perSecond).padStart(7)} deliveries/s   p50 ${f(x.p50Ms).padStart(6)} ms   p99 ${f(x.p99Ms).padStart(6)} ms`;
console.log(
  `webhook delivery, ${f(r.alerts)} alerts to one local receiver (batch size ${r.batchSize}, endpoint concurrency ${r.endpointConcurrency}, worker concurrency ${r.workerConcurrency}); median of ${r.rounds} rounds per phase:`,
);
console.log('  burst (all alerts at once): throughput; latency includes the queue');
console.log(`    ${row('platform', r.burst.platform)}`);
console.log(`    ${row('baseline (signed POST loop)', r.burst.baseline)}`);
console.log(`    ratio ${f(r.burst.platform.perSecond / r.burst.baseline.perSecond, 2)}× the baseline's rate`);
console.log(`  paced at ${f(r.paced.rate)}/s: alert created → receiver got it`);
console.log(`    ${row('platform', r.paced.platform)}`);
console.log(`    ${row('baseline (signed POST loop)', r.paced.baseline)}`);
console.log(
  `    p99 ${f(r.paced.platform.p99Ms)} ms vs ${f(r.paced.baseline.p99Ms)} ms (${f(r.paced.platform.p99Ms / Math.max(1, r.paced.baseline.p99Ms), 1)}×)`,
);
console.log(
  `  targets: ≥ 2,000 deliveries/s (${r.burst.platform.perSecond >= 2000 ? 'met' : 'NOT met'}), p99 ≤ 1 s (${r.paced.platform.p99Ms <= 1000 ? 'met' : 'NOT met'})`,
);
console.log(
  `  deliveries checked: ${r.ok ? 'every signature verifies and every SKU sent arrived' : `${r.badSignatures} bad signatures, ${r.missingOrExtra} SKUs missing or unexpected`}`,
);
console.log(`  machine load (1/5/15 min) before ${r.load.before}, after ${r.load.after}`);
appendResult('webhooks', r);
if (!r.ok) process.exit(1);
