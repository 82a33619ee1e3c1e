import { Module } from '@nestjs/common';
import { GraphModule } from '@tiersight/graph';
import { RiskModule } from '@tiersight/risk-runs';
import { TwinExecutor } from './twin-executor';
import { TwinRequestBuilder } from './twin-request.builder';
import { TwinResults } from './twin-results.service';
import { TwinRunService } from './twin-run.service';
import { TwinRunStore } from './twin-run.store';

/** Twin runs inside the apps (DESIGN §9): requests from the live state or a scenario, execution over worker threads, results in Redis. Needs QueuesModule. */
@Module({
  imports: [GraphModule, RiskModule],
  providers: [TwinRequestBuilder, TwinExecutor, TwinRunStore, TwinRunService, TwinResults],
  exports: [TwinRunService, TwinResults, TwinExecutor],
})
export class TwinRunsModule {}
