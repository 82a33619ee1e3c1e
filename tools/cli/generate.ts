/**
 * npm run generate -- --size demo|small|medium|large [--seed 42] --out <file.json | dir> [--format json|csv] [--cycles N]
 *
 * Writes a seeded, realistic supply network in the import format.
 */
import { SingleBar } from 'cli-progress';
import { parseArgs } from 'node:util';
import { generateNetwork, NETWORK_SIZES, NetworkSize, writeNetworkCsv, writeNetworkJson } from '@tiersight/demo-network';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: 'demo' },
      seed: { type: 'string', default: '42' },
      out: { type: 'string' },
      format: { type: 'string', default: 'json' },
      cycles: { type: 'string', default: '0' },
    },
  });
  const size = values.size as NetworkSize;
  const seed = Number(values.seed);
  const cycles = Number(values.cycles);
  const problems = [
    !(size in NETWORK_SIZES) && `--size must be one of ${Object.keys(NETWORK_SIZES).join(', ')}`,
    !Number.isInteger(seed) && '--seed must be an integer',
    !values.out && '--out is required',
    !['json', 'csv'].includes(values.format!) && '--format must be json or csv',
    !(Number.isInteger(cycles) && cycles >= 0) && '--cycles must be a whole number',
  ].filter(Boolean);
  if (problems.length) {
    process.stderr.write(`generate: ${problems.join('; ')}\n`);
    return 2;
  }
  const started = Date.now();
  const network = generateNetwork({ size, seed, cycles });
  const rows = Object.values(network).reduce((n, list) => n + list.length, 0);
  const bar = new SingleBar({ format: 'writing [{bar}] {percentage}% | {value}/{total} rows', stream: process.stderr });
  if (process.stderr.isTTY && rows > 50_000) bar.start(rows, 0);
  const onRows = (n: number) => bar.increment(n);
  if (values.format === 'csv') await writeNetworkCsv(network, values.out!, onRows);
  else await writeNetworkJson(network, values.out!, onRows);
  bar.stop();
  process.stderr.write(
    `${size} network (seed ${seed}): ${network.suppliers.length} suppliers, ${network.sites.length} sites, ${network.parts.length} parts, ` +
      `${network.skus.length} SKUs, ${network.supplies.length} edges → ${values.out} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return 0;
}

main().then((code) => process.exit(code), (error) => {
  process.stderr.write(`generate: ${(error as Error).message}\n`);
  process.exit(1);
});
