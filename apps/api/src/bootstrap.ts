import { INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { ApiKeyService } from '@tiersight/access';
import { ApiEnv } from '@tiersight/config';
import { MigrationRunner, Neo4jService } from '@tiersight/graph';
import { Metrics, PinoNestLogger } from '@tiersight/observability';
import { verifyRedis } from '@tiersight/queues';
import { ApiModule } from './api.module';
import { hardenHttp } from './http/http-hardening';
import { createApiDocument } from './openapi/api-document';
import { serveWebPages } from './web/web-pages';

/** Why a production start stops when no admin could ever sign in (printed as one line by runProcess). */
export const NO_ADMIN_ACCESS =
  'no way to authenticate an admin with NODE_ENV=production: set ADMIN_API_KEY (16+ characters) or create an admin key with `npm run keys:create -- --role admin`';

/** Builds the API application (used by main.ts and by the end-to-end tests). */
export async function createApiApp(config: ApiEnv, logger: Logger): Promise<INestApplication> {
  await verifyRedis(config);
  const metrics = new Metrics('api');
  const app = await NestFactory.create(ApiModule.forRoot(config, logger, metrics), {
    bodyParser: false,
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  app.useGlobalPipes(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: false }));
  app.enableShutdownHooks();
  hardenHttp(app, config);
  serveWebPages(app, logger);
  const neo4j = app.get(Neo4jService);
  await neo4j.verify();
  const applied = await app.get(MigrationRunner).migrate();
  if (applied.length) logger.info({ applied }, 'schema migrations applied');
  // Production is never open and never locked: some admin must be able to sign in.
  if (config.NODE_ENV === 'production' && !(await app.get(ApiKeyService).adminCanAuthenticate())) {
    await app.close();
    throw new Error(NO_ADMIN_ACCESS);
  }
  if (config.AUTH_DISABLED) logger.warn('AUTH_DISABLED=true: requests without a key act as an admin (local development only)');

  const document = createApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
