import { UnrecoverableError } from 'bullmq';
import pino from 'pino';
import { Metrics } from '@tiersight/observability';
import type { DeadLetterInput, FailedJob } from './dead-letters';
import { DeadLetterAccounting, handleJobFailure, writeDeadLetter } from './job-failures';
import { dispatchJob, QueueJob } from './job-handlers';

function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'trace', base: undefined, timestamp: false }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

/** Dead letters kept in memory, or refused as when Redis is away; counts kept by label. */
function accountingFor(sink: 'working' | 'refusing') {
  const stored: DeadLetterInput[] = [];
  const written: Array<{ kind: string }> = [];
  const writeFailures: Array<{ queue: string }> = [];
  const accounting: DeadLetterAccounting = {
    sink: {
      add: async (...records) => {
        if (sink === 'refusing') throw new Error('Connection is closed.');
        stored.push(...records);
      },
    },
    written: { inc: (labels) => void written.push(labels) },
    writeFailures: { inc: (labels) => void writeFailures.push(labels) },
  };
  return { accounting, stored, written, writeFailures };
}

const letter: DeadLetterInput = {
  kind: 'job',
  source: 'telemetry/telemetry.readings',
  itemRef: '17',
  reason: 'failed after 5 attempt(s): boom',
  excerpt: '{"v":1}',
};

describe('writeDeadLetter', () => {
  it('writes the record and counts it by kind', async () => {
    const { logger, lines } = capturingLogger();
    const { accounting, stored, written, writeFailures } = accountingFor('working');

    await expect(writeDeadLetter('telemetry', letter, logger, accounting)).resolves.toBe(true);
    expect(stored).toEqual([letter]);
    expect(written).toEqual([{ kind: 'job' }]);
    expect(writeFailures).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('logs a record it cannot write at error level, without its excerpt, counts it by queue and does not throw', async () => {
    const { logger, lines } = capturingLogger();
    const { accounting, written, writeFailures } = accountingFor('refusing');

    await expect(writeDeadLetter('telemetry', letter, logger, accounting)).resolves.toBe(false);
    expect(writeFailures).toEqual([{ queue: 'telemetry' }]);
    expect(written).toEqual([]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 50,
      msg: 'dead letter could not be written',
      err: { message: 'Connection is closed.' },
      deadLetter: { kind: 'job', source: 'telemetry/telemetry.readings', itemRef: '17', reason: 'failed after 5 attempt(s): boom' },
    });
    expect(JSON.stringify(lines[0])).not.toContain('excerpt');
  });

  it('exposes the failures on the process metrics as tiersight_dead_letter_write_failures_total{queue}', async () => {
    const metrics = new Metrics('test');
    const { logger } = capturingLogger();
    const { accounting } = accountingFor('refusing');
    await writeDeadLetter('webhooks', letter, logger, { ...accounting, written: metrics.deadLetters, writeFailures: metrics.deadLetterWriteFailures });
    await writeDeadLetter('webhooks', letter, logger, { ...accounting, written: metrics.deadLetters, writeFailures: metrics.deadLetterWriteFailures });

    const text = await metrics.registry.metrics();
    expect(text).toContain('tiersight_dead_letter_write_failures_total{queue="webhooks",service="test"} 2');
  });
});

describe('handleJobFailure', () => {
  const job = (over: Partial<FailedJob> = {}): FailedJob => ({
    id: '17',
    name: 'telemetry.readings',
    queueName: 'telemetry',
    attemptsMade: 1,
    opts: { attempts: 5 },
    data: { v: 1, batchId: 'b', origin: 'http', records: [], requestId: 'req-1' },
    ...over,
  });

  it('logs a try that will be retried, bound to the job, and writes no dead letter', async () => {
    const { logger, lines } = capturingLogger();
    const { accounting, stored } = accountingFor('working');

    await handleJobFailure(job(), new Error('neo4j away'), { logger, level: 'warn', deadLetters: accounting });
    expect(stored).toEqual([]);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        queue: 'telemetry',
        jobId: '17',
        job: 'telemetry.readings',
        attempt: 1,
        requestId: 'req-1',
        final: false,
        msg: 'job failed; it will be tried again',
      }),
    ]);
  });

  it('dead-letters a job whose tries are spent, at the level the processor asked for', async () => {
    const { logger, lines } = capturingLogger();
    const { accounting, stored } = accountingFor('working');

    await handleJobFailure(job({ attemptsMade: 5 }), new Error('neo4j away'), { logger, level: 'debug', deadLetters: accounting });
    expect(stored).toEqual([
      {
        kind: 'job',
        source: 'telemetry/telemetry.readings',
        itemRef: '17',
        reason: 'failed after 5 attempt(s): neo4j away',
        excerpt: JSON.stringify(job().data),
      },
    ]);
    expect(lines).toEqual([expect.objectContaining({ level: 20, attempt: 5, final: true, msg: 'job failed for good' })]);
  });

  it('dead-letters an unknown job name on its first try: dispatch fails it as unrecoverable', async () => {
    const { logger } = capturingLogger();
    const { accounting, stored } = accountingFor('working');
    const partial: Partial<QueueJob> = { id: '3', name: 'graph.renamed', queueName: 'graph', attemptsMade: 0, opts: { attempts: 5 }, data: { v: 1 } };
    const unknownJob = partial as QueueJob;

    const error = await dispatchJob({ 'graph.changed': async () => 1 }, unknownJob, undefined, { logger, deadLetter: async () => undefined }).then(
      () => null,
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(UnrecoverableError);
    // BullMQ counts the failed try before it emits 'failed'.
    const failed: FailedJob = { id: '3', name: 'graph.renamed', queueName: 'graph', attemptsMade: 1, opts: { attempts: 5 }, data: { v: 1 } };
    await handleJobFailure(failed, error!, { logger, level: 'warn', deadLetters: accounting });
    expect(stored).toEqual([
      expect.objectContaining({
        kind: 'job',
        source: 'graph/graph.renamed',
        itemRef: '3',
        reason: 'failed after 1 attempt(s): no handler for job "graph.renamed" on queue graph',
      }),
    ]);
  });

  it('resolves when the dead letter cannot be written, having logged and counted it', async () => {
    const { logger, lines } = capturingLogger();
    const { accounting, writeFailures } = accountingFor('refusing');

    await expect(handleJobFailure(job({ attemptsMade: 5 }), new Error('boom'), { logger, level: 'warn', deadLetters: accounting })).resolves.toBeUndefined();
    expect(writeFailures).toEqual([{ queue: 'telemetry' }]);
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [40, 'job failed for good'],
      [50, 'dead letter could not be written'],
    ]);
    expect(lines[1]).toMatchObject({ queue: 'telemetry', jobId: '17', job: 'telemetry.readings', attempt: 5 });
  });

  it('logs a failure BullMQ reports without its job', async () => {
    const { logger, lines } = capturingLogger();
    const { accounting, stored } = accountingFor('working');

    await handleJobFailure(undefined, new Error('lost'), { logger, level: 'warn', deadLetters: accounting });
    expect(stored).toEqual([]);
    expect(lines).toEqual([expect.objectContaining({ level: 40, msg: 'job failed', err: expect.objectContaining({ message: 'lost' }) })]);
  });
});
