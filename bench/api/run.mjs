// npm run bench:api [-- --seconds 60] [--rate 500] [--connections 100] [--keep] [--cpu-prof <dir>] [--api-bundle <main.js>]
// The read API under load (DESIGN §8): GET /v1/exposures (first page, later pages, filters), one SKU's
// exposure with its critical path, and the RXI top list, on the network `npm run bench:import` left in the
// bench Neo4j with 100 active events, at a fixed rate (open loop) through the API (autocannon) and, as the
// baseline, as the same reads in bare Cypher through the driver. Exits non-zero when an API answer differs
// from the bare read, or a request failed or answered non-2xx under load.
// The API runs from its built bundle, as `npm run start:api` runs it (built first when sources changed;
// --api-bundle runs another build, e.g. of an older checkout), with its own QUEUE_PREFIX (default bench-api;
// its Redis keys are removed afterwards); --keep leaves the events, exposures and the baseline's RXI property for the next run.
import { parseArgs } from 'node:util';
import { ensureBuilt } from '../../scripts/dev/build.mjs';
import { ensureServices } from '../../scripts/lib/services.mjs';
import { appendResult, benchNeo4jEnv, fmt as f, runTypeScript } from '../lib/bench.mjs';

const env = { ...benchNeo4jEnv(), QUEUE_PREFIX: process.env.QUEUE_PREFIX ?? 'bench-api' };
const given = parseArgs({ options: { 'api-bundle': { type: 'string' } }, strict: false }).values['api-bundle'];
const bundleArgs = given ? [] : ['--api-bundle', ensureBuilt('api')];
await ensureServices({ mqtt: false }, env);
const out = runTypeScript('bench/api/api.bench.ts', {
  env: { ...env, API_LOG_LEVEL: process.env.API_LOG_LEVEL ?? 'info' },
  nodeArgs: ['--max-old-space-size=4096'],
  args: [...process.argv.slice(2), ...bundleArgs],
});
if (out === null) process.exit(1);
const r = JSON.parse(out.trim().split('\n').pop());
const kinds = (x) =>
  Object.entries(x.byKind)
    .map(([k, s]) => `${k} p50 ${f(s.p50, 1)} / p99 ${f(s.p99, 1)}`)
    .join(', ');
const row = (name, x) =>
  `  ${name.padEnd(12)} ${f(x.perSecond, 1).padStart(6)}/s   p50 ${f(x.latencyMs.p50, 1).padStart(6)} ms   p99 ${f(x.latencyMs.p99, 1).padStart(6)} ms   max ${f(x.latencyMs.max, 1).padStart(7)} ms   errors ${x.errors}   non-2xx ${x.non2xx}   (load ${x.load.before.join(' ')} → ${x.load.after.join(' ')})`;
console.log(
  `read API on ${f(r.edges)} SUPPLIES edges with ${f(r.siteImpacts)} site impacts of 100 events (${f(r.exposedSkus)} SKUs exposed; ${r.exposureRun.ms ? `exposures stored by a ${r.exposureRun.mode} risk run in ${f(r.exposureRun.ms)} ms` : r.exposureRun.mode})`,
);
console.log(
  `  ${r.rate} requests/s for ${r.seconds} s, open loop over ${r.connections} connections; distinct reads: ${Object.entries(r.distinctReads)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ')}`,
);
console.log(row('API', r.api));
console.log(`    by read: ${kinds(r.api)}`);
console.log(
  `    API process: CPU ${f(r.apiCpu.msPerRequest, 3)} ms a request (${f(r.apiCpu.seconds, 1)} s over the run, ${f(r.apiCpu.share * 100)} % of one core), RSS ${f(r.apiMemory.rssMB)} MB (peak ${f(r.apiMemory.rssPeakMB)} MB), heap ${f(r.apiMemory.heapUsedMB)} MB, external ${f(r.apiMemory.externalMB)} MB (peaks)`,
);
console.log(row('bare Cypher', r.cypher));
console.log(`    by read: ${kinds(r.cypher)}`);
console.log(
  `  answers: ${r.mismatches === 0 ? 'the API and bare Cypher agree on every distinct read' : `${r.mismatches} reads DIFFER: ${r.mismatchExamples.join('; ')}`}`,
);
console.log(`  target p99 ≤ 50 ms and 0 errors: ${r.api.latencyMs.p99 <= 50 && r.api.errors === 0 && r.api.non2xx === 0 ? 'met' : 'NOT met'}`);
appendResult('api', r);
if (!r.ok) process.exit(1);
