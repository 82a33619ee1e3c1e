// npm run bench:ingest -- geo-match — needs the network loaded by `npm run bench:import` (bench Neo4j on 127.0.0.1:7688).
// Geo-matching one event against every site: the platform's indexed matcher against the same match in
// Cypher alone (point index and exact test in one statement), same run. Fails when they disagree.
import { loadavg } from 'node:os';
import { ensureServices } from '../../scripts/lib/services.mjs';
import { appendResult, benchNeo4jEnv, fmt as f, runTypeScript } from '../lib/bench.mjs';

const env = benchNeo4jEnv();

export async function run() {
  await ensureServices({ mqtt: false }, env);
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  const loadBefore = load();
  const out = runTypeScript('bench/ingest/geo-match.bench.ts', { env });
  if (out === null) throw new Error('the geo-matching benchmark failed');
  const r = { ...JSON.parse(out.trim()), load: { before: loadBefore, after: load() } };
  console.log(
    `geo-matching ${r.events} events × ${r.rounds} rounds against ${f(r.sites)} sites (${f(r.meanHitsPerEvent, 1)} sites hit per event, ${r.mismatches} mismatches):`,
  );
  console.log(`  platform (point index + exact test in JS)        ${f(r.platformMedianMs, 2)} ms median per event`);
  console.log(`  baseline (Cypher: point index + exact test)      ${f(r.cypherMedianMs, 2)} ms median per event`);
  console.log(`  ratio                                            ${f(r.ratio, 2)}× (baseline time / platform time)`);
  console.log(`  machine load (1/5/15 min) before ${r.load.before}, after ${r.load.after}`);
  appendResult('geo-match', r);
  if (r.mismatches > 0) throw new Error(`${r.mismatches} events matched other sites than the Cypher baseline`);
}
