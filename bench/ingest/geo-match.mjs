// npm run bench:ingest -- geo-match — needs the network loaded by `npm run bench:import` (bench Neo4j on 127.0.0.1:7688).
// Geo-matching one event against every site: the platform's indexed matcher against a plain scan, same run.
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

export async function run() {
  await ensureServices({ mqtt: false }, env);
  const res = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'bench/ingest/geo-match.bench.ts'], {
    cwd: ROOT,
    env: { ...env, TS_NODE_PROJECT: 'tsconfig.json' },
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error('the geo-matching benchmark failed');
  const r = JSON.parse(res.stdout.trim());
  const f = (v, d = 0) => Number(v).toLocaleString('en-US', { maximumFractionDigits: d });
  console.log(
    `geo-matching ${r.events} events × ${r.rounds} rounds against ${f(r.sites)} sites (${f(r.meanHitsPerEvent, 1)} sites hit per event, ${r.mismatches} mismatches):`,
  );
  console.log(`  platform (point index + exact test)  ${f(r.platformMedianMs, 2)} ms median per event`);
  console.log(`  baseline (plain scan of every site)  ${f(r.scanMedianMs, 1)} ms median per event`);
  console.log(`  ratio                                ${f(r.ratio, 1)}× faster than the scan`);
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  appendFileSync(join(ROOT, 'bench', 'results', 'geo-match.jsonl'), `${JSON.stringify({ at: new Date().toISOString(), ...r })}\n`);
  if (r.mismatches > 0) throw new Error(`${r.mismatches} events matched other sites than the plain scan`);
}
