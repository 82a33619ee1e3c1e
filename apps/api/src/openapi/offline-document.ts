import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import pino from 'pino';
import { ApiEnv, loadConfig } from '@tiersight/config';
import { Metrics } from '@tiersight/observability';
import { ApiModule } from '../api.module';
import { createApiDocument } from './api-document';

/**
 * A fixed configuration that only lets the module be described. Nothing
 * connects: in preview mode Nest registers modules, controllers and routes
 * without instantiating a provider, so no driver, queue or client is created.
 */
const OFFLINE_ENV = {
  NODE_ENV: 'test',
  NEO4J_URI: 'bolt://offline.invalid:7687',
  NEO4J_PASSWORD: 'offline',
  REDIS_URL: 'redis://offline.invalid:6379',
};

/** The OpenAPI document of the API, built without Neo4j, Redis or a listening server. */
export async function offlineApiDocument(): Promise<OpenAPIObject> {
  const config = loadConfig(ApiEnv, OFFLINE_ENV);
  const module = ApiModule.forRoot(config, pino({ level: 'silent' }), new Metrics('api'));
  const app = await NestFactory.create(module, { preview: true, logger: false, abortOnError: false, bodyParser: false });
  try {
    return createApiDocument(app);
  } finally {
    await app.close();
  }
}
