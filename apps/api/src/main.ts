import 'reflect-metadata';
import { ApiEnv, ConfigError, loadConfig } from '@tiersight/config';
import { createLogger } from '@tiersight/observability';
import { createApiApp } from './bootstrap';

async function main(): Promise<void> {
  let config: ApiEnv;
  try {
    config = loadConfig(ApiEnv);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`tiersight api: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ name: 'api', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  try {
    const app = await createApiApp(config, logger);
    await app.listen(config.PORT, config.HOST);
    logger.info({ url: `http://${config.HOST}:${config.PORT}`, docs: `http://${config.HOST}:${config.PORT}/docs` }, 'api listening');
  } catch (error) {
    const message = (error as Error).message;
    logger.fatal({ err: error }, `api failed to start: ${message}`);
    process.stderr.write(`tiersight api: ${message}\n`);
    process.exit(1);
  }
}

void main();
