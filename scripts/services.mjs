// npm run services:up | services:down | services:status
import { ensureServices, serviceStatus, ServiceError, stopServices } from './lib/services.mjs';

const command = process.argv[2];
const actions = { up: () => ensureServices({ mqtt: true }), down: () => stopServices(), status: () => serviceStatus() };
if (!actions[command]) {
  process.stderr.write('usage: node scripts/services.mjs up|down|status\n');
  process.exit(2);
}
try {
  await actions[command]();
  process.exit(0);
} catch (error) {
  process.stderr.write(`services ${command}: ${error instanceof ServiceError ? error.message : error.stack}\n`);
  process.exit(1);
}
