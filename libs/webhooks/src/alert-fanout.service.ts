import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, BaseEnv } from '@tiersight/config';
import type { AlertType, Exposure, ExposureChangeMessage, OutlookChangeMessage } from '@tiersight/contracts';
import { LOGGER } from '@tiersight/observability';
import { QueueProducer } from '@tiersight/queues';
import { AlertContextRepository, AlertGraphFacts } from './alert-context.repository';
import { type AlertDecision, type AlertPayload, AlertSteps, buildPayload, deriveAlert, NotifiedState, type PayloadFacts } from './alerts';
import { firstTryJobs } from './delivery-jobs';
import { DeliveryStore, NewDelivery } from './delivery-store';
import type { ExposureContext } from './filters';
import { buildOutlookPayload, deriveOutlookAlert, outlookKey } from './outlook-alerts';
import { alertMessageId } from './signing';
import { SubscriptionCache } from './subscription-cache';

/** One entry of the change stream: its id (`<ms>-<seq>`) and the exposure change, or null when unreadable, of an unknown version, or an outlook change. */
export interface ChangeEntry {
  id: string;
  change: ExposureChangeMessage | null;
  /** An outlook change (DESIGN §10), when the entry is one. */
  outlook?: OutlookChangeMessage;
}

export interface FanoutOutcome {
  changes: number;
  alerts: number;
  queued: number;
}

/**
 * Turns a batch of exposure changes into alerts, one per (subscription, SKU,
 * change), in stream order. Safe to run twice on the same batch (a worker
 * died before acknowledging it): alert ids derive from the subscription and
 * the change, records are created only once, jobs are keyed by the alert id,
 * and what each subscription was told is saved only after its alerts are queued.
 */
