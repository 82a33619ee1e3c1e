import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, BaseEnv } from '@tiersight/config';
import { chunks } from '@tiersight/contracts';
import { DeadLetterInput, DeadLetters, QueueProducer } from '@tiersight/queues';
import { RecordError, resolveSenml } from './senml';

/** A pack larger than TELEMETRY_MAX_RECORDS. */
export class TooManyRecordsError extends Error {
  constructor(
    readonly count: number,
    readonly limit: number,
  ) {
    super(`the pack holds ${count} records; at most ${limit} are accepted at once`);
    this.name = 'TooManyRecordsError';
  }
}

export interface IngestResult {
  batchId: string;
  accepted: number;
  rejected: number;
  jobs: number;
}

/** Dead letters written for one pack at most; the rest are counted in the last one. */
const MAX_DEAD_LETTERS_PER_PACK = 100;

/**
 * The common entry of HTTP and MQTT: resolve the pack at its time of
 * receipt, dead-letter the bad records with their reason, queue the rest in
 * jobs of TELEMETRY_JOB_RECORDS. Resolves once every job is in Redis.
 * Throws SenmlPackError for a pack that cannot be read at all.
 */
@Injectable()
export class TelemetryIngest {
  constructor(
    @Inject(APP_CONFIG) private readonly config: BaseEnv,
    private readonly producer: QueueProducer,
    private readonly deadLetters: DeadLetters,
  ) {}

  async accept(body: unknown, origin: 'http' | 'mqtt', source: string, requestId?: string): Promise<IngestResult> {
    const count = countRecords(body);
    if (count > this.config.TELEMETRY_MAX_RECORDS) throw new TooManyRecordsError(count, this.config.TELEMETRY_MAX_RECORDS);
    const { records, errors } = resolveSenml(body, Date.now() / 1000);
    const batchId = randomUUID();
    if (errors.length) await this.deadLetters.add(...deadLettersOf(errors, source));
    const size = this.config.TELEMETRY_JOB_RECORDS;
    const jobs = [...chunks(records, size)].map((part, k) => ({
      data: { v: 1 as const, batchId, origin, records: part, requestId },
      opts: { jobId: `${batchId}-${k}` },
    }));
    await this.producer.enqueueBulk('telemetry.readings', jobs);
    return { batchId, accepted: records.length, rejected: errors.length, jobs: jobs.length };
  }
}

function countRecords(body: unknown): number {
  if (!Array.isArray(body)) return 0;
  return body.every((p) => Array.isArray(p)) ? body.reduce((n: number, p: unknown[]) => n + p.length, 0) : body.length;
}

function deadLettersOf(errors: RecordError[], source: string): DeadLetterInput[] {
  const shown = errors.slice(0, MAX_DEAD_LETTERS_PER_PACK).map((e) => ({
    kind: 'telemetry' as const,
    source,
    itemRef: e.name ?? `record ${e.index}`,
    reason: `record ${e.index}: ${e.reason}`,
    excerpt: excerptOf(e.record),
  }));
  if (errors.length > MAX_DEAD_LETTERS_PER_PACK) {
    shown[shown.length - 1].reason += ` (and ${errors.length - MAX_DEAD_LETTERS_PER_PACK} more bad records in this pack)`;
  }
  return shown;
}

/** The record as JSON for the dead letter; one nested too deep to serialise (a hostile pack) is named, not shown. */
function excerptOf(record: unknown): string {
  try {
    return JSON.stringify(record) ?? '';
  } catch (error) {
    if (error instanceof RangeError) return '(a record nested too deeply to show)';
    throw error;
  }
}
