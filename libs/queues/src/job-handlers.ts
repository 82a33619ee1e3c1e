import { UnrecoverableError } from 'bullmq';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { DeadLetterInput } from './dead-letters';
import { JOB_QUEUE, JobName, JobPayloads, QueueName } from './jobs';

/** The job names of one queue. */
export type JobNamesOf<Q extends QueueName> = { [N in JobName]: (typeof JOB_QUEUE)[N] extends Q ? N : never }[JobName];

/** A job as the worker takes it from Redis: its data is not trusted to match a type until its name picked the handler. */
export type QueueJob = Job<unknown, unknown, string>;

/** What a handler gets besides its data. */
export interface JobContext {
  /** The BullMQ job (attempts, options, `moveToDelayed`); its typed data is the handler's first argument. */
  readonly job: QueueJob;
  /** The lock token of this take of the job, for the job methods that need it (`moveToDelayed`). */
  readonly token: string | undefined;
  /** The worker's logger bound to queue, job id, job name and attempt (and the request id the payload carries). */
  readonly log: Logger;
  /** Writes a dead letter the way the worker writes its own: a record that cannot be written is logged and counted. */
  deadLetter(letter: DeadLetterInput): Promise<void>;
}

/** The handler of one job name: its payload typed by the name. */
export type JobHandler<N extends JobName> = (data: JobPayloads[N], ctx: JobContext) => Promise<unknown>;

/** A processor: one handler for each job name of its queue (the compiler insists on every one, and on no other). */
export type JobHandlers<Q extends QueueName> = { readonly [N in JobNamesOf<Q>]: JobHandler<N> };

/** The handler map of any one queue, as the shared worker holds it. */
export type SomeJobHandlers = Readonly<Partial<Record<string, { [N in JobName]: JobHandler<N> }[JobName]>>>;

/** A handler whose job name is only known at run time. */
type UntypedHandler = (data: unknown, ctx: JobContext) => Promise<unknown>;

/** The fields bound to every log line about one job. */
export interface JobLogBindings {
  queue: string;
  jobId: string | undefined;
  job: string;
  /** 1 for the first try. */
  attempt: number;
  /** The correlation id of the request that caused the job, when its payload carries one. */
  requestId?: string;
}

/** The log bindings of a job on its `attempt`-th try. */
export function jobLogBindings(job: { id?: string; name: string; queueName: string; data: unknown }, attempt: number): JobLogBindings {
  const bindings: JobLogBindings = { queue: job.queueName, jobId: job.id, job: job.name, attempt };
  const requestId = requestIdOf(job.data);
  if (requestId !== undefined) bindings.requestId = requestId;
  return bindings;
}

function requestIdOf(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || !('requestId' in data)) return undefined;
  return typeof data.requestId === 'string' ? data.requestId : undefined;
}

/** What dispatch needs from the worker around it. */
export interface DispatchServices {
  /** The process logger; each job gets a child of it. */
  logger: Logger;
  /** Writes a dead letter with the shared accounting (see `writeDeadLetter`), logging on `log`. */
  deadLetter(letter: DeadLetterInput, log: Logger): Promise<void>;
}

/**
 * Runs the handler of the job's name with the job's data. A name the
 * processor has no handler for can never succeed: it fails as unrecoverable,
 * so the job is dead-lettered at once instead of completing unseen.
 */
export async function dispatchJob(handlers: SomeJobHandlers, job: QueueJob, token: string | undefined, services: DispatchServices): Promise<unknown> {
  const log = services.logger.child(jobLogBindings(job, job.attemptsMade + 1));
  const handle = handlerOf(handlers, job.name);
  if (!handle) throw new UnrecoverableError(`no handler for job "${job.name}" on queue ${job.queueName}`);
  return handle(job.data, { job, token, log, deadLetter: (letter) => services.deadLetter(letter, log) });
}

function handlerOf(handlers: SomeJobHandlers, name: string): UntypedHandler | undefined {
  if (!Object.hasOwn(handlers, name)) return undefined;
  // The one place a name read from Redis meets the typed map: the name picked the handler, so the data is that name's payload.
  return handlers[name] as UntypedHandler | undefined;
}
