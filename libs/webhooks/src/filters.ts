import type { AlertType, ExposureNumbers } from '@tiersight/contracts';

/**
 * What a subscription wants to hear about. Every field is optional; an empty
 * filter matches every exposure. Within a list any entry matches; across
 * fields all must match, except `skuIds` and `categories`, either of which
 * admits a SKU when both are given.
 */
export interface WebhookFilters {
  /** Exposures with at least this revenue at risk. */
  minRevenueAtRisk?: number;
  /** Exposures with at least this peak loss x (0..1). */
  minX?: number;
  skuIds?: string[];
  /** SKU categories. */
  categories?: string[];
  /** Alert types to send (all when absent). */
  alertTypes?: AlertType[];
  /** Disruption event types behind the exposure (`earthquake`, `storm`, …). */
  eventTypes?: string[];
  /** ISO 3166-1 alpha-2 countries of the sites on the critical path or of their suppliers. */
  supplierCountries?: string[];
}

/** What the graph adds to an exposure for the filters: its SKU's category, its events' types, the countries on its path. */
export interface ExposureContext {
  category: string | null;
  eventTypes: string[];
  countries: string[];
}

/** True when the exposure is one the subscription wants (the alert type aside). */
export function matchesFilters(filters: WebhookFilters, exposure: ExposureNumbers, context: ExposureContext): boolean {
  if (filters.minRevenueAtRisk !== undefined && !(exposure.revenueAtRisk >= filters.minRevenueAtRisk)) return false;
  if (filters.minX !== undefined && !(exposure.x >= filters.minX)) return false;
  const bySku = filters.skuIds?.length ? asSet(filters.skuIds).has(exposure.skuId) : undefined;
  const byCategory = filters.categories?.length ? context.category !== null && filters.categories.includes(context.category) : undefined;
  if (bySku !== undefined || byCategory !== undefined) {
    if (!(bySku || byCategory)) return false;
  }
  if (filters.eventTypes?.length && !context.eventTypes.some((t) => filters.eventTypes!.includes(t))) return false;
  if (filters.supplierCountries?.length && !context.countries.some((c) => filters.supplierCountries!.includes(c))) return false;
  return true;
}

const sets = new WeakMap<string[], Set<string>>();
/** Long SKU lists are looked up through a set built once per list. */
function asSet(list: string[]): Set<string> {
  let set = sets.get(list);
  if (!set) sets.set(list, (set = new Set(list)));
  return set;
}

/** True when the subscription takes alerts of this type. */
export function wantsType(filters: WebhookFilters, type: AlertType): boolean {
  return !filters.alertTypes?.length || filters.alertTypes.includes(type);
}

/** Drops empty lists and duplicate entries so stored filters compare and print cleanly. */
export function normalizeFilters(filters: WebhookFilters | undefined): WebhookFilters {
  const out: WebhookFilters = {};
  if (!filters) return out;
  if (filters.minRevenueAtRisk !== undefined && filters.minRevenueAtRisk !== null) out.minRevenueAtRisk = filters.minRevenueAtRisk;
  if (filters.minX !== undefined && filters.minX !== null) out.minX = filters.minX;
  const list = <T extends string>(v: T[] | undefined) => (v && v.length ? [...new Set(v)] : undefined);
  const skuIds = list(filters.skuIds);
  const categories = list(filters.categories);
  const alertTypes = list(filters.alertTypes);
  const eventTypes = list(filters.eventTypes);
  const supplierCountries = list(filters.supplierCountries);
  if (skuIds) out.skuIds = skuIds;
  if (categories) out.categories = categories;
  if (alertTypes) out.alertTypes = alertTypes;
  if (eventTypes) out.eventTypes = eventTypes;
  if (supplierCountries) out.supplierCountries = supplierCountries;
  return out;
}
