import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type BaseEnv } from '@tiersight/config';
import { RedisStore } from '@tiersight/queues';
import type { DrawParameters, DriverContribution, SkuOutlook, Summary } from '@tiersight/twin-engine';
import type { ResolvedTwinRequest } from './twin-settings';
import type { StoredOutlook } from './twin-rows';
import { toStoredOutlook } from './twin-rows';

export type TwinRunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** What a run ran on and how long it took; written when it finishes. */
export interface TwinRunState {
  graphVersion: number;
  /** The events (or scenario impacts) the run drew, by id. */
  eventIds: string[];
  /** Effective draw parameters per event type. */
  drawParameters: Record<string, DrawParameters>;
  /** Recovery bounds of site-down scenarios, as multiples of ttr. */
  recovery: { low: number; high: number };
  /** Worker threads the samples were split over (1: in process). */
  threads: number;
  timings: { buildMs: number; runMs: number; storeMs: number; totalMs: number };
}

/** The run-wide figures of a finished run. */
export interface TwinRunSummary {
  total: Summary;
  drivers: Array<DriverContribution & { type: string }>;
  /** SKUs with a non-zero probability of exposure (the rows stored). */
  skuCount: number;
  exposureThreshold: number;
  contributionSamples: number;
  cappedComponents: number;
}

export interface TwinRunRecord {
  id: string;
  status: TwinRunStatus;
  done: number;
  total: number;
  cancelRequested: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  request: ResolvedTwinRequest;
  state: TwinRunState | null;
  summary: TwinRunSummary | null;
}

/** What a cancel found: the run missing, already over, or now cancelled (or cancelling, while a worker runs it). */
export type CancelOutcome = 'missing' | 'succeeded' | 'failed' | 'cancelled' | 'cancelling';

/** Rows written per Redis command, and commands per round trip, while results are stored. */
const ROWS_PER_COMMAND = 500;
const COMMANDS_PER_ROUND_TRIP = 8;

// Cancels a queued run at once; a running one gets the flag its worker looks for between slices.
const REQUEST_CANCEL = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 'missing' end
if status == 'succeeded' or status == 'failed' or status == 'cancelled' then return status end
redis.call('HSET', KEYS[1], 'cancel', '1')
if status == 'queued' then
  redis.call('HSET', KEYS[1], 'status', 'cancelled', 'finishedAt', ARGV[1])
  return 'cancelled'
end
return 'cancelling'`;

// A worker takes a run unless it was cancelled (or finished) meanwhile.
const START = `
local status = redis.call('HGET', KEYS[1], 'status')
if status ~= 'queued' and status ~= 'running' then return 0 end
if redis.call('HGET', KEYS[1], 'cancel') == '1' then
  redis.call('HSET', KEYS[1], 'status', 'cancelled', 'finishedAt', ARGV[1])
  return 0
