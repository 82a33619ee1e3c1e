// Public entry of @tiersight/twin-runs: twin runs (DESIGN §9) inside the apps.
export { TwinRunsModule } from './twin-runs.module';
export { TwinRunService, TWIN_JOB_ATTEMPTS, type ExecuteOutcome, type JobProgress } from './twin-run.service';
export { TwinResults, type Delta, type Page, type SkuDelta, type SkuPageQuery, type TwinComparison } from './twin-results.service';
export { TwinExecutor, TwinCancelledError, MIN_THREADED_WORK, type Execution, type ExecuteHooks } from './twin-executor';
export { TwinError, TwinErrorCode } from './twin.error';
export type { TwinRunRecord, TwinRunState, TwinRunStatus, TwinRunSummary } from './twin-run.store';
export type { SkuOutlookView } from './twin-rows';
export { SITE_DOWN } from './twin-request.builder';
export {
  contributionSamplesFor,
  CONTRIBUTION_BUDGET,
  DEFAULT_SAMPLES,
  EVERY_TYPE,
  SCENARIO_EVENT_TYPE,
  SYNC_MAX_SAMPLES,
  type ResolvedTwinRequest,
  type TwinParameters,
  type TwinRunRequest,
  type TwinScenarioImpact,
} from './twin-settings';
