import { DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { Metrics } from './metrics';

export const LOGGER = Symbol('LOGGER');

/** Provides the process logger (pino) and the metrics registry to every module. */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(logger: Logger, metrics: Metrics): DynamicModule {
    return {
      module: ObservabilityModule,
      providers: [
        { provide: LOGGER, useValue: logger },
        { provide: Metrics, useValue: metrics },
      ],
      exports: [LOGGER, Metrics],
    };
  }
}
