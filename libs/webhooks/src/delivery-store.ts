import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { ChainableCommander, Redis } from 'ioredis';
import { APP_CONFIG, BaseEnv } from '@tiersight/config';
import { RedisStore } from '@tiersight/queues';
import { chunks, type AlertType } from '@tiersight/contracts';
import type { NotifiedState } from './alerts';

export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'failed';

/** One alert to one subscription: what the delivery log shows. */
export interface DeliveryView {
  id: string;
  subscriptionId: string;
  type: AlertType;
  skuId: string;
  status: DeliveryStatus;
  attempts: number;
  responseCode: number | null;
  latencyMs: number | null;
  lastError: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  replays: number;
}

export interface NewDelivery {
  id: string;
  subscriptionId: string;
  type: AlertType;
  skuId: string;
  /** The exposure change it reports (stream entry id). */
  changeId: string;
  createdAtMs: number;
  body: string;
}

export interface SubscriptionHealth {
  consecutiveFailures: number;
  failingSince: string | null;
  lastError: string | null;
  lastFailureAt: string | null;
  lastSuccessAt: string | null;
}

/** What one try needs of a delivery record. */
export interface SendableRecord {
  subscriptionId: string;
  body: string;
  status: DeliveryStatus;
  createdAtMs: number;
  attempts: number;
  nextAttemptAtMs: number | null;
}

const SEND_FIELDS = ['subscriptionId', 'body', 'status', 'createdAt', 'attempts', 'nextAttemptAt'] as const;

function toSendable([subscriptionId, body, status, createdAt, attempts, nextAttemptAt]: Array<string | null>): SendableRecord | null {
  if (!subscriptionId || body === null) return null;
  return {
    subscriptionId,
    body,
    status: (status ?? 'pending') as DeliveryStatus,
    createdAtMs: Number(createdAt),
    attempts: Number(attempts ?? 0),
    nextAttemptAtMs: nextAttemptAt ? Number(nextAttemptAt) : null,
  };
}

const VIEW_FIELDS = [
  'id',
  'subscriptionId',
  'type',
  'skuId',
  'status',
  'attempts',
  'responseCode',
  'latencyMs',
  'lastError',
  'createdAt',
  'lastAttemptAt',
  'nextAttemptAt',
  'deliveredAt',
  'replays',
] as const;

/**
 * Creates several records, each once (for one that exists, its stored status
 * is returned instead), and logs each new one for its subscription.
 * KEYS: record and log key per delivery. ARGV: retention (ms), the log's
 * oldest id to keep, then seven values per delivery: id, subscriptionId, type,
 * skuId, changeId, createdAt (ms) and body.
 */
const CREATE = `
local out = {}
for i = 1, #KEYS / 2 do
  local record, log, a = KEYS[2 * i - 1], KEYS[2 * i], 2 + (i - 1) * 7
  if redis.call('EXISTS', record) == 1 then
    out[i] = redis.call('HGET', record, 'status') or 'pending'
  else
    redis.call('HSET', record, 'id', ARGV[a + 1], 'subscriptionId', ARGV[a + 2], 'type', ARGV[a + 3], 'skuId', ARGV[a + 4],
      'changeId', ARGV[a + 5], 'createdAt', ARGV[a + 6], 'body', ARGV[a + 7], 'status', 'pending', 'attempts', '0', 'replays', '0')
    redis.call('PEXPIRE', record, ARGV[1])
    redis.call('XADD', log, 'MINID', '~', ARGV[2], '*', 'd', ARGV[a + 1])
    redis.call('PEXPIRE', log, ARGV[1])
    out[i] = 'created'
  end
end
return out`;
/** Records per CREATE call: short scripts, so Redis serves others in between. */
const CREATE_CHUNK = 100;

/**
 * Tries, in order: each one's outcome on its record and, on success, the
 * endpoint's failure streak cleared. Nothing is written for a record that
 * expired meanwhile. KEYS: record and endpoint health per try. ARGV: six
 * values per try: when, status, response code, latency, error, next attempt.
 */
const ATTEMPTS = `
for i = 1, #KEYS / 2 do
  local record, health, a = KEYS[2 * i - 1], KEYS[2 * i], (i - 1) * 6
  if redis.call('EXISTS', record) == 1 then
    redis.call('HSET', record, 'status', ARGV[a + 2], 'responseCode', ARGV[a + 3], 'latencyMs', ARGV[a + 4], 'lastError', ARGV[a + 5], 'lastAttemptAt', ARGV[a + 1], 'nextAttemptAt', ARGV[a + 6])
    redis.call('HINCRBY', record, 'attempts', 1)
    if ARGV[a + 2] == 'delivered' then
      redis.call('HSET', record, 'deliveredAt', ARGV[a + 1])
      redis.call('HDEL', health, 'failures', 'failingSince')
      redis.call('HSET', health, 'lastSuccessAt', ARGV[a + 1])
    end
  end
end
return 1`;

