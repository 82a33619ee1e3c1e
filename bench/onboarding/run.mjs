// npm run bench:onboarding — Open Supply Hub's real facility lists through the place engine:
// offline geocoding against OSH's own geocodes, and duplicate proposals against hand-labelled
// pairs (bench/onboarding/onboarding.bench.ts). No services; exits 1 below a documented floor.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../scripts/dev/dev-env.mjs';

const child = spawn(process.execPath, [join(ROOT, 'scripts', 'run-tool.mjs'), 'bench/onboarding/onboarding.bench.ts', ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: 'inherit',
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
