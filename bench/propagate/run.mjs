// npm run bench:propagate [-- --skip-cypher] — needs the network loaded by `npm run bench:import` (bench Neo4j on 127.0.0.1:7688).
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { devEnv, ROOT } from '../../scripts/dev/dev-env.mjs';
import { ensureServices } from '../../scripts/lib/services.mjs';

const env = devEnv({
  TIERSIGHT_HOME: join(ROOT, '.local', 'bench'),
  NEO4J_URI: 'bolt://127.0.0.1:7688',
  NEO4J_HEAP: process.env.NEO4J_HEAP ?? '8g',
  NEO4J_PAGECACHE: process.env.NEO4J_PAGECACHE ?? '4g',
  SERVICES_MQTT: 'off',
  LOG_LEVEL: 'warn',
});
await ensureServices({ mqtt: false }, env);
const res = spawnSync(
  process.execPath,
  [
    '--expose-gc',
    '--max-old-space-size=8192',
    '-r',
    'ts-node/register/transpile-only',
    '-r',
    'tsconfig-paths/register',
    'bench/propagate/propagate.bench.ts',
    ...process.argv.slice(2),
  ],
  {
    cwd: ROOT,
    env: { ...env, QUEUE_PREFIX: 'bench', TS_NODE_PROJECT: 'tsconfig.json' },
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  },
);
if (res.status !== 0) process.exit(1);
const r = JSON.parse(res.stdout.trim());
const f = (v, d = 0) => Number(v).toLocaleString('en-US', { maximumFractionDigits: d });
console.log(`propagation over ${f(r.nodes)} nodes and ${f(r.edges)} edges, ${EVENTS_TEXT(r)}:`);
console.log(`  projection load      ${f(r.projectionLoadMs)} ms (streamed from Neo4j), heap ${f(r.projectionHeapMB)} MB`);
console.log(`  full propagation     ${f(r.fullPropagationMedianMs, 1)} ms median (engine)`);
console.log(`  one new event        ${f(r.incrementalOneEventMedianMs, 2)} ms median (incremental, engine only)`);
const counts = (c) =>
  Object.entries(c ?? {})
    .map(([k, v]) => `${k} ${f(v)}`)
    .join(', ');
const phases = (p) =>
  Object.entries(p ?? {})
    .map(([k, v]) => `${k} ${f(v, 1)}`)
    .join(', ');
console.log(
  `  one event end to end ${f(r.endToEndOneEventMedianMs, 1)} ms median (stored, geo-matched, requested, run: read, propagated, explained, diffed, written)`,
);
console.log(
  `    seeded events (~1,000 sites each), runs ${(r.endToEndModes ?? []).join(', ')}; the run before them (${r.endToEndFirstRun?.mode}, 90 events) ${f(r.endToEndFirstRun?.ms ?? 0)} ms`,
);
console.log(`    phases (median ms) ${phases(r.endToEndPhasesMedianMs)}`);
console.log(`    counts (median)    ${counts(r.endToEndCountsMedian)}`);
console.log(
  `  one local event      ${f(r.endToEndLocalEventMedianMs, 1)} ms median end to end (1 km around one site), runs ${(r.endToEndLocalModes ?? []).join(', ')}`,
);
console.log(`    phases (median ms) ${phases(r.endToEndLocalPhasesMedianMs)}`);
console.log(`    counts (median)    ${counts(r.endToEndLocalCountsMedian)}`);
console.log(`  RXI, every site      ${f(r.rxiAllSitesMs / 1000, 1)} s for ${f(r.rxiSites)} sites (${f(r.spofs)} single points of failure)`);
if (r.cypherMs === undefined) console.log('  Cypher alone         skipped (--skip-cypher)');
else {
  console.log(`  Cypher alone         ${f(r.cypherMs)} ms in ${r.cypherRounds} rounds; SKUs compared ${f(r.skusCompared)}, mismatches ${r.mismatches}`);
  console.log(`  ratio                ${f(r.ratioCypherOverEngine, 1)}× faster than the Cypher baseline`);
}
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
appendFileSync(join(ROOT, 'bench', 'results', 'propagate.jsonl'), `${JSON.stringify({ at: new Date().toISOString(), ...r })}\n`);
function EVENTS_TEXT(x) {
  return `100 active events (${f(x.impacts)} site impacts)`;
}
