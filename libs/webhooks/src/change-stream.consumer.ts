import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import {
  EXPOSURE_CHANGE_VERSION,
  EXPOSURE_CHANGES_STREAM,
  type ExposureChangeMessage,
  OUTLOOK_CHANGE_KINDS,
  type OutlookChangeMessage,
} from '@tiersight/contracts';
import { LOGGER } from '@tiersight/observability';
import { RedisStore, type RedisClient } from '@tiersight/queues';
import type { ChangeEntry } from './alert-fanout.service';

const GROUP = 'webhooks';
/** One consumer name: only the lease holder reads, and a successor picks up its unacknowledged entries. */
const CONSUMER = 'fanout';
const LEASE = 'wh:fanout-lease';
const LEASE_MS = 5_000;
/** Entries per read: small enough that one batch never holds the event loop (and the deliveries on it) for long. */
const BATCH = 200;
const BLOCK_MS = 1_000;

/** Takes or extends the lease when free or already held by this token. */
const HOLD = `
local v = redis.call('GET', KEYS[1])
if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Reads the risk engine's exposure-change stream through a Redis consumer
 * group, in order, in one worker at a time (a lease in Redis; other workers
 * wait and take over within LEASE_MS when the holder dies). Entries are
 * acknowledged only after their alerts are queued: entries left pending by a
 * dead worker are read again first by the next holder. The group starts at
 * the stream's end when first created, so old history is never alerted.
 */
@Injectable()
export class ChangeStreamConsumer {
  private client?: RedisClient;
  private running = false;
  private loop?: Promise<void>;
  private readonly token = randomUUID();
  private wake?: () => void;

  constructor(
    private readonly store: RedisStore,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  private get streamKey() {
    return this.store.key(EXPOSURE_CHANGES_STREAM);
  }

  async start(handler: (entries: ChangeEntry[]) => Promise<unknown>): Promise<void> {
    // Blocking reads get their own connection so they never hold up the shared one.
    this.client = this.store.duplicate({ maxRetriesPerRequest: null });
    this.client.on('error', () => undefined);
    try {
      await this.client.xgroup('CREATE', this.streamKey, GROUP, '$', 'MKSTREAM');
    } catch (error) {
      if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
    }
    this.running = true;
    this.loop = this.run(handler);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    if (this.client) {
      await this.client.eval(RELEASE, 1, this.store.key(LEASE), this.token).catch(() => undefined);
      this.client.disconnect();
    }
  }

  private async run(handler: (entries: ChangeEntry[]) => Promise<unknown>): Promise<void> {
    const client = this.client!;
    let backlog = true; // read this consumer's unacknowledged entries before new ones
    while (this.running) {
      try {
        const held = (await client.eval(HOLD, 1, this.store.key(LEASE), this.token, String(LEASE_MS))) === 1;
        if (!held) {
          backlog = true;
          await this.sleep(LEASE_MS / 5);
          continue;
        }
        const args: Array<string | number> = ['GROUP', GROUP, CONSUMER, 'COUNT', BATCH];
        if (!backlog) args.push('BLOCK', BLOCK_MS);
        args.push('STREAMS', this.streamKey, backlog ? '0' : '>');
        const res = (await (client.xreadgroup as (...a: Array<string | number>) => Promise<unknown>)(...args)) as Array<
          [string, Array<[string, string[] | null]>]
        > | null;
        const raw = res?.[0]?.[1] ?? [];
        if (raw.length === 0) {
          backlog = false;
          continue;
        }
        await handler(raw.map(([id, fields]) => this.entry(id, fields)));
        await client.xack(this.streamKey, GROUP, ...raw.map(([id]) => id));
      } catch (error) {
        this.logger.error({ err: error }, 'exposure change fan-out failed; retrying');
        backlog = true;
        await this.sleep(1_000);
      }
    }
  }

  private entry(id: string, fields: string[] | null): ChangeEntry {
    const read = readChange(fields);
    if (read.unknownVersion !== undefined) {
      this.logger.warn({ entryId: id, version: read.unknownVersion }, 'exposure change of an unknown version skipped');
    }
    return read.outlook ? { id, change: null, outlook: read.outlook } : { id, change: read.change };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/**
 * The change in an entry's fields (`change` → JSON), or null for a deleted or
 * unreadable entry and for one of a version this reader does not know (then
 * `unknownVersion` says which). Such entries are acknowledged with their batch
 * like the others: no later read would make them readable.
 */
export function readChange(fields: string[] | null): { change: ExposureChangeMessage | null; outlook?: OutlookChangeMessage; unknownVersion?: unknown } {
  if (!fields) return { change: null };
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'outlook') return readOutlook(fields[i + 1]);
    if (fields[i] !== 'change') continue;
    let c: (Omit<ExposureChangeMessage, 'v'> & { v?: unknown }) | null;
    try {
      c = JSON.parse(fields[i + 1]) as typeof c;
    } catch {
      return { change: null };
    }
    if (typeof c?.skuId !== 'string') return { change: null };
    // Entries written before messages carried a version have the version 1 shape.
    const v = c.v === undefined ? EXPOSURE_CHANGE_VERSION : c.v;
    if (v !== EXPOSURE_CHANGE_VERSION) return { change: null, unknownVersion: v };
    return { change: { ...c, v } };
  }
  return { change: null };
}

/** An outlook change (DESIGN §10) in an entry's `outlook` field; outlook changes always carry their version. */
function readOutlook(json: string): { change: null; outlook?: OutlookChangeMessage; unknownVersion?: unknown } {
  let c: (Omit<OutlookChangeMessage, 'v'> & { v?: unknown }) | null;
  try {
    c = JSON.parse(json) as typeof c;
  } catch {
    return { change: null };
  }
  if (typeof c?.skuId !== 'string' || !(OUTLOOK_CHANGE_KINDS as readonly unknown[]).includes(c.kind)) return { change: null };
  if (c.v !== EXPOSURE_CHANGE_VERSION) return { change: null, unknownVersion: c.v };
  return { change: null, outlook: { ...c, v: c.v } };
}
