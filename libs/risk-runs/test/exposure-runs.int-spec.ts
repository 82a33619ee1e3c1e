jest.setTimeout(120_000);
import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Exposure } from '@tiersight/contracts';
import { EventRepository, ExposureRepository, ImportService, Neo4jService, type StoredEvent } from '@tiersight/graph';
import { ALL_EVENTS, QueueProducer, RedisStore } from '@tiersight/queues';
import { attributeEvents, listExposures, propagate } from '@tiersight/risk-engine';
import { deleteByPrefix, deleteRedisKeys } from '../../../test/support/cleanup';
import { KAOHSIUNG_AREA, smallNetwork } from '../../../test/support/small-network';
import { uniquePrefix } from '../../../test/support/test-env';
import { ExposureRunService, ProjectionCache } from '../src';
import { eventFactory, RunsModule } from './runs-support';

/**
 * Propagation runs against the real Neo4j and Redis, without a worker: the
 * runs are called one at a time, so which path each one takes is known.
 * After incremental runs the stored exposures must equal a full computation
 * from the current graph and impacts.
 */
describe('exposure runs: incremental while trusted, full otherwise (real Neo4j and Redis)', () => {
  const p = uniquePrefix('runs');
  const queuePrefix = p.slice(0, -1);
  let app: INestApplicationContext;
  let other: INestApplicationContext;
  const mine = (id: string) => id.startsWith(p);

  const event = eventFactory(p);
  const quake = () => event('EV-quake', {});
  const storm = () =>
    event('EV-storm', {
      severity: 0.5,
      expectedDurationDays: 10,
      geometry: KAOHSIUNG_AREA as StoredEvent['geometry'],
    });
  const ted = () =>
    event('EV-ted', {
      severity: 0.7,
      expectedDurationDays: 12,
      geometry: { type: 'Point', coordinates: [120.67, 24.15], radiusKm: 20 } as StoredEvent['geometry'],
    });

  /** What a full computation from the current graph and impacts gives, for this test's SKUs: exposures, and per SKU its attribution (`event x days` strings). */
  async function expected(ctx: INestApplicationContext): Promise<Map<string, Exposure & { attribution: string[] }>> {
    const { projection } = await ctx.get(ProjectionCache).current();
    const impacts = (await ctx.get(EventRepository).activeImpacts())
      .filter((i) => projection.indexOf(i.siteId) >= 0)
      .map((i) => ({ site: i.siteId, x: i.x, days: i.days, eventId: i.eventId }));
    const exposures = listExposures(propagate(projection, impacts)).filter((e) => mine(e.skuId));
    const attribution = attributeEvents(projection, impacts, { skus: exposures.map((e) => e.skuId) });
    return new Map(
      exposures.map((e) => [
        e.skuId,
        {
          ...e,
          attribution: attribution
            .filter((a) => a.skuId === e.skuId)
            .map((a) => attributionText(a))
            .sort(),
        },
      ]),
    );
  }

  const attributionText = (a: { eventId: string; x: number; days: number; onsetDays: number }) =>
    `${a.eventId.slice(p.length)} ${a.x.toFixed(9)} ${a.days.toFixed(9)} ${a.onsetDays.toFixed(9)}`;

  async function expectStoredEqualsFull(ctx: INestApplicationContext): Promise<void> {
    const stored = [...(await ctx.get(ExposureRepository).storedById()).values()].filter((e) => mine(e.skuId));
    const full = await expected(ctx);
    expect(stored.map((e) => e.skuId).sort()).toEqual([...full.keys()].sort());
    for (const e of stored) {
      const f = full.get(e.skuId)!;
      expect(e.x).toBeCloseTo(f.x, 9);
      expect(e.days).toBeCloseTo(f.days, 9);
      expect(e.onsetDays).toBeCloseTo(f.onsetDays, 9);
      expect(e.revenueAtRisk).toBeCloseTo(f.revenueAtRisk, 3);
      expect(e.eventIds).toEqual(f.eventIds);
      expect(e.criticalPath.map((h) => (h as { nodeId: string }).nodeId)).toEqual(f.criticalPath.map((h) => (h as { nodeId: string }).nodeId));
      // Attribution as the API reads it: each event alone, as propagated from scratch.
      const { attribution } = await ctx.get(ExposureRepository).one(e.skuId);
      expect((attribution as Array<{ eventId: string; x: number; days: number; onsetDays: number }>).map(attributionText).sort()).toEqual(f.attribution);
    }
  }

  const runs = () => app.get(ExposureRunService);
  const upsert = (e: StoredEvent) => app.get(EventRepository).upsert(e);
  const mineChanges = (outcome: { changes?: Array<{ kind: string; skuId: string }> }) =>
    (outcome.changes ?? [])
      .filter((c) => mine(c.skuId))
      .map((c) => `${c.kind} ${c.skuId.slice(p.length)}`)
      .sort();

  beforeAll(async () => {
    app = await NestFactory.createApplicationContext(RunsModule.forRoot(queuePrefix), { logger: false });
    await app.get(ImportService).import(smallNetwork(p));
  });

  afterAll(async () => {
    const neo4j = app?.get(Neo4jService);
    if (neo4j) await deleteByPrefix(neo4j, p);
    const store = app?.get(RedisStore);
    if (store) await deleteRedisKeys(store.client, queuePrefix);
    await other?.close();
    await app?.close();
  });

  it('counts the events named by propagation requests until a run settles what it read', async () => {
    const producer = app.get(QueueProducer);
    await producer.requestPropagation({ cause: 'event', eventId: `${p}A` });
    await producer.requestPropagation({ cause: 'event', eventIds: [`${p}A`, `${p}B`] });
    const read = await producer.requestedEvents();
    expect(Object.fromEntries(read)).toEqual({ [`${p}A`]: 2, [`${p}B`]: 1 });
    // A request after the read stays for the next run.
    await producer.requestPropagation({ cause: 'event', eventId: `${p}A` });
    await producer.requestPropagation({ cause: 'sensor' });
    await producer.settleRequestedEvents(read);
    expect(Object.fromEntries(await producer.requestedEvents())).toEqual({ [`${p}A`]: 1, [ALL_EVENTS]: 1 });
    await producer.settleRequestedEvents(await producer.requestedEvents());
    expect((await producer.requestedEvents()).size).toBe(0);
  });

  it('starts with a full run, then applies new, changed and closed events incrementally with the outcome of a full run', async () => {
    expect((await runs().run()).mode).toBe('full');

    await upsert(quake());
    const first = await runs().run({ all: false, eventIds: [p + 'EV-quake'] });
    expect(first.mode).toBe('incremental');
    expect(mineChanges(first)).toEqual(['created SKU-A']);
    await expectStoredEqualsFull(app);

    await upsert(storm());
    await upsert(ted());
    const second = await runs().run({ all: false, eventIds: [p + 'EV-storm', p + 'EV-ted'] });
    expect(second.mode).toBe('incremental');
    expect(mineChanges(second)).toEqual(['created SKU-B', 'worsened SKU-A']);
    await expectStoredEqualsFull(app);

    // A changed event: the quake shorter and weaker.
    await upsert({ ...quake(), severity: 0.4, expectedDurationDays: 12 });
    const third = await runs().run({ all: false, eventIds: [p + 'EV-quake'] });
    expect(third.mode).toBe('incremental');
    await expectStoredEqualsFull(app);

    // Closed events: named, they are read as having no impacts left.
    await app.get(EventRepository).close(p + 'EV-storm');
    const fourth = await runs().run({ all: false, eventIds: [p + 'EV-storm'] });
    expect(fourth.mode).toBe('incremental');
    expect(mineChanges(fourth)).toContain('resolved SKU-B');
    await expectStoredEqualsFull(app);

    // Nothing named: nothing changes.
    expect(mineChanges(await runs().run({ all: false, eventIds: [] }))).toEqual([]);
  });

  it('runs in full after another process wrote, and that run changes nothing that was right', async () => {
    other = await NestFactory.createApplicationContext(RunsModule.forRoot(queuePrefix), { logger: false });
    const elsewhere = await other.get(ExposureRunService).run({ all: false, eventIds: [p + 'EV-quake'] });
    expect(elsewhere.mode).toBe('full'); // a new process knows nothing yet
    expect(mineChanges(elsewhere)).toEqual([]);
    // This process's stamp is no longer the stored one: it reads everything again.
    await app.get(EventRepository).close(p + 'EV-ted');
    const after = await runs().run({ all: false, eventIds: [p + 'EV-ted'] });
    expect(after.mode).toBe('full');
    expect(mineChanges(after)).toEqual(['resolved SKU-A']); // the weakened quake alone does not get through
    await expectStoredEqualsFull(app);
    // And from then on it is trusted again.
    await upsert(storm());
    const last = await runs().run({ all: false, eventIds: [p + 'EV-storm'] });
    expect(last.mode).toBe('incremental');
    expect(mineChanges(last)).toEqual(['created SKU-A', 'created SKU-B']); // the storm reaches SKU-A through T2b and M1 too
    await expectStoredEqualsFull(app);
  });
});
