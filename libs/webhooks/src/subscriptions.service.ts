import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { APP_CONFIG, BaseEnv } from '@tiersight/config';
import { Page } from '@tiersight/graph';
import { QueueProducer } from '@tiersight/queues';
import { deliveryJobOptions } from './delivery-jobs';
import { DeliveryStatus, DeliveryStore, DeliveryView, SubscriptionHealth } from './delivery-store';
import { normalizeFilters, WebhookFilters } from './filters';
import { generateSecret } from './signing';
import { StoredSubscription, SubscriptionRepository } from './subscription.repository';
import { TargetGuard } from './target-guard';
import { TargetRefusedError } from './target-policy';
import { WebhookError, WebhookErrorCode } from './webhooks.error';

/** A subscription as clients see it: never its secrets. */
export interface SubscriptionView {
  id: string;
  url: string;
  description: string | null;
  filters: WebhookFilters;
  enabled: boolean;
  status: StoredSubscription['status'];
  pausedReason: string | null;
  pausedAt: string | null;
  pausedBy: string | null;
  secretRotatedAt: string | null;
  previousSecretExpiresAt: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  health: SubscriptionHealth;
}

export interface NewSubscription {
  url: string;
  description?: string;
  filters?: WebhookFilters;
  enabled?: boolean;
}

export interface SubscriptionUpdate {
  url?: string;
  description?: string | null;
  filters?: WebhookFilters;
  enabled?: boolean;
}

export const newSubscriptionId = (): string => `wh_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;

/**
 * Webhook subscriptions for the API: create (the secret is shown once),
 * read, change, pause and resume, rotate the secret, delete; the delivery log
 * and replays. Every change bumps the version the workers' caches watch.
 */
@Injectable()
export class SubscriptionsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: BaseEnv,
    private readonly repository: SubscriptionRepository,
    private readonly store: DeliveryStore,
    private readonly guard: TargetGuard,
    private readonly producer: QueueProducer,
  ) {}

  async create(createdBy: string, input: NewSubscription): Promise<SubscriptionView & { secret: string }> {
    await this.checkUrl(input.url);
    const enabled = input.enabled ?? true;
    const created = await this.repository.create({
      id: newSubscriptionId(),
      url: input.url,
      description: input.description ?? null,
      filters: normalizeFilters(input.filters),
      status: enabled ? 'active' : 'paused',
      pausedReason: enabled ? null : `created paused by ${createdBy}`,
      pausedBy: enabled ? null : createdBy,
      secret: generateSecret(),
      createdBy,
    });
    await this.store.bumpVersion();
    return { ...(await this.view(created)), secret: created.secret };
  }

  async list(limit: number, cursor?: string): Promise<Page<SubscriptionView>> {
    const page = await this.repository.list(limit, cursor);
    const health = await this.store.health(page.items.map((s) => s.id));
    return { items: page.items.map((s, i) => toView(s, health[i])), nextCursor: page.nextCursor };
  }

  async get(id: string): Promise<SubscriptionView> {
    return this.view(await this.require(id));
  }

  async update(id: string, changedBy: string, input: SubscriptionUpdate): Promise<SubscriptionView> {
    const current = await this.require(id);
    if (input.url !== undefined) await this.checkUrl(input.url);
    const resume = input.enabled === true && current.status !== 'active';
    const updated = await this.repository.update(id, {
      url: input.url,
      description: input.description,
      filters: input.filters,
      status: input.enabled === undefined ? undefined : input.enabled ? 'active' : 'paused',
      pausedReason: input.enabled === false ? `paused by ${changedBy}` : undefined,
      pausedBy: input.enabled === false ? changedBy : undefined,
    });
    if (!updated) throw notFound(id);
    // A resumed endpoint starts a fresh failure count.
    if (resume) await this.store.clearHealth(id);
    await this.store.bumpVersion();
    return this.view(updated);
  }

  /** A new secret, shown once; the old one keeps signing for WEBHOOK_SECRET_GRACE_S. */
  async rotateSecret(id: string): Promise<SubscriptionView & { secret: string }> {
    const rotated = await this.repository.rotate(id, generateSecret(), this.config.WEBHOOK_SECRET_GRACE_S);
    if (!rotated) throw notFound(id);
    await this.store.bumpVersion();
    return { ...(await this.view(rotated)), secret: rotated.secret };
  }

  async delete(id: string): Promise<void> {
    if (!(await this.repository.delete(id))) throw notFound(id);
    await this.store.forget(id);
    await this.store.bumpVersion();
  }

  async deliveries(id: string, options: { limit: number; cursor?: string; status?: DeliveryStatus }) {
    await this.require(id);
    return this.store.list(id, options);
  }

  async delivery(deliveryId: string): Promise<DeliveryView> {
    const found = await this.store.get(deliveryId);
    if (!found) throw deliveryNotFound(deliveryId);
    return found;
  }

  /** Sends a delivery again with the same webhook-id (after the receiver fixed something, or to resend a delivered one). */
  async replay(deliveryId: string): Promise<DeliveryView> {
    const existing = await this.delivery(deliveryId);
    if (existing.status === 'pending' || existing.status === 'retrying') {
      throw new WebhookError(WebhookErrorCode.DeliveryInFlight, `delivery ${deliveryId} is still ${existing.status}; replay it once it is delivered or failed`);
    }
    const sub = await this.require(existing.subscriptionId);
    if (sub.status !== 'active') {
      throw new WebhookError(
        WebhookErrorCode.SubscriptionPaused,
        `subscription ${sub.id} is paused (${sub.pausedReason ?? 'no reason'}); resume it before a replay`,
      );
    }
    const replayed = await this.store.replay(deliveryId);
    if (!replayed) throw deliveryNotFound(deliveryId);
    await this.producer.enqueue(
      'webhook.deliver',
      { v: 1, deliveryId, subscriptionId: sub.id, replay: replayed.replays },
      deliveryJobOptions(this.config, deliveryId, replayed.replays),
    );
    return this.delivery(deliveryId);
  }

  private async require(id: string): Promise<StoredSubscription> {
    const found = await this.repository.get(id);
    if (!found) throw notFound(id);
    return found;
  }

  private async view(s: StoredSubscription): Promise<SubscriptionView> {
    const [health] = await this.store.health([s.id]);
    return toView(s, health);
  }

  private async checkUrl(url: string): Promise<void> {
    try {
      await this.guard.resolve(url);
    } catch (error) {
      if (!(error instanceof TargetRefusedError)) throw error;
      throw new WebhookError(WebhookErrorCode.UrlRefused, error.message, { errors: [{ field: 'url', message: error.message }] });
    }
  }
}

function notFound(id: string): WebhookError {
  return new WebhookError(WebhookErrorCode.SubscriptionNotFound, `webhook subscription ${id} does not exist`);
}

function deliveryNotFound(id: string): WebhookError {
  return new WebhookError(WebhookErrorCode.DeliveryNotFound, `delivery ${id} does not exist (or is older than the retention)`);
}

function toView(s: StoredSubscription, health: SubscriptionHealth): SubscriptionView {
  return {
    id: s.id,
    url: s.url,
    description: s.description,
    filters: s.filters,
    enabled: s.status === 'active',
    status: s.status,
    pausedReason: s.pausedReason,
    pausedAt: s.pausedAt,
    pausedBy: s.pausedBy,
    secretRotatedAt: s.secretRotatedAt,
    previousSecretExpiresAt: s.previousSecretExpiresAt,
    createdAt: s.createdAt,
    createdBy: s.createdBy,
    updatedAt: s.updatedAt,
    health,
  };
}
