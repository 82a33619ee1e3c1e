// npm run bench:import [-- --size large|medium|small]
// Imports a generated network twice into an EMPTY database of a separate bench Neo4j
// (127.0.0.1:7688, data in .local/bench, never the development database):
// once with Neo4j's own LOAD CSV … IN TRANSACTIONS (the baseline), once through the
// platform's import path, and prints edges/s for both and their ratio.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../../scripts/dev/dev-env.mjs';
import { ensureFreshServices } from '../../scripts/lib/services.mjs';
import { appendResult, BENCH_HOME as home, benchNeo4jEnv } from '../lib/bench.mjs';

const { values } = parseArgs({ options: { size: { type: 'string', default: 'large' }, seed: { type: 'string', default: '42' } } });
const env = benchNeo4jEnv();
const data = join(home, 'data', `${values.size}-${values.seed}`);

function tool(args) {
  const res = spawnSync(process.execPath, [join(ROOT, 'scripts', 'run-tool.mjs'), ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`${args[0]} failed`);
  return res.stdout;
}

async function main() {
  if (!existsSync(join(data, 'network.json'))) {
    console.log(`generating the ${values.size} network (seed ${values.seed})…`);
    mkdirSync(data, { recursive: true });
    tool(['tools/cli/generate.ts', '--size', values.size, '--seed', values.seed, '--out', join(data, 'network.json')]);
    tool(['tools/cli/generate.ts', '--size', values.size, '--seed', values.seed, '--format', 'csv', '--out', join(data, 'csv')]);
  }
  console.log('baseline: LOAD CSV … CALL { … } IN TRANSACTIONS OF 10000 ROWS into an empty database');
  await ensureFreshServices({ mqtt: false }, env);
  const importDir = join(home, 'neo4j', 'import');
  mkdirSync(importDir, { recursive: true });
  for (const f of ['suppliers', 'sites', 'parts', 'skus', 'supplies']) copyFileSync(join(data, 'csv', `${f}.csv`), join(importDir, `${f}.csv`));
  const baseline = JSON.parse(tool(['bench/import/import.bench.ts', '--mode', 'baseline']).trim());
  console.log('platform: the import path (every §2 rule checked, one transaction) into an empty database');
  await ensureFreshServices({ mqtt: false }, env);
  const platform = JSON.parse(tool(['bench/import/import.bench.ts', '--mode', 'platform', '--json', join(data, 'network.json')]).trim());
  const ratio = platform.edgesPerSecond / baseline.edgesPerSecond;
  console.log(`\nimport of the ${values.size} network (${platform.edges.toLocaleString()} SUPPLIES edges, all entities included):`);
  console.log(`  platform  ${platform.seconds.toFixed(1)} s  ${Math.round(platform.edgesPerSecond).toLocaleString()} edges/s`);
  console.log(`  LOAD CSV  ${baseline.seconds.toFixed(1)} s  ${Math.round(baseline.edgesPerSecond).toLocaleString()} edges/s`);
  console.log(`  ratio     ${ratio.toFixed(2)}× (platform / LOAD CSV; ≥ 1 means no slower than Neo4j's native loader)`);
  appendResult('import', { size: values.size, edges: platform.edges, platform, baseline, ratio });
  console.log(
    'the bench Neo4j keeps the imported network on 127.0.0.1:7688 (npm run bench:propagate uses it); stop it with TIERSIGHT_HOME=.local/bench NEO4J_URI=bolt://127.0.0.1:7688 npm run services:down',
  );
}

main().catch((error) => {
  console.error(`bench:import: ${error.message}`);
  process.exit(1);
});
