export { WebhooksModule } from './webhooks.module';
export { WebhookError, WebhookErrorCode } from './webhooks.error';
export { generateSecret, signV1, webhookHeaders } from './signing';
export { deliveryJobOptions, RetryableDeliveryError, WEBHOOK_BACKOFF } from './delivery-jobs';
export type { DeliveryView } from './delivery-store';
export { SubscriptionsService } from './subscriptions.service';
export { AlertFanout } from './alert-fanout.service';
export { LotFlagFanout } from './lot-flag-fanout.service';
export type { LotFlagFanoutOutcome } from './lot-flag-fanout.service';
export { ChangeStreamConsumer } from './change-stream.consumer';
export { DeliveryService } from './delivery.service';
// The live alert rules, for backtests that must decide as the fan-out does.
export { deriveAlert, type AlertSteps, type NotifiedState } from './alerts';
export { deriveOutlookAlert } from './outlook-alerts';
export type { ExposureContext, WebhookFilters } from './filters';
