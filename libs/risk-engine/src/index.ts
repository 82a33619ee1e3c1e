// Public entry of @tiersight/risk-engine: a pure library (no Nest, no I/O).
export { RiskEngineError, RiskEngineErrorCode } from './errors';
export { NODE_SITE, NODE_SKU, PROVENANCES, Projection, type Provenance } from './projection';
export { ProjectionBuilder, type EdgeInput, type SiteInput, type SkuInput, type TimeInput } from './projection-builder';
export { condense, type Condensation } from './scc';
export { combineImpacts, type ImpactInput, type SiteImpact } from './impacts';
export { CONVERGENCE_EPS, MAX_SWEEPS_PER_COMPONENT } from './cone-solver';
export type { RiskView, RunStats } from './risk-view';
export { propagate, groupBySite, type PropagationResult } from './propagate';
export { Propagator, type PropagationDelta, type SiteImpactsChange } from './incremental';
export { ExposureBook, type EventHits, type ExposureBookDelta } from './exposure-book';
export {
  DEFAULT_EXPOSURE_THRESHOLD,
  describeExposure,
  exposedSkus,
  isExposed,
  listExposures,
  skuState,
  type ExposedSku,
} from './exposures';
export { compareIds, explainExposure, TIE_EPS, type Explanation } from './critical-path';
export { attributeEvents, attributionRow, EventReachSolver, impactsByEvent, type AttributionOptions, type EventAttribution, type EventReach } from './attribution';
export { computeRxi, RxiComputation, topRxiSites, type RxiOptions, type RxiResult, type SinglePointOfFailure } from './rxi';
export { computeTiers, NO_TIER, tierOrNull, type Tiers } from './tiers';
export { singleSourcedInputs, visibilityGaps, type SingleSourcedInput, type VisibilityGap } from './structural-reports';
export { countryConcentration, type ConcentrationRow } from './concentration';
export { mapCoverage, type CoverageReport, type SkuCoverage } from './coverage';
