import { Inject, Injectable } from '@nestjs/common';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { APP_CONFIG, type BaseEnv } from '@tiersight/config';
import { LOGGER } from '@tiersight/observability';
import type { Projection } from '@tiersight/risk-engine';
import {
  combineTwin,
  shareProjection,
  splitRange,
  TwinEngineError,
  type SharedProjection,
  type TwinEngineErrorCode,
  type TwinPartial,
  type TwinRequest,
  type TwinResult,
} from '@tiersight/twin-engine';
import type { ThreadMessage, ThreadTask } from './twin-thread-protocol';
import { runSlices, SLICE_TARGET_MS } from './twin-slices';
import { twinWorkerEntry, type WorkerEntry } from './twin-worker-entry';

/**
 * Below this much work (samples × projection nodes) a run stays in the
 * calling thread. A thread costs about a second before its first sample on
 * the 2-core machine (isolate start, loading its bundle and the libraries
 * it pulls in, JIT warm-up), and 10M node-samples take about 4 s in one
 * thread, so below that the split saves little or nothing (the demo
 * network's 1,000 samples are 0.5M).
 */
export const MIN_THREADED_WORK = 10_000_000;
/** Progress is reported, and a cancel looked for, at most this often. */
const PROGRESS_INTERVAL_MS = 500;

export interface ExecuteHooks {
  /** Samples done so far (throttled; always called once at the end). */
  onProgress?(done: number, total: number): void | Promise<void>;
  /** Asked between slices (throttled like progress); true stops the run with a TwinCancelledError. */
  shouldStop?(): Promise<boolean>;
}

export interface Execution {
  result: TwinResult;
  /** Worker threads the samples were split over; 1 when they ran in the calling thread. */
  threads: number;
  ms: number;
}

/** The run was stopped on request between two slices. */
export class TwinCancelledError extends Error {
  constructor() {
    super('the twin run was cancelled');
    this.name = 'TwinCancelledError';
  }
}

/** Threads could not be started or their entry could not be loaded: the run goes on in the calling thread. */
class ThreadsUnavailable extends Error {}

/**
 * Runs a twin request over worker threads, one contiguous range of samples
 * each (TWIN_THREADS, 0 = one per core), or in the calling thread when the
 * work is small, TWIN_THREADS is 1, or threads are unavailable (said in the
 * logs). Every thread reads the one projection from shared memory and runs
 * its range in slices of about a second, posting progress after each; the
 * ranges' partials come back transferred, not copied, and are merged. Every
 * sample draws from its own seeded stream and starts from the bottom state,
 * so the result is the same bit for bit however the samples were split.
 */
@Injectable()
export class TwinExecutor {
  private readonly shared = new WeakMap<Projection, SharedProjection>();
  private entry: WorkerEntry | null | undefined;
  /** Where the worker thread's code is found (looked up once, at the first threaded run). */
  locateEntry: () => WorkerEntry | null = () => twinWorkerEntry();
  /** Work (samples × nodes) from which a run is split over threads. */
  minThreadedWork = MIN_THREADED_WORK;