/** One try as the delivery log records it. */
export interface AttemptRecord {
  status: DeliveryStatus;
  responseCode: number | null;
  latencyMs: number | null;
  error: string | null;
  nextAttemptAt?: number | null;
  /** When the try ended (ms); now when absent. */
  at?: number;
}

/** One try to record, for recordAttempts. */
export interface RecordedTry {
  id: string;
  subscriptionId: string;
  attempt: AttemptRecord;
}

/**
 * The scripts, sent by their hash (EVALSHA, loaded again when Redis lost them)
 * rather than as text each time. `defineCommand` adds each as a method at run
 * time; these interfaces name the method on the client it was defined on.
 */
interface CreatePipeline extends ChainableCommander {
  /** Queued in a pipeline of the shared client: each call's reply is the created records' statuses (string[]). */
  tiersightWebhookCreate(numberOfKeys: number, ...keysAndArgs: string[]): ChainableCommander;
}

interface AttemptsClient extends Redis {
  tiersightWebhookAttempts(numberOfKeys: number, ...keysAndArgs: string[]): Promise<number>;
}

const REPLAY = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
redis.call('HSET', KEYS[1], 'status', 'pending', 'attempts', '0', 'nextAttemptAt', '', 'lastError', '')
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return redis.call('HINCRBY', KEYS[1], 'replays', 1)`;

const FAILURE = `
local f = redis.call('HINCRBY', KEYS[1], 'failures', 1)
redis.call('HSETNX', KEYS[1], 'failingSince', ARGV[1])
redis.call('HSET', KEYS[1], 'lastError', ARGV[2], 'lastFailureAt', ARGV[1])
return {f, redis.call('HGET', KEYS[1], 'failingSince')}`;

/**
 * Delivery records, the per-subscription delivery log, what each subscription
 * was last told per SKU, endpoint health and the subscriptions' version
 * counter — all in Redis under the deployment's QUEUE_PREFIX. Records and
 * logs expire after WEBHOOK_RETENTION_S.
 */
@Injectable()
export class DeliveryStore implements OnApplicationShutdown {
  private readonly retentionMs: number;
  private hotClient?: AttemptsClient;

  constructor(
    private readonly store: RedisStore,
    @Inject(APP_CONFIG) config: BaseEnv,
  ) {
    this.retentionMs = config.WEBHOOK_RETENTION_S * 1000;
    this.store.client.defineCommand('tiersightWebhookCreate', { lua: CREATE });
  }

  private recordKey = (id: string) => this.store.key(`wh:d:${id}`);
  private logKey = (subscriptionId: string) => this.store.key(`wh:log:${subscriptionId}`);
  private stateKey = (subscriptionId: string) => this.store.key(`wh:state:${subscriptionId}`);
  private healthKey = (subscriptionId: string) => this.store.key(`wh:health:${subscriptionId}`);
  private readonly versionKey = () => this.store.key('wh:subs-version');

  /**
   * The connection of the per-delivery reads and writes: with auto-pipelining,
   * the commands of the deliveries running at the same moment go to Redis in
   * one write instead of one each. Opened on first use (the worker's).
   */
  private get hot(): AttemptsClient {
    if (!this.hotClient) {
      const client = this.store.duplicate({ enableAutoPipelining: true });
      client.on('error', () => undefined); // errors surface on the commands
      client.defineCommand('tiersightWebhookAttempts', { lua: ATTEMPTS });
      this.hotClient = client as AttemptsClient;
    }
    return this.hotClient;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.hotClient?.quit().catch(() => undefined);
  }

  /** Creates the records that do not exist yet; returns each one's status ('created' for a new one). */
  async create(deliveries: NewDelivery[]): Promise<string[]> {
    if (deliveries.length === 0) return [];
    const pipeline = this.store.client.pipeline() as CreatePipeline;
    const minId = `${Date.now() - this.retentionMs}-0`;
    for (const chunk of chunks(deliveries, CREATE_CHUNK)) {
      const keys: string[] = [];
      const values: string[] = [];
      for (const d of chunk) {
        keys.push(this.recordKey(d.id), this.logKey(d.subscriptionId));
        values.push(d.id, d.subscriptionId, d.type, d.skuId, d.changeId, String(d.createdAtMs), d.body);
      }
      pipeline.tiersightWebhookCreate(keys.length, ...keys, String(this.retentionMs), minId, ...values);
    }
    const created = (await execAll(pipeline)) as string[][];
    return created.flat().map((v) => String(v));
  }

  /** The fields a send needs, or null when the record expired. */
  async forSend(id: string): Promise<SendableRecord | null> {
    return toSendable(await this.hot.hmget(this.recordKey(id), ...SEND_FIELDS));
  }

  /** forSend of several records in one round trip. */
  async forSendMany(ids: readonly string[]): Promise<Array<SendableRecord | null>> {
    const pipeline = this.hot.pipeline();
    for (const id of ids) pipeline.hmget(this.recordKey(id), ...SEND_FIELDS);
    return ((await execAll(pipeline)) as Array<Array<string | null>>).map(toSendable);
  }

  /** Records one try (and, on success, clears the endpoint's failure streak) in one atomic command. */
  async recordAttempt(id: string, subscriptionId: string, attempt: AttemptRecord): Promise<void> {
    await this.recordAttempts([{ id, subscriptionId, attempt }]);
  }

  /** recordAttempt for several tries, in the order given, in one command. */
  async recordAttempts(tries: ReadonlyArray<RecordedTry>): Promise<void> {
    if (tries.length === 0) return;
    const keys: string[] = [];
    const values: string[] = [];
    for (const t of tries) {
      keys.push(this.recordKey(t.id), this.healthKey(t.subscriptionId));
      values.push(...attemptArgs(t.attempt));
    }
    await this.hot.tiersightWebhookAttempts(keys.length, ...keys, ...values);
  }

  /** Marks a delivery failed without a try (its subscription is paused or gone). */
  async markNotSent(id: string, reason: string): Promise<void> {
    await this.hot.hset(this.recordKey(id), 'status', 'failed', 'lastError', reason, 'nextAttemptAt', '');
  }

  /** Counts a failed try against the endpoint; returns the streak and since when it runs (ms). */
  async recordFailure(subscriptionId: string, error: string): Promise<{ failures: number; failingSinceMs: number }> {
    const [failures, since] = (await this.hot.eval(FAILURE, 1, this.healthKey(subscriptionId), String(Date.now()), error.slice(0, 500))) as [number, string];
    return { failures: Number(failures), failingSinceMs: Number(since) };
  }

  async clearHealth(subscriptionId: string): Promise<void> {
    await this.store.client.del(this.healthKey(subscriptionId));
  }

  async health(subscriptionIds: string[]): Promise<SubscriptionHealth[]> {
    if (subscriptionIds.length === 0) return [];
    const pipeline = this.store.client.pipeline();
    for (const id of subscriptionIds) pipeline.hgetall(this.healthKey(id));
    const rows = (await execAll(pipeline)) as Array<Record<string, string>>;
    const iso = (v: string | undefined) => (v ? new Date(Number(v)).toISOString() : null);
    return rows.map((h) => ({
      consecutiveFailures: Number(h.failures ?? 0),
      failingSince: iso(h.failingSince),
      lastError: h.lastError || null,
      lastFailureAt: iso(h.lastFailureAt),
      lastSuccessAt: iso(h.lastSuccessAt),
    }));
  }

  /** Resets a record for another round of tries; returns the replay count, or null when the record is gone. */
  async replay(id: string): Promise<{ replays: number; subscriptionId: string } | null> {
    const replays = await this.store.client.eval(REPLAY, 1, this.recordKey(id), String(this.retentionMs));
    if (replays === null || replays === undefined || replays === 0) return null;
    const subscriptionId = await this.store.client.hget(this.recordKey(id), 'subscriptionId');
    return subscriptionId ? { replays: Number(replays), subscriptionId } : null;
  }

  async get(id: string): Promise<DeliveryView | null> {
    const values = await this.store.client.hmget(this.recordKey(id), ...VIEW_FIELDS);
    return toView(values);
  }

  /** The subscription's deliveries, newest first; `cursor` is the nextCursor of the previous page. */
  async list(
    subscriptionId: string,
    options: { limit: number; cursor?: string; status?: DeliveryStatus },
  ): Promise<{ items: DeliveryView[]; nextCursor: string | null }> {
    const items: DeliveryView[] = [];
    let end = options.cursor ? `(${options.cursor}` : '+';
    let last: string | null = null;
    while (items.length < options.limit) {
      const batch = await this.store.client.xrevrange(this.logKey(subscriptionId), end, '-', 'COUNT', Math.max(50, options.limit));
      if (batch.length === 0) {
        last = null;
        break;
      }
      const pipeline = this.store.client.pipeline();
      for (const [, fields] of batch) pipeline.hmget(this.recordKey(fields[1]), ...VIEW_FIELDS);
      const rows = (await execAll(pipeline)) as Array<Array<string | null>>;
      for (let i = 0; i < batch.length && items.length < options.limit; i++) {
        last = batch[i][0];
        const view = toView(rows[i]);
        if (view && (!options.status || view.status === options.status)) items.push(view);
      }
      end = `(${batch[batch.length - 1][0]}`;
    }
    return { items, nextCursor: items.length === options.limit && last ? last : null };
  }

  /** What the subscription was last told about these SKUs. */
  async notified(subscriptionId: string, skuIds: string[]): Promise<Map<string, NotifiedState>> {
    const out = new Map<string, NotifiedState>();
    if (skuIds.length === 0) return out;
    const values = await this.store.client.hmget(this.stateKey(subscriptionId), ...skuIds);
    values.forEach((v, i) => v && out.set(skuIds[i], JSON.parse(v) as NotifiedState));
    return out;
  }

  async saveNotified(updates: Array<{ subscriptionId: string; skuId: string; state: NotifiedState | null }>): Promise<void> {
    if (updates.length === 0) return;
    // One HSET and one HDEL per subscription, whatever the number of SKUs.
    const bySubscription = new Map<string, { set: string[]; del: string[] }>();
    for (const u of updates) {
      let entry = bySubscription.get(u.subscriptionId);
      if (!entry) bySubscription.set(u.subscriptionId, (entry = { set: [], del: [] }));
      if (u.state) entry.set.push(u.skuId, JSON.stringify(u.state));
      else entry.del.push(u.skuId);
    }
    const pipeline = this.store.client.pipeline();
    for (const [subscriptionId, { set, del }] of bySubscription) {
      if (set.length) pipeline.hset(this.stateKey(subscriptionId), ...set);
      if (del.length) pipeline.hdel(this.stateKey(subscriptionId), ...del);
    }
    await execAll(pipeline);
  }

  /** Forgets everything kept for a deleted subscription except its delivery records (they expire). */
  async forget(subscriptionId: string): Promise<void> {
    await this.store.client.del(this.stateKey(subscriptionId), this.healthKey(subscriptionId));
  }

  async bumpVersion(): Promise<number> {
    return this.store.client.incr(this.versionKey());
  }

  async version(): Promise<number> {
    return Number((await this.store.client.get(this.versionKey())) ?? 0);
  }
}

function attemptArgs(a: AttemptRecord): string[] {
  return [
    String(a.at ?? Date.now()),
    a.status,
    a.responseCode === null ? '' : String(a.responseCode),
    a.latencyMs === null ? '' : String(a.latencyMs),
    a.error ?? '',
    a.nextAttemptAt ? String(a.nextAttemptAt) : '',
  ];
}

async function execAll(pipeline: ChainableCommander): Promise<unknown[]> {
  const results = (await pipeline.exec()) ?? [];
  return results.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

function toView(values: Array<string | null>): DeliveryView | null {
  const f = Object.fromEntries(VIEW_FIELDS.map((k, i) => [k, values[i]])) as Record<(typeof VIEW_FIELDS)[number], string | null>;
  if (!f.id) return null;
  const num = (v: string | null) => (v === null || v === '' ? null : Number(v));
  const iso = (v: string | null) => (v === null || v === '' ? null : new Date(Number(v)).toISOString());
  return {
    id: f.id,
    subscriptionId: f.subscriptionId ?? '',
    type: f.type as AlertType,
    skuId: f.skuId ?? '',
    status: (f.status ?? 'pending') as DeliveryStatus,
    attempts: Number(f.attempts ?? 0),
    responseCode: num(f.responseCode),
    latencyMs: num(f.latencyMs),
    lastError: f.lastError || null,
    createdAt: iso(f.createdAt) ?? '',
    lastAttemptAt: iso(f.lastAttemptAt),
    nextAttemptAt: iso(f.nextAttemptAt),
    deliveredAt: iso(f.deliveredAt),
    replays: Number(f.replays ?? 0),
  };
}
