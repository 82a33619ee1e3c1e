/**
 * Writes a seeded, realistic supply network in the import format (DESIGN §7.1).
 * Run `npm run generate -- --help` for the options.
 */
import { SingleBar } from 'cli-progress';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import {
  GenerateOptions,
  NETWORK_SIZES,
  NetworkCounts,
  NetworkSize,
  planBatches,
  planNetwork,
  writeNetworkCsv,
  writeNetworkJson,
} from '@tiersight/demo-network';

const USAGE = `usage: npm run generate -- --out <file.json | dir> [options]
  --size demo|small|medium|large   network size (default demo; large = 100k suppliers, 250k sites, 50k SKUs, 1M edges)
  --seed N                         0 to 4294967295 (default 42); the same seed gives byte-identical output
  --format json|csv                json: one file; csv: a directory with suppliers.csv, sites.csv, parts.csv, skus.csv, supplies.csv
  --cycles N                       back edges closing N cycles (default 0: acyclic)
  --suppliers N --sites N --skus N --edges N --tiers N   override the size's counts`;

const COUNT_FLAGS = ['suppliers', 'sites', 'skus', 'edges', 'tiers'] as const;

class UsageError extends Error {}

function readArgs(): { options: GenerateOptions; out: string; format: 'json' | 'csv' } {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      options: {
        size: { type: 'string', default: 'demo' },
        seed: { type: 'string', default: '42' },
        out: { type: 'string' },
        format: { type: 'string', default: 'json' },
        cycles: { type: 'string', default: '0' },
        help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(COUNT_FLAGS.map((flag) => [flag, { type: 'string' }])),
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const problems: string[] = [];
  const whole = (flag: string): number => {
    const text = values[flag] as string;
    if (!/^\d+$/.test(text)) problems.push(`--${flag} must be a whole number, not "${text}"`);
    return Number(text);
  };
  const size = values.size as string;
  if (!Object.hasOwn(NETWORK_SIZES, size)) problems.push(`--size must be one of ${Object.keys(NETWORK_SIZES).join(', ')}, not "${size}"`);
  const format = values.format as string;
  if (format !== 'json' && format !== 'csv') problems.push(`--format must be json or csv, not "${format}"`);
  const out = values.out as string | undefined;
  if (!out) problems.push('--out is required');
  else if (existsSync(out) && statSync(out).isDirectory() !== (format === 'csv')) {
    problems.push(format === 'csv' ? `--out ${out} is a file; csv writes a directory` : `--out ${out} is a directory; json writes one file`);
  }
  const counts: Partial<NetworkCounts> = {};
  for (const flag of COUNT_FLAGS) if (values[flag] !== undefined) counts[flag] = whole(flag);
  const options: GenerateOptions = { size: size as NetworkSize, seed: whole('seed'), cycles: whole('cycles'), counts };
  if (problems.length) throw new UsageError(problems.join('\n'));
  return { options, out: out!, format: format as 'json' | 'csv' };
}

async function main(): Promise<void> {
  const { options, out, format } = readArgs();
  const started = Date.now();
  let plan;
  try {
    plan = planNetwork(options);
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message.replace(/^(\w+) must/, '--$1 must'));
    throw error;
  }
  const { totals } = plan;
  const rows = Object.values(totals).reduce((a, b) => a + b, 0);
  const bar = new SingleBar({ format: 'generate [{bar}] {percentage}% | {value}/{total} rows | {eta}s left', stream: process.stderr, hideCursor: true });
  const showBar = process.stderr.isTTY && rows > 50_000;
  if (showBar) bar.start(rows, 0);
  const onRows = showBar ? (n: number) => bar.increment(n) : undefined;
  try {
    if (format === 'csv') await writeNetworkCsv(planBatches(plan), out, onRows);
    else {
      mkdirSync(dirname(out), { recursive: true });
      await writeNetworkJson(planBatches(plan), out, onRows);
    }
  } finally {
    if (showBar) bar.stop();
  }
  const n = (v: number) => v.toLocaleString('en-US');
  process.stdout.write(
    `${options.size} network, seed ${options.seed}: ${n(totals.suppliers)} suppliers, ${n(totals.sites)} sites, ${n(totals.parts)} parts, ` +
      `${n(totals.skus)} SKUs, ${n(totals.supplies)} SUPPLIES edges → ${out} (${format}, ${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
  );
}

main().catch((error: Error) => {
  const usage = error instanceof UsageError;
  process.stderr.write(`generate: ${error.message}\n${usage ? `${USAGE}\n` : ''}`);
  process.exit(usage ? 2 : 1);
});
