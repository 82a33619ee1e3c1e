import type { AlertType, OutlookChangeMessage } from '@tiersight/contracts';
import { type AlertDecision, type AlertPayload, type AlertSteps, compare, type NotifiedState, type PayloadFacts, stateOf } from './alerts';
import { type ExposureContext, matchesFilters, type WebhookFilters, wantsType } from './filters';

/**
 * Where a subscription's notified outlook of a SKU is kept, beside its
 * notified exposures in the same hash: '#' never occurs in an id, so the two
 * never meet.
 */
export const outlookKey = (skuId: string) => `#outlook:${skuId}`;

const NONE: AlertDecision = { type: null, send: false, next: 'keep' };

/**
 * One subscription's view of one outlook change (DESIGN §10). An outlook that
 * matches the filters is announced (`exposure.anticipated`) when the
 * subscription was told none, or when it worsened past a step since what it
 * was told; when it goes away without becoming observed, a subscription that
 * was told it hears `exposure.anticipation_cleared`. When it came true, the
 * observed alerts say so: the outlook is forgotten without an alert.
 */
export function deriveOutlookAlert(
  filters: WebhookFilters,
  change: OutlookChangeMessage,
  context: ExposureContext | null,
  notified: NotifiedState | null,
  steps: AlertSteps,
): AlertDecision {
  if (change.kind === 'anticipated') {
    if (!change.after || !context || !matchesFilters(filters, change.after, context)) return NONE;
    if (notified && compare(notified, change.after, steps) <= 0) return NONE;
    const type: AlertType = 'exposure.anticipated';
    return { type, send: wantsType(filters, type), next: stateOf(change.after) };
  }
  if (!notified) return NONE;
  if (change.kind === 'anticipation_realized') return { type: null, send: false, next: null };
  const type: AlertType = 'exposure.anticipation_cleared';
  return { type, send: wantsType(filters, type), next: null };
}

/**
 * The Standard Webhooks payload of an outlook alert: the outlook's numbers
 * (for a cleared one, those of the outlook that went away), its probability,
 * the anticipated events behind it with theirs (the why), the SKU's observed
 * exposure now, what the subscription was told before and links to the API.
 */
export function buildOutlookPayload(input: {
  type: AlertType;
  occurredAt: Date;
  change: OutlookChangeMessage;
  previous: NotifiedState | null;
  facts: PayloadFacts;
  apiBaseUrl: string;
}): AlertPayload {
  const { change } = input;
  const shown = change.after ?? change.before;
  const base = input.apiBaseUrl.replace(/\/+$/, '');
  const sku = encodeURIComponent(change.skuId);
  const pOf = new Map((shown?.events ?? []).map((e) => [e.eventId, e.p]));
  const observed = change.observed;
  const data: Record<string, unknown> = {
    skuId: change.skuId,
    status: change.kind === 'anticipated' ? 'anticipated' : 'cleared',
    x: shown?.x ?? 0,
    days: shown?.days ?? 0,
    onsetDays: shown?.onsetDays ?? null,
    revenueAtRisk: shown?.revenueAtRisk ?? 0,
    p: shown?.p ?? null,
    joint: shown?.joint ?? false,
    events: input.facts.events.map((e) => ({ ...e, p: pOf.get(e.id) ?? null })),
    observed: observed
      ? { x: observed.x, days: observed.days, onsetDays: observed.onsetDays, revenueAtRisk: observed.revenueAtRisk, eventIds: observed.eventIds }
      : null,
    sku: input.facts.sku,
    previous: input.previous,
    links: {
      exposure: `${base}/v1/exposures/${sku}`,
      outlooks: `${base}/v1/exposures?outlook=true`,
      sku: `${base}/v1/skus/${sku}`,
      events: input.facts.events.map((e) => `${base}/v1/events/${encodeURIComponent(e.id)}`),
    },
  };
  return { type: input.type, timestamp: input.occurredAt.toISOString(), data };
}
