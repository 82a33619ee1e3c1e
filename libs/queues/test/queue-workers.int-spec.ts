jest.setTimeout(60_000);
import 'reflect-metadata';
import { getQueueToken } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Job, Queue } from 'bullmq';
import pino from 'pino';
import { ConfigModule } from '@tiersight/config';
import { Metrics, ObservabilityModule } from '@tiersight/observability';
import { deleteRedisKeys } from '../../../test/support/cleanup';
import { uniquePrefix, workerConfig } from '../../../test/support/test-env';
import { eventually } from '../../../test/support/wait';
import { DeadLetters, type JobHandlers, type QueueProcessor, QUEUES, QueuesModule, queueWorkerProviders, RedisStore } from '../src';

/** A processor of the graph queue that knows `graph.changed` only, as a worker of an older release would. */
@Injectable()
class GraphProcessor implements QueueProcessor<typeof QUEUES.graph> {
  readonly queue = QUEUES.graph;
  readonly handlers: JobHandlers<typeof QUEUES.graph> = { 'graph.changed': async () => 'handled' };
}

/**
 * The shared worker against the real Redis: a job whose name no handler
 * knows ends, on its first try, in the dead-letter record with its reason;
 * a dead letter that Redis refuses is logged at error level and counted
 * in tiersight_dead_letter_write_failures_total, and the worker goes on.
 */
describe('queue workers: unknown job names and dead letters (real Redis)', () => {
  const prefix = uniquePrefix('qw').slice(0, -1);
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info', base: undefined }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const metrics = new Metrics('queues-test');
  let moduleRef: TestingModule;
  let queue: Queue;
  let deadLetters: DeadLetters;
  let store: RedisStore;

  beforeAll(async () => {
    const config = workerConfig({ QUEUE_PREFIX: prefix });
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), ObservabilityModule.forRoot(logger, metrics), QueuesModule.forRoot(config)],
      providers: queueWorkerProviders(GraphProcessor),
    }).compile();
    await moduleRef.init(); // starts the worker
    queue = moduleRef.get<Queue>(getQueueToken(QUEUES.graph));
    deadLetters = moduleRef.get(DeadLetters);
    store = moduleRef.get(RedisStore);
  });

  afterAll(async () => {
    await queue.obliterate({ force: true });
    await deleteRedisKeys(store.client, prefix);
    await moduleRef.close();
  });

  const ourLetters = async (jobId: string) => (await deadLetters.list({ limit: 100, kind: 'job' })).filter((l) => l.itemRef === jobId);

  it('handles a known name and dead-letters an unknown one at once, with its reason', async () => {
    const known = await queue.add('graph.changed', { v: 1, graphVersion: 1, cause: 'import' });
    const unknown = await queue.add('graph.renamed', { v: 1, graphVersion: 2 });

    await eventually('the known job completed', async () => (await queue.getJobState(known.id!)) === 'completed');
    const [letter] = await eventually('the unknown job dead-lettered', async () => {
      const found = await ourLetters(unknown.id!);
      return found.length ? found : null;
    });
    expect(letter).toMatchObject({
      kind: 'job',
      source: 'graph/graph.renamed',
      itemRef: unknown.id,
      reason: 'failed after 1 attempt(s): no handler for job "graph.renamed" on queue graph',
      excerpt: JSON.stringify({ v: 1, graphVersion: 2 }),
    });
    // Unrecoverable: failed on its first try although the queue allows five.
    const failed = await queue.getJob(unknown.id!);
    expect(await failed!.getState()).toBe('failed');
    expect(failed!.attemptsMade).toBe(1);
    expect(await ourLetters(known.id!)).toEqual([]);
    expect(await metrics.registry.getSingleMetricAsString('tiersight_dead_letters_total')).toContain('kind="job"');
  });

  it('logs and counts a dead letter Redis refuses, and writes the next one once Redis takes it again', async () => {
    // The stream's key holding a string: every XADD to it fails (WRONGTYPE), as a real write failure would.
    const stream = store.key('dead-letters');
    await store.client.del(stream);
    await store.client.set(stream, 'not a stream');
    let refused: Job | undefined;
    try {
      refused = await queue.add('graph.unknown', { v: 1 });
      const line = await eventually('the refused dead letter logged', async () =>
        lines.find((l) => l.msg === 'dead letter could not be written' && l.jobId === refused!.id),
      );
      expect(line).toMatchObject({
        level: 50,
        queue: 'graph',
        job: 'graph.unknown',
        attempt: 1,
        err: expect.objectContaining({ message: expect.stringMatching(/WRONGTYPE/) }),
        deadLetter: { kind: 'job', source: 'graph/graph.unknown', itemRef: refused!.id, reason: expect.stringContaining('no handler for job "graph.unknown"') },
      });
      expect(await metrics.registry.getSingleMetricAsString('tiersight_dead_letter_write_failures_total')).toMatch(
        /tiersight_dead_letter_write_failures_total\{queue="graph",service="queues-test"\} 1\b/,
      );
    } finally {
      await store.client.del(stream);
    }

    // The worker is still serving the queue.
    const next = await queue.add('graph.unknown', { v: 1, again: true });
    await eventually('the next dead letter written', async () => (await ourLetters(next.id!)).length === 1);
    expect(await ourLetters(refused!.id!)).toEqual([]);
  });
});
