import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { APP_CONFIG, type BaseEnv } from '@tiersight/config';
import { FEED_CONFIG, type FeedConfig } from '@tiersight/disruptions';
import { LOGGER } from '@tiersight/observability';
import { QueueProducer } from '@tiersight/queues';
import { compareIds } from '@tiersight/risk-engine';
import { BacktestError, BacktestErrorCode } from './backtest.error';
import { type BacktestRequest, resolveRequest } from './backtest-request';
import { type BacktestInputs, type BacktestRecord, BacktestRunStore } from './backtest-run.store';
import { eventsFromDocuments } from './document-events';
import type { ReplaySubscription } from './replay';
import type { BacktestReport } from './replay-report';

/** Tries of a backtest's job before it is failed for good (a worker that dies mid-run is another try). */
export const BACKTEST_JOB_ATTEMPTS = 2;

/** A subscription as listed by the webhooks library: only what a backtest reads of it. */
export interface ListedSubscription {
  id: string;
  status: string;
  filters: ReplaySubscription['filters'];
}

/** Pages through a subscription listing (the webhooks library's `list(limit, cursor)`) and keeps the active ones, id and filters only, in id order. */
export async function activeSubscriptions(source: {
  list(limit: number, cursor?: string): Promise<{ items: ListedSubscription[]; nextCursor: string | null }>;
}): Promise<ReplaySubscription[]> {
  const out: ReplaySubscription[] = [];
  let cursor: string | undefined;
  do {
    const page = await source.list(200, cursor);
    for (const s of page.items) if (s.status === 'active') out.push({ id: s.id, filters: s.filters });
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out.sort((a, b) => compareIds(a.id, b.id));
}

/**
 * Backtests as the API asks for them: a request is checked (4xx
 * BacktestError), uploaded documents are read by the feed adapters at once
 * (rejected items listed, the rest kept as event versions), the active
 * subscriptions of the moment are recorded with it, and a `backtest.run` job
 * is queued; the worker does the rest (BacktestExecutor).
 */
@Injectable()
export class BacktestRuns {
  constructor(
    private readonly store: BacktestRunStore,
    private readonly producer: QueueProducer,
    @Inject(APP_CONFIG) private readonly config: BaseEnv,
    @Inject(FEED_CONFIG) private readonly feeds: FeedConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async create(body: BacktestRequest, subscriptions: ReplaySubscription[], context: { requestId?: string } = {}): Promise<BacktestRecord> {
    const request = resolveRequest(body, this.config);
    const inputs: BacktestInputs =
      request.source === 'documents'
        ? eventsFromDocuments(body.documents!, { from: request.from, policy: this.feeds.policy })
        : { versions: [], rejected: [], skipped: [] };
    if (inputs.versions.length > this.config.BACKTEST_MAX_EVENTS) {
      throw new BacktestError(
        BacktestErrorCode.TooManyEvents,
        `the documents hold ${inputs.versions.length} event versions; at most ${this.config.BACKTEST_MAX_EVENTS} (BACKTEST_MAX_EVENTS)`,
      );
    }
    const id = `bt_${randomBytes(9).toString('base64url')}`;
    await this.store.create(id, request, subscriptions, inputs);
    await this.producer.enqueue(
      'backtest.run',
      { v: 1, backtestId: id, ...context },
      { jobId: id, attempts: BACKTEST_JOB_ATTEMPTS, backoff: { type: 'exponential', delay: 2000 } },
    );
    this.logger.info(
      { backtestId: id, source: request.source, versions: inputs.versions.length, rejected: inputs.rejected.length, subscriptions: subscriptions.length },
      'backtest queued',
    );
    return (await this.store.read(id))!;
  }

  async get(id: string): Promise<BacktestRecord> {
    const record = await this.store.read(id);
    if (!record) throw new BacktestError(BacktestErrorCode.RunNotFound, `backtest ${id} does not exist (or has expired)`);
    return record;
  }

  /** A succeeded backtest's report; null before it succeeded. */
  report(id: string): Promise<BacktestReport | null> {
    return this.store.report(id);
  }
}
