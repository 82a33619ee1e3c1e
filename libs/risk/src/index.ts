export { RiskModule } from './risk.module';
export { ProjectionCache } from './projection-cache.service';
export type { LoadedProjection } from './projection-cache.service';
export { ExposureRunService, PROPAGATION_DONE_KEY } from './exposure-run.service';
export type { ImpactScope, RunCounts, RunOutcome, RunPhases } from './exposure-run.service';
export { diffExposures } from './exposure-diff';
export { ScenarioService, UnknownScenarioReferenceError } from './scenario.service';
export type { ScenarioImpact } from './scenario.service';
export { RiskReportsService } from './risk-reports.service';
