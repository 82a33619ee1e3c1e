// Runs a TypeScript command-line tool of the repository (import CLI, generator, benchmarks)
// straight from source with the local environment.
import { spawn } from 'node:child_process';
import { devEnv, ROOT } from './dev/dev-env.mjs';

const [file, ...args] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node scripts/run-tool.mjs <file.ts> [args…]\n');
  process.exit(2);
}
const child = spawn(process.execPath, ['--max-old-space-size=8192', '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', file, ...args], {
  cwd: ROOT,
  env: devEnv({ TS_NODE_PROJECT: 'tsconfig.json' }),
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
