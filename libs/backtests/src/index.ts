// Public entry of @tiersight/backtests: replays of past events against today's network and subscriptions (DESIGN §10 Backtests).
export { BacktestsModule } from './backtests.module';
export { BacktestError, BacktestErrorCode } from './backtest.error';
export { activeSubscriptions, BacktestRuns, type ListedSubscription } from './backtest-runs.service';
export { BacktestExecutor, type JobProgress } from './backtest-executor';
export type { BacktestRequest, ResolvedBacktestRequest } from './backtest-request';
export type { BacktestPhase, BacktestRecord, BacktestState, BacktestStatus } from './backtest-run.store';
export type { BacktestDocument } from './document-events';
export type { RejectedItem } from './event-versions';
export { replay, replaySteps, type ReplayInput, type ReplaySubscription, type TimedEvent } from './replay';
export type {
  AlertBasis,
  BacktestAlert,
  BacktestDay,
  BacktestReport,
  BacktestShortage,
  BacktestSkuRow,
  BacktestSubscriptionRow,
  LeadStats,
  ModeTotals,
  ShortageWarning,
  SkuMode,
  SubscriptionMode,
} from './replay-report';
