import type { AlertType, Exposure, ExposureNumbers } from '@tiersight/contracts';
import { ExposureContext, matchesFilters, WebhookFilters, wantsType } from './filters';

/** What a subscription was last told about one SKU (kept per subscription and SKU). */
export interface NotifiedState {
  x: number;
  days: number;
  onsetDays: number;
  revenueAtRisk: number;
}

/** How far a notified exposure must move before it is reported again. */
export interface AlertSteps {
  /** Absolute change of x. */
  x: number;
  /** Absolute change of days. */
  days: number;
  /** Change of revenue at risk in percent of the notified value. */
  revenuePct: number;
}

export interface AlertDecision {
  /** The alert this change means for the subscription, or null. */
  type: AlertType | null;
  /** Whether it is sent (the subscription may not take this type). */
  send: boolean;
  /** The state to keep afterwards: a new one, null to forget the SKU, or 'keep'. */
  next: NotifiedState | null | 'keep';
}

const NONE: AlertDecision = { type: null, send: false, next: 'keep' };

/**
 * One subscription's view of one exposure change. The subscription sees an
 * exposure while it exists and matches its filters: the first time it is
 * created; then worsened or improved only when x, days or revenue at risk
 * moved past a step since what it was last told (small drifts add up against
 * that, never against the previous run); resolved when it ends or leaves the
 * filters. Nothing for an unchanged exposure, nothing twice for one state.
 */
export function deriveAlert(
  filters: WebhookFilters,
  after: Exposure | null,
  afterContext: ExposureContext | null,
  notified: NotifiedState | null,
  steps: AlertSteps,
): AlertDecision {
  const matched = after !== null && afterContext !== null && matchesFilters(filters, after, afterContext);
  let type: AlertType;
  let next: AlertDecision['next'];
  if (matched && !notified) {
    type = 'exposure.created';
    next = stateOf(after);
  } else if (matched && notified) {
    const move = compare(notified, after, steps);
    if (move === 0) return NONE;
    type = move > 0 ? 'exposure.worsened' : 'exposure.improved';
    next = stateOf(after);
  } else if (!matched && notified) {
    type = 'exposure.resolved';
    next = null;
  } else {
    return NONE;
  }
  return { type, send: wantsType(filters, type), next };
}

/** +1 worse past a step (on any of x, days, revenue), −1 better past a step and worse on none, 0 otherwise. */
export function compare(notified: NotifiedState, now: ExposureNumbers, steps: AlertSteps): -1 | 0 | 1 {
  const eps = 1e-9;
  const revenueStep = (Math.abs(notified.revenueAtRisk) * steps.revenuePct) / 100;
  const up =
    now.x - notified.x > steps.x + eps || now.days - notified.days > steps.days + eps || now.revenueAtRisk - notified.revenueAtRisk > revenueStep + eps;
  if (up) return 1;
  const down =
    notified.x - now.x > steps.x + eps || notified.days - now.days > steps.days + eps || notified.revenueAtRisk - now.revenueAtRisk > revenueStep + eps;
  return down ? -1 : 0;
}

export function stateOf(e: ExposureNumbers): NotifiedState {
  return { x: e.x, days: e.days, onsetDays: e.onsetDays, revenueAtRisk: e.revenueAtRisk };
}

/** Facts about the graph the payload names: the SKU, the events behind the exposure. */
export interface PayloadFacts {
  sku: { id: string; name: string | null; category: string | null };
  events: Array<{ id: string; type: string | null; title: string | null; status: string | null; forecast?: unknown }>;
}

export interface AlertPayload {
  type: AlertType;
  timestamp: string;
  data: Record<string, unknown>;
}

/**
 * The Standard Webhooks payload `{ type, timestamp, data }`: `data` is the
 * exposure as the API shows it (x, days, onset, revenue at risk, events,
 * critical path, confidence) with the SKU, what the subscription was told
 * before and links to the API. A resolved exposure shows zeros, or its
 * current numbers when it still exists but left the subscription's filters.
 */
export function buildPayload(input: {
  type: AlertType;
  occurredAt: Date;
  skuId: string;
  after: Exposure | null;
  previous: NotifiedState | null;
  facts: PayloadFacts;
  apiBaseUrl: string;
}): AlertPayload {
  const { after, skuId } = input;
  const base = input.apiBaseUrl.replace(/\/+$/, '');
  const sku = encodeURIComponent(skuId);
  const exposure = after
    ? {
        x: after.x,
        days: after.days,
        onsetDays: after.onsetDays,
        revenueAtRisk: after.revenueAtRisk,
        eventIds: after.eventIds,
        criticalPath: after.criticalPath,
        confidence: after.confidence ?? null,
      }
    : { x: 0, days: 0, onsetDays: null, revenueAtRisk: 0, eventIds: [], criticalPath: [], confidence: null };
  const data: Record<string, unknown> = {
    skuId,
    status: after ? 'exposed' : 'resolved',
    ...exposure,
    sku: input.facts.sku,
    events: input.facts.events,
    previous: input.previous,
    links: {
      exposure: `${base}/v1/exposures/${sku}`,
      sku: `${base}/v1/skus/${sku}`,
      upstream: `${base}/v1/skus/${sku}/upstream`,
      events: input.facts.events.map((e) => `${base}/v1/events/${encodeURIComponent(e.id)}`),
    },
  };
  if (input.type === 'exposure.resolved') data.reason = after ? 'outside-filters' : 'not-exposed';
  return { type: input.type, timestamp: input.occurredAt.toISOString(), data };
}
