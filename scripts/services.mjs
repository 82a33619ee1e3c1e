// npm run services:up | services:down | services:status
//   up      start what is missing (Neo4j, Redis, Mosquitto) and reuse what already answers
//   down    stop what `up` started; leave other servers running
//   status  show each service: up or down, address, whether Tiersight started it
// Settings come from the environment or a .env file at the repository root; the list and the
// programmatic API (ensureServices, stopServices, serviceStatus) are in scripts/lib/services.mjs.
import { ensureServices, serviceStatus, ServiceError, stopServices } from './lib/services.mjs';

const command = process.argv[2];
const actions = {
  up: () => ensureServices({ mqtt: true }),
  down: () => stopServices(),
  status: () => serviceStatus(),
};
if (!actions[command]) {
  process.stderr.write('usage: node scripts/services.mjs up|down|status   (npm run services:up|services:down|services:status)\n');
  process.exit(1);
}
try {
  await actions[command]();
  process.exit(0);
} catch (error) {
  if (error instanceof ServiceError) process.stderr.write(`services ${command} failed: ${error.message}\n`);
  else process.stderr.write(`services ${command} failed unexpectedly (a bug in scripts/lib): ${error?.stack ?? error}\n`);
  process.exit(1);
}
