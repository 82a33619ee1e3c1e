import { UnrecoverableError } from 'bullmq';
import pino from 'pino';
import type { DeadLetterInput } from './dead-letters';
import { dispatchJob, JobContext, JobHandlers, jobLogBindings, QueueJob } from './job-handlers';
import type { JobPayloads } from './jobs';

/** A logger that keeps its lines as parsed objects. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'trace', base: undefined, timestamp: false }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

/** The fields of a BullMQ job that dispatch reads; the job methods are not called here. */
function fakeJob(fields: Pick<QueueJob, 'name' | 'data'> & Partial<QueueJob>): QueueJob {
  const job: Partial<QueueJob> = { id: '42', queueName: 'events', attemptsMade: 0, attemptsStarted: 1, opts: {}, ...fields };
  return job as QueueJob;
}

function eventHandlers() {
  const calls: Array<{ name: string; data: unknown; ctx: JobContext }> = [];
  const record =
    (name: string) =>
    async (data: unknown, ctx: JobContext): Promise<unknown> => {
      calls.push({ name, data, ctx });
      return `${name} done`;
    };
  const handlers: JobHandlers<'events'> = {
    'event.upsert': record('event.upsert'),
    'event.close': record('event.close'),
    'event.match': record('event.match'),
    'events.expire': record('events.expire'),
  };
  return { handlers, calls };
}

const noDeadLetters = { deadLetter: async () => undefined };

describe('dispatchJob', () => {
  it('runs the handler of the job name with the job data, the job and the lock token', async () => {
    const { handlers, calls } = eventHandlers();
    const data: JobPayloads['event.close'] = { v: 1, sourceId: 'usgs', eventId: 'ev-1', reason: 'gone' };
    const job = fakeJob({ name: 'event.close', data });
    const { logger } = capturingLogger();

    await expect(dispatchJob(handlers, job, 'token-1', { logger, ...noDeadLetters })).resolves.toBe('event.close done');
    expect(calls).toHaveLength(1);
    expect(calls[0].name).toBe('event.close');
    expect(calls[0].data).toBe(data);
    expect(calls[0].ctx.job).toBe(job);
    expect(calls[0].ctx.token).toBe('token-1');
  });

  it('fails a job name its processor has no handler for as unrecoverable, calling no handler', async () => {
    const { handlers, calls } = eventHandlers();
    const { logger } = capturingLogger();
    for (const name of ['event.rename', 'feed.pull', 'constructor', 'toString', '__proto__']) {
      const run = dispatchJob(handlers, fakeJob({ name, data: { v: 1 } }), undefined, { logger, ...noDeadLetters });
      await expect(run).rejects.toBeInstanceOf(UnrecoverableError);
      await expect(run).rejects.toThrow(`no handler for job "${name}" on queue events`);
    }
    expect(calls).toHaveLength(0);
  });

  it('gives the handler a logger bound to queue, job id, job name, attempt and request id', async () => {
    const { logger, lines } = capturingLogger();
    const handlers: JobHandlers<'risk'> = {
      'risk.propagate': async (_data, { log }) => log.info('running'),
    };
    const job = fakeJob({ id: '9', queueName: 'risk', name: 'risk.propagate', attemptsMade: 2, data: { v: 1, seq: 3, cause: 'event', requestId: 'req-7' } });

    await dispatchJob(handlers, job, undefined, { logger, ...noDeadLetters });
    expect(lines).toEqual([{ level: 30, queue: 'risk', jobId: '9', job: 'risk.propagate', attempt: 3, requestId: 'req-7', msg: 'running' }]);
  });

  it('writes a handler dead letter through the shared writer, on the job logger', async () => {
    const { logger, lines } = capturingLogger();
    const written: Array<{ letter: DeadLetterInput; log: pino.Logger }> = [];
    const letter: DeadLetterInput = { kind: 'job', source: 'webhooks/webhook.deliver', itemRef: 'd-1', reason: 'refused' };
    const handlers: JobHandlers<'webhooks'> = {
      'webhook.deliver': async () => undefined,
      'webhook.deliver-batch': async (_data, { deadLetter }) => deadLetter(letter),
    };
    const job = fakeJob({ queueName: 'webhooks', name: 'webhook.deliver-batch', data: { v: 1, subscriptionId: 's', deliveryIds: ['d-1'] } });

    await dispatchJob(handlers, job, undefined, { logger, deadLetter: async (l, log) => void written.push({ letter: l, log }) });
    expect(written).toHaveLength(1);
    expect(written[0].letter).toBe(letter);
    written[0].log.info('bound');
    expect(lines[0]).toMatchObject({ queue: 'webhooks', jobId: '42', job: 'webhook.deliver-batch', attempt: 1 });
  });

  it('types each handler by its job name and asks for every name of the queue', () => {
    const typed: JobHandlers<'feeds'> = {
      'feed.pull': async (data) => data.sourceId.toUpperCase(),
    };
    expect(Object.keys(typed)).toEqual(['feed.pull']);

    // @ts-expect-error a handler map without 'events.expire'
    const missing: JobHandlers<'events'> = { 'event.upsert': async () => 1, 'event.close': async () => 1, 'event.match': async () => 1 };
    const wrongData: JobHandlers<'graph'> = {
      // @ts-expect-error graph.changed carries no sourceId
      'graph.changed': async (data) => data.sourceId,
    };
    const extra: JobHandlers<'risk'> = {
      'risk.propagate': async () => 1,
      // @ts-expect-error feed.pull belongs to the feeds queue
      'feed.pull': async () => 1,
    };
    expect([missing, wrongData, extra]).toHaveLength(3);
  });
});

describe('jobLogBindings', () => {
  it('binds the request id only when the payload carries one as a string', () => {
    const base = { id: '1', name: 'graph.changed', queueName: 'graph' };
    expect(jobLogBindings({ ...base, data: { v: 1, requestId: 'r-1' } }, 1)).toEqual({
      queue: 'graph',
      jobId: '1',
      job: 'graph.changed',
      attempt: 1,
      requestId: 'r-1',
    });
    for (const data of [{ v: 1 }, { v: 1, requestId: 5 }, null, 'text', undefined]) {
      expect(jobLogBindings({ ...base, data }, 2)).toEqual({ queue: 'graph', jobId: '1', job: 'graph.changed', attempt: 2 });
    }
  });
});
