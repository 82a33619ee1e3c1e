export { PinoNestLogger } from './nest-logger';
export { Metrics } from './metrics';
export { LOGGER, ObservabilityModule } from './observability.module';
export { runProcess } from './run-process';
