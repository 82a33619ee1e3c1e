import type { IncomingEvent, TelemetryRecord } from '@tiersight/contracts';

export type { TelemetryRecord } from '@tiersight/contracts';

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
  /** Signed webhook deliveries: first tries in batches per subscription, retries and replays one job per (subscription, alert). */
  webhooks: 'webhooks',
  /** EPCIS 2.0 capture documents (DESIGN §11), one job per capture, written all or nothing; then the lots they flag. */
  epcis: 'epcis',
  /** Twin runs (DESIGN §9): Monte Carlo over the risk engine, one job per run. */
  twin: 'twin',
  /** Supplier lists uploaded for onboarding: one review job per list (placing, duplicates), nothing written to the graph. */
  onboarding: 'onboarding',
  /** Backtests (DESIGN §10): past events replayed against today's network and subscriptions, one job per backtest, nothing written but its report. */
  backtests: 'backtests',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** A normalised event as it travels in a job (the geometry in its parsed form). */
export type EventPayload = IncomingEvent;

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
  /** Periodic: close the events whose issuer-given expiry has passed. */
  'events.expire': { v: 1 };
  /** One batch of readings: SenML records already resolved to absolute names and times (seconds). */
  'telemetry.readings': { v: 1; batchId: string; origin: 'http' | 'mqtt'; records: TelemetryRecord[]; requestId?: string };
  /** Periodic: raise the no-reading rules of sensors that fell silent. */
  'telemetry.silence-check': { v: 1 };
  /**
   * POST one alert to one subscription. The body lives in the delivery record
   * (Redis) and the secret in the subscription (Neo4j), never in the job.
   * `deliveryId` is the alert's stable webhook-id; a replay reuses it.
   * `firstTry` is the number of this job's first try (1 unless a batch made earlier ones).
   */
  'webhook.deliver': { v: 1; deliveryId: string; subscriptionId: string; replay?: number; firstTry?: number };
  /**
   * The first try of several new alerts to one subscription, one after the
   * other; whatever needs another try (or found the endpoint busy) goes on
   * as its own `webhook.deliver` job, so retries stay one delivery each.
   */
  'webhook.deliver-batch': { v: 1; subscriptionId: string; deliveryIds: string[] };
  /** Write one accepted EPCIS capture (its document waits in Neo4j under the capture id, never in the job). */
  'epcis.capture': { v: 1; captureId: string; requestId?: string };
  /**
   * Flag the lots a cause reaches (DESIGN §11), then alert on the new flags: the lots a capture stored
   * against the events and sensor excursions covering them, and their own readings against the sensor
   * rules; or the lots observed at the sites of events (disruptions, excursions) whose hits were written.
   */
  'lots.flag': { v: 1; by: 'capture'; captureId: string; requestId?: string } | { v: 1; by: 'events'; eventIds: string[]; requestId?: string };
  /** Run one stored twin run (its request, seed and status live in Redis under the run id). */
  'twin.run': { v: 1; runId: string; requestId?: string };
  /** Review one uploaded supplier list (its rows and status live in Redis under the list id). */
  'onboarding.review': { v: 1; listId: string; requestId?: string };
  /** Run one stored backtest (its range, parsed events and subscriptions live in Redis under the backtest id). */
  'backtest.run': { v: 1; backtestId: string; requestId?: string };
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
  'events.expire': QUEUES.events,
  'telemetry.readings': QUEUES.telemetry,
  'telemetry.silence-check': QUEUES.telemetry,
  'webhook.deliver': QUEUES.webhooks,
  'webhook.deliver-batch': QUEUES.webhooks,
  'epcis.capture': QUEUES.epcis,
  'lots.flag': QUEUES.epcis,
  'twin.run': QUEUES.twin,
  'onboarding.review': QUEUES.onboarding,
  'backtest.run': QUEUES.backtests,
} as const satisfies { [N in JobName]: QueueName };
