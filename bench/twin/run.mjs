// npm run bench:twin [-- --size large|medium|small] [--samples 1000] [--baseline-samples 100] [--contribution-samples 200]
// The twin (DESIGN §9) on a generated network with 100 active events against a loop of full engine
// propagations over the same draws, plus the demo network; exits non-zero when the correctness check
// fails. Needs no database: the network is generated straight into the engine's projection.
// The worker threads run the bundle the apps ship (dist/apps/worker/twin-worker.js, built first when stale).
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt } from '../../scripts/dev/build.mjs';
import { ROOT } from '../../scripts/dev/dev-env.mjs';

const bundle = ensureBuilt('worker');
const entry = join(bundle, '..', 'twin-worker.js');
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const loadBefore = load();
const res = spawnSync(
  process.execPath,
  [
    '--expose-gc',
    '--max-old-space-size=8192',
    '-r',
    'ts-node/register/transpile-only',
    '-r',
    'tsconfig-paths/register',
    'bench/twin/twin.bench.ts',
    '--worker-entry',
    entry,
    ...process.argv.slice(2),
  ],
  { cwd: ROOT, env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.json' }, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
);
const line = (res.stdout ?? '').trim().split('\n').pop();
if (!line) process.exit(1);
const r = { ...JSON.parse(line), load: { before: loadBefore, after: load() } };
const f = (v, d = 0) => Number(v).toLocaleString('en-US', { maximumFractionDigits: d });
const mem = (m) => `RSS ${f(m.rss)} MB, heap ${f(m.heapUsed)} MB, arrayBuffers ${f(m.arrayBuffers)} MB, external ${f(m.external)} MB (peaks)`;
console.log(`twin on the ${r.size} network: ${f(r.nodes)} nodes, ${f(r.edges)} edges, ${f(r.skus)} SKUs; 100 events, ${f(r.impacts)} site impacts`);
console.log(`  network generated into the projection in ${f(r.buildMs / 1000, 1)} s, events geo-matched in ${f(r.geoMatchMs)} ms`);
console.log(
  `  before the twin runs: RSS ${f(r.memoryBeforeMB.rss)} MB, heap ${f(r.memoryBeforeMB.heapUsed)} MB, arrayBuffers ${f(r.memoryBeforeMB.arrayBuffers)} MB, external ${f(r.memoryBeforeMB.external)} MB`,
);
console.log(`  correctness: zero variance = propagate() on every SKU: ${r.exactCheck === 'ok' ? 'ok' : 'FAILED'}; threads = in process: ${r.splitCheck}`);
if (r.exactCheck !== 'ok') console.log(`    ${JSON.stringify(r.exactCheck)}`);
console.log(
  `  baseline: propagate() per sample over the same draws, one thread: ${f(r.baseline.msPerSample, 1)} ms/sample (${r.baseline.samplesTimed} timed) → ${f(r.baselineExtrapolatedMs / 1000, 1)} s for ${f(r.samples)} samples (extrapolated)`,
);
console.log(
  `  twin, as the platform runs it (${r.twin.threads} threads, contributions on ${r.twin.contributionSamples} samples): ${f(r.twin.ms / 1000, 1)} s — ${f(r.ratioBaselineOverTwin, 2)}× the baseline`,
);
console.log(
  `    the same answer by propagations alone (each contribution sample leaves every present event out once): ${f(r.sameWorkBaselineMs / 1000, 1)} s (extrapolated) — ${f(r.ratioSameWorkBaselineOverTwin, 1)}×`,
);
console.log(`    ${mem(r.twin.peakMB)}; ${f(r.twin.exposedSkus)} SKUs with P > 0 (${f(r.twin.storedRowsMB)} MB of rows in Redis)`);
console.log(
  `  twin without contributions, ${r.twinNoContributions.threads} threads: ${f(r.twinNoContributions.ms / 1000, 1)} s — ${f(r.ratioBaselineOverTwinNoContributions, 2)}× the baseline; ${mem(r.twinNoContributions.peakMB)}`,
);
console.log(
  `  twin without contributions, 1 thread: ${f(r.twinNoContributionsOneThread.ms / 1000, 1)} s — ${f(r.ratioBaselineOverTwinOneThread, 2)}× the baseline`,
);
console.log(`  demo network (${f(r.demo.nodes)} nodes, ${r.demo.events} events hitting sites), 1,000 samples: ${f(r.demo.ms)} ms (${r.demo.threads} thread)`);
console.log(`  machine load (1/5/15 min) before ${r.load.before}, after ${r.load.after}`);
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
appendFileSync(join(ROOT, 'bench', 'results', 'twin.jsonl'), `${JSON.stringify({ at: new Date().toISOString(), ...r })}\n`);
if (res.status !== 0) process.exit(1);
