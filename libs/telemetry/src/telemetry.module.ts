import { DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '@tiersight/audit';
import { BaseEnv } from '@tiersight/config';
import { GraphModule } from '@tiersight/graph';
import { ReadingsService } from './readings.service';
import { loadRuleConfig, TELEMETRY_RULES } from './rules.config';
import { SensorImpactRepository } from './sensor-impact.repository';
import { SensorRepository } from './sensor.repository';
import { SensorStateStore } from './sensor-state.store';
import { SensorsService } from './sensors.service';
import { TelemetryIngest } from './telemetry-ingest.service';

/** Sensors, SenML ingest and rule evaluation. Needs ConfigModule and QueuesModule (global). */
@Module({})
export class TelemetryModule {
  static forRoot(config: BaseEnv): DynamicModule {
    const providers = [
      { provide: TELEMETRY_RULES, useValue: loadRuleConfig(config) },
      SensorRepository,
      SensorImpactRepository,
      SensorStateStore,
      TelemetryIngest,
      ReadingsService,
      SensorsService,
    ];
    return { module: TelemetryModule, imports: [GraphModule, AuditModule], providers, exports: providers };
  }
}
