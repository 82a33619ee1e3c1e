import type { AlertType, Exposure, ExposureChangeMessage, ExposureOutlook, OutlookChangeMessage } from '@tiersight/contracts';
import { compareIds, computeOutlook, DEFAULT_EXPOSURE_THRESHOLD, ExposureBook, type ImpactInput, type Projection } from '@tiersight/risk-engine';
import {
  type AlertSteps,
  deriveAlert,
  deriveOutlookAlert,
  diffExposures,
  diffOutlooks,
  type ExposureContext,
  type NotifiedState,
  type WebhookFilters,
} from './live-rules';
import { buildReport, type BacktestReport, type RawAlert, type ReplayedEvent, type Shortage } from './replay-report';

/** One observed direct impact of an event on a site (DESIGN §3.1). */
export interface ReplayImpact {
  siteId: string;
  x: number;
  days: number;
}

/** One anticipated impact (DESIGN §10): `x` for `days` with probability `p`, 0 < p < 1. */
export interface ReplayAnticipatedImpact extends ReplayImpact {
  p: number;
}

/**
 * One event over one stretch of its own time: from `startsAt` until `endsAt`
 * (exclusive; null: not before the range ends) it gives these impacts. An
 * event whose impacts change (a new advisory) is several of these with the
 * same id, one after the other.
 */
export interface TimedEvent {
  id: string;
  type: string;
  title: string;
  startsAt: string;
  endsAt: string | null;
  impacts: ReplayImpact[];
  anticipated: ReplayAnticipatedImpact[];
}

/** A subscription as the replay sees it: its id and its filters (only active subscriptions are replayed). */
export interface ReplaySubscription {
  id: string;
  filters: WebhookFilters;
}

export interface ReplayInput {
  /** Today's network. */
  projection: Projection;
  events: readonly TimedEvent[];
  subscriptions: readonly ReplaySubscription[];
  /** The range replayed, ISO 8601 instants, `from` < `to`. */
  from: string;
  to: string;
  /** How far a notified exposure must move before a subscription hears of it again (WEBHOOK_STEP_*). */
  steps: AlertSteps;
  /** Exposure threshold (DESIGN §3.3); the live runs' default. */
  threshold?: number;
  /** Countries of each site and of its supplier, for the `supplierCountries` filter (as the live alert context reads them). */
  siteCountries?: ReadonlyMap<string, readonly string[]>;
}

/** How far a replay is: instants replayed out of all. */
export interface ReplayProgress {
  done: number;
  total: number;
}

export const DAY_MS = 86_400_000;

/** One event's stretch inside the range: when it starts and ends there (ms; Infinity: beyond the range). */
interface Life {
  event: TimedEvent;
  start: number;
  end: number;
}

/**
 * The replay (DESIGN §10 Backtests), run to the end: see `replaySteps`.
 */