  constructor(
    @Inject(APP_CONFIG) private readonly config: Pick<BaseEnv, 'TWIN_THREADS'>,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** How many threads a request would use. */
  threadsFor(request: Pick<TwinRequest, 'samples' | 'projection'>): number {
    const wanted = this.config.TWIN_THREADS === 0 ? availableParallelism() : this.config.TWIN_THREADS;
    if (wanted <= 1 || request.samples * request.projection.nodeCount < this.minThreadedWork) return 1;
    return Math.min(wanted, request.samples);
  }

  async execute(request: TwinRequest, hooks: ExecuteHooks = {}): Promise<Execution> {
    const started = performance.now();
    const threads = this.threadsFor(request);
    if (threads > 1) {
      const entry = this.workerEntry();
      if (entry) {
        try {
          const result = await this.inThreads(request, threads, entry, hooks);
          return { result, threads, ms: performance.now() - started };
        } catch (error) {
          if (!(error instanceof ThreadsUnavailable)) throw error;
          this.logger.warn({ err: error.message }, 'twin worker threads unavailable; running the samples in process');
        }
      }
    }
    const result = await this.inProcess(request, hooks);
    return { result, threads: 1, ms: performance.now() - started };
  }

  private workerEntry(): WorkerEntry | null {
    if (this.entry === undefined) {
      this.entry = this.locateEntry();
      if (this.entry) this.logger.info({ entry: this.entry.file }, 'twin runs split samples over worker threads');
      else this.logger.warn('no twin worker entry found next to the code; twin runs use one thread (in process)');
    }
    return this.entry;
  }

  private async inProcess(request: TwinRequest, hooks: ExecuteHooks): Promise<TwinResult> {
    const gate = new ProgressGate(request.samples, hooks);
    const partial = await runSlices(request, 0, request.samples, {
      targetMs: SLICE_TARGET_MS,
      afterSlice: async (done) => {
        gate.add(done);
        if (await gate.tick()) throw new TwinCancelledError();
        await new Promise((resolve) => setImmediate(resolve)); // lock renewals, progress writes and HTTP get their turn
      },
    });
    await gate.end();
    return combineTwin(request, [partial]);
  }

  private inThreads(request: TwinRequest, threads: number, entry: WorkerEntry, hooks: ExecuteHooks): Promise<TwinResult> {
    const { projection, ...spec } = request;
    const shared = this.sharedOf(projection);
    const gate = new ProgressGate(request.samples, hooks);
    const shares = threadShares(request.samples, request.contributionSamples ?? request.samples, threads);
    const partials: TwinPartial[] = [];
    let finishedThreads = 0;
    const workers: Worker[] = [];
    let heard = false;
    let settled = false;
    return new Promise<TwinResult>((resolve, reject) => {
      const finish = (error: Error | null, result?: TwinResult) => {
        if (settled) return;
        settled = true;
        for (const w of workers) void w.terminate();
        if (error) reject(error);
        else resolve(result!);
      };
      const onMessage = (message: ThreadMessage) => {
        heard = true;
        if (message.kind === 'progress') {
          gate.add(message.done);
          gate.tick().then(
            (stop) => stop && finish(new TwinCancelledError()),
            (error: Error) => finish(error),
          );
        } else if (message.kind === 'failed') {
          finish(
            message.code ? new TwinEngineError(message.code as TwinEngineErrorCode, message.message) : new Error(`twin worker thread: ${message.message}`),
          );
        } else {
          partials.push(...message.partials);
          if (++finishedThreads === shares.length) {
            gate.end().then(
              () => (settled ? undefined : finish(null, combineTwin(request, partials))),
              (error: Error) => finish(error),
            );
          }
        }
      };
      try {
        for (const ranges of shares) {
          const task: ThreadTask = { projection: shared, spec, ranges, sliceTargetMs: SLICE_TARGET_MS };
          const worker = new Worker(entry.file, { workerData: task, execArgv: entry.execArgv });
          workers.push(worker);
          worker.on('message', onMessage);
          worker.on('error', (error) => finish(heard ? error : new ThreadsUnavailable(error.message)));
          worker.on('exit', (code) => {
            if (!settled && code !== 0) finish(new Error(`a twin worker thread exited with code ${code}`));
          });
        }
      } catch (error) {
        finish(new ThreadsUnavailable((error as Error).message));
      }
    });
  }

  /** The projection's arrays in shared memory, copied once per projection (a new graph version brings a new one). */
  private sharedOf(projection: Projection): SharedProjection {
    let shared = this.shared.get(projection);
    if (!shared) {
      shared = shareProjection(projection);
      this.shared.set(projection, shared);
    }
    return shared;
  }
}

/**
 * The sample ranges of each thread. Samples below `contributionSamples` cost
 * many times the others (every driver is left out in turn), so each thread
 * takes an equal share of both kinds: with 1,000 samples, 200 of them with
 * contributions, and two threads, [0, 100) + [200, 600) and [100, 200) +
 * [600, 1000).
 */
export function threadShares(samples: number, contributionSamples: number, threads: number): Array<Array<[number, number]>> {
  const c = Math.min(samples, Math.max(0, contributionSamples));
  const count = Math.min(threads, samples);
  const heavy = c > 0 ? splitRange(c, count) : [];
  const light = c < samples ? splitRange(samples - c, count).map(([from, to]): [number, number] => [c + from, c + to]) : [];
  return Array.from({ length: count }, (_, k) => [heavy[k], light[k]].filter((r): r is [number, number] => r !== undefined && r[0] < r[1])).filter(
    (ranges) => ranges.length > 0,
  );
}

/** Counts samples done; reports and asks whether to stop at most every PROGRESS_INTERVAL_MS, one call at a time. */
class ProgressGate {
  private done = 0;
  private reported = 0;
  private last = 0;
  private chain: Promise<boolean> = Promise.resolve(false);

  constructor(
    private readonly total: number,
    private readonly hooks: ExecuteHooks,
  ) {}

  add(samples: number): void {
    this.done += samples;
  }

  /** True when the run should stop. */
  tick(): Promise<boolean> {
    const now = Date.now();
    if (this.done < this.total && now - this.last < PROGRESS_INTERVAL_MS) return Promise.resolve(false);
    this.last = now;
    const done = this.done;
    this.chain = this.chain.then(async () => {
      this.reported = done;
      await this.hooks.onProgress?.(done, this.total);
      return done < this.total && this.hooks.shouldStop ? this.hooks.shouldStop() : false;
    });
    return this.chain;
  }

  /** Waits for the reports under way, then reports the end unless that was the last report. */
  async end(): Promise<void> {
    await this.chain;
    if (this.reported !== this.done) {
      this.reported = this.done;
      await this.hooks.onProgress?.(this.done, this.total);
    }
  }
}
