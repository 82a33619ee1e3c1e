jest.setTimeout(120_000);

import type { INestApplication } from '@nestjs/common';
import { QueueProducer, RedisStore } from '@tiersight/queues';
import { deleteByPrefix, getJson, postJson, requestJson, RunningApi, startApi, startWorker } from '../../../test/support/api-harness';
import { deleteRedisKeys, obliterateQueues } from '../../../test/support/cleanup';
import { smallNetwork } from '../../../test/support/small-network';
import { uniquePrefix } from '../../../test/support/test-env';
import { eventually } from '../../../test/support/wait';
import { Receivers } from './webhooks-receivers';

/**
 * DESIGN §10 through the whole stack: an anticipated impact (a HITS edge
 * marked anticipated with its p, as a forecast writes it) leaves the observed
 * exposures alone, shows in `GET /v1/exposures?outlook=true` and reaches a
 * subscribed receiver as signed `exposure.anticipated` alerts carrying the
 * event and its p; when it is observed the ordinary alerts follow with no
 * clearing; when it goes away unobserved, `exposure.anticipation_cleared`.
 * Numbers hand-computed on test/support/small-network.ts.
 */
describe('anticipated impacts to outlooks and alerts through the whole stack', () => {
  const p = uniquePrefix('antic');
  const queuePrefix = p.slice(0, -1);
  const receivers = new Receivers();
  const subIds: string[] = [];
  const eventId = `${p}EV-forecast`;
  let api: RunningApi;
  let worker: INestApplication;

  const types = () => receivers.at('/all').map((r) => `${r.payload!.type} ${r.payload!.data.skuId.slice(p.length)}`);
  const propagate = () => api.app.get(QueueProducer).requestPropagation({ cause: 'manual', eventId });
  /** The forecast's hit on T2b (0.5 for 10 days): anticipated with `prob`, or observed when null. */
  const setHit = (prob: number | null) =>
    api.neo4j.run(
      prob === null
        ? 'MATCH (:Event {id: $id})-[h:HITS]->() REMOVE h.anticipated, h.p'
        : 'MATCH (:Event {id: $id})-[h:HITS]->() SET h.anticipated = true, h.p = $p',
      { id: eventId, p: prob },
    );

  beforeAll(async () => {
    receivers.on('/all', (_q, res) => res.end());
    await receivers.start();
    const env = { QUEUE_PREFIX: queuePrefix, WEBHOOK_ALLOWED_TARGETS: '127.0.0.1/32' };
    api = await startApi(env);
    worker = await startWorker(env);
    expect((await postJson(`${api.url}/v1/graph/import`, smallNetwork(p))).status).toBe(200);
    const res = await postJson(`${api.url}/v1/webhooks`, { url: `${receivers.base}/all`, filters: { skuIds: [`${p}SKU-A`, `${p}SKU-B`] } });
    expect(res.status).toBe(201);
    subIds.push(res.body.id);
    receivers.secret('/all', res.body.secret);
  });

  afterAll(async () => {
    await worker?.close();
    for (const id of subIds) await requestJson('DELETE', `${api.url}/v1/webhooks/${id}`);
    await obliterateQueues(api.app);
    await deleteRedisKeys(api.app.get(RedisStore).client, queuePrefix);
    await deleteByPrefix(api.neo4j, p);
    await api.close();
    await receivers.close();
  });

  it('an anticipated hit gives outlooks and exposure.anticipated alerts with the event and its p, and no exposure', async () => {
    await api.neo4j.run(
      `MATCH (s:Site {id: $site})
       CREATE (e:Event {id: $id, source: 'push', type: 'storm', title: 'Typhoon forecast', severity: 0.5, expectedDurationDays: 10,
                        geometryJson: '{"type":"Point","coordinates":[120.3,22.63]}', radiusKm: 10,
                        status: 'active', startsAt: datetime(), updatedAt: datetime()})
       CREATE (e)-[:HITS {source: 'geo', intensity: 0.5, durationDays: 10, anticipated: true, p: 0.85}]->(s)`,
      { id: eventId, site: `${p}T2b` },
    );
    await propagate();
    await eventually('two anticipated alerts', async () => receivers.at('/all').length >= 2, 30_000);
    expect(types().sort()).toEqual(['exposure.anticipated SKU-A', 'exposure.anticipated SKU-B']);
    expect(receivers.at('/all').every((r) => r.verified)).toBe(true);
    const b = receivers.at('/all').find((r) => r.payload!.data.skuId === `${p}SKU-B`)!;
    // T2b (0.5, 10) → SKU-B: g = 10 − 5, onset 0 + 2 + 5
    expect(b.payload!.data).toMatchObject({
      status: 'anticipated',
      x: 0.5,
      days: 5,
      onsetDays: 7,
      revenueAtRisk: 12500,
      p: 0.85,
      joint: false,
      events: [{ id: eventId, type: 'storm', title: 'Typhoon forecast', status: 'active', p: 0.85 }],
      observed: null,
    });

    const outlooks = await getJson(`${api.url}/v1/exposures?outlook=true`);
    expect(outlooks.status).toBe(200);
    const mine = outlooks.body.items.filter((i: { skuId: string }) => i.skuId.startsWith(p));
    // SKU-A: M1 gets 0.3 · 0.5 for 10 days from onset 3 → (0.15, 8, onset 6), 12,000
    expect(mine.map((i: { skuId: string; outlook: { revenueAtRisk: number } }) => [i.skuId.slice(p.length), i.outlook.revenueAtRisk])).toEqual([
      ['SKU-B', 12500],
      ['SKU-A', expect.closeTo(12000, 6)],
    ]);
    expect(mine[0]).toMatchObject({ name: 'Speaker B', observed: null, outlook: { p: 0.85, events: [{ eventId, p: 0.85 }] } });
    const plain = await getJson(`${api.url}/v1/exposures`);
    expect(plain.body.items.filter((i: { skuId: string }) => i.skuId.startsWith(p))).toEqual([]);
    expect((await getJson(`${api.url}/v1/exposures?outlook=maybe`)).status).toBe(400);
    // One SKU's outlook, as its page reads it: the same record as the list's.
    const one = await getJson(`${api.url}/v1/exposures/${p}SKU-B/outlook`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(mine[0]);
    const none = await getJson(`${api.url}/v1/exposures/${p}SKU-none/outlook`);
    expect(none.status).toBe(404);
    expect(none.type).toMatch(/problem\+json/);
  });

  it('once observed, the ordinary alerts follow and nothing is cleared', async () => {
    await setHit(null);
    await propagate();
    await eventually('two created alerts', async () => receivers.at('/all').length >= 4, 30_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(types().slice(2).sort()).toEqual(['exposure.created SKU-A', 'exposure.created SKU-B']);
    expect((await getJson(`${api.url}/v1/exposures?outlook=true`)).body.items.filter((i: { skuId: string }) => i.skuId.startsWith(p))).toEqual([]);
    expect((await getJson(`${api.url}/v1/exposures/${p}SKU-B/outlook`)).status).toBe(404);
  });

  it('anticipated again, then gone unobserved: exposure.anticipation_cleared with the why', async () => {
    await setHit(0.6);
    await propagate();
    await eventually('resolved and anticipated again', async () => receivers.at('/all').length >= 8, 30_000);
    expect(types().slice(4).sort()).toEqual(['exposure.anticipated SKU-A', 'exposure.anticipated SKU-B', 'exposure.resolved SKU-A', 'exposure.resolved SKU-B']);
    expect((await postJson(`${api.url}/v1/events/${eventId}/close`, {})).status).toBe(200);
    await eventually('cleared', async () => receivers.at('/all').length >= 10, 30_000);
    expect(types().slice(8).sort()).toEqual(['exposure.anticipation_cleared SKU-A', 'exposure.anticipation_cleared SKU-B']);
    const cleared = receivers.at('/all')[8];
    expect(cleared.verified).toBe(true);
    expect(cleared.payload!.data).toMatchObject({ status: 'cleared', p: 0.6, events: [{ id: eventId, p: 0.6, status: 'closed' }] });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(receivers.at('/all')).toHaveLength(10);
  });
});
