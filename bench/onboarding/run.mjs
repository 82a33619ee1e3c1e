// npm run bench:onboarding — Open Supply Hub's real facility lists through the place engine:
// offline geocoding against OSH's own geocodes, and duplicate proposals against hand-labelled
// pairs (bench/onboarding/onboarding.bench.ts). No services; exits 1 below a documented floor.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const res = spawnSync(
  process.execPath,
  ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'bench/onboarding/onboarding.bench.ts', ...process.argv.slice(2)],
  {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.json', TS_NODE_TRANSPILE_ONLY: 'true' },
    stdio: 'inherit',
  },
);
process.exit(res.status ?? 1);
