export { HealthModule } from './health.module';
export type { HealthOptions } from './health.module';
