import { Injectable } from '@nestjs/common';
import { DeliveryStore } from './delivery-store';
import { StoredSubscription, SubscriptionRepository } from './subscription.repository';

/**
 * The deployment's subscriptions in memory, for the worker's hot paths.
 * Every change bumps a version counter in Redis after the Neo4j write; the
 * cache compares versions at most every `maxAgeMs` and reloads on a change,
 * so a pause or a rotation reaches every worker within that time. It compares
 * the Neo4j database's id too: a reset database holds none of the subscriptions
 * the counter in Redis (which outlives it) last counted.
 */
@Injectable()
export class SubscriptionCache {
  private subscriptions = new Map<string, StoredSubscription>();
  private version = -1;
  private databaseId: string | null = null;
  private checkedAt = 0;
  private loading?: Promise<void>;

  constructor(
    private readonly repository: SubscriptionRepository,
    private readonly store: DeliveryStore,
  ) {}

  async current(maxAgeMs = 250): Promise<ReadonlyMap<string, StoredSubscription>> {
    if (Date.now() - this.checkedAt >= maxAgeMs) {
      this.loading ??= this.refresh().finally(() => (this.loading = undefined));
      await this.loading;
    }
    return this.subscriptions;
  }

  async get(id: string, maxAgeMs = 250): Promise<StoredSubscription | undefined> {
    return (await this.current(maxAgeMs)).get(id);
  }

  invalidate(): void {
    this.checkedAt = 0;
  }

  private async refresh(): Promise<void> {
    // The version is read before the data: a change in between only causes one more reload.
    const [version, databaseId] = await Promise.all([this.store.version(), this.repository.databaseId()]);
    if (version !== this.version || databaseId !== this.databaseId) {
      const all = await this.repository.all();
      this.subscriptions = new Map(all.map((s) => [s.id, s]));
      this.version = version;
      this.databaseId = databaseId;
    }
    this.checkedAt = Date.now();
  }
}
