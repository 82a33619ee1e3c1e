import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type BaseEnv } from '@tiersight/config';
import { RedisStore } from '@tiersight/queues';
import type { ResolvedBacktestRequest } from './backtest-request';
import type { EventVersion, RejectedItem } from './event-versions';
import type { ReplaySubscription } from './replay';
import type { BacktestReport } from './replay-report';

export type BacktestStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** What a running backtest is doing: reading the network and events, then replaying instant by instant. */
export type BacktestPhase = 'queued' | 'loading' | 'replaying' | 'done';

/** What the API read before queueing: the uploaded documents' events (none for history), and what could not be read. */
export interface BacktestInputs {
  versions: EventVersion[];
  rejected: RejectedItem[];
  skipped: RejectedItem[];
}

/** What a backtest ran on: the graph version and sizes of today's network, and how many event versions it replayed. */
export interface BacktestState {
  graphVersion: number;
  sites: number;
  skus: number;
  eventVersions: number;
  timings: { loadMs: number; replayMs: number };
}

export interface BacktestRecord {
  id: string;
  status: BacktestStatus;
  phase: BacktestPhase;
  /** Instants replayed, out of `total` (0 of 0 until the replay starts). */
  done: number;
  total: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  request: ResolvedBacktestRequest;
  /** Event versions read from the uploaded documents (0 for history: the worker reads those). */
  eventVersions: number;
  /** The active subscriptions (id and filters) when the backtest was asked for. */
  subscriptions: ReplaySubscription[];
  rejected: RejectedItem[];
  skipped: RejectedItem[];
  state: BacktestState | null;
}

// A worker takes a backtest unless it finished meanwhile (a retried job finds it running: it runs again).
const START = `
local status = redis.call('HGET', KEYS[1], 'status')
if status ~= 'queued' and status ~= 'running' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'running', 'phase', 'loading', 'startedAt', ARGV[1], 'done', '0', 'total', '0')
redis.call('HDEL', KEYS[1], 'error')
return 1`;

/**
 * Backtests in Redis under the deployment's prefix, each kept
 * BACKTEST_RETENTION_S: derived, written once, read whole, expiring — none of
 * it belongs in the graph (and a backtest never writes there).
 *
 * - `backtest:<id>` hash: status, phase, progress, times, the resolved
 *   request, the subscriptions snapshot, rejected and skipped items, state;
 * - `backtest:<id>:inputs`: the uploaded documents' events (JSON);
 * - `backtest:<id>:report`: the report (JSON).
 */
@Injectable()
export class BacktestRunStore {
  private readonly ttl: number;

  constructor(
    private readonly store: RedisStore,
    @Inject(APP_CONFIG) config: Pick<BaseEnv, 'BACKTEST_RETENTION_S'>,
  ) {
    this.ttl = config.BACKTEST_RETENTION_S;
  }

  private key(id: string, part?: 'inputs' | 'report'): string {
    return this.store.key(part ? `backtest:${id}:${part}` : `backtest:${id}`);
  }

  async create(id: string, request: ResolvedBacktestRequest, subscriptions: ReplaySubscription[], inputs: BacktestInputs, now = new Date()): Promise<void> {
    const fields = {
      status: 'queued',
      phase: 'queued',
      done: '0',
      total: '0',
      createdAt: now.toISOString(),
      request: JSON.stringify(request),
      events: String(inputs.versions.length),
      subscriptions: JSON.stringify(subscriptions),
      rejected: JSON.stringify(inputs.rejected),
      skipped: JSON.stringify(inputs.skipped),
    };
    await execOrThrow(
      this.store.client
        .multi()
        .hset(this.key(id), fields)
        .set(this.key(id, 'inputs'), JSON.stringify(inputs.versions))
        .expire(this.key(id), this.ttl)
        .expire(this.key(id, 'inputs'), this.ttl),
    );
  }

  /** Takes a backtest for running; false when it already finished. */
  async start(id: string, now = new Date()): Promise<boolean> {
    return (await this.store.client.eval(START, 1, this.key(id), now.toISOString())) === 1;
  }

  async progress(id: string, phase: BacktestPhase, done: number, total: number): Promise<void> {
    await this.store.client.hset(this.key(id), { phase, done: String(done), total: String(total) });
  }

  async inputs(id: string): Promise<EventVersion[]> {
    const raw = await this.store.client.get(this.key(id, 'inputs'));
    return raw ? (JSON.parse(raw) as EventVersion[]) : [];
  }

  /** Back to the queue for another try (the job will run again). */
  async requeue(id: string, error: string): Promise<void> {
    await this.store.client.hset(this.key(id), { status: 'queued', phase: 'queued', error });
  }

  async fail(id: string, error: string, now = new Date()): Promise<void> {
    await this.store.client.hset(this.key(id), { status: 'failed', error, finishedAt: now.toISOString() });
  }

  /** The report first, then the status: a reader that sees `succeeded` finds the report. */
  async succeed(id: string, state: BacktestState, report: BacktestReport, now = new Date()): Promise<void> {
    await execOrThrow(this.store.client.multi().set(this.key(id, 'report'), JSON.stringify(report)).expire(this.key(id, 'report'), this.ttl));
    await this.store.client.hset(this.key(id), {
      status: 'succeeded',
      phase: 'done',
      finishedAt: now.toISOString(),
      state: JSON.stringify(state),
      done: String(report.instants),
      total: String(report.instants),
    });
  }

  async read(id: string): Promise<BacktestRecord | null> {
    const h = await this.store.client.hgetall(this.key(id));
    if (!h.status) return null;
    return {
      id,
      status: h.status as BacktestStatus,
      phase: (h.phase ?? 'queued') as BacktestPhase,
      done: Number(h.done ?? 0),
      total: Number(h.total ?? 0),
      createdAt: h.createdAt,
      startedAt: h.startedAt ?? null,
      finishedAt: h.finishedAt ?? null,
      error: h.error ?? null,
      request: JSON.parse(h.request) as ResolvedBacktestRequest,
      eventVersions: Number(h.events ?? 0),
      subscriptions: JSON.parse(h.subscriptions ?? '[]') as ReplaySubscription[],
      rejected: JSON.parse(h.rejected ?? '[]') as RejectedItem[],
      skipped: JSON.parse(h.skipped ?? '[]') as RejectedItem[],
      state: h.state ? (JSON.parse(h.state) as BacktestState) : null,
    };
  }

  async report(id: string): Promise<BacktestReport | null> {
    const raw = await this.store.client.get(this.key(id, 'report'));
    return raw ? (JSON.parse(raw) as BacktestReport) : null;
  }
}

async function execOrThrow(pipeline: { exec(): Promise<Array<[Error | null, unknown]> | null> }): Promise<void> {
  const results = await pipeline.exec();
  const failed = results?.find(([error]) => error);
  if (failed) throw failed[0];
}
