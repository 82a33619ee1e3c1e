import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import pino from 'pino';
import { APP_CONFIG } from '@tiersight/config';
import { LOGGER, Metrics } from '@tiersight/observability';
import { DeadLetters } from './dead-letters';
import type { JobHandlers } from './job-handlers';
import { QUEUES } from './jobs';
import { QUEUE_PROCESSORS, QueueProcessor, QueueWorkers, queueWorkerProviders } from './queue-worker';

@Injectable()
class GraphProcessor implements QueueProcessor<'graph'> {
  readonly queue = QUEUES.graph;
  readonly handlers: JobHandlers<'graph'> = { 'graph.changed': async () => 'reloaded' };
}

@Injectable()
class RiskProcessor implements QueueProcessor<'risk'> {
  readonly queue = QUEUES.risk;
  readonly options = { concurrency: 1 };
  readonly handlers: JobHandlers<'risk'> = { 'risk.propagate': async () => 'ran' };
}

@Injectable()
class OtherGraphProcessor implements QueueProcessor<'graph'> {
  readonly queue = QUEUES.graph;
  readonly handlers: JobHandlers<'graph'> = { 'graph.changed': async () => 'again' };
}

/** Compiles the providers only: no lifecycle hook runs, so no worker (and no Redis connection) is made. */
async function compile(...processors: Array<typeof GraphProcessor | typeof RiskProcessor | typeof OtherGraphProcessor>) {
  const moduleRef = await Test.createTestingModule({
    providers: [
      ...queueWorkerProviders(...processors),
      { provide: APP_CONFIG, useValue: { REDIS_URL: 'redis://127.0.0.1:1', QUEUE_PREFIX: 'unit' } },
      { provide: DeadLetters, useValue: { add: async () => undefined } },
      { provide: Metrics, useValue: new Metrics('test') },
      { provide: LOGGER, useValue: pino({ level: 'silent' }) },
    ],
  }).compile();
  return moduleRef;
}

describe('queueWorkerProviders', () => {
  it('provides each processor once, and the workers with every processor', async () => {
    const moduleRef = await compile(GraphProcessor, RiskProcessor);
    const processors = moduleRef.get(QUEUE_PROCESSORS);
    expect(processors).toEqual([moduleRef.get(GraphProcessor), moduleRef.get(RiskProcessor)]);
    expect(moduleRef.get(QueueWorkers)).toBeInstanceOf(QueueWorkers);
  });

  it('refuses two processors for one queue before it starts any worker', async () => {
    const moduleRef = await compile(GraphProcessor, OtherGraphProcessor);
    expect(() => moduleRef.get(QueueWorkers).onApplicationBootstrap()).toThrow('two processors for queue graph');
  });
});
