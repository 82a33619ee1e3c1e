// Public entry of @tiersight/twin-engine: Monte Carlo over the risk engine (DESIGN §9); pure, no Nest, no I/O.
export { TwinEngineError, TwinEngineErrorCode } from './twin-engine.error';
export {
  DEFAULT_HORIZON_DAYS,
  DEFAULT_KAPPA,
  DEFAULT_RECOVERY,
  DEFAULT_SIGMA,
  type DrawParameters,
  type HitSource,
  type RecoverySpread,
  type SiteDownScenario,
  type TwinEvent,
  type TwinHit,
  type TwinRequest,
  type TwinSpec,
} from './twin-request';
export { combineTwin, openSampleRange, runSamples, runTwin, splitRange } from './run-twin';
export type { SampleRange } from './sample-runner';
export { TwinDraws } from './twin-draws';
export { mergePartials, type SkuSamples, type TwinPartial } from './twin-partial';
export {
  summarizeTwin,
  summarize,
  type DailyCurve,
  type DriverContribution,
  type SkuOutlook,
  type Summary,
  type SupplyRatioBand,
  type TwinResult,
} from './twin-summary';
export { betaQuantile, normalQuantile, triangularQuantile } from './distributions';
export { projectionFromShared, shareProjection, type SharedProjection } from './shared-projection';