@Injectable()
export class AlertFanout {
  private readonly steps: AlertSteps;
  private readonly apiBaseUrl: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: BaseEnv,
    private readonly subscriptions: SubscriptionCache,
    private readonly context: AlertContextRepository,
    private readonly store: DeliveryStore,
    private readonly producer: QueueProducer,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.steps = { x: config.WEBHOOK_STEP_X, days: config.WEBHOOK_STEP_DAYS, revenuePct: config.WEBHOOK_STEP_REVENUE_PCT };
    this.apiBaseUrl = config.WEBHOOK_PUBLIC_API_URL ?? '';
  }

  async handle(entries: ChangeEntry[]): Promise<FanoutOutcome> {
    const changes = entries.filter((e): e is { id: string; change: ExposureChangeMessage } => e.change !== null);
    const outlooks = entries.filter((e): e is { id: string; change: null; outlook: OutlookChangeMessage } => e.outlook !== undefined);
    const active = [...(await this.subscriptions.current(0)).values()].filter((s) => s.status === 'active');
    const count = changes.length + outlooks.length;
    if (count === 0 || active.length === 0) return { changes: count, alerts: 0, queued: 0 };

    const facts = await this.loadFacts(
      changes.map((c) => c.change),
      outlooks.map((o) => o.outlook),
    );
    const skuIds = [...new Set([...changes.map((c) => c.change.skuId), ...outlooks.map((o) => outlookKey(o.outlook.skuId))])];
    const known = await Promise.all(active.map((s) => this.store.notified(s.id, skuIds)));
    const deliveries: NewDelivery[] = [];
    const finalState = new Map<string, { subscriptionId: string; skuId: string; state: NotifiedState | null }>();

    active.forEach((sub, i) => {
      const notified = known[i];
      /** Keeps what the subscription is now told of `key` (notified and to save); false when the decision keeps it as it was. */
      const settle = (key: string, next: AlertDecision['next']): boolean => {
        if (next === 'keep') return false;
        if (next) notified.set(key, next);
        else notified.delete(key);
        finalState.set(`${sub.id}\u0000${key}`, { subscriptionId: sub.id, skuId: key, state: next });
        return true;
      };
      const deliver = (changeId: string, type: AlertType, skuId: string, payload: AlertPayload) =>
        deliveries.push({
          id: alertMessageId(sub.id, changeId),
          subscriptionId: sub.id,
          type,
          skuId,
          changeId,
          createdAtMs: Date.now(),
          body: JSON.stringify(payload),
        });
      for (const { id, change } of changes) {
        const previous = notified.get(change.skuId) ?? null;
        const decision = deriveAlert(sub.filters, change.after, change.after ? contextOf(change.after, facts) : null, previous, this.steps);
        if (!settle(change.skuId, decision.next) || !decision.send || !decision.type) continue;
        const shown = change.after ?? change.before;
        const payload = buildPayload({
          type: decision.type,
          occurredAt: occurredAt(id),
          skuId: change.skuId,
          after: change.after,
          previous,
          facts: payloadFacts(facts, change.skuId, shown?.eventIds ?? []),
          apiBaseUrl: this.apiBaseUrl,
        });
        deliver(id, decision.type, change.skuId, payload);
      }
      for (const { id, outlook } of outlooks) {
        const key = outlookKey(outlook.skuId);
        const previous = notified.get(key) ?? null;
        const shown = outlook.after ?? outlook.before;
        const decision = deriveOutlookAlert(sub.filters, outlook, outlook.after ? outlookContext(outlook, facts) : null, previous, this.steps);
        if (!settle(key, decision.next) || !decision.send || !decision.type) continue;
        const payload = buildOutlookPayload({
          type: decision.type,
          occurredAt: occurredAt(id),
          change: outlook,
          previous,
          facts: payloadFacts(
            facts,
            outlook.skuId,
            (shown?.events ?? []).map((e) => e.eventId),
          ),
          apiBaseUrl: this.apiBaseUrl,
        });
        deliver(id, decision.type, outlook.skuId, payload);
      }
    });

    const statuses = await this.store.create(deliveries);
    const toQueue = deliveries.filter((_, i) => statuses[i] === 'created' || statuses[i] === 'pending');
    await this.enqueue(toQueue);
    await this.store.saveNotified([...finalState.values()]);
    if (deliveries.length) this.logger.debug({ changes: count, alerts: deliveries.length, queued: toQueue.length }, 'alerts queued');
    return { changes: count, alerts: deliveries.length, queued: toQueue.length };
  }

  /** First tries in batches per subscription (a batch of one is a plain delivery job). */
  private async enqueue(deliveries: NewDelivery[]): Promise<void> {
    const { singles, batches } = firstTryJobs(this.config, deliveries);
    await this.producer.enqueueBulk('webhook.deliver-batch', batches);
    await this.producer.enqueueBulk('webhook.deliver', singles);
  }

  private async loadFacts(changes: ExposureChangeMessage[], outlooks: OutlookChangeMessage[]): Promise<AlertGraphFacts> {
    const skuIds = new Set<string>();
    const eventIds = new Set<string>();
    const nodeIds = new Set<string>();
    for (const o of outlooks) {
      skuIds.add(o.skuId);
      for (const record of [o.before, o.after]) record?.events.forEach((e) => typeof e.eventId === 'string' && eventIds.add(e.eventId));
    }
    for (const c of changes) {
      skuIds.add(c.skuId);
      for (const e of [c.before, c.after]) {
        if (!e) continue;
        e.eventIds.forEach((id) => eventIds.add(id));
        // The change came through Redis as JSON: a hop without an id is passed over, not trusted.
        for (const hop of e.criticalPath) if (typeof hop.nodeId === 'string') nodeIds.add(hop.nodeId);
      }
    }
    return this.context.load([...skuIds], [...eventIds], [...nodeIds]);
  }
}

/** When a change stream entry was added: its id is `<ms>-<seq>`. */
const occurredAt = (entryId: string) => new Date(Number(entryId.split('-')[0]));

/** The SKU and events a payload names, from the loaded facts (ids alone when the graph no longer has them). */
function payloadFacts(facts: AlertGraphFacts, skuId: string, eventIds: readonly string[]): PayloadFacts {
  return {
    sku: facts.skus.get(skuId) ?? { id: skuId, name: null, category: null },
    events: eventIds.map((e) => facts.events.get(e) ?? { id: e, type: null, title: null, status: null }),
  };
}

/** The filters' context of an outlook: its SKU's category and the types of the anticipated events (it has no path, so no countries). */
function outlookContext(change: OutlookChangeMessage, facts: AlertGraphFacts): ExposureContext {
  return {
    category: facts.skus.get(change.skuId)?.category ?? null,
    eventTypes: (change.after?.events ?? []).map((e) => facts.events.get(e.eventId)?.type).filter((t): t is string => typeof t === 'string'),
    countries: [],
  };
}

function contextOf(e: Exposure, facts: AlertGraphFacts): ExposureContext {
  const countries = new Set<string>();
  for (const hop of e.criticalPath) facts.siteCountries.get(hop.nodeId)?.forEach((c) => countries.add(c));
  return {
    category: facts.skus.get(e.skuId)?.category ?? null,
    eventTypes: e.eventIds.map((id) => facts.events.get(id)?.type).filter((t): t is string => typeof t === 'string'),
    countries: [...countries],
  };
}
