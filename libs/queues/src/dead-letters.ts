import { Injectable } from '@nestjs/common';
import { RedisStore } from './redis-store';

/** Where a dead letter came from: a feed document or item, a telemetry record, a job that failed for good. */
export type DeadLetterKind = 'feed' | 'telemetry' | 'job' | 'geo-match';

export interface DeadLetterInput {
  kind: DeadLetterKind;
  /** The feed source, the sensor, or the queue the record belongs to. */
  source: string;
  /** The item's own reference (feed item id, SenML name, job id), or null for a whole document. */
  itemRef: string | null;
  reason: string;
  /** A short excerpt of the offending input (at most 500 characters are kept). */
  excerpt?: string;
}

export interface DeadLetterRecord extends Required<DeadLetterInput> {
  id: string;
  at: string;
}

const STREAM = 'dead-letters';
/** The stream is capped (approximately) so a flood of bad input cannot fill Redis. */
const MAX_RECORDS = 50_000;
const MAX_EXCERPT = 500;

/**
 * Dead-letter records: what could not be processed, with the reason, for an
 * operator to read (`GET /v1/admin/dead-letters`). Kept in a capped Redis
 * stream so both processes append cheaply and records survive restarts.
 */
@Injectable()
export class DeadLetters {
  constructor(private readonly store: RedisStore) {}

  async add(...records: DeadLetterInput[]): Promise<void> {
    if (records.length === 0) return;
    const pipeline = this.store.client.pipeline();
    const at = new Date().toISOString();
    for (const r of records) {
      pipeline.xadd(
        this.store.key(STREAM),
        'MAXLEN',
        '~',
        String(MAX_RECORDS),
        '*',
        'kind',
        r.kind,
        'source',
        r.source,
        'itemRef',
        r.itemRef ?? '',
        'reason',
        r.reason,
        'excerpt',
        (r.excerpt ?? '').slice(0, MAX_EXCERPT),
        'at',
        at,
      );
    }
    // A pipeline resolves with each command's own error (a key of the wrong type, Redis out of memory): a record
    // that was not written must fail the call, so that the caller logs and counts it rather than losing it.
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('dead letters: the Redis pipeline was discarded');
  }

  /** Newest first; `before` is the id of the last record of the previous page. */
  async list(options: { limit: number; before?: string; kind?: DeadLetterKind; source?: string }): Promise<DeadLetterRecord[]> {
    const out: DeadLetterRecord[] = [];
    let end = options.before ? `(${options.before}` : '+';
    while (out.length < options.limit) {
      const batch = await this.store.client.xrevrange(this.store.key(STREAM), end, '-', 'COUNT', Math.max(100, options.limit));
      if (batch.length === 0) break;
      for (const [id, fields] of batch) {
        const record = toRecord(id, fields);
        if ((!options.kind || record.kind === options.kind) && (!options.source || record.source === options.source)) out.push(record);
        if (out.length === options.limit) break;
      }
      end = `(${batch[batch.length - 1][0]}`;
    }
    return out;
  }

  async count(): Promise<number> {
    return this.store.client.xlen(this.store.key(STREAM));
  }
}

function toRecord(id: string, fields: string[]): DeadLetterRecord {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]] = fields[i + 1];
  return {
    id,
    kind: f.kind as DeadLetterKind,
    source: f.source,
    itemRef: f.itemRef || null,
    reason: f.reason,
    excerpt: f.excerpt ?? '',
    at: f.at,
  } as DeadLetterRecord;
}

/** A job as the failure hook sees it (BullMQ's Job, narrowed to what is read). */
export interface FailedJob {
  id?: string;
  name: string;
  queueName: string;
  attemptsMade: number;
  opts: { attempts?: number };
  data: unknown;
}

/** True when BullMQ will not try the job again: its failure is final and worth a dead-letter record. */
export function isFinalFailure(job: FailedJob, error: Error): boolean {
  return error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
}

/** The dead-letter record of a job that failed for good. */
export function jobDeadLetter(job: FailedJob, error: Error): DeadLetterInput {
  return {
    kind: 'job',
    source: `${job.queueName}/${job.name}`,
    itemRef: job.id ?? null,
    reason: `failed after ${job.attemptsMade} attempt(s): ${error.message}`,
    excerpt: JSON.stringify(job.data ?? null),
  };
}
