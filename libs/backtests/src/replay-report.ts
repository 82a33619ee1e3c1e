import { ALERT_TYPES, type AlertType } from '@tiersight/contracts';
import { compareIds } from '@tiersight/risk-engine';

const DAY_MS = 86_400_000;

/** Alert types that warn of a shortage: the ones a lead time is measured for. */
const WARNINGS: ReadonlySet<AlertType> = new Set<AlertType>(['exposure.created', 'exposure.worsened', 'exposure.anticipated']);

/**
 * `observed`: an exposure alert (created, worsened, improved, resolved), sent
 * with anticipation on and off alike. `anticipated`: an outlook alert
 * (anticipated, anticipation_cleared, DESIGN §10), sent only with anticipation on.
 */
export type AlertBasis = 'observed' | 'anticipated';

/** An alert as the replay records it (times in ms), before the report links it to a shortage. */
export interface RawAlert {
  at: number;
  type: AlertType;
  subscriptionId: string;
  skuId: string;
  basis: AlertBasis;
  x: number;
  days: number;
  onsetDays: number;
  revenueAtRisk: number;
  p: number | null;
  eventIds: string[];
  /** The SKU's observed shortage open when the alert went out (after that instant's changes), if any. */
  openShortage: Shortage | null;
}

/** One observed shortage of a SKU, from its exposure's appearance to its resolution (times in ms). */
export interface Shortage {
  skuId: string;
  startedAt: number;
  /** When the shortage reaches the SKU: the earliest instant + onsetDays over the episode. */
  reachesAt: number;
  endedAt: number | null;
  eventIds: Set<string>;
}

/** An event stretch the replay ran, with how many of today's sites it hits (observed) and may hit (anticipated). */
export interface ReplayedEvent {
  id: string;
  type: string;
  title: string;
  startsAt: string;
  endsAt: string | null;
  sites: number;
  anticipatedSites: number;
}

export interface BacktestAlert {
  at: string;
  type: AlertType;
  basis: AlertBasis;
  subscriptionId: string;
  skuId: string;
  /** The exposure's numbers (an outlook alert: the outlook's; a resolved or cleared one: those it had before). */
  x: number;
  days: number;
  onsetDays: number;
  revenueAtRisk: number;
  /** An outlook alert's probability; null for the others. */
  p: number | null;
  eventIds: string[];
  /** For a warning (created, worsened, anticipated): when the shortage it warns of reaches the SKU; else null, as when no shortage came. */
  reachesAt: string | null;
  /** `reachesAt` − `at`, in days (negative: the alert came after the shortage reached the SKU). */
  leadDays: number | null;
  /** An `exposure.anticipated` alert: `realized` (an observed shortage followed), `cleared` (cleared first), `pending` (neither by `to`); null for the others. */
  outcome: 'realized' | 'cleared' | 'pending' | null;
}

export interface LeadStats {
  mean: number | null;
  median: number | null;
  min: number | null;
  max: number | null;
}

/** A shortage's first warning in one mode: its time and lead, or nulls when no subscription was warned. */
export interface ShortageWarning {
  warnedAt: string | null;
  leadDays: number | null;
}

export interface BacktestShortage {
  skuId: string;
  startedAt: string;
  reachesAt: string;
  endedAt: string | null;
  eventIds: string[];
  off: ShortageWarning;
  on: ShortageWarning;
}

export interface ModeTotals {
  alerts: number;
  byType: Record<AlertType, number>;
  skusAlerted: number;
  shortages: number;
  /** Shortages some subscription was warned of (created, worsened or anticipated). */
  shortagesWarned: number;
  /** … of which the first warning came before the shortage reached the SKU (lead > 0). */
  shortagesWarnedAhead: number;
  /** Over the warned shortages: the lead of their first warning. */
  leadDays: LeadStats;
}

export interface SkuMode {
  alerts: number;
  firstAlertAt: string | null;
  /** The first warning of the SKU's first shortage, and its lead. */
  warnedAt: string | null;
  leadDays: number | null;
}

export interface BacktestSkuRow {
  skuId: string;
  shortages: number;
  /** When the SKU's first shortage reached it. */
  firstShortageAt: string | null;
  off: SkuMode;
  on: SkuMode;
  /** How many days earlier anticipation warned of the first shortage (on − off lead), when both warned. */
  gainDays: number | null;
}

export interface SubscriptionMode {
  alerts: number;
  byType: Record<AlertType, number>;
  shortagesWarned: number;
  leadDays: LeadStats;
}

export interface BacktestSubscriptionRow {
  subscriptionId: string;
  off: SubscriptionMode;
  on: SubscriptionMode;
}

/** Alerts that went out on one UTC day, with anticipation off and on. */
export interface BacktestDay {
  day: string;
  off: number;
  on: number;
}

