import { CodedError, type FieldError } from '@tiersight/contracts';

/** Why a subscription or delivery request was refused; the API maps each code to its problem type. */
export enum WebhookErrorCode {
  SubscriptionNotFound = 'WEBHOOK_SUBSCRIPTION_NOT_FOUND',
  /** No such delivery, or one older than the retention. */
  DeliveryNotFound = 'WEBHOOK_DELIVERY_NOT_FOUND',
  /** A replay of a delivery that is still pending or retrying. */
  DeliveryInFlight = 'WEBHOOK_DELIVERY_IN_FLIGHT',
  /** A replay to a paused subscription. */
  SubscriptionPaused = 'WEBHOOK_SUBSCRIPTION_PAUSED',
  /** The URL is malformed or resolves to an address the target policy refuses. */
  UrlRefused = 'WEBHOOK_URL_REFUSED',
}

export class WebhookError extends CodedError<WebhookErrorCode, { errors?: FieldError[] }> {}
