import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import { APP_CONFIG } from '@tiersight/config';
import { LOGGER } from '@tiersight/observability';
import { QueueProducer } from '@tiersight/queues';
import { TwinError, TwinErrorCode } from './twin.error';
import { TwinCancelledError, TwinExecutor } from './twin-executor';
import { TwinRequestBuilder, type BuiltTwin } from './twin-request.builder';
import { TwinRunStore, type TwinRunRecord, type TwinRunState, type TwinRunSummary } from './twin-run.store';
import { resolveRequest, SYNC_MAX_SAMPLES, type ResolvedTwinRequest, type TwinConfig, type TwinRunRequest } from './twin-settings';

/** Tries of a queued run before it is failed for good (a worker that dies mid-run is another try). */
export const TWIN_JOB_ATTEMPTS = 3;

/** How a run's job reports its progress to the queue. */
export interface JobProgress {
  /** Fraction of samples done, in [0, 1]. */
  report(fraction: number): Promise<void>;
  /** True when BullMQ will not try the job again after this try. */
  lastTry: boolean;
}

/** What a run's job did. */
export type ExecuteOutcome = 'succeeded' | 'cancelled' | 'skipped';

/**
 * Twin runs: created from a request (answered at once when small, queued as
 * a `twin.run` job otherwise), executed, stored, read back, cancelled.
 */
@Injectable()
export class TwinRunService {
  constructor(
    private readonly builder: TwinRequestBuilder,
    private readonly executor: TwinExecutor,
    private readonly store: TwinRunStore,
    private readonly producer: QueueProducer,
    @Inject(APP_CONFIG) private readonly config: TwinConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Refuses a bad request before anything is stored (4xx TwinError). A run
   * of at most SYNC_MAX_SAMPLES samples runs now and comes back finished;
   * a larger one is stored as queued and its job enqueued.
   */
  async create(body: TwinRunRequest, context: { requestId?: string } = {}): Promise<TwinRunRecord> {
    const request = resolveRequest(body, this.config, () => randomInt(0, 2 ** 32));
    const id = `twin_${randomBytes(9).toString('base64url')}`;
    if (request.samples <= SYNC_MAX_SAMPLES) {
      const started = performance.now();
      const built = await this.builder.build(request);
      await this.store.create(id, request, 'running');
      try {
        await this.runBuilt(id, request, built, started, {});
      } catch (error) {
        await this.store.fail(id, (error as Error).message);
        throw error;
      }
    } else {
      await this.builder.check(request);
      await this.store.create(id, request, 'queued');
      await this.producer.enqueue(
        'twin.run',
        { v: 1, runId: id, ...context },
        { jobId: id, attempts: TWIN_JOB_ATTEMPTS, backoff: { type: 'exponential', delay: 2000 } },
      );
    }
    return (await this.store.read(id))!;
  }

  /**
   * Runs a queued run (the `twin.run` job): reads the state afresh, runs the
   * samples with progress, stores the results. A run cancelled while queued
   * is skipped; one cancelled while running stops at the next slice.
   */
  async execute(id: string, progress: JobProgress): Promise<ExecuteOutcome> {
    const record = await this.store.read(id);
    if (!record) throw new TwinError(TwinErrorCode.RunNotFound, `twin run ${id} does not exist (expired?)`);
    if (!(await this.store.start(id))) return 'skipped';
    const started = performance.now();
    try {
      const built = await this.builder.build(record.request);
      return await this.runBuilt(id, record.request, built, started, {
        onProgress: async (done, total) => {
          await this.store.progress(id, done);
          await progress.report(done / total);
        },
        shouldStop: () => this.store.cancelRequested(id),
      });
    } catch (error) {
      const message = (error as Error).message;
      if (error instanceof TwinError || progress.lastTry) await this.store.fail(id, message);
      else await this.store.requeue(id, message);
      throw error;
    }
  }

  async get(id: string): Promise<TwinRunRecord> {
    const record = await this.store.read(id);
    if (!record) throw new TwinError(TwinErrorCode.RunNotFound, `twin run ${id} does not exist (or has expired)`);
    return record;
  }

  /** Cancels a queued run at once, a running one at its next slice; a finished run is refused. */
  async cancel(id: string): Promise<TwinRunRecord> {
    const outcome = await this.store.requestCancel(id);
    if (outcome === 'missing') throw new TwinError(TwinErrorCode.RunNotFound, `twin run ${id} does not exist (or has expired)`);
    if (outcome === 'succeeded' || outcome === 'failed') throw new TwinError(TwinErrorCode.NotCancellable, `twin run ${id} has already ${outcome}`);
    if (outcome === 'cancelled') await this.removeQueuedJob(id);
    return this.get(id);
  }

  private async runBuilt(
    id: string,
    request: ResolvedTwinRequest,
    built: BuiltTwin,
    started: number,
    hooks: Parameters<TwinExecutor['execute']>[1],
  ): Promise<ExecuteOutcome> {
    const buildMs = performance.now() - started;
    let execution;
    try {
      execution = await this.executor.execute({ ...built.spec, projection: built.projection }, hooks);
    } catch (error) {
      if (!(error instanceof TwinCancelledError)) throw error;
      await this.store.cancelled(id);
      this.logger.info({ runId: id }, 'twin run cancelled');
      return 'cancelled';
    }
    const { result, threads, ms: runMs } = execution;
    const stored = performance.now();
    const summary: TwinRunSummary = {
      total: result.total,
      drivers: result.drivers.map((d) => ({ ...d, type: built.types[d.id] })),
      skuCount: result.skus.length,
      exposureThreshold: result.exposureThreshold,
      contributionSamples: result.contributionSamples,
      cappedComponents: result.cappedComponents,
    };
    const state: TwinRunState = {
      graphVersion: built.graphVersion,
      eventIds: built.eventIds,
      drawParameters: built.drawParameters,
      recovery: built.recovery,
      threads,
      timings: { buildMs, runMs, storeMs: 0, totalMs: 0 },
    };
    await this.store.writeRows(id, result.skus);
    state.timings.storeMs = performance.now() - stored;
    state.timings.totalMs = performance.now() - started;
    await this.store.succeed(id, request.samples, state, summary);
    this.logger.info(
      { runId: id, mode: request.mode, samples: request.samples, drivers: built.eventIds.length, skus: result.skus.length, threads, timings: state.timings },
      'twin run finished',
    );
    return 'succeeded';
  }

  /** A queued run's job is removed when it is cancelled; a job a worker already holds sees the status and skips. */
  private async removeQueuedJob(id: string): Promise<void> {
    try {
      await this.producer.queue('twin').remove(id);
    } catch (error) {
      this.logger.info({ runId: id, err: (error as Error).message }, 'cancelled twin run: its job is held by a worker, which will skip it');
    }
  }
}
