import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** One Prometheus registry per process, with default process metrics and the platform's own. */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequestDuration = new Histogram({
    name: 'tiersight_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly importedRows = new Counter({
    name: 'tiersight_import_rows_total',
    help: 'Rows accepted by the bulk import, by entity',
    labelNames: ['entity'] as const,
    registers: [this.registry],
  });

  readonly rejectedImports = new Counter({
    name: 'tiersight_import_rejected_total',
    help: 'Import requests rejected by validation',
    registers: [this.registry],
  });

  readonly jobsProcessed = new Counter({
    name: 'tiersight_jobs_processed_total',
    help: 'Jobs processed by the worker, by queue, job name and outcome',
    labelNames: ['queue', 'name', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly feedItems = new Counter({
    name: 'tiersight_feed_items_total',
    help: 'Items read from disruption feeds, by source',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  readonly deadLetters = new Counter({
    name: 'tiersight_dead_letters_total',
    help: 'Dead-letter records written, by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly deadLetterWriteFailures = new Counter({
    name: 'tiersight_dead_letter_write_failures_total',
    help: 'Dead-letter records that could not be written (and are only in the error log), by queue',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: 'tiersight_webhook_deliveries_total',
    help: 'Webhook delivery tries by outcome (delivered, retrying, failed, not-sent, busy)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly webhookRequestDuration = new Histogram({
    name: 'tiersight_webhook_request_duration_seconds',
    help: 'Webhook POST duration (connection to the end of the answer), by outcome',
    labelNames: ['outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly webhookDeliveryLag = new Histogram({
    name: 'tiersight_webhook_delivery_lag_seconds',
    help: 'Webhook alerts from created to delivered',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600, 86400],
    registers: [this.registry],
  });

  constructor(serviceName: string) {
    this.registry.setDefaultLabels({ service: serviceName });
    collectDefaultMetrics({ register: this.registry });
  }
}
