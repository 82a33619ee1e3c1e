import type { DeliveryStore } from './delivery-store';
import { SubscriptionCache } from './subscription-cache';
import type { StoredSubscription, SubscriptionRepository } from './subscription.repository';

const subscription = (id: string) => ({ id, url: `https://example.com/${id}` }) as StoredSubscription;

/** The cache over a Neo4j and a Redis reduced to what it reads: the stored subscriptions, the database id, the version counter. */
function cacheOver(state: { rows: StoredSubscription[]; databaseId: string; version: number }) {
  let loads = 0;
  const repository = {
    all: async () => {
      loads++;
      return state.rows;
    },
    databaseId: async () => state.databaseId,
  } as Pick<SubscriptionRepository, 'all' | 'databaseId'> as SubscriptionRepository;
  const store = { version: async () => state.version } as Pick<DeliveryStore, 'version'> as DeliveryStore;
  return { cache: new SubscriptionCache(repository, store), loads: () => loads };
}

describe('SubscriptionCache', () => {
  it('reloads when the version moves, and only then', async () => {
    const state = { rows: [subscription('wh_a')], databaseId: 'db-1', version: 3 };
    const { cache, loads } = cacheOver(state);
    expect([...(await cache.current(0)).keys()]).toEqual(['wh_a']);
    state.rows = [subscription('wh_a'), subscription('wh_b')];
    expect([...(await cache.current(0)).keys()]).toEqual(['wh_a']);
    state.version = 4;
    expect([...(await cache.current(0)).keys()]).toEqual(['wh_a', 'wh_b']);
    expect(loads()).toBe(2);
  });

  it('reloads when the database was reset, though the counter in Redis did not move', async () => {
    const state = { rows: [subscription('wh_old')], databaseId: 'db-1', version: 7 };
    const { cache } = cacheOver(state);
    expect(await cache.get('wh_old', 0)).toBeDefined();
    state.rows = [];
    state.databaseId = 'db-2';
    expect(await cache.get('wh_old', 0)).toBeUndefined();
    expect((await cache.current(0)).size).toBe(0);
  });
});
