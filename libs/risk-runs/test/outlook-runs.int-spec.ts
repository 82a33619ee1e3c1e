jest.setTimeout(120_000);
import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventRepository, ExposureRepository, ImportService, Neo4jService, type StoredEvent } from '@tiersight/graph';
import { RedisStore } from '@tiersight/queues';
import { computeOutlook, propagate } from '@tiersight/risk-engine';
import { deleteByPrefix, deleteRedisKeys } from '../../../test/support/cleanup';
import { KAOHSIUNG_AREA, smallNetwork } from '../../../test/support/small-network';
import { uniquePrefix } from '../../../test/support/test-env';
import { ExposureRunService, ProjectionCache } from '../src';
import { eventFactory, RunsModule } from './runs-support';

/**
 * Outlook records (DESIGN §10) through real runs on Neo4j and Redis: an
 * anticipated HITS edge never changes the stored exposures, gives outlook
 * records beside them, and its changes come out as `anticipated`,
 * `anticipation_cleared`, or `anticipation_realized` when it becomes observed.
 * Numbers hand-computed on test/support/small-network.ts.
 */
describe('outlook records in exposure runs (real Neo4j and Redis)', () => {
  const p = uniquePrefix('outlook');
  const queuePrefix = p.slice(0, -1);
  let app: INestApplicationContext;
  const mine = (id: string) => id.startsWith(p);
  const short = (id: string) => id.slice(p.length);

  const event = eventFactory(p);
  // T3 (1, 40): SKU-A (0.5, 24, onset 37), revenue 120,000.
  const quake = () => event('EV-quake', {});
  // T2b (0.5, 10).
  const storm = () => event('EV-storm', { severity: 0.5, expectedDurationDays: 10, geometry: KAOHSIUNG_AREA as StoredEvent['geometry'] });

  const runs = () => app.get(ExposureRunService);
  const repo = () => app.get(ExposureRepository);
  const anticipate = (eventId: string, prob: number | null) =>
    app
      .get(Neo4jService)
      .run(
        prob === null
          ? 'MATCH (:Event {id: $id})-[h:HITS]->() REMOVE h.anticipated, h.p'
          : 'MATCH (:Event {id: $id})-[h:HITS]->() SET h.anticipated = true, h.p = $p',
        { id: p + eventId, p: prob },
      );
  const outlookChanges = (outcome: { outlookChanges?: Array<{ kind: string; skuId: string }> }) =>
    (outcome.outlookChanges ?? [])
      .filter((c) => mine(c.skuId))
      .map((c) => `${c.kind} ${short(c.skuId)}`)
      .sort();
  const changes = (outcome: { changes?: Array<{ kind: string; skuId: string }> }) =>
    (outcome.changes ?? [])
      .filter((c) => mine(c.skuId))
      .map((c) => `${c.kind} ${short(c.skuId)}`)
      .sort();
  const storedOutlooks = async () => new Map([...(await repo().storedOutlooks())].filter(([id]) => mine(id)).map(([id, o]) => [short(id), o]));

  /** The stored outlook records equal the engine's on a fresh propagation of what the graph holds now. */
  async function expectStoredEqualsFull(): Promise<void> {
    const { projection } = await app.get(ProjectionCache).current();
    const events = app.get(EventRepository);
    const known = (i: { siteId: string }) => projection.indexOf(i.siteId) >= 0;
    const observed = (await events.activeImpacts()).filter(known).map((i) => ({ site: i.siteId, x: i.x, days: i.days, eventId: i.eventId }));
    const anticipated = (await events.anticipatedImpacts())
      .filter(known)
      .map((i) => ({ site: i.siteId, x: i.x, days: i.days, eventId: i.eventId, anticipated: true, p: i.p }));
    const full = computeOutlook(propagate(projection, observed), anticipated).filter((o) => mine(o.skuId));
    const stored = await storedOutlooks();
    expect([...stored.keys()].sort()).toEqual(full.map((o) => short(o.skuId)).sort());
    for (const o of full) {
      const s = stored.get(short(o.skuId))!;
      expect(s.x).toBeCloseTo(o.x, 9);
      expect(s.days).toBeCloseTo(o.days, 9);
      expect(s.onsetDays).toBeCloseTo(o.onsetDays, 9);
      expect(s.p).toBe(o.p);
      expect(s.events).toEqual(o.events);
    }
  }

  beforeAll(async () => {
    app = await NestFactory.createApplicationContext(RunsModule.forRoot(queuePrefix), { logger: false });
    await app.get(ImportService).import(smallNetwork(p));
  });

  afterAll(async () => {
    const neo4j = app?.get(Neo4jService);
    if (neo4j) await deleteByPrefix(neo4j, p);
    const store = app?.get(RedisStore);
    if (store) await deleteRedisKeys(store.client, queuePrefix);
    await app?.close();
  });

  it('an anticipated event leaves the exposures as they are and adds outlook records with its p', async () => {
    await runs().run();
    const events = app.get(EventRepository);
    await events.upsert(quake());
    await events.upsert(storm());
    await anticipate('EV-storm', 0.85);
    const run = await runs().run({ all: false, eventIds: [p + 'EV-quake', p + 'EV-storm'] });
    expect(changes(run)).toEqual(['created SKU-A']);
    expect(outlookChanges(run)).toEqual(['anticipated SKU-A', 'anticipated SKU-B']);

    const a = await repo().one(p + 'SKU-A');
    expect(a).toMatchObject({ x: 0.5, days: 24, onsetDays: 37, revenueAtRisk: 120000, eventIds: [p + 'EV-quake'] });
    expect(a.attribution.map((r: { eventId: string }) => short(r.eventId))).toEqual(['EV-quake']);
    const storms = [{ eventId: p + 'EV-storm', p: 0.85 }];
    // M1 P-mod: 0.5 (T2a) + 0.3·0.5 (T2b, 10 days, onset 0 + 3) → SKU-A (0.65, 24, onset 6); SKU-B: T2b g = 10 − 5, onset 0 + 2 + 5.
    expect(a.outlook).toEqual({
      skuId: p + 'SKU-A',
      x: expect.closeTo(0.65, 12),
      days: 24,
      onsetDays: 6,
      revenueAtRisk: expect.closeTo(156000, 6),
      p: 0.85,
      events: storms,
      joint: false,
    });

    const page = await repo().listOutlooks(50, undefined, {});
    const rows = page.items.filter((i) => mine(i.skuId));
    expect(rows.map((r) => short(r.skuId))).toEqual(['SKU-A', 'SKU-B']);
    expect(rows[0].observed).toMatchObject({ skuId: p + 'SKU-A', x: 0.5, revenueAtRisk: 120000 });
    expect(rows[1]).toMatchObject({ name: 'Speaker B', category: 'audio', observed: null });
    expect(rows[1].outlook).toEqual({ skuId: p + 'SKU-B', x: 0.5, days: 5, onsetDays: 7, revenueAtRisk: 12500, p: 0.85, events: storms, joint: false });
    const byEvent = await repo().listOutlooks(50, undefined, { eventId: p + 'EV-storm', minRevenueAtRisk: 100000 });
    expect(byEvent.items.map((i) => short(i.skuId))).toEqual(['SKU-A']);
    await expectStoredEqualsFull();

    // Nothing moved: the next run reports nothing.
    const again = await runs().run();
    expect(changes(again)).toEqual([]);
    expect(outlookChanges(again)).toEqual([]);
  });

  it('when the anticipated event is observed, the ordinary changes follow and the outlooks close as realized', async () => {
    await anticipate('EV-storm', null);
    const run = await runs().run({ all: false, eventIds: [p + 'EV-storm'] });
    expect(changes(run)).toEqual(['created SKU-B', 'worsened SKU-A']);
    expect(outlookChanges(run)).toEqual(['anticipation_realized SKU-A', 'anticipation_realized SKU-B']);
    expect(await storedOutlooks()).toEqual(new Map());
    expect((await repo().one(p + 'SKU-A')).outlook).toBeNull();
  });

  it('an outlook that goes away without being observed is cleared', async () => {
    await anticipate('EV-storm', 0.6);
    const back = await runs().run({ all: false, eventIds: [p + 'EV-storm'] });
    expect(changes(back)).toEqual(['improved SKU-A', 'resolved SKU-B']);
    expect(outlookChanges(back)).toEqual(['anticipated SKU-A', 'anticipated SKU-B']);
    await expectStoredEqualsFull();

    await app.get(EventRepository).close(p + 'EV-storm');
    const gone = await runs().run({ all: false, eventIds: [p + 'EV-storm'] });
    expect(changes(gone)).toEqual([]);
    expect(outlookChanges(gone)).toEqual(['anticipation_cleared SKU-A', 'anticipation_cleared SKU-B']);
    expect(await storedOutlooks()).toEqual(new Map());
  });
});
