import { DynamicModule, Global, Module } from '@nestjs/common';
import { loadConfig } from './load-config';
import { BaseEnv } from './env.schema';

export const APP_CONFIG = Symbol('APP_CONFIG');

/** Provides one validated config object under APP_CONFIG. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot<T extends BaseEnv>(config: Readonly<T>): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] };
  }
}

export { loadConfig };