end
redis.call('HSET', KEYS[1], 'status', 'running', 'startedAt', ARGV[1], 'done', '0')
redis.call('HDEL', KEYS[1], 'error')
return 1`;

/**
 * Twin runs in Redis, under the deployment's queue prefix, each kept
 * TWIN_RETENTION_S. Redis rather than Neo4j: results are derived, bulky
 * (a row per SKU with a non-zero probability of exposure — up to the 50k
 * SKUs of the DESIGN §8 network, 0.3–4 KB each: ≈150 MB for 1,000 samples
 * with 100 events there), written once and read a
 * page at a time, and they expire; none of that belongs in the graph.
 *
 * - `twin:run:<id>` hash: status, progress (done/total), the cancel flag,
 *   times, the resolved request, what the run ran on, its totals and drivers;
 * - `twin:run:<id>:rows` hash: SKU id → the SKU's outlook (JSON);
 * - `twin:run:<id>:order` list: SKU ids by mean revenue at risk, the order
 *   pages follow (cursor = position).
 */
@Injectable()
export class TwinRunStore {
  private readonly ttl: number;

  constructor(
    private readonly store: RedisStore,
    @Inject(APP_CONFIG) config: Pick<BaseEnv, 'TWIN_RETENTION_S'>,
  ) {
    this.ttl = config.TWIN_RETENTION_S;
  }

  private runKey(id: string): string {
    return this.store.key(`twin:run:${id}`);
  }

  private rowsKey(id: string): string {
    return this.store.key(`twin:run:${id}:rows`);
  }

  private orderKey(id: string): string {
    return this.store.key(`twin:run:${id}:order`);
  }

  async create(id: string, request: ResolvedTwinRequest, status: 'queued' | 'running', now = new Date()): Promise<void> {
    const fields: Record<string, string> = {
      status,
      done: '0',
      total: String(request.samples),
      createdAt: now.toISOString(),
      request: JSON.stringify(request),
    };
    if (status === 'running') fields.startedAt = fields.createdAt;
    await this.store.client.multi().hset(this.runKey(id), fields).expire(this.runKey(id), this.ttl).exec();
  }

  /** Takes a queued run for running; false when it was cancelled or finished meanwhile. */
  async start(id: string, now = new Date()): Promise<boolean> {
    return (await this.store.client.eval(START, 1, this.runKey(id), now.toISOString())) === 1;
  }

  async progress(id: string, done: number): Promise<void> {
    await this.store.client.hset(this.runKey(id), 'done', String(done));
  }

  async cancelRequested(id: string): Promise<boolean> {
    return (await this.store.client.hget(this.runKey(id), 'cancel')) === '1';
  }

  requestCancel(id: string, now = new Date()): Promise<CancelOutcome> {
    return this.store.client.eval(REQUEST_CANCEL, 1, this.runKey(id), now.toISOString()) as Promise<CancelOutcome>;
  }

  /** Back to the queue for another try (the job will run again). */
  async requeue(id: string, error: string): Promise<void> {
    await this.store.client.hset(this.runKey(id), { status: 'queued', error });
  }

  async fail(id: string, error: string, now = new Date()): Promise<void> {
    await this.store.client.hset(this.runKey(id), { status: 'failed', error, finishedAt: now.toISOString() });
  }

  async cancelled(id: string, now = new Date()): Promise<void> {
    await this.store.client.hset(this.runKey(id), { status: 'cancelled', finishedAt: now.toISOString() });
  }

  /**
   * Writes a finished run's SKU rows in batches (a few thousand rows in
   * memory at a time, whatever the run's size). Writing again (a retried
   * job) replaces them.
   */
  async writeRows(id: string, skus: readonly SkuOutlook[]): Promise<void> {
    const client = this.store.client;
    const rowsKey = this.rowsKey(id);
    const orderKey = this.orderKey(id);
    let pipeline = client.pipeline().del(rowsKey, orderKey);
    for (let from = 0; from < skus.length; from += ROWS_PER_COMMAND) {
      if (from > 0 && from % (ROWS_PER_COMMAND * COMMANDS_PER_ROUND_TRIP) === 0) {
        await execOrThrow(pipeline);
        pipeline = client.pipeline();
      }
      const rows = skus.slice(from, from + ROWS_PER_COMMAND).map(toStoredOutlook);
      pipeline.hset(rowsKey, Object.fromEntries(rows.map((r) => [r.skuId, JSON.stringify(r)])));
      pipeline.rpush(orderKey, ...rows.map((r) => r.skuId));
    }
    await execOrThrow(pipeline.expire(rowsKey, this.ttl).expire(orderKey, this.ttl));
  }

  /** Marks a run succeeded with what it ran on and its run-wide figures (after its rows are written). */
  async succeed(id: string, samples: number, state: TwinRunState, summary: TwinRunSummary, now = new Date()): Promise<void> {
    await execOrThrow(
      this.store.client
        .multi()
        .hset(this.runKey(id), {
          status: 'succeeded',
          done: String(samples),
          finishedAt: now.toISOString(),
          state: JSON.stringify(state),
          summary: JSON.stringify(summary),
        })
        .expire(this.runKey(id), this.ttl),
    );
  }

  async read(id: string): Promise<TwinRunRecord | null> {
    const h = await this.store.client.hgetall(this.runKey(id));
    if (!h.status) return null;
    return {
      id,
      status: h.status as TwinRunStatus,
      done: Number(h.done ?? 0),
      total: Number(h.total ?? 0),
      cancelRequested: h.cancel === '1',
      createdAt: h.createdAt,
      startedAt: h.startedAt ?? null,
      finishedAt: h.finishedAt ?? null,
      error: h.error ?? null,
      request: JSON.parse(h.request) as ResolvedTwinRequest,
      state: h.state ? (JSON.parse(h.state) as TwinRunState) : null,
      summary: h.summary ? (JSON.parse(h.summary) as TwinRunSummary) : null,
    };
  }

  /** SKU ids at positions [from, to) of the run's order. */
  orderSlice(id: string, from: number, to: number): Promise<string[]> {
    return to <= from ? Promise.resolve([]) : this.store.client.lrange(this.orderKey(id), from, to - 1);
  }

  /** The stored rows of these SKUs (null where the SKU has none: probability 0). */
  async rows(id: string, skuIds: readonly string[]): Promise<Array<StoredOutlook | null>> {
    if (skuIds.length === 0) return [];
    const raw = await this.store.client.hmget(this.rowsKey(id), ...skuIds);
    return raw.map((r) => (r === null ? null : (JSON.parse(r) as StoredOutlook)));
  }
}

async function execOrThrow(pipeline: { exec(): Promise<Array<[Error | null, unknown]> | null> }): Promise<void> {
  const results = await pipeline.exec();
  const failed = results?.find(([error]) => error);
  if (failed) throw failed[0];
}
