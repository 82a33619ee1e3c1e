import 'reflect-metadata';
import { ApiEnv } from '@tiersight/config';
import { runProcess } from '@tiersight/observability';
import { createApiApp } from './bootstrap';

void runProcess('api', ApiEnv, async (config, logger) => {
  const app = await createApiApp(config, logger);
  await app.listen(config.PORT, config.HOST);
  const url = `http://${config.HOST}:${config.PORT}`;
  logger.info({ url, docs: `${url}/docs` }, 'api listening');
});
