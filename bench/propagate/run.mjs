// npm run bench:propagate [-- --skip-cypher] — needs the network loaded by `npm run bench:import` (bench Neo4j on 127.0.0.1:7688).
import { ensureServices } from '../../scripts/lib/services.mjs';
import { appendResult, benchNeo4jEnv, fmt as f, runTypeScript } from '../lib/bench.mjs';

const env = benchNeo4jEnv();
await ensureServices({ mqtt: false }, env);
const out = runTypeScript('bench/propagate/propagate.bench.ts', {
  env: { ...env, QUEUE_PREFIX: 'bench' },
  nodeArgs: ['--expose-gc', '--max-old-space-size=8192'],
  args: process.argv.slice(2),
});
if (out === null) process.exit(1);
const r = JSON.parse(out.trim());
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
appendResult('propagate', r);
function EVENTS_TEXT(x) {
  return `100 active events (${f(x.impacts)} site impacts)`;
}
