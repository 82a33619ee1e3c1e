import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type BaseEnv } from '@tiersight/config';
import { chunks } from '@tiersight/contracts';
import { RedisStore } from '@tiersight/queues';
import type { PairDecision, RowDecision } from './confirm-plan';
import type { ListFormat, ListRow } from './read-list';
import type { TextEncoding } from './decode-text';
import type { ListField } from './columns';
import type { Review, ReviewPair, ReviewRow, ReviewSummary } from './review';

export type ListStatus = 'queued' | 'running' | 'ready' | 'confirmed' | 'failed';

/** What was uploaded and how it was read. */
export interface ListFile {
  name: string | null;
  bytes: number;
  format: ListFormat;
  encoding: TextEncoding | null;
  delimiter: string | null;
  sheet: string | null;
  /** field → header the column was read from */
  columns: Partial<Record<ListField, string>>;
  unmappedColumns: string[];
}

/** What a confirm wrote. */
export interface Confirmation {
  confirmedAt: string;
  graphVersion: number;
  suppliers: number;
  sites: number;
  merged: number;
  rejected: number;
  rejectedPairs: number;
}

export interface ListRecord {
  id: string;
  /** the supplier whose own sites the list holds (uploaded in the portal); null for a buyer's list */
  owner: string | null;
  status: ListStatus;
  done: number;
  total: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  file: ListFile;
  summary: ReviewSummary | null;
  confirmation: Confirmation | null;
}

/** Rows written per Redis command while a review is stored. */
const ROWS_PER_COMMAND = 500;
/** How long a confirm holds its list (a confirm of the largest list takes seconds). */
const CONFIRM_LOCK_S = 300;

// A worker takes a list unless it was reviewed (or confirmed) meanwhile.
const START = `
local status = redis.call('HGET', KEYS[1], 'status')
if status ~= 'queued' and status ~= 'running' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'running', 'startedAt', ARGV[1], 'done', '0')
redis.call('HDEL', KEYS[1], 'error')
return 1`;

/**
 * Uploaded lists and their reviews in Redis, under the deployment's queue
 * prefix, each kept ONBOARDING_RETENTION_S. Redis rather than Neo4j: until a
 * person confirms it, a review is working state derived from a file — nothing
 * of it belongs in the graph of record, and an abandoned one should expire.
 * (The pairs a person rejects outlive the list: they go to Neo4j on confirm.)
 *
 * - `onboarding:list:<id>` hash: owner (a supplier's list), status, progress, times, the file, summary, confirmation;
 * - `…:input`: the rows as read (JSON), what the review job reads;
 * - `…:rows` hash: row number → review row (JSON); `…:order` list: row numbers in file order;
 * - `…:pairs`: the duplicate proposals (JSON);
 * - `…:row-decisions`, `…:pair-decisions` hashes: row number / pair id → decision.
 */
@Injectable()
export class OnboardingListStore {
  private readonly ttl: number;

  constructor(
    private readonly store: RedisStore,
    @Inject(APP_CONFIG) config: Pick<BaseEnv, 'ONBOARDING_RETENTION_S'>,
  ) {
    this.ttl = config.ONBOARDING_RETENTION_S;
  }

  private key(id: string, part = ''): string {
    return this.store.key(`onboarding:list:${id}${part}`);
  }

  async create(id: string, file: ListFile, rows: readonly ListRow[], owner: string | null = null, now = new Date()): Promise<void> {
    const record = { status: 'queued', done: '0', total: String(rows.length), createdAt: now.toISOString(), file: JSON.stringify(file) };
    await execOrThrow(
      this.store.client
        .multi()
        .hset(this.key(id), owner === null ? record : { ...record, owner })
        .set(this.key(id, ':input'), JSON.stringify(rows))
        .expire(this.key(id), this.ttl)
        .expire(this.key(id, ':input'), this.ttl),
    );
  }

  async input(id: string): Promise<ListRow[] | null> {
    const raw = await this.store.client.get(this.key(id, ':input'));
    return raw === null ? null : (JSON.parse(raw) as ListRow[]);
  }

  /** Takes a queued list for reviewing; false when it was reviewed or confirmed meanwhile. */
  async start(id: string, now = new Date()): Promise<boolean> {
    return (await this.store.client.eval(START, 1, this.key(id), now.toISOString())) === 1;
  }

  async progress(id: string, done: number): Promise<void> {
    await this.store.client.hset(this.key(id), 'done', String(done));
  }

  async requeue(id: string, error: string): Promise<void> {
    await this.store.client.hset(this.key(id), { status: 'queued', error });
  }

  async fail(id: string, error: string, now = new Date()): Promise<void> {
    await this.store.client.hset(this.key(id), { status: 'failed', error, finishedAt: now.toISOString() });
  }