export function replay(input: ReplayInput): BacktestReport {
  const steps = replaySteps(input);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * Replays the events in the order of their own times against one network and
 * the subscriptions, yielding its progress after each instant and returning
 * the report. Pure: no I/O, no clock; the same input gives the same report.
 *
 * The instants are the times at which the set of active events changes (an
 * event starts or ends inside [from, to]; events already active at `from`
 * start at `from`). At each instant, as one risk run would:
 * 1. the changed events' observed impacts replace theirs in an ExposureBook
 *    (the engine's incremental book the risk worker keeps), and the SKUs that
 *    may have moved are diffed against the previous instant's exposures with
 *    the worker's own `diffExposures`;
 * 2. the outlook of the observed state plus every active anticipated impact
 *    (`computeOutlook`) is diffed against the previous one with `diffOutlooks`;
 * 3. each subscription hears of the changes as the alert fan-out would tell
 *    it (`deriveAlert`, `deriveOutlookAlert`, with what it was told before):
 *    exposure changes first, then outlook changes.
 * Nothing is notified before `from`. Alerts go out at the instant itself (no
 * pipeline latency). Outlook alerts are the "anticipated" ones: with
 * anticipation off, only the others go out, and they are the same either way
 * (anticipated impacts never change observed exposures, and outlook alerts
 * are tracked apart from exposure alerts).
 */
export function* replaySteps(input: ReplayInput): Generator<ReplayProgress, BacktestReport, void> {
  const { projection } = input;
  const threshold = input.threshold ?? DEFAULT_EXPOSURE_THRESHOLD;
  const fromMs = Date.parse(input.from);
  const toMs = Date.parse(input.to);
  const lives = livesInRange(input.events, fromMs, toMs);
  const instants = instantsOf(lives);
  const typeOf = new Map<string, string>();
  for (const life of lives) typeOf.set(life.event.id, life.event.type);
  const subscriptions = [...input.subscriptions].sort((a, b) => compareIds(a.id, b.id));
  const siteCountries = input.siteCountries ?? new Map<string, readonly string[]>();
  const isSite = (id: string) => projection.isSite(projection.indexOf(id));

  const book = new ExposureBook(projection, [], threshold);
  const stored = new Map<string, Exposure>();
  let storedOutlooks = new Map<string, ExposureOutlook>();
  const notified = new Map(subscriptions.map((s) => [s.id, { exposure: new Map<string, NotifiedState>(), outlook: new Map<string, NotifiedState>() }]));
  const active = new Map<string, Set<Life>>();
  const open = new Map<string, Shortage>();
  const shortages: Shortage[] = [];
  const alerts: RawAlert[] = [];

  const contextOf = (e: Exposure): ExposureContext => {
    const countries = new Set<string>();
    for (const hop of e.criticalPath) siteCountries.get(hop.nodeId)?.forEach((c) => countries.add(c));
    return { category: categoryOf(projection, e.skuId), eventTypes: typesOf(typeOf, e.eventIds), countries: [...countries] };
  };
  // As the fan-out reads an outlook: its SKU's category and its anticipated events' types; no path, so no countries.
  const outlookContext = (c: OutlookChangeMessage): ExposureContext => ({
    category: categoryOf(projection, c.skuId),
    eventTypes: typesOf(
      typeOf,
      (c.after?.events ?? []).map((e) => e.eventId),
    ),
    countries: [],
  });

  for (let i = 0; i < instants.length; i++) {
    const { at, starts, ends } = instants[i];
    const changed = new Set<string>();
    for (const life of ends) {
      active.get(life.event.id)?.delete(life);
      changed.add(life.event.id);
    }
    for (const life of starts) {
      let set = active.get(life.event.id);
      if (!set) active.set(life.event.id, (set = new Set()));
      set.add(life);
      changed.add(life.event.id);
    }

    // 1. Observed exposures, as an incremental risk run: the changed events' impacts replace theirs.
    const hits = new Map<string, Array<{ site: string; x: number; days: number }>>();
    for (const id of [...changed].sort(compareIds)) {
      const list: Array<{ site: string; x: number; days: number }> = [];
      for (const life of active.get(id) ?? []) {
        for (const impact of life.event.impacts) if (impact.x > 0 && isSite(impact.siteId)) list.push({ site: impact.siteId, x: impact.x, days: impact.days });
      }
      hits.set(id, list);
    }
    const delta = book.setEvents(hits);
    const next = delta.updated.map(toStored);
    const compared = new Map<string, Exposure>();
    for (const id of [...next.map((e) => e.skuId), ...delta.gone]) {
      const before = stored.get(id);
      if (before) compared.set(id, before);
    }
    const { changes } = diffExposures(compared, next);
    for (const id of delta.gone) stored.delete(id);
    for (const e of next) stored.set(e.skuId, e);
    trackShortages(changes, at, open, shortages);

    // 2. The outlook: observed plus every active anticipated impact, computed afresh as each run does.
    const anticipated: ImpactInput[] = [];
    for (const [id, set] of [...active].sort(([a], [b]) => compareIds(a, b))) {
      for (const life of set) {
        for (const a of life.event.anticipated) {
          if (a.x > 0 && a.days >= 0 && a.p > 0 && a.p < 1 && isSite(a.siteId)) {
            anticipated.push({ site: a.siteId, x: a.x, days: a.days, eventId: id, anticipated: true, p: a.p });
          }
        }
      }
    }
    const outlook: ExposureOutlook[] = computeOutlook(book.view, anticipated, threshold).map(({ sku: _sku, ...record }) => ({
      ...record,
      onsetDays: finite(record.onsetDays),
    }));
    const outlookChanges = diffOutlooks(storedOutlooks, outlook, changes, (skuId) => stored.get(skuId) ?? null).changes;
    storedOutlooks = new Map(outlook.map((o) => [o.skuId, o]));

    // 3. What each subscription would have heard, in the fan-out's order.
    for (const sub of subscriptions) {
      const told = notified.get(sub.id)!;
      for (const change of changes) {
        const previous = told.exposure.get(change.skuId) ?? null;
        const decision = deriveAlert(sub.filters, change.after, change.after ? contextOf(change.after) : null, previous, input.steps);
        if (!settle(told.exposure, change.skuId, decision.next) || !decision.send || !decision.type) continue;
        const shown = change.after ?? change.before!;
        alerts.push(rawAlert(at, decision.type, sub.id, 'observed', shown, null, shown.eventIds, open.get(change.skuId) ?? null));
      }
      for (const change of outlookChanges) {
        const previous = told.outlook.get(change.skuId) ?? null;
        const decision = deriveOutlookAlert(sub.filters, change, change.after ? outlookContext(change) : null, previous, input.steps);
        if (!settle(told.outlook, change.skuId, decision.next) || !decision.send || !decision.type) continue;
        const shown = change.after ?? change.before!;
        const eventIds = shown.events.map((e) => e.eventId);
        alerts.push(rawAlert(at, decision.type, sub.id, 'anticipated', shown, shown.p, eventIds, open.get(change.skuId) ?? null));
      }
    }
    yield { done: i + 1, total: instants.length };
  }

  const events: ReplayedEvent[] = lives.map((l) => ({
    id: l.event.id,
    type: l.event.type,
    title: l.event.title,
    startsAt: l.event.startsAt,
    endsAt: l.event.endsAt,
    sites: new Set(l.event.impacts.filter((h) => isSite(h.siteId)).map((h) => h.siteId)).size,
    anticipatedSites: new Set(l.event.anticipated.filter((h) => isSite(h.siteId)).map((h) => h.siteId)).size,
  }));
  return buildReport({
    from: input.from,
    to: input.to,
    instants: instants.length,
    events,
    subscriptionIds: subscriptions.map((s) => s.id),
    alerts,
    shortages,
  });
}

/** The events' stretches that overlap [from, to], clamped to it: one already active at `from` starts there; one ending after `to` never ends. */
function livesInRange(events: readonly TimedEvent[], fromMs: number, toMs: number): Life[] {
  const lives: Life[] = [];
  for (const event of events) {
    const start = Date.parse(event.startsAt);
    const end = event.endsAt === null ? Infinity : Date.parse(event.endsAt);
    if (!(start <= toMs) || !(end > fromMs) || !(end > start)) continue;
    lives.push({ event, start: Math.max(start, fromMs), end: end > toMs ? Infinity : end });
  }
  return lives.sort((a, b) => a.start - b.start || compareIds(a.event.id, b.event.id) || a.end - b.end);
}

/** The instants at which the active set changes, in time order, with the stretches starting and ending there. */
function instantsOf(lives: readonly Life[]): Array<{ at: number; starts: Life[]; ends: Life[] }> {
  const byTime = new Map<number, { at: number; starts: Life[]; ends: Life[] }>();
  const at = (t: number) => {
    let slot = byTime.get(t);
    if (!slot) byTime.set(t, (slot = { at: t, starts: [], ends: [] }));
    return slot;
  };
  for (const life of lives) {
    at(life.start).starts.push(life);
    if (Number.isFinite(life.end)) at(life.end).ends.push(life);
  }
  return [...byTime.values()].sort((a, b) => a.at - b.at);
}

/**
 * Shortage episodes of each SKU: one opens when the SKU's observed exposure
 * appears and closes when it resolves. The shortage reaches the SKU at the
 * earliest `instant + onsetDays` over the episode's states (a later event may
 * bring it forward).
 */
function trackShortages(changes: readonly ExposureChangeMessage[], at: number, open: Map<string, Shortage>, shortages: Shortage[]): void {
  for (const change of changes) {
    const reaches = change.after ? at + Math.max(0, change.after.onsetDays) * DAY_MS : null;
    if (change.kind === 'created' && change.after) {
      const episode: Shortage = { skuId: change.skuId, startedAt: at, reachesAt: reaches!, endedAt: null, eventIds: new Set(change.after.eventIds) };
      open.set(change.skuId, episode);
      shortages.push(episode);
    } else if (change.kind === 'resolved') {
      const episode = open.get(change.skuId);
      if (episode) episode.endedAt = at;
      open.delete(change.skuId);
    } else if (change.after) {
      const episode = open.get(change.skuId);
      if (!episode) continue;
      episode.reachesAt = Math.min(episode.reachesAt, reaches!);
      change.after.eventIds.forEach((id) => episode.eventIds.add(id));
    }
  }
}

/** The fan-out's bookkeeping of what a subscription was told: false when the decision keeps it as it was. */
function settle(told: Map<string, NotifiedState>, skuId: string, next: NotifiedState | null | 'keep'): boolean {
  if (next === 'keep') return false;
  if (next) told.set(skuId, next);
  else told.delete(skuId);
  return true;
}

function rawAlert(
  at: number,
  type: AlertType,
  subscriptionId: string,
  basis: RawAlert['basis'],
  shown: { skuId: string; x: number; days: number; onsetDays: number; revenueAtRisk: number },
  p: number | null,
  eventIds: readonly string[],
  openShortage: Shortage | null,
): RawAlert {
  const { skuId, x, days, onsetDays, revenueAtRisk } = shown;
  return { at, type, subscriptionId, skuId, basis, x, days, onsetDays, revenueAtRisk, p, eventIds: [...eventIds].sort(compareIds), openShortage };
}

function categoryOf(projection: Projection, skuId: string): string | null {
  const v = projection.indexOf(skuId);
  const c = v >= 0 ? projection.categoryOf[v] : -1;
  return c >= 0 ? projection.categories[c] : null;
}

function typesOf(typeOf: ReadonlyMap<string, string>, eventIds: readonly string[]): string[] {
  return eventIds.map((id) => typeOf.get(id)).filter((t): t is string => typeof t === 'string');
}

/** As the risk worker stores an exposure: JSON has no Infinity, so an impossible onset shows as -1. */
function toStored(e: Exposure): Exposure {
  return { ...e, onsetDays: finite(e.onsetDays) };
}

function finite(value: number): number {
  return Number.isFinite(value) ? value : -1;
}
