// npm run bench:trace [-- --events 1000000] [--doc-events 1000] [--capture-events 50000] [--traces 300] [--fresh]
// Traceability (DESIGN §8, §11) on a store of generated EPCIS 2.0 lot flows over the `small` demo network:
// capture throughput through the platform's capture path, and backward / forward traces ten
// transformation levels deep by the platform's trace service against one variable-length Cypher match.
// Exits non-zero when the two traces disagree on a lot set or a capture fails.
//
// Its own Neo4j, never the development, test or other benches' database: 127.0.0.1:7689 with its data
// in .local/bench-trace (TIERSIGHT_HOME and NEO4J_URI in the environment override both; NEO4J_HEAP and
// NEO4J_PAGECACHE its memory, 4g each by default). A filled store is kept and reused by the next run
// with the same --events; --fresh empties it first. Filling 1M events takes about as long as 1M events
// take to capture (see BENCHMARKS.md).
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../scripts/dev/dev-env.mjs';
import { ensureFreshServices, ensureServices } from '../../scripts/lib/services.mjs';
import { devEnv } from '../../scripts/dev/dev-env.mjs';
import { appendResult, fmt as f, runTypeScript } from '../lib/bench.mjs';

const env = devEnv({
  TIERSIGHT_HOME: process.env.TIERSIGHT_HOME ?? join(ROOT, '.local', 'bench-trace'),
  NEO4J_URI: process.env.NEO4J_URI ?? 'bolt://127.0.0.1:7689',
  NEO4J_HEAP: process.env.NEO4J_HEAP ?? '4g',
  NEO4J_PAGECACHE: process.env.NEO4J_PAGECACHE ?? '4g',
  SERVICES_MQTT: 'off',
  LOG_LEVEL: 'warn',
  QUEUE_PREFIX: 'bench-trace',
});
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const fresh = process.argv.includes('--fresh');
await (fresh ? ensureFreshServices : ensureServices)({ mqtt: false }, env);
const loadBefore = load();
const out = runTypeScript('bench/trace/trace.bench.ts', {
  env,
  nodeArgs: ['--expose-gc', '--max-old-space-size=6144'],
  args: process.argv.slice(2).filter((a) => a !== '--fresh'),
});
if (out === null) process.exit(1);
const r = { ...JSON.parse(out.trim().split('\n').pop()), load: { before: loadBefore, after: load() } };
const mem = (m) => `RSS ${f(m.rss)} MB, heap ${f(m.heapUsed)} MB, arrayBuffers ${f(m.arrayBuffers)} MB, external ${f(m.external)} MB (peaks)`;
const c = r.capture;
console.log(
  `traceability on the ${r.network.size} network (${f(r.network.sites)} sites, tiers 1–${r.network.tiers}), lot flows of ${r.flows.levels} transformation levels`,
);
console.log(
  `  store: ${f(r.store.events)} EPCIS events, ${f(r.store.lots)} lots, ${f(r.store.wentInto)} WENT_INTO edges (${r.fill.reused ? 'reused' : `filled in ${f(r.fill.seconds / 60, 1)} min, ${f(r.fill.eventsPerSecond)} events/s`})`,
);
console.log(
  `  capture, the platform's path (API validation + stored document and digest + queued job, then the worker's run: digest check, hash, write, audit chain):`,
);
console.log(`    ${f(c.events)} events in ${c.documents} documents of ${f(c.docEvents)}: ${f(c.eventsPerSecond)} events/s (target ≥ 5,000)`);
console.log(
  `    per document (median ms): ${Object.entries(c.phasesMedianMs)
    .map(([k, v]) => `${k} ${f(v, 1)}`)
    .join(', ')}`,
);
if (c.baseline)
  console.log(
    `    baseline, the same events as plain batched UNWIND writes (no validation, hash or audit): ${f(c.baseline.eventsPerSecond)} events/s — platform at ${f(c.eventsPerSecond / c.baseline.eventsPerSecond, 2)}× the baseline`,
  );
console.log(`    ${mem(c.peakMB)}`);
for (const dir of ['backward', 'forward']) {
  const t = r.trace[dir];
  console.log(`  ${dir} trace, depth 10, ${t.samples} random lots (median ${f(t.lotsMedian)} lots, max ${f(t.lotsMax)}):`);
  console.log(
    `    platform (trace service: one statement for the walk, lots, linking events, sites${dir === 'forward' ? ', SKUs' : ''}; tiers per graph version): p50 ${f(t.platform.p50, 1)} ms, p99 ${f(t.platform.p99, 1)} ms (target p99 ≤ 100 ms)`,
  );
  console.log(
    `    baseline (one variable-length match, DISTINCT lots): p50 ${f(t.baseline.p50, 1)} ms, p99 ${f(t.baseline.p99, 1)} ms — platform p99 at ${f(t.baseline.p99 / t.platform.p99, 2)}× the baseline's speed`,
  );
  console.log(`    same lot sets: ${t.mismatches === 0 ? 'yes, every lot' : `NO, ${t.mismatches} lots differ`}`);
}
console.log(`  bench process: ${mem(r.peakMB)}; Neo4j store on disk ${f(r.store.diskMB)} MB`);
console.log(`  machine load (1/5/15 min) before ${r.load.before}, after ${r.load.after}`);
appendResult('trace', r);
if (!r.ok) process.exit(1);
