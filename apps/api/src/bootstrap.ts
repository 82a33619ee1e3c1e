import { INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { ApiEnv } from '@tiersight/config';
import { MigrationRunner, Neo4jService } from '@tiersight/graph';
import { Metrics, PinoNestLogger } from '@tiersight/observability';
import { verifyRedis } from '@tiersight/queues';
import { ApiModule } from './api.module';
import { createApiDocument } from './openapi/api-document';
import { serveWebPages } from './web/web-pages';

/** Builds the API application (used by main.ts and by the end-to-end tests). */
export async function createApiApp(config: ApiEnv, logger: Logger): Promise<INestApplication> {
  await verifyRedis(config.REDIS_URL);
  const metrics = new Metrics('api');
  const app = await NestFactory.create(ApiModule.forRoot(config, logger, metrics), {
    bodyParser: false,
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  app.useGlobalPipes(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: false }));
  app.enableShutdownHooks();
  serveWebPages(app, logger);
  const neo4j = app.get(Neo4jService);
  await neo4j.verify();
  const applied = await app.get(MigrationRunner).migrate();
  if (applied.length) logger.info({ applied }, 'schema migrations applied');
  if (config.AUTH_DISABLED) logger.warn('AUTH_DISABLED=true: requests without a key act as an admin (local development only)');

  const document = createApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
