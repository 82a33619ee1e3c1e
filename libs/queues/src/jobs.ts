/**
 * Queue and job names are stable strings (never class names) so renaming code
 * never orphans queued jobs. Each job name is tied to its payload type here,
 * so producer and processor cannot disagree. Payloads carry ids and a schema
 * version, never secrets (BullMQ stores job data in clear text).
 */
export const QUEUES = {
  graph: 'graph',
  risk: 'risk',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobPayloads {
  /** The supply graph changed (import, portal edit); consumers bring derived state up to `graphVersion`. */
  'graph.changed': { v: 1; graphVersion: number; cause: 'import' | 'portal'; requestId?: string };
  /**
   * Impacts or the graph changed: bring stored exposures up to date. `seq` is the
   * request counter after this request; a run that started at a later count covers it.
   */
  'risk.propagate': { v: 1; seq: number; cause: PropagationCause; eventId?: string; requestId?: string };
}

export type PropagationCause = 'event' | 'graph' | 'survey' | 'sensor' | 'manual';
export type JobName = keyof JobPayloads;

export const JOB_QUEUE = {
  'graph.changed': QUEUES.graph,
  'risk.propagate': QUEUES.risk,
} as const satisfies { [N in JobName]: QueueName };

/** A job as a processor sees it: a discriminated union over the job names of one queue. */
export type JobOf<Q extends QueueName> = {
  [N in JobName]: (typeof JOB_QUEUE)[N] extends Q ? { name: N; data: JobPayloads[N] } : never;
}[JobName];
