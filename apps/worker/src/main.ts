import 'reflect-metadata';
import { WorkerEnv } from '@tiersight/config';
import { runProcess } from '@tiersight/observability';
import { createWorkerApp } from './bootstrap';

void runProcess('worker', WorkerEnv, async (config, logger) => {
  const app = await createWorkerApp(config, logger);
  await app.listen(config.WORKER_HEALTH_PORT, '127.0.0.1');
  logger.info({ health: `http://127.0.0.1:${config.WORKER_HEALTH_PORT}/health/ready` }, 'worker running');
});
