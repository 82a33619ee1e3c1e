export { ApiEnv, BaseEnv, WorkerEnv } from './env.schema';
export { ConfigError, loadConfig } from './load-config';
export { APP_CONFIG, ConfigModule } from './config.module';
