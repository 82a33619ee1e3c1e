// Public entry of @tiersight/twin-runs: twin runs (DESIGN §9) inside the apps.
export { TwinRunsModule } from './twin-runs.module';
export { TwinRunService } from './twin-run.service';
export { TwinResults } from './twin-results.service';
export { TwinExecutor } from './twin-executor';
export { TwinError, TwinErrorCode } from './twin.error';
export type { TwinRunRecord } from './twin-run.store';
export { contributionSamplesFor, type TwinRunRequest } from './twin-settings';
export { toStoredOutlook } from './twin-rows';
