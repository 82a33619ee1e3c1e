export { RiskModule } from './risk.module';
export { ProjectionCache, projectionVisitor } from './projection-cache.service';
export { ExposureRunService } from './exposure-run.service';
export { ScenarioService, UnknownScenarioReferenceError } from './scenario.service';
export type { ScenarioImpact } from './scenario.service';
export { RiskReportsService } from './risk-reports.service';
// The live diffs, for backtests that must decide as the risk worker does.
export { diffExposures } from './exposure-diff';
export { diffOutlooks } from './outlook-diff';
