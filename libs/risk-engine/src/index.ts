// Public entry of @tiersight/risk-engine: a pure library (no Nest, no I/O).
export { RiskEngineError } from './errors';
export { Projection } from './projection';
export { ProjectionBuilder } from './projection-builder';
export { combineFactors, combineImpacts, combineInto, type ImpactInput, type SiteImpact } from './impacts';
export { propagate } from './propagate';
export { Propagator, type PropagationDelta, type SiteImpactsChange } from './incremental';
export { ExposureBook } from './exposure-book';
export { SweepRunner } from './scratch-runner';
export { DEFAULT_EXPOSURE_THRESHOLD, exposedSkus, listExposures, type ExposedSku } from './exposures';
export { compareIds } from './critical-path';
export { computeOutlook, worsens, type OutlookRecord } from './outlook';
export { attributeEvents, attributionRow, EventReachSolver, impactsByEvent, type EventReach } from './attribution';
export { computeRxi, type RxiResult } from './rxi';
export { computeTiers, tierOrNull } from './tiers';
export { singleSourcedInputs, visibilityGaps } from './structural-reports';
export { countryConcentration } from './concentration';
export { mapCoverage } from './coverage';
