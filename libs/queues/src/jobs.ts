import type { DisruptionEvent } from '@tiersight/graph';

/**
 * Queue and job names are stable strings (never class names) so renaming code
 * never orphans queued jobs. Each job name is tied to its payload type here,
 * so producer and processor cannot disagree. Payloads carry ids, a schema
 * version and public data, never secrets (BullMQ stores job data in clear text).
 */
export const QUEUES = {
  graph: 'graph',
  risk: 'risk',
  /** Scheduled pulls of the configured disruption feeds. */
  feeds: 'feeds',
  /** Event upserts and closes from feeds, then geo-matching against the sites. */
  events: 'events',
  /** SenML packs from HTTP and MQTT, evaluated against the sensor rules. */
  telemetry: 'telemetry',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** A normalised event as it travels in a job (the geometry in its parsed form). */
export type EventPayload = DisruptionEvent & { expiresAt?: string; sourceUrl?: string };

export interface JobPayloads {
  /** The supply graph changed (import, portal edit); consumers bring derived state up to `graphVersion`. */
  'graph.changed': { v: 1; graphVersion: number; cause: 'import' | 'portal'; requestId?: string };
  /**
   * Impacts or the graph changed: bring stored exposures up to date. `seq` is the
   * request counter after this request; a run that started at a later count covers it.
   */
  'risk.propagate': { v: 1; seq: number; cause: PropagationCause; eventId?: string; requestId?: string };
  /** Fetch one configured feed, parse it and hand its items to the events queue. */
  'feed.pull': { v: 1; sourceId: string };
  /** Create or update one event in place (idempotent by event id and content). */
  'event.upsert': { v: 1; sourceId: string; event: EventPayload };
  /** Close one event (cancelled, expired or gone from its feed). */
  'event.close': { v: 1; sourceId: string; eventId: string; reason: string };
  /** Match one event's area against the sites and write its HITS edges. */
  'event.match': { v: 1; eventId: string };
  /** One batch of readings: SenML records already resolved to absolute names and times. */
  'telemetry.readings': { v: 1; batchId: string; origin: 'http' | 'mqtt'; records: unknown[] };
}

export type PropagationCause = 'event' | 'graph' | 'survey' | 'sensor' | 'manual';
export type JobName = keyof JobPayloads;

export const JOB_QUEUE = {
  'graph.changed': QUEUES.graph,
  'risk.propagate': QUEUES.risk,
  'feed.pull': QUEUES.feeds,
  'event.upsert': QUEUES.events,
  'event.close': QUEUES.events,
  'event.match': QUEUES.events,
  'telemetry.readings': QUEUES.telemetry,
} as const satisfies { [N in JobName]: QueueName };

/** A job as a processor sees it: a discriminated union over the job names of one queue. */
export type JobOf<Q extends QueueName> = {
  [N in JobName]: (typeof JOB_QUEUE)[N] extends Q ? { name: N; data: JobPayloads[N] } : never;
}[JobName];
