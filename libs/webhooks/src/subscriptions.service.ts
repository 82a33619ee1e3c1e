import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AuditActor, AuditLog } from '@tiersight/audit';
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
 * and replays. Every change to a subscription commits with its audit entry
 * (never a secret in it) and bumps the version the workers' caches watch.
 */
@Injectable()
export class SubscriptionsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: BaseEnv,
    private readonly repository: SubscriptionRepository,
    private readonly store: DeliveryStore,
    private readonly guard: TargetGuard,
    private readonly producer: QueueProducer,
    private readonly audit: AuditLog,
  ) {}

  async create(actor: AuditActor, input: NewSubscription): Promise<SubscriptionView & { secret: string }> {
    await this.checkUrl(input.url);
    const enabled = input.enabled ?? true;
    const createdBy = actor.keyId;
    const created = await this.repository.write(async (tx) => {
      const stored = await this.repository.create(tx, {
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
      const { url, description, filters, status } = stored;
      await this.audit.append(tx, actor, { action: 'webhook.create', target: stored.id, change: { url, description, filters, status } });
      return stored;
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

  async update(id: string, actor: AuditActor, input: SubscriptionUpdate): Promise<SubscriptionView> {
    const current = await this.require(id);
    if (input.url !== undefined) await this.checkUrl(input.url);
    const resume = input.enabled === true && current.status !== 'active';
    const changedBy = actor.keyId;
    const updated = await this.repository.write(async (tx) => {
      const stored = await this.repository.update(tx, id, {
        url: input.url,
        description: input.description,
        filters: input.filters,
        status: input.enabled === undefined ? undefined : input.enabled ? 'active' : 'paused',
        pausedReason: input.enabled === false ? `paused by ${changedBy}` : undefined,
        pausedBy: input.enabled === false ? changedBy : undefined,
      });
      if (!stored) throw notFound(id);
      const { url, description, filters, enabled } = input;
      await this.audit.append(tx, actor, { action: 'webhook.update', target: id, change: { url, description, filters, enabled } });
      return stored;
    });
    // A resumed endpoint starts a fresh failure count.
    if (resume) await this.store.clearHealth(id);
    await this.store.bumpVersion();
    return this.view(updated);
  }

  /** A new secret, shown once; the old one keeps signing for WEBHOOK_SECRET_GRACE_S. */
  async rotateSecret(id: string, actor: AuditActor): Promise<SubscriptionView & { secret: string }> {
    const rotated = await this.repository.write(async (tx) => {
      const stored = await this.repository.rotate(tx, id, generateSecret(), this.config.WEBHOOK_SECRET_GRACE_S);
      if (!stored) throw notFound(id);
      // When, never what: the entry holds no secret.
      const change = { secretRotatedAt: stored.secretRotatedAt, previousSecretExpiresAt: stored.previousSecretExpiresAt };
      await this.audit.append(tx, actor, { action: 'webhook.secret.rotate', target: id, change });
      return stored;
    });
    await this.store.bumpVersion();
    return { ...(await this.view(rotated)), secret: rotated.secret };
  }

  async delete(id: string, actor: AuditActor): Promise<void> {
    await this.repository.write(async (tx) => {
      if (!(await this.repository.delete(tx, id))) throw notFound(id);
      await this.audit.append(tx, actor, { action: 'webhook.delete', target: id, change: { deleted: true } });
    });
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
