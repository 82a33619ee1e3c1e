// npm run bench:propagate [-- --skip-cypher] [--end-to-end-only] — needs the network loaded by `npm run bench:import` (bench Neo4j on 127.0.0.1:7688,
// or BENCH_NEO4J_URI / BENCH_HOME; BENCH_QUEUE_PREFIX names its Redis keys). Exits non-zero when any answer is wrong.
import { ensureServices } from '../../scripts/lib/services.mjs';
import { appendResult, benchNeo4jEnv, fmt as f, runTypeScript } from '../lib/bench.mjs';

const env = benchNeo4jEnv();
await ensureServices({ mqtt: false }, env);
const out = runTypeScript('bench/propagate/propagate.bench.ts', {
  env: { ...env, QUEUE_PREFIX: process.env.BENCH_QUEUE_PREFIX ?? 'bench' },
  nodeArgs: ['--expose-gc', '--max-old-space-size=8192'],
  args: process.argv.slice(2),
});
if (out === null) process.exit(1);
const r = JSON.parse(out.trim());
console.log(`propagation over ${f(r.nodes)} nodes and ${f(r.edges)} edges, ${EVENTS_TEXT(r)}:`);
console.log(`  projection load      ${f(r.projectionLoadMs)} ms (streamed from Neo4j)`);
console.log(
  `  projection memory    ${f(r.projectionMemoryMB)} MB: heap ${f(r.projectionHeapMB)} MB + outside the heap ${f(r.projectionExternalMB)} MB (typed arrays ${f(r.projectionArrayBuffersMB)} MB); RSS grew ${f(r.projectionRssMB)} MB`,
);
// --end-to-end-only leaves out the engine's own figures.
if (r.fullPropagationMedianMs !== undefined) {
  console.log(`  full propagation     ${f(r.fullPropagationMedianMs, 1)} ms median (engine)`);
  console.log(
    `  worker's full run    ${f(r.fullBookMedianMs, 1)} ms median in the engine (ExposureBook: propagation + ${f(r.fullBookExposed)} SKUs explained)`,
  );
  console.log(`  one new event        ${f(r.incrementalOneEventMedianMs, 2)} ms median (incremental, engine only)`);
}
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
console.log(`    seeded events (~1,000 sites each), runs ${(r.endToEndModes ?? []).join(', ')}`);
console.log(`    phases (median ms) ${phases(r.endToEndPhasesMedianMs)}`);
console.log(`    counts (median)    ${counts(r.endToEndCountsMedian)}`);
console.log(
  `  one local event      ${f(r.endToEndLocalEventMedianMs, 1)} ms median end to end (1 km around one site), runs ${(r.endToEndLocalModes ?? []).join(', ')}`,
);
console.log(`    phases (median ms) ${phases(r.endToEndLocalPhasesMedianMs)}`);
console.log(`    counts (median)    ${counts(r.endToEndLocalCountsMedian)}`);
const full = (label, run) =>
  run &&
  console.log(
    `  ${label.padEnd(20)} ${f(run.ms / 1000, 1)} s (${run.mode}, ${f(run.exposed)} exposed); phases ${phases(run.phases)}; counts ${counts(run.counts)}`,
  );
console.log("worker's full runs, end to end (ExposureRunService):");
full('first, 90 events', r.endToEndFirstRun);
full('restart, 100 events', r.fullRunRestart);
full('nothing stored, 100', r.fullRunNothingStored);
if (r.rxiAllSitesMs !== undefined)
  console.log(`  RXI, every site      ${f(r.rxiAllSitesMs / 1000, 1)} s for ${f(r.rxiSites)} sites (${f(r.spofs)} single points of failure)`);
if (r.cypherMs === undefined) console.log('  Cypher alone         skipped (--skip-cypher)');
else {
  console.log(`  Cypher alone         ${f(r.cypherMs)} ms in ${r.cypherRounds} rounds; SKUs compared ${f(r.skusCompared)}, mismatches ${r.mismatches}`);
  console.log(`  ratio                ${f(r.ratioCypherOverEngine, 1)}× faster than the Cypher baseline`);
}
appendResult('propagate', r);
const failures = [...(r.failures ?? [])];
if (r.mismatches === undefined && !process.argv.includes('--skip-cypher')) failures.push('no Cypher comparison made');
if (failures.length) {
  console.error(`bench:propagate: WRONG ANSWERS:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(
  '  checks               all answers as expected (engine = Cypher, book = propagation, stored = full recomputation, attribution = each event alone)',
);
function EVENTS_TEXT(x) {
  return `100 active events (${f(x.impacts)} site impacts)`;
}
