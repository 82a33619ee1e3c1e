import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Logger } from 'pino';
import { WorkerEnv } from '@tiersight/config';
import { MigrationRunner, Neo4jService } from '@tiersight/graph';
import { Metrics, PinoNestLogger } from '@tiersight/observability';
import { verifyRedis } from '@tiersight/queues';
import { WorkerModule } from './worker.module';

/** Builds the worker (BullMQ processors; HTTP only for health and metrics). */
export async function createWorkerApp(config: WorkerEnv, logger: Logger): Promise<INestApplication> {
  await verifyRedis(config);
  const app = await NestFactory.create(WorkerModule.forRoot(config, logger, new Metrics('worker')), {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
    bodyParser: false,
  });
  app.enableShutdownHooks();
  await app.get(Neo4jService).verify();
  await app.get(MigrationRunner).migrate();
  return app;
}
