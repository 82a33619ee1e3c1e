import { DynamicModule, Module } from '@nestjs/common';
import { GraphModule } from '@tiersight/graph';
import { BacktestExecutor } from './backtest-executor';
import { BacktestRunStore } from './backtest-run.store';
import { BacktestRuns } from './backtest-runs.service';

/**
 * Backtests (DESIGN §10) inside the apps: the API checks and queues them
 * (and reads them back), the worker runs them. Needs ConfigModule,
 * ObservabilityModule, QueuesModule and DisruptionsModule (its FEED_CONFIG:
 * the severity policy and forecast p the feed path uses).
 */
@Module({})
export class BacktestsModule {
  static forApi(): DynamicModule {
    return { module: BacktestsModule, providers: [BacktestRunStore, BacktestRuns], exports: [BacktestRuns] };
  }

  static forWorker(): DynamicModule {
    return { module: BacktestsModule, imports: [GraphModule], providers: [BacktestRunStore, BacktestExecutor], exports: [BacktestExecutor] };
  }
}
