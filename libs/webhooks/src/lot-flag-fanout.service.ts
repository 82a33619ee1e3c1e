import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, BaseEnv } from '@tiersight/config';
import type { LotFlagAlert } from '@tiersight/contracts';
import { LOGGER } from '@tiersight/observability';
import { QueueProducer } from '@tiersight/queues';
import { AlertContextRepository, type AlertGraphFacts } from './alert-context.repository';
import { firstTryJobs } from './delivery-jobs';
import { DeliveryStore, type NewDelivery } from './delivery-store';
import { wantsType } from './filters';
import { buildLotFlagPayload, lotFlagChangeId, matchesLotFlag, type LotFlagContext } from './lot-flag-alerts';
import { alertMessageId } from './signing';
import { SubscriptionCache } from './subscription-cache';

export interface LotFlagFanoutOutcome {
  flags: number;
  alerts: number;
  queued: number;
}

/**
 * Turns new lot flags (DESIGN §11) into `lot.flagged` alerts, one per
 * (subscription, lot, cause), delivered by the same queued, signed path as
 * exposure alerts. Safe to run twice on the same flags: the alert id derives
 * from the subscription, the lot and the cause, a record is created once, and
 * a record already delivered is not queued again.
 */
@Injectable()
export class LotFlagFanout {
  private readonly apiBaseUrl: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: BaseEnv,
    private readonly subscriptions: SubscriptionCache,
    private readonly context: AlertContextRepository,
    private readonly store: DeliveryStore,
    private readonly producer: QueueProducer,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.apiBaseUrl = config.WEBHOOK_PUBLIC_API_URL ?? '';
  }

  async handle(alerts: readonly LotFlagAlert[], now = new Date()): Promise<LotFlagFanoutOutcome> {
    const active = [...(await this.subscriptions.current(0)).values()].filter((s) => s.status === 'active' && wantsType(s.filters, 'lot.flagged'));
    if (alerts.length === 0 || active.length === 0) return { flags: alerts.length, alerts: 0, queued: 0 };
    const facts = await this.context.load(
      [...new Set(alerts.flatMap((a) => a.recall.skus.map((s) => s.skuId)))],
      [...new Set(alerts.flatMap((a) => (a.flag.cause.kind === 'reading' ? [] : [a.flag.cause.id])))],
      [...new Set(alerts.flatMap((a) => (a.flag.siteId === null ? [] : [a.flag.siteId])))],
    );
    const deliveries: NewDelivery[] = [];
    for (const alert of alerts) {
      const context = contextOf(alert, facts);
      const changeId = lotFlagChangeId(alert);
      const body = JSON.stringify(
        buildLotFlagPayload({
          alert,
          occurredAt: now,
          event: alert.flag.cause.kind === 'reading' ? null : (facts.events.get(alert.flag.cause.id) ?? null),
          skuNames: facts.skus,
          apiBaseUrl: this.apiBaseUrl,
        }),
      );
      for (const sub of active) {
        if (!matchesLotFlag(sub.filters, context)) continue;
        // The delivery log's subject of a lot alert is the lot.
        deliveries.push({
          id: alertMessageId(sub.id, changeId),
          subscriptionId: sub.id,
          type: 'lot.flagged',
          skuId: alert.flag.lotId,
          changeId,
          createdAtMs: now.getTime(),
          body,
        });
      }
    }
    const statuses = await this.store.create(deliveries);
    const toQueue = deliveries.filter((_, i) => statuses[i] === 'created' || statuses[i] === 'pending');
    const { singles, batches } = firstTryJobs(this.config, toQueue);
    await this.producer.enqueueBulk('webhook.deliver-batch', batches);
    await this.producer.enqueueBulk('webhook.deliver', singles);
    if (deliveries.length) this.logger.debug({ flags: alerts.length, alerts: deliveries.length, queued: toQueue.length }, 'lot.flagged alerts queued');
    return { flags: alerts.length, alerts: deliveries.length, queued: toQueue.length };
  }
}

function contextOf(alert: LotFlagAlert, facts: AlertGraphFacts): LotFlagContext {
  const skuIds = alert.recall.skus.map((s) => s.skuId);
  return {
    skuIds,
    categories: skuIds.map((id) => facts.skus.get(id)?.category).filter((c): c is string => typeof c === 'string'),
    eventTypes: alert.flag.cause.eventType === null ? [] : [alert.flag.cause.eventType],
    countries: alert.flag.siteId === null ? [] : (facts.siteCountries.get(alert.flag.siteId) ?? []),
  };
}
