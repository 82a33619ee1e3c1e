export { createLogger, MIN_SECRET_LENGTH, scrubSecrets, secretsOf } from './logger';
export type { LoggerOptions } from './logger';
export { PinoNestLogger } from './nest-logger';
export { Metrics } from './metrics';
export { LOGGER, ObservabilityModule } from './observability.module';
export { runProcess } from './run-process';
