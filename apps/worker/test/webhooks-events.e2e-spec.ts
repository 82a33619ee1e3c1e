jest.setTimeout(90_000);

import type { INestApplication } from '@nestjs/common';
import { RedisStore } from '@tiersight/queues';
import { deleteByPrefix, postJson, requestJson, RunningApi, startApi, startWorker } from '../../../test/support/api-harness';
import { deleteRedisKeys, obliterateQueues } from '../../../test/support/cleanup';
import { quakeAtT3, smallNetwork } from '../../../test/support/small-network';
import { uniquePrefix } from '../../../test/support/test-env';
import { eventually } from '../../../test/support/wait';
import { Receivers } from './webhooks-receivers';

/**
 * End to end: an event pushed through /v1/events is matched, propagated by the
 * risk engine, and the exposure it creates reaches a subscribed receiver as
 * exactly one exposure.created alert; closing the event sends exposure.resolved.
 * Numbers are the hand-computed ones of test/support/small-network.ts.
 */
describe('events to webhook alerts through the whole stack', () => {
  const p = uniquePrefix('whe');
  const queuePrefix = p.slice(0, -1);
  const receivers = new Receivers();
  const subIds: string[] = [];
  let api: RunningApi;
  let worker: INestApplication;

  beforeAll(async () => {
    receivers.on('/all', (_q, res) => res.end()).on('/big', (_q, res) => res.end());
    await receivers.start();
    const env = { QUEUE_PREFIX: queuePrefix, WEBHOOK_ALLOWED_TARGETS: '127.0.0.1/32' };
    api = await startApi(env);
    worker = await startWorker(env);
    expect((await postJson(`${api.url}/v1/graph/import`, smallNetwork(p))).status).toBe(200);
    const skuIds = [`${p}SKU-A`, `${p}SKU-B`];
    for (const [path, filters] of [
      ['/all', { skuIds }],
      ['/big', { skuIds, minRevenueAtRisk: 1e9 }],
    ] as const) {
      const res = await postJson(`${api.url}/v1/webhooks`, { url: `${receivers.base}${path}`, filters });
      expect(res.status).toBe(201);
      subIds.push(res.body.id);
      receivers.secret(path, res.body.secret);
    }
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

  it('an event creates exactly the expected alert, and closing it resolves it', async () => {
    const quake = quakeAtT3(p);
    const eventId = quake.id;
    const pushed = await postJson(`${api.url}/v1/events`, quake);
    expect(pushed.status).toBe(201);
    const created = await eventually('exposure.created delivered', async () => receivers.at('/all')[0], 30_000);
    expect(created.verified).toBe(true);
    expect(created.payload).toMatchObject({
      type: 'exposure.created',
      data: {
        skuId: `${p}SKU-A`,
        status: 'exposed',
        x: 0.5,
        days: 24,
        onsetDays: 37,
        revenueAtRisk: 120000,
        eventIds: [eventId],
        sku: { id: `${p}SKU-A`, name: 'Speaker A', category: 'audio' },
        events: [{ id: eventId, type: 'earthquake', title: 'M7.1 near Antofagasta', status: 'active' }],
        links: { exposure: `/v1/exposures/${p}SKU-A`, events: [`/v1/events/${eventId}`] },
      },
    });
    expect(created.payload!.data.criticalPath.map((h) => h.nodeId.slice(p.length))).toEqual(['T3', 'T2a', 'M1', 'SKU-A']);

    const closed = await postJson(`${api.url}/v1/events/${eventId}/close`, {});
    expect(closed.status).toBe(200);
    const resolved = await eventually('exposure.resolved delivered', async () => receivers.at('/all')[1], 30_000);
    expect(resolved.verified).toBe(true);
    expect(resolved.payload).toMatchObject({
      type: 'exposure.resolved',
      data: { skuId: `${p}SKU-A`, status: 'resolved', x: 0, previous: { x: 0.5, days: 24 } },
    });
    expect(resolved.id).not.toBe(created.id);

    // Nothing else: SKU-B was never exposed, and the big-revenue subscription never matched.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(receivers.at('/all').map((r) => r.payload!.type)).toEqual(['exposure.created', 'exposure.resolved']);
    expect(receivers.at('/big')).toHaveLength(0);
  });
});
