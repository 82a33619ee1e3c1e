export { RiskModule } from './risk.module';
export { ProjectionCache, projectionVisitor } from './projection-cache.service';
export { ExposureRunService } from './exposure-run.service';
export { ScenarioService, UnknownScenarioReferenceError } from './scenario.service';
export type { ScenarioImpact } from './scenario.service';
export { RiskReportsService } from './risk-reports.service';
