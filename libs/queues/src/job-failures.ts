import type { Logger } from 'pino';
import { DeadLetterInput, FailedJob, isFinalFailure, jobDeadLetter } from './dead-letters';
import { jobLogBindings } from './job-handlers';

/** Where dead letters go and how they are counted: DeadLetters and the process metrics in the worker. */
export interface DeadLetterAccounting {
  sink: { add(...records: DeadLetterInput[]): Promise<void> };
  /** Records written, by kind (`tiersight_dead_letters_total`). */
  written: { inc(labels: { kind: string }): void };
  /** Records that could not be written, by queue (`tiersight_dead_letter_write_failures_total`). */
  writeFailures: { inc(labels: { queue: string }): void };
}

/**
 * Writes one dead letter. When it cannot be written (Redis away) the record
 * is logged at error level, without its excerpt, and counted; the caller goes
 * on, as the job's own outcome does not depend on it. Resolves to whether the
 * record was written.
 */
export async function writeDeadLetter(queue: string, letter: DeadLetterInput, log: Logger, accounting: DeadLetterAccounting): Promise<boolean> {
  try {
    await accounting.sink.add(letter);
  } catch (error) {
    accounting.writeFailures.inc({ queue });
    const { kind, source, itemRef, reason } = letter;
    log.error({ err: error, deadLetter: { kind, source, itemRef, reason } }, 'dead letter could not be written');
    return false;
  }
  accounting.written.inc({ kind: letter.kind });
  return true;
}

export type FailureLogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface FailureServices {
  logger: Logger;
  /** Level of the line logged for each failed try. */
  level: FailureLogLevel;
  deadLetters: DeadLetterAccounting;
}

/**
 * What the worker does when a try of a job fails: one log line bound like the
 * job's own lines, and a dead letter when BullMQ will not try the job again
 * (retries spent or unrecoverable). Never rejects.
 */
export async function handleJobFailure(job: FailedJob | undefined, error: Error, services: FailureServices): Promise<void> {
  if (!job) {
    services.logger[services.level]({ err: error }, 'job failed');
    return;
  }
  const final = isFinalFailure(job, error);
  // BullMQ has counted the failed try by now: attemptsMade is its number.
  const log = services.logger.child(jobLogBindings(job, job.attemptsMade));
  log[services.level]({ err: error, final }, final ? 'job failed for good' : 'job failed; it will be tried again');
  if (final) await writeDeadLetter(job.queueName, jobDeadLetter(job, error), log, services.deadLetters);
}