export interface BacktestReport {
  from: string;
  to: string;
  /** Times at which the set of active events changed (each a risk run). */
  instants: number;
  subscriptions: string[];
  events: ReplayedEvent[];
  totals: { off: ModeTotals; on: ModeTotals };
  days: BacktestDay[];
  skus: BacktestSkuRow[];
  bySubscription: BacktestSubscriptionRow[];
  shortages: BacktestShortage[];
  alerts: BacktestAlert[];
}

type Mode = 'off' | 'on';
const inMode = (mode: Mode, a: { basis: AlertBasis }) => mode === 'on' || a.basis === 'observed';

interface Linked {
  raw: RawAlert;
  shortage: Shortage | null;
  outcome: BacktestAlert['outcome'];
}

/** The report from what the replay recorded: alerts linked to the shortages they warn of, then figures per SKU, subscription, day and in total. */
export function buildReport(input: {
  from: string;
  to: string;
  instants: number;
  events: ReplayedEvent[];
  subscriptionIds: string[];
  alerts: RawAlert[];
  shortages: Shortage[];
}): BacktestReport {
  const raw = [...input.alerts].sort(byAlertOrder);
  const shortages = [...input.shortages].sort((a, b) => compareIds(a.skuId, b.skuId) || a.startedAt - b.startedAt);
  const linked = link(raw, shortages);

  const warningsOf = groupBy(
    linked.filter((l) => l.shortage !== null && WARNINGS.has(l.raw.type)),
    (l) => l.shortage!,
  );
  const firstWarning = (mode: Mode, s: Shortage, subscriptionId?: string): Linked | null =>
    (warningsOf.get(s) ?? []).find((l) => inMode(mode, l.raw) && (!subscriptionId || l.raw.subscriptionId === subscriptionId)) ?? null;
  const warningOf = (mode: Mode, s: Shortage): ShortageWarning => {
    const w = firstWarning(mode, s);
    return w ? { warnedAt: iso(w.raw.at), leadDays: lead(s, w.raw.at) } : { warnedAt: null, leadDays: null };
  };

  const reportShortages: BacktestShortage[] = shortages.map((s) => ({
    skuId: s.skuId,
    startedAt: iso(s.startedAt),
    reachesAt: iso(s.reachesAt),
    endedAt: s.endedAt === null ? null : iso(s.endedAt),
    eventIds: [...s.eventIds].sort(compareIds),
    off: warningOf('off', s),
    on: warningOf('on', s),
  }));

  const modeTotals = (mode: Mode): ModeTotals => {
    const alerts = linked.filter((l) => inMode(mode, l.raw));
    const leads = reportShortages.map((s) => s[mode].leadDays).filter((d): d is number => d !== null);
    return {
      alerts: alerts.length,
      byType: countByType(alerts.map((l) => l.raw.type)),
      skusAlerted: new Set(alerts.map((l) => l.raw.skuId)).size,
      shortages: shortages.length,
      shortagesWarned: leads.length,
      shortagesWarnedAhead: leads.filter((d) => d > 0).length,
      leadDays: stats(leads),
    };
  };

  const shortagesOf = groupBy(shortages, (s) => s.skuId);
  const alertsOf = groupBy(linked, (l) => l.raw.skuId);
  const skuIds = [...new Set([...shortagesOf.keys(), ...alertsOf.keys()])].sort(compareIds);
  const skus: BacktestSkuRow[] = skuIds.map((skuId) => {
    const first = shortagesOf.get(skuId)?.[0] ?? null;
    const mode = (m: Mode): SkuMode => {
      const alerts = (alertsOf.get(skuId) ?? []).filter((l) => inMode(m, l.raw));
      const w = first ? firstWarning(m, first) : null;
      return {
        alerts: alerts.length,
        firstAlertAt: alerts.length ? iso(alerts[0].raw.at) : null,
        warnedAt: w ? iso(w.raw.at) : null,
        leadDays: w && first ? lead(first, w.raw.at) : null,
      };
    };
    const off = mode('off');
    const on = mode('on');
    return {
      skuId,
      shortages: shortagesOf.get(skuId)?.length ?? 0,
      firstShortageAt: first ? iso(first.reachesAt) : null,
      off,
      on,
      gainDays: off.leadDays !== null && on.leadDays !== null ? round(on.leadDays - off.leadDays) : null,
    };
  });

  const bySub = groupBy(linked, (l) => l.raw.subscriptionId);
  const bySubscription: BacktestSubscriptionRow[] = [...input.subscriptionIds].sort(compareIds).map((subscriptionId) => {
    const mode = (m: Mode): SubscriptionMode => {
      const alerts = (bySub.get(subscriptionId) ?? []).filter((l) => inMode(m, l.raw));
      const leads = shortages
        .map((s) => firstWarning(m, s, subscriptionId))
        .filter((w): w is Linked => w !== null)
        .map((w) => lead(w.shortage!, w.raw.at));
      return { alerts: alerts.length, byType: countByType(alerts.map((l) => l.raw.type)), shortagesWarned: leads.length, leadDays: stats(leads) };
    };
    return { subscriptionId, off: mode('off'), on: mode('on') };
  });

  return {
    from: input.from,
    to: input.to,
    instants: input.instants,
    subscriptions: [...input.subscriptionIds].sort(compareIds),
    events: [...input.events].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt) || compareIds(a.id, b.id)),
    totals: { off: modeTotals('off'), on: modeTotals('on') },
    days: perDay(input.from, input.to, linked),
    skus,
    bySubscription,
    shortages: reportShortages,
    alerts: linked.map(toAlert),
  };
}

