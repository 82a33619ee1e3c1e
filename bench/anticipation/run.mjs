// npm run bench:anticipation [-- --tune | --alpha 0.5 --beta 0.1 --fit fixed|grid --p-min 0.8 --window-min 120 | --json]
// Sensor forecasts (libs/forecast-engine) replayed over the real cold-chain logger reports in fixtures/iot
// against the alarm limits each report configures: rule firings, anticipations, lead time, false
// anticipations per sensor-day and misses, per file and in total. No services needed.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../scripts/dev/dev-env.mjs';

const child = spawn(process.execPath, [join(ROOT, 'scripts', 'run-tool.mjs'), 'bench/anticipation/anticipation.bench.ts', ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: 'inherit',
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
