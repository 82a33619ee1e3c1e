jest.setTimeout(90_000);
import type { INestApplication } from '@nestjs/common';
import { deleteByPrefix, getFound, getJson, postJson, RunningApi, startApi, startWorker } from '../../../test/support/api-harness';
import { obliterateQueues } from '../../../test/support/cleanup';
import { KAOHSIUNG_AREA, quakeAtT3, smallNetwork } from '../../../test/support/small-network';
import { uniquePrefix } from '../../../test/support/test-env';
import { eventually } from '../../../test/support/wait';

/**
 * Through the real stack: import → push events → the worker propagates →
 * stored exposures and attribution records → close events → exposures resolve.
 * Expected numbers are hand-computed from DESIGN §3 on test/support/small-network.ts.
 */
describe('events propagate to stored exposures (real Neo4j and Redis)', () => {
  const p = uniquePrefix('prop');
  const queuePrefix = p.slice(0, -1);
  let api: RunningApi;
  let worker: INestApplication;

  // Other data may share the database (the demo network, other runs): look only at this run's ids.
  const mine = <T extends { siteId?: string; skuId?: string }>(rows: T[]) => rows.filter((r) => (r.siteId ?? r.skuId ?? '').startsWith(p));
  const exposure = (sku: string) => getFound(`${api.url}/v1/exposures/${p}${sku}`);
  const stormAtT2b = () => ({
    id: `${p}EV-storm`,
    type: 'storm',
    title: 'Typhoon over Kaohsiung',
    severity: 0.5,
    expectedDurationDays: 10,
    geometry: KAOHSIUNG_AREA,
  });

  beforeAll(async () => {
    api = await startApi({ QUEUE_PREFIX: queuePrefix });
    worker = await startWorker({ QUEUE_PREFIX: queuePrefix });
    const res = await postJson(`${api.url}/v1/graph/import`, smallNetwork(p));
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await worker.close();
    await obliterateQueues(api.app);
    await deleteByPrefix(api.neo4j, p);
    await api.close();
  });

  it('matches an event to the sites inside it and exposes the SKU with its critical path', async () => {
    const pushed = await postJson(`${api.url}/v1/events`, quakeAtT3(p));
    expect(pushed.status).toBe(201);
    expect(pushed.body.status).toBe('active');
    expect(mine(pushed.body.hits)).toEqual([{ siteId: `${p}T3`, x: 1, days: 40 }]);

    const a = await eventually('SKU-A exposed', () => exposure('SKU-A'));
    // T3 (1, 40) → T2a: g = 40−10 = 30, X = 1 → M1: g = 30−4 = 26, X = 0.5 → SKU-A: g = 26−2 = 24.
    expect(a).toMatchObject({ skuId: `${p}SKU-A`, x: 0.5, days: 24, onsetDays: 37, revenueAtRisk: 120000, eventIds: [`${p}EV-quake`] });
    expect(a.criticalPath.map((h: { nodeId: string }) => h.nodeId.slice(p.length))).toEqual(['T3', 'T2a', 'M1', 'SKU-A']);
    expect(a.criticalPath[1]).toMatchObject({ x: 1, days: 30, onsetDays: 30, via: { partId: `${p}P-core`, share: 1, bufferDays: 10, leadTimeDays: 20 } });
    expect(a.attribution).toEqual([{ eventId: `${p}EV-quake`, title: 'M7.1 near Antofagasta', x: 0.5, days: 24, onsetDays: 37, revenueAtRisk: 120000 }]);
    expect(await exposure('SKU-B')).toBeNull();

    // Stored per event: every SKU the event alone reaches.
    const stored = await api.neo4j.run(
      'MATCH (a:Attribution) WHERE a.eventId STARTS WITH $p UNWIND range(0, size(a.skuIds) - 1) AS i RETURN a.skuIds[i] AS sku, a.eventId AS ev, a.x[i] AS x, a.days[i] AS d',
      { p },
    );
    expect(stored.records.map((r) => r.toObject())).toEqual([{ sku: `${p}SKU-A`, ev: `${p}EV-quake`, x: 0.5, d: 24 }]);
  });

  it('combines a second event, attributes each, and lists by revenue at risk', async () => {
    expect((await postJson(`${api.url}/v1/events`, stormAtT2b())).status).toBe(201);
    // M1 P-mod: 0.5 (T2a, g 26) + 0.3·0.5 (T2b, g 10) = 0.65, onset min(34, 0+3+0) = 3.
    const a = await eventually('SKU-A worsened', async () => ((await exposure('SKU-A'))?.x > 0.6 ? exposure('SKU-A') : null));
    expect(a).toMatchObject({ x: 0.65, days: 24, onsetDays: 6, revenueAtRisk: 156000 });
    expect(a.eventIds).toEqual([`${p}EV-quake`]); // the critical path still runs through T3 (0.5 > 0.15)
    expect(a.attribution).toEqual([
      expect.objectContaining({ eventId: `${p}EV-quake`, x: 0.5, days: 24, revenueAtRisk: 120000 }),
      expect.objectContaining({ eventId: `${p}EV-storm`, x: 0.15, days: 8, revenueAtRisk: 12000 }),
    ]);
    const b = await eventually('SKU-B exposed', () => exposure('SKU-B'));
    expect(b).toMatchObject({ x: 0.5, days: 5, onsetDays: 7, revenueAtRisk: 12500 });

    const list = await getJson(`${api.url}/v1/exposures?eventId=${p}EV-storm`);
    expect(mine(list.body.items).map((e) => e.skuId)).toEqual([`${p}SKU-A`, `${p}SKU-B`]);
  });

  it('answers a what-if without touching stored exposures', async () => {
    const res = await postJson(`${api.url}/v1/scenarios`, { impacts: [{ siteIds: [`${p}T2b`], x: 1, days: 30 }] });
    expect(res.status).toBe(200);
    const b = res.body.exposures.find((e: { skuId: string }) => e.skuId === `${p}SKU-B`);
    expect(b).toMatchObject({ x: 1, days: 25, onsetDays: 7, revenueAtRisk: 125000 });
    const bad = await postJson(`${api.url}/v1/scenarios`, { impacts: [{ siteIds: [`${p}nope`], x: 1, days: 3 }] });
    expect(bad.status).toBe(422);
    expect((await exposure('SKU-B')).revenueAtRisk).toBe(12500);
  });

  it('resolves exposures when their events close', async () => {
    expect((await postJson(`${api.url}/v1/events/${p}EV-quake/close`, {})).status).toBe(200);
    const a = await eventually('SKU-A improved', async () => ((await exposure('SKU-A'))?.x < 0.2 ? exposure('SKU-A') : null));
    expect(a).toMatchObject({ x: 0.15, days: 8, onsetDays: 6, revenueAtRisk: 12000, eventIds: [`${p}EV-storm`] });
    expect((await postJson(`${api.url}/v1/events/${p}EV-storm/close`, {})).status).toBe(200);
    await eventually('all resolved', async () => (await exposure('SKU-A')) === null && (await exposure('SKU-B')) === null);
    const records = await api.neo4j.run('MATCH (a:Attribution) WHERE a.eventId STARTS WITH $p RETURN count(a) AS c', { p });
    expect(records.records[0].get('c')).toBe(0);
    const closed = await getJson(`${api.url}/v1/events/${p}EV-quake`);
    expect(closed.body.status).toBe('closed');
    expect(mine(closed.body.hits).map((h) => h.siteId)).toEqual([`${p}T3`]);
  });
});
