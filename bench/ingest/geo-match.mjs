// npm run bench:ingest -- geo-match — needs the network loaded by `npm run bench:import` (bench Neo4j on 127.0.0.1:7688).
// Geo-matching one event against every site: the platform's indexed matcher against a plain scan, same run.
import { ensureServices } from '../../scripts/lib/services.mjs';
import { appendResult, benchNeo4jEnv, fmt as f, runTypeScript } from '../lib/bench.mjs';

const env = benchNeo4jEnv();

export async function run() {
  await ensureServices({ mqtt: false }, env);
  const out = runTypeScript('bench/ingest/geo-match.bench.ts', { env });
  if (out === null) throw new Error('the geo-matching benchmark failed');
  const r = JSON.parse(out.trim());
  console.log(
    `geo-matching ${r.events} events × ${r.rounds} rounds against ${f(r.sites)} sites (${f(r.meanHitsPerEvent, 1)} sites hit per event, ${r.mismatches} mismatches):`,
  );
  console.log(`  platform (point index + exact test)  ${f(r.platformMedianMs, 2)} ms median per event`);
  console.log(`  baseline (plain scan of every site)  ${f(r.scanMedianMs, 1)} ms median per event`);
  console.log(`  ratio                                ${f(r.ratio, 1)}× faster than the scan`);
  appendResult('geo-match', r);
  if (r.mismatches > 0) throw new Error(`${r.mismatches} events matched other sites than the plain scan`);
}
