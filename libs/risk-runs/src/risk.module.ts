import { Module } from '@nestjs/common';
import { GraphModule } from '@tiersight/graph';
import { ExposureRunService } from './exposure-run.service';
import { ProjectionCache } from './projection-cache.service';
import { RiskReportsService } from './risk-reports.service';
import { ScenarioService } from './scenario.service';

/** The risk engine inside the apps: projection kept at the graph version, runs, scenarios, reports. Needs QueuesModule. */
@Module({
  imports: [GraphModule],
  providers: [ProjectionCache, ExposureRunService, ScenarioService, RiskReportsService],
  exports: [ProjectionCache, ExposureRunService, ScenarioService, RiskReportsService],
})
export class RiskModule {}
