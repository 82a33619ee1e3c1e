// npm run demo — the main job end to end on a built-in demo network:
// local services up, api and worker built and started, a seeded demo supply
// network generated and imported through the API, the worker catching up, and
// a readable report of what the platform now knows.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt } from './dev/build.mjs';
import { devEnv, ROOT } from './dev/dev-env.mjs';
import { startBundle, stop, waitFor } from './dev/processes.mjs';

const env = devEnv({ LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' });
const port = Number(env.PORT ?? 3000);
const base = `http://127.0.0.1:${port}`;
const say = (line) => process.stdout.write(`${line}\n`);
const step = (n, text) => say(`\n[${n}/6] ${text}`);
const children = [];

async function main() {
  step(1, 'local services');
  const { ensureServices } = await import('./lib/services.mjs');
  await ensureServices({ mqtt: true });

  step(2, 'building the api and the worker');
  const apiBundle = ensureBuilt('api');
  const workerBundle = ensureBuilt('worker');

  step(3, 'generating the demo supply network (seed 42)');
  const out = join(ROOT, '.local', 'demo', 'network.json');
  mkdirSync(join(ROOT, '.local', 'demo'), { recursive: true });
  const gen = spawnSync(process.execPath, [join(ROOT, 'scripts', 'run-tool.mjs'), 'tools/cli/generate.ts', '--size', 'demo', '--seed', '42', '--out', out], {
    cwd: ROOT,
    env,
    stdio: 'inherit',
  });
  if (gen.status !== 0) throw new Error('the demo network generator failed');
  const network = readFileSync(out, 'utf8');

  step(4, `starting the api on ${base} and the worker`);
  let loadedVersion = 0;
  const api = startBundle('api', apiBundle, env);
  const worker = startBundle('worker', workerBundle, env, (line) => {
    if (line.includes('supply network loaded')) {
      try {
        loadedVersion = Math.max(loadedVersion, JSON.parse(line).graphVersion ?? 0);
      } catch {}
    }
  });
  children.push(api.child, worker.child);
  for (const [name, proc] of [['api', api], ['worker', worker]]) {
    proc.child.once('exit', (code) => {
      if (code) say(`${name} exited with code ${code}; see ${proc.logPath}`);
    });
  }
  await waitFor('the api answering /health/ready', async () => (await fetch(`${base}/health/ready`)).ok);
  say(`  api ready   (logs: ${api.logPath})`);

  step(5, 'importing the network through POST /v1/graph/import');
  const res = await fetch(`${base}/v1/graph/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: network });
  const counts = await res.json();
  if (!res.ok) throw new Error(`import answered ${res.status}: ${JSON.stringify(counts).slice(0, 500)}`);
  say(`  ${counts.suppliers} suppliers, ${counts.sites} sites, ${counts.parts} parts, ${counts.skus} SKUs, ${counts.supplies} SUPPLIES edges (graph version ${counts.graphVersion})`);
  await waitFor('the worker loading the new graph version', () => loadedVersion >= counts.graphVersion, { timeoutMs: 60_000 });
  say(`  worker caught up with graph version ${counts.graphVersion} (logs: ${worker.logPath})`);

  step(6, 'what the platform knows');
  await report(JSON.parse(network));
}

async function get(path) {
  const res = await fetch(`${base}${path}`);
  if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`);
  return res.json();
}

async function report(network) {
  const skus = [...network.skus].sort((a, b) => b.dailyRevenue - a.dailyRevenue).slice(0, 5);
  say('  top SKUs by daily revenue and the depth of their mapped supply tree:');
  for (const sku of skus) {
    const tree = await get(`/v1/skus/${encodeURIComponent(sku.id)}/upstream?depth=6`);
    const levels = tree.tiers.filter((t) => t.edges.length > 0);
    const sites = new Set(levels.flatMap((t) => t.edges.map((e) => e.fromSiteId)));
    say(`    ${sku.id.padEnd(12)} ${sku.name.slice(0, 28).padEnd(28)} ${String(Math.round(sku.dailyRevenue)).padStart(8)}/day  tiers mapped: ${levels.length}  upstream sites: ${sites.size}`);
  }
  const deepest = network.sites[network.sites.length - 1];
  const site = await get(`/v1/sites/${encodeURIComponent(deepest.id)}`);
  say(`  example site ${site.id} (${site.name}, ${site.country}) is at tier ${site.tier}`);
  const down = await get(`/v1/suppliers/${encodeURIComponent(site.supplierId)}/downstream`);
  say(`  its supplier ${site.supplierId} feeds ${down.skus.length} SKU(s)${down.skus[0] ? `, most strongly ${down.skus[0].skuId} (share chain ${down.skus[0].share})` : ''}`);
  say(`\n  API docs: ${base}/docs   health: ${base}/health/ready   metrics: ${base}/metrics`);
}

async function shutdown(code) {
  await Promise.all(children.map(stop));
  process.exit(code);
}

main().then(
  async () => {
    if (process.stdout.isTTY && !process.env.CI) {
      say('\nThe api and the worker keep running; press Ctrl+C to stop them (services stay up: npm run services:down).');
      process.on('SIGINT', () => shutdown(0));
    } else {
      await shutdown(0);
    }
  },
  async (error) => {
    process.stderr.write(`\ndemo failed: ${error.message}\n`);
    await shutdown(1);
  },
);
