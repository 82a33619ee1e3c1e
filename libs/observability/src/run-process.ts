import type { Logger } from 'pino';
import { BaseEnv, ConfigError, loadConfig } from '@tiersight/config';
import { createLogger, scrubSecrets, secretsOf } from './logger';

/**
 * The shared start of a Tiersight process: validated configuration (one line
 * and exit 1 when it is wrong), the logger, then `start`; a start-up failure
 * ("cannot reach Neo4j at …") is logged and printed as one line, exit 1.
 */
export async function runProcess<T extends BaseEnv>(name: string, schema: new () => T, start: (config: T, logger: Logger) => Promise<void>): Promise<void> {
  let config: T;
  try {
    config = loadConfig(schema);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`tiersight ${name}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const secrets = secretsOf(config);
  const logger = createLogger({ name, level: config.LOG_LEVEL, pretty: config.LOG_PRETTY, secrets });
  try {
    await start(config, logger);
  } catch (error) {
    const message = (error as Error).message;
    logger.fatal({ err: error }, `${name} failed to start: ${message}`);
    process.stderr.write(`tiersight ${name}: ${scrubSecrets(message, secrets)}\n`);
    process.exit(1);
  }
}
