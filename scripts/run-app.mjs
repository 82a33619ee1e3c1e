// npm run start:api | start:worker — builds when sources changed, then runs the bundle
// with the local environment (see scripts/dev/dev-env.mjs and the README's configuration table).
import { spawn } from 'node:child_process';
import { ensureBuilt } from './dev/build.mjs';
import { devEnv, ROOT } from './dev/dev-env.mjs';

const app = process.argv[2];
if (app !== 'api' && app !== 'worker') {
  process.stderr.write('usage: node scripts/run-app.mjs api|worker\n');
  process.exit(2);
}
const bundle = ensureBuilt(app);
const child = spawn(process.execPath, ['--enable-source-maps', bundle], { cwd: ROOT, env: devEnv(), stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
