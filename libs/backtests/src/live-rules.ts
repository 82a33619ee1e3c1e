/*
 * The live alert path's own rules, reused so that a backtest decides exactly
 * as the risk worker (the exposure and outlook diffs) and the alert fan-out
 * (what each subscription hears) do, never a copy of them: pure functions of
 * libs/risk-runs and libs/webhooks, gathered here for the replay.
 */
export { diffExposures, diffOutlooks } from '@tiersight/risk-runs';
export { deriveAlert, deriveOutlookAlert, type AlertSteps, type ExposureContext, type NotifiedState, type WebhookFilters } from '@tiersight/webhooks';
