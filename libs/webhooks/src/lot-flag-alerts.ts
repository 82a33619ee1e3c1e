import type { LotFlagAlert } from '@tiersight/contracts';
import type { AlertPayload, PayloadFacts } from './alerts';
import type { WebhookFilters } from './filters';

/** What the graph adds to a flagged lot for the filters: the SKUs of its recall scope with their categories, the countries of its site. */
export interface LotFlagContext {
  skuIds: string[];
  categories: string[];
  eventTypes: string[];
  countries: string[];
}

/**
 * True when the subscription wants this flagged lot (the alert type aside).
 * `skuIds` and `categories` look at the SKUs the lot went into (its recall
 * scope), `eventTypes` at the cause (`sensor` for excursions and readings),
 * `supplierCountries` at the site it was flagged at. The exposure numbers
 * (`minRevenueAtRisk`, `minX`) say nothing about a lot and are not read.
 */
export function matchesLotFlag(filters: WebhookFilters, context: LotFlagContext): boolean {
  const bySku = filters.skuIds?.length ? context.skuIds.some((id) => filters.skuIds!.includes(id)) : undefined;
  const byCategory = filters.categories?.length ? context.categories.some((c) => filters.categories!.includes(c)) : undefined;
  if ((bySku !== undefined || byCategory !== undefined) && !(bySku || byCategory)) return false;
  if (filters.eventTypes?.length && !context.eventTypes.some((t) => filters.eventTypes!.includes(t))) return false;
  if (filters.supplierCountries?.length && !context.countries.some((c) => filters.supplierCountries!.includes(c))) return false;
  return true;
}

/** The change a lot.flagged alert reports: one per (lot, cause), so its webhook-id is stable per subscription. */
export const lotFlagChangeId = (alert: LotFlagAlert) => `lot.flagged\u0000${alert.flag.lotId}\u0000${alert.flag.cause.id}`;

/**
 * The Standard Webhooks payload of a lot.flagged alert: the lot, why it was
 * flagged (the cause, the site, the window, the EPCIS event that put it
 * there), its recall scope (the SKUs and lots it went into) and links to the API.
 */
export function buildLotFlagPayload(input: {
  alert: LotFlagAlert;
  occurredAt: Date;
  event: PayloadFacts['events'][number] | null;
  skuNames: ReadonlyMap<string, { name: string | null; category: string | null }>;
  apiBaseUrl: string;
}): AlertPayload {
  const { flag, lot, recall } = input.alert;
  const base = input.apiBaseUrl.replace(/\/+$/, '');
  const data: Record<string, unknown> = {
    lotId: flag.lotId,
    lot,
    cause: flag.cause,
    siteId: flag.siteId,
    window: flag.window,
    observedAt: flag.observedAt,
    epcisEventHash: flag.epcisEventHash,
    flaggedAt: flag.flaggedAt,
    event: input.event,
    recall: {
      ...recall,
      skus: recall.skus.map((s) => ({ ...s, category: input.skuNames.get(s.skuId)?.category ?? null })),
    },
    links: {
      flagged: `${base}/v1/trace/flagged?causeId=${encodeURIComponent(flag.cause.id)}`,
      trace: `${base}/v1/trace/${encodeURIComponent(flag.lotId)}?direction=forward`,
      event: `${base}/v1/epcis/events/${encodeURIComponent(flag.epcisEventHash)}`,
      cause: flag.cause.kind === 'reading' ? null : `${base}/v1/events/${encodeURIComponent(flag.cause.id)}`,
      skus: recall.skus.map((s) => `${base}/v1/exposures/${encodeURIComponent(s.skuId)}/flagged-lots`),
    },
  };
  return { type: 'lot.flagged', timestamp: input.occurredAt.toISOString(), data };
}
