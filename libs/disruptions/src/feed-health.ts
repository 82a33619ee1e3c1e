import { Injectable } from '@nestjs/common';
import { RedisStore } from '@tiersight/queues';

export interface FeedHealthRecord {
  sourceId: string;
  state: 'ok' | 'failing' | 'never-pulled';
  lastPullAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
  lastItems: number | null;
  lastDeadLetters: number | null;
}

const KEY = 'feeds:health';

/**
 * The outcome of each source's last pull, shared by the worker (writes) and
 * the API (`GET /v1/feeds`, readiness). A failing feed makes the platform
 * degraded, never down: the events already stored still stand.
 */
@Injectable()
export class FeedHealth {
  constructor(private readonly store: RedisStore) {}

  async recordSuccess(sourceId: string, counts: { items: number; deadLetters: number }): Promise<void> {
    const now = new Date().toISOString();
    await this.write(sourceId, (previous) => ({
      ...previous,
      state: 'ok',
      lastPullAt: now,
      lastSuccessAt: now,
      lastError: null,
      consecutiveFailures: 0,
      lastItems: counts.items,
      lastDeadLetters: counts.deadLetters,
    }));
  }

  async recordFailure(sourceId: string, error: string): Promise<void> {
    await this.write(sourceId, (previous) => ({
      ...previous,
      state: 'failing',
      lastPullAt: new Date().toISOString(),
      lastError: error.slice(0, 500),
      consecutiveFailures: previous.consecutiveFailures + 1,
    }));
  }

  async get(sourceId: string): Promise<FeedHealthRecord> {
    const raw = await this.store.client.hget(this.store.key(KEY), sourceId);
    return raw ? (JSON.parse(raw) as FeedHealthRecord) : empty(sourceId);
  }

  async all(sourceIds: string[]): Promise<FeedHealthRecord[]> {
    if (sourceIds.length === 0) return [];
    const raw = await this.store.client.hmget(this.store.key(KEY), ...sourceIds);
    return sourceIds.map((id, i) => (raw[i] ? (JSON.parse(raw[i] as string) as FeedHealthRecord) : empty(id)));
  }

  // Read-modify-write is fine here: one source is pulled by one job at a time (job scheduler ids are per source).
  private async write(sourceId: string, update: (previous: FeedHealthRecord) => FeedHealthRecord): Promise<void> {
    const next = update(await this.get(sourceId));
    await this.store.client.hset(this.store.key(KEY), sourceId, JSON.stringify(next));
  }
}

const empty = (sourceId: string): FeedHealthRecord => ({
  sourceId,
  state: 'never-pulled',
  lastPullAt: null,
  lastSuccessAt: null,
  lastError: null,
  consecutiveFailures: 0,
  lastItems: null,
  lastDeadLetters: null,
});