  /** Stores a finished review (rows first, then the status, so a reader never sees `ready` without rows). */
  async writeReview(id: string, review: Review, now = new Date()): Promise<void> {
    const client = this.store.client;
    const pipeline = client.pipeline().del(this.key(id, ':rows'), this.key(id, ':order'));
    for (const batch of chunks(review.rows, ROWS_PER_COMMAND)) {
      pipeline.hset(this.key(id, ':rows'), Object.fromEntries(batch.map((r) => [String(r.row), JSON.stringify(r)])));
      pipeline.rpush(this.key(id, ':order'), ...batch.map((r) => String(r.row)));
    }
    pipeline.set(this.key(id, ':pairs'), JSON.stringify(review.pairs));
    for (const part of [':rows', ':order', ':pairs']) pipeline.expire(this.key(id, part), this.ttl);
    await execOrThrow(pipeline);
    await client.hset(this.key(id), {
      status: 'ready',
      done: String(review.rows.length),
      finishedAt: now.toISOString(),
      summary: JSON.stringify(review.summary),
    });
  }

  async read(id: string): Promise<ListRecord | null> {
    const h = await this.store.client.hgetall(this.key(id));
    if (!h.status) return null;
    return {
      id,
      owner: h.owner ?? null,
      status: h.status as ListStatus,
      done: Number(h.done ?? 0),
      total: Number(h.total ?? 0),
      createdAt: h.createdAt,
      startedAt: h.startedAt ?? null,
      finishedAt: h.finishedAt ?? null,
      error: h.error ?? null,
      file: JSON.parse(h.file) as ListFile,
      summary: h.summary ? (JSON.parse(h.summary) as ReviewSummary) : null,
      confirmation: h.confirmation ? (JSON.parse(h.confirmation) as Confirmation) : null,
    };
  }

  /** Row numbers at positions [from, to) of the file order. */
  async order(id: string, from: number, to: number): Promise<number[]> {
    if (to <= from) return [];
    return (await this.store.client.lrange(this.key(id, ':order'), from, to - 1)).map(Number);
  }

  /** The review rows of these row numbers (null where the list has none). */
  async rows(id: string, rows: readonly number[]): Promise<Array<ReviewRow | null>> {
    if (rows.length === 0) return [];
    const raw = await this.store.client.hmget(this.key(id, ':rows'), ...rows.map(String));
    return raw.map((r) => (r === null ? null : (JSON.parse(r) as ReviewRow)));
  }

  async allRows(id: string): Promise<ReviewRow[]> {
    const order = await this.order(id, 0, Number.MAX_SAFE_INTEGER);
    return (await this.rows(id, order)).filter((r): r is ReviewRow => r !== null);
  }

  async pairs(id: string): Promise<ReviewPair[]> {
    const raw = await this.store.client.get(this.key(id, ':pairs'));
    return raw === null ? [] : (JSON.parse(raw) as ReviewPair[]);
  }

  async decide(id: string, rows: ReadonlyMap<number, RowDecision>, pairs: ReadonlyMap<string, PairDecision>): Promise<void> {
    const multi = this.store.client.multi();
    if (rows.size > 0) multi.hset(this.key(id, ':row-decisions'), Object.fromEntries([...rows].map(([r, d]) => [String(r), JSON.stringify(d)])));
    if (pairs.size > 0) multi.hset(this.key(id, ':pair-decisions'), Object.fromEntries(pairs));
    for (const part of [':row-decisions', ':pair-decisions']) multi.expire(this.key(id, part), this.ttl);
    await execOrThrow(multi);
  }

  async decisions(id: string): Promise<{ rows: Map<number, RowDecision>; pairs: Map<string, PairDecision> }> {
    const [rows, pairs] = await Promise.all([
      this.store.client.hgetall(this.key(id, ':row-decisions')),
      this.store.client.hgetall(this.key(id, ':pair-decisions')),
    ]);
    return {
      rows: new Map(Object.entries(rows).map(([r, d]) => [Number(r), JSON.parse(d) as RowDecision])),
      pairs: new Map(Object.entries(pairs) as [string, PairDecision][]),
    };
  }

  /** Holds the list for one confirm; false when another confirm holds it. */
  async lockConfirm(id: string): Promise<boolean> {
    return (await this.store.client.set(this.key(id, ':confirming'), '1', 'EX', CONFIRM_LOCK_S, 'NX')) === 'OK';
  }

  async unlockConfirm(id: string): Promise<void> {
    await this.store.client.del(this.key(id, ':confirming'));
  }

  async confirmed(id: string, confirmation: Confirmation): Promise<void> {
    await this.store.client.hset(this.key(id), { status: 'confirmed', confirmation: JSON.stringify(confirmation) });
  }
}

async function execOrThrow(pipeline: { exec(): Promise<Array<[Error | null, unknown]> | null> }): Promise<void> {
  const results = await pipeline.exec();
  const failed = results?.find(([error]) => error);
  if (failed) throw failed[0];
}
