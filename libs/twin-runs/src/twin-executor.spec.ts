import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { runTwin, type TwinRequest } from '@tiersight/twin-engine';
import { layeredNetwork, layeredRequest } from './testing/layered-network';
import { MIN_THREADED_WORK, threadShares, TwinCancelledError, TwinExecutor } from './twin-executor';

jest.setTimeout(120_000);

const WIDTH = 600;
// 4 tiers of 600 sites and 300 SKUs: 2,700 nodes; the executors below split from 1M node-samples on,
// which 400 samples pass (a few slices per thread, each run done several times below).
const projection = layeredNetwork(4, WIDTH, 300);
const request: TwinRequest = layeredRequest(projection, 400, WIDTH);

function executor(threads: number, lines: Array<Record<string, unknown>> = []) {
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const ex = new TwinExecutor({ TWIN_THREADS: threads }, logger);
  ex.minThreadedWork = 1_000_000;
  return ex;
}

describe('TwinExecutor', () => {
  const engine = runTwin(request);

  it('splits a large run over worker threads and gets the engine single-threaded answer bit for bit', async () => {
    expect(request.samples * projection.nodeCount).toBeGreaterThanOrEqual(1_000_000);
    const progress: number[] = [];
    const run = await executor(2).execute(request, { onProgress: (done) => void progress.push(done) });
    expect(run.threads).toBe(2);
    expect(run.result).toEqual(engine);
    expect(engine.skus.length).toBeGreaterThan(10);
    expect(progress[progress.length - 1]).toBe(request.samples);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  });

  it('keeps runs below MIN_THREADED_WORK in process', () => {
    const ex = new TwinExecutor({ TWIN_THREADS: 2 }, pino({ level: 'silent' }));
    expect(ex.threadsFor({ projection, samples: Math.ceil(MIN_THREADED_WORK / projection.nodeCount) - 1 })).toBe(1);
    expect(ex.threadsFor({ projection, samples: Math.ceil(MIN_THREADED_WORK / projection.nodeCount) })).toBe(2);
    expect(new TwinExecutor({ TWIN_THREADS: 1 }, pino({ level: 'silent' })).threadsFor({ projection, samples: 10 ** 6 })).toBe(1);
  });

  it('runs in process with TWIN_THREADS=1 and with a small run, with the same answer', async () => {
    const one = await executor(1).execute(request);
    expect(one.threads).toBe(1);
    expect(one.result).toEqual(engine);
    const small = { ...request, samples: 20, contributionSamples: 20 };
    const run = await executor(2).execute(small);
    expect(run.threads).toBe(1);
    expect(run.result).toEqual(runTwin(small));
  });

  it('falls back to one thread, and says so, when no worker entry is found', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const ex = executor(2, lines);
    ex.locateEntry = () => null;
    const run = await ex.execute(request);
    expect(run.threads).toBe(1);
    expect(run.result).toEqual(engine);
    expect(lines.some((l) => l.level === 40 && String(l.msg).includes('one thread'))).toBe(true);
  });

  it('falls back to one thread when the worker entry cannot be loaded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twin-entry-'));
    writeFileSync(join(dir, 'broken.js'), 'throw new Error("cannot load");');
    const lines: Array<Record<string, unknown>> = [];
    const ex = executor(2, lines);
    ex.locateEntry = () => ({ file: join(dir, 'broken.js'), execArgv: [] });
    const run = await ex.execute(request);
    expect(run.threads).toBe(1);
    expect(run.result).toEqual(engine);
    expect(lines.find((l) => l.level === 40)).toMatchObject({ msg: 'twin worker threads unavailable; running the samples in process', err: 'cannot load' });
  });

  it.each([1, 2])('stops between slices when asked to (%i thread(s))', async (threads) => {
    let asked = 0;
    const run = executor(threads).execute(
      { ...request, samples: 4000 },
      {
        shouldStop: async () => {
          asked++;
          return true;
        },
      },
    );
    await expect(run).rejects.toBeInstanceOf(TwinCancelledError);
    expect(asked).toBeGreaterThan(0);
  });
});

describe('threadShares', () => {
  it('gives every thread an equal share of the costly contribution samples and of the rest', () => {
    expect(threadShares(1000, 200, 2)).toEqual([
      [
        [0, 100],
        [200, 600],
      ],
      [
        [100, 200],
        [600, 1000],
      ],
    ]);
    expect(threadShares(10, 10, 3)).toEqual([[[0, 3]], [[3, 6]], [[6, 10]]]);
    expect(threadShares(10, 0, 2)).toEqual([[[0, 5]], [[5, 10]]]);
    expect(threadShares(3, 1, 2)).toEqual([
      [
        [0, 1],
        [1, 2],
      ],
      [[2, 3]],
    ]);
  });

  it('covers every sample exactly once', () => {
    for (const [n, c, t] of [
      [1000, 200, 2],
      [7, 3, 4],
      [5, 5, 8],
      [100, 0, 3],
    ]) {
      const covered = threadShares(n, c, t)
        .flat()
        .flatMap(([from, to]) => Array.from({ length: to - from }, (_, i) => from + i))
        .sort((a, b) => a - b);
      expect(covered).toEqual(Array.from({ length: n }, (_, i) => i));
    }
  });
});