/**
 * Links each warning to the shortage it warns of. A created or worsened alert
 * warns of the shortage open when it goes out. An anticipated alert warns of
 * the shortage open then or, failing one, of the SKU's next shortage, unless
 * the subscription heard the anticipation cleared before that shortage began.
 */
function link(alerts: RawAlert[], shortages: Shortage[]): Linked[] {
  const shortagesOf = groupBy(shortages, (s) => s.skuId);
  const clearances = groupBy(
    alerts.filter((a) => a.type === 'exposure.anticipation_cleared'),
    (a) => `${a.subscriptionId}\u0000${a.skuId}`,
  );
  return alerts.map((raw) => {
    if (!WARNINGS.has(raw.type)) return { raw, shortage: null, outcome: null };
    if (raw.type !== 'exposure.anticipated') return { raw, shortage: raw.openShortage, outcome: null };
    if (raw.openShortage) return { raw, shortage: raw.openShortage, outcome: 'realized' };
    const next = shortagesOf.get(raw.skuId)?.find((s) => s.startedAt > raw.at) ?? null;
    const cleared = clearances.get(`${raw.subscriptionId}\u0000${raw.skuId}`)?.find((a) => a.at > raw.at);
    if (cleared && (!next || cleared.at <= next.startedAt)) return { raw, shortage: null, outcome: 'cleared' };
    return next ? { raw, shortage: next, outcome: 'realized' } : { raw, shortage: null, outcome: 'pending' };
  });
}

function toAlert(l: Linked): BacktestAlert {
  const { raw, shortage } = l;
  return {
    at: iso(raw.at),
    type: raw.type,
    basis: raw.basis,
    subscriptionId: raw.subscriptionId,
    skuId: raw.skuId,
    x: raw.x,
    days: raw.days,
    onsetDays: raw.onsetDays,
    revenueAtRisk: raw.revenueAtRisk,
    p: raw.p,
    eventIds: raw.eventIds,
    reachesAt: shortage ? iso(shortage.reachesAt) : null,
    leadDays: shortage ? lead(shortage, raw.at) : null,
    outcome: l.outcome,
  };
}

/** Every UTC day from `from`'s to `to`'s, with the alerts that went out that day in each mode. */
function perDay(from: string, to: string, linked: Linked[]): BacktestDay[] {
  const first = Math.floor(Date.parse(from) / DAY_MS);
  const last = Math.floor(Date.parse(to) / DAY_MS);
  const days: BacktestDay[] = [];
  for (let d = first; d <= last; d++) days.push({ day: new Date(d * DAY_MS).toISOString().slice(0, 10), off: 0, on: 0 });
  for (const l of linked) {
    const day = days[Math.floor(l.raw.at / DAY_MS) - first];
    if (!day) continue;
    day.on++;
    if (l.raw.basis === 'observed') day.off++;
  }
  return days;
}

/** Time order, then subscription, SKU, observed before anticipated, then the catalogue's order of types. */
function byAlertOrder(a: RawAlert, b: RawAlert): number {
  return (
    a.at - b.at ||
    compareIds(a.subscriptionId, b.subscriptionId) ||
    compareIds(a.skuId, b.skuId) ||
    (a.basis === b.basis ? 0 : a.basis === 'observed' ? -1 : 1) ||
    ALERT_TYPES.indexOf(a.type) - ALERT_TYPES.indexOf(b.type)
  );
}

/** Items grouped by key, each group in the items' order. */
function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function countByType(types: readonly AlertType[]): Record<AlertType, number> {
  const out = Object.fromEntries(ALERT_TYPES.map((t) => [t, 0])) as Record<AlertType, number>;
  for (const t of types) out[t]++;
  return out;
}

function stats(values: readonly number[]): LeadStats {
  if (values.length === 0) return { mean: null, median: null, min: null, max: null };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { mean: round(sorted.reduce((s, v) => s + v, 0) / sorted.length), median: round(median), min: sorted[0], max: sorted[sorted.length - 1] };
}

const lead = (s: Shortage, at: number) => round((s.reachesAt - at) / DAY_MS);
/** Days to the microday (≈ 0.09 s): stable JSON, no float noise in equal reports. */
const round = (days: number) => Math.round(days * 1e6) / 1e6;
const iso = (ms: number) => new Date(ms).toISOString();
