import 'reflect-metadata';
import { ConfigError, loadConfig, WorkerEnv } from '@tiersight/config';
import { createLogger } from '@tiersight/observability';
import { createWorkerApp } from './bootstrap';

async function main(): Promise<void> {
  let config: WorkerEnv;
  try {
    config = loadConfig(WorkerEnv);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`tiersight worker: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ name: 'worker', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  try {
    const app = await createWorkerApp(config, logger);
    await app.listen(config.WORKER_HEALTH_PORT, '127.0.0.1');
    logger.info({ health: `http://127.0.0.1:${config.WORKER_HEALTH_PORT}/health/ready` }, 'worker running');
  } catch (error) {
    const message = (error as Error).message;
    logger.fatal({ err: error }, `worker failed to start: ${message}`);
    process.stderr.write(`tiersight worker: ${message}\n`);
    process.exit(1);
  }
}

void main();
