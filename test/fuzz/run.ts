// npm run fuzz [-- --cases 100000] [--seed 42]
// The bad-input battery as a long run: the API in this process on a Neo4j of its own
// (127.0.0.1:7692, data in .local/fuzz; FUZZ_NEO4J_URI and FUZZ_HOME change them), started or
// reused here and left running for the next run. Prints the seed; the same seed and count send
// the same requests.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FuzzSession, fuzzSeed } from './fuzz-session';
import type { FuzzReport } from './fuzz-runner';

const ROOT = join(__dirname, '..', '..');
const SHOWN_FAILURES = 50;

function servicesUp(env: NodeJS.ProcessEnv): void {
  const res = spawnSync(process.execPath, [join(ROOT, 'scripts', 'services.mjs'), 'up'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  if (res.status !== 0) throw new Error('services up failed');
}

const summary = (report: FuzzReport) => {
  const rate = report.cases / Math.max(report.ms / 1000, 0.001);
  return `${report.cases.toLocaleString('en-US')} cases, ${report.operations} operations, ${(report.ms / 1000).toFixed(1)} s (${rate.toFixed(0)}/s), failures ${report.failed}`;
};

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { cases: { type: 'string', default: '10000' }, seed: { type: 'string' } } });
  const cases = Number(values.cases);
  if (!Number.isSafeInteger(cases) || cases < 1) throw new Error(`--cases must be a positive integer, not ${values.cases}`);
  const seed = fuzzSeed(values.seed ?? process.env.FUZZ_SEED);
  const neo4jUri = process.env.FUZZ_NEO4J_URI ?? 'bolt://127.0.0.1:7692';
  const home = process.env.FUZZ_HOME ?? join(ROOT, '.local', 'fuzz');
  const env = { ...process.env, TIERSIGHT_HOME: home, NEO4J_URI: neo4jUri, SERVICES_MQTT: 'off' };
  process.stdout.write(`fuzz: Neo4j at ${neo4jUri} (data in ${home}) and Redis…\n`);
  servicesUp(env);
  const session = await FuzzSession.start(seed, { NEO4J_URI: neo4jUri });
  let report: FuzzReport;
  try {
    process.stdout.write(`fuzz: seed ${seed} (--seed ${seed} reproduces it), ${cases.toLocaleString('en-US')} cases against ${session.url}\n`);
    report = await session.run(cases, {
      checkEvery: 1000,
      onProgress: (_done, progress) => process.stdout.write(`  ${summary(progress)}\n`),
    });
  } finally {
    await session.close();
  }
  process.stdout.write(`fuzz: ${summary(report)}\nanswers by status: ${JSON.stringify(report.statuses)}\n`);
  process.stdout.write(`accepted (2xx) by mutation: ${JSON.stringify(report.accepted)}\n`);
  process.stdout.write(`slowest:\n${report.slowest.map((s) => `  ${s.ms} ms (${s.status}) ${s.request.slice(0, 200)}`).join('\n')}\n`);
  for (const f of report.failures.slice(0, SHOWN_FAILURES)) process.stdout.write(`\n#${f.index} ${f.rule} (${f.status}): ${f.request}\n  → ${f.detail}\n`);
  if (report.failed > SHOWN_FAILURES) process.stdout.write(`\n… and ${report.failed - SHOWN_FAILURES} more\n`);
  process.stdout.write(`\nits Neo4j keeps running; stop it with TIERSIGHT_HOME=${home} NEO4J_URI=${neo4jUri} npm run services:down\n`);
  return report.failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`fuzz: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
