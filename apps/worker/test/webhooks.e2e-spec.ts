jest.setTimeout(90_000);

import type { INestApplication } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { RedisStore } from '@tiersight/queues';
import { EXPOSURE_CHANGES_STREAM } from '@tiersight/contracts';
import { signV1, type DeliveryView } from '@tiersight/webhooks';
import { getJson, postJson, requestJson, RunningApi, startApi, startWorker } from '../../../test/support/api-harness';
import { deleteRedisKeys, obliterateQueues } from '../../../test/support/cleanup';
import { uniquePrefix } from '../../../test/support/test-env';
import { eventually } from '../../../test/support/wait';
import { change, exposureOf, Receivers } from './webhooks-receivers';

/**
 * Webhook alerts through the real API, worker, Redis, Neo4j and real local
 * HTTP receivers: a healthy one, one answering 500 twice then 200, one that
 * hangs and one answering 410. Changes are published on the risk engine's
 * stream exactly as a propagation run publishes them.
 */
describe('webhook alerts delivered by the worker (real HTTP, Redis, Neo4j)', () => {
  const p = uniquePrefix('wh');
  const queuePrefix = p.slice(0, -1);
  const sku = (n: number) => `${p}SKU-${n}`;
  const skuIds = [1, 2, 3, 4, 5].map(sku);
  const batchSku = (n: number) => `${p}BATCH-${n}`;
  const receivers = new Receivers();
  const subs: Record<string, { id: string; secret: string }> = {};
  let api: RunningApi;
  let worker: INestApplication;
  const common = {
    QUEUE_PREFIX: queuePrefix,
    WEBHOOK_TIMEOUT_MS: '500',
    WEBHOOK_ATTEMPTS: '4',
    WEBHOOK_BACKOFF_BASE_MS: '200',
    WEBHOOK_BACKOFF_MAX_MS: '800',
    WEBHOOK_PAUSE_AFTER_FAILURES: '3',
    WEBHOOK_SECRET_GRACE_S: '3600',
    WEBHOOK_PUBLIC_API_URL: 'https://tiersight.example/api',
  };

  const publish = async (...changes: unknown[]) => {
    const store = api.app.get(RedisStore);
    const at = Date.now();
    for (const c of changes) await store.client.xadd(store.key(EXPOSURE_CHANGES_STREAM), '*', 'change', JSON.stringify(c));
    return at;
  };
  const deliveries = async (name: string) => (await getJson(`${api.url}/v1/webhooks/${subs[name].id}/deliveries?limit=100`)).body.items as DeliveryView[];
  const subscription = async (name: string) => (await getJson(`${api.url}/v1/webhooks/${subs[name].id}`)).body;

  beforeAll(async () => {
    receivers
      .on('/healthy', (_q, res) => res.end('ok'))
      .on('/flaky', (_q, res, seen) => {
        res.statusCode = seen <= 2 ? 500 : 200;
        res.end(seen <= 2 ? 'try again' : 'ok');
      })
      .on('/hang', () => undefined)
      .on('/gone', (_q, res) => {
        res.statusCode = 410;
        res.end('gone');
      })
      .on('/refused', (_q, res) => res.end('ok'))
      // A burst of alerts goes out in batch jobs: one SKU fails once with 500, one always, one is refused with 400.
      .on('/batch', (_q, res, seen, payload) => {
        const skuId = payload?.data?.skuId;
        res.statusCode = (skuId === batchSku(5) && seen === 1) || skuId === batchSku(7) ? 500 : skuId === batchSku(9) ? 400 : 200;
        res.end();
      });
    await receivers.start();
    api = await startApi({ ...common, WEBHOOK_ALLOWED_TARGETS: '127.0.0.0/8,::1' });
    // The worker admits 127.0.0.1 only: a URL the API accepted can still be refused when it is delivered.
    worker = await startWorker({ ...common, WEBHOOK_ALLOWED_TARGETS: '127.0.0.1/32', WEBHOOK_ENDPOINT_CONCURRENCY: '4' });
    for (const name of ['healthy', 'flaky', 'hang', 'gone']) {
      const res = await postJson(`${api.url}/v1/webhooks`, { url: `${receivers.base}/${name}`, description: name, filters: { skuIds } });
      expect(res.status).toBe(201);
      subs[name] = { id: res.body.id, secret: res.body.secret };
      receivers.secret(`/${name}`, res.body.secret);
    }
  });

  afterAll(async () => {
    await worker?.close();
    for (const s of Object.values(subs)) await requestJson('DELETE', `${api.url}/v1/webhooks/${s.id}`);
    await obliterateQueues(api.app);
    await deleteRedisKeys(api.app.get(RedisStore).client, queuePrefix);
    await api.close();
    await receivers.close();
  });

  it('manages subscriptions: the secret is shown once, bad input is a 4xx problem', async () => {
    expect(subs.healthy.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    const one = await getJson(`${api.url}/v1/webhooks/${subs.healthy.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      id: subs.healthy.id,
      url: `${receivers.base}/healthy`,
      enabled: true,
      status: 'active',
      pausedReason: null,
      filters: { skuIds },
    });
    expect(JSON.stringify(one.body)).not.toContain('whsec_');
    const list = await getJson(`${api.url}/v1/webhooks?limit=500`);
    expect(list.body.items.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining(Object.values(subs).map((s) => s.id)));
    expect(JSON.stringify(list.body)).not.toContain('whsec_');

    const bad = [
      [{ url: 'ftp://127.0.0.1/x' }, 422],
      [{ url: 'http://10.0.0.7/hook' }, 422],
      [{ url: 'http://169.254.169.254/latest/meta-data' }, 422],
      [{ url: 'http://[::ffff:192.168.0.1]/' }, 422],
      [{ url: 'http://user:pw@127.0.0.1/' }, 422],
      [{ url: 'not a url' }, 422],
      [{ url: `${receivers.base}/x`, filters: { minX: 2 } }, 400],
      [{ url: `${receivers.base}/x`, filters: { alertTypes: ['exposure.exploded'] } }, 400],
      [{ url: `${receivers.base}/x`, filters: { supplierCountries: ['tw'] } }, 400],
      [{ url: `${receivers.base}/x`, secret: 'whsec_mine' }, 400],
      [{}, 400],
    ] as const;
    for (const [body, status] of bad) {
      const res = await postJson(`${api.url}/v1/webhooks`, body);
      expect({ body, status: res.status, type: res.type }).toEqual({ body, status, type: expect.stringMatching(/application\/problem\+json/) });
    }
    expect((await getJson(`${api.url}/v1/webhooks/wh_doesnotexist1`)).status).toBe(404);
    expect((await getJson(`${api.url}/v1/webhooks/not-an-id`)).status).toBe(400);
    expect((await getJson(`${api.url}/v1/webhooks`, { authorization: '' })).status).toBe(401);
    const analyst = await postJson(`${api.url}/v1/keys`, { role: 'analyst', name: `${p}analyst` });
    expect((await getJson(`${api.url}/v1/webhooks/${subs.healthy.id}`, { authorization: `Bearer ${analyst.body.key}` })).status).toBe(200);
    await requestJson('DELETE', `${api.url}/v1/keys/${analyst.body.id}`);
  });

  it('delivers a signed alert to the healthy receiver at once while the others retry, fail or get paused', async () => {
    const sent = await publish(change('created', sku(1), exposureOf(sku(1))));
    const first = await eventually('healthy receiver got the alert', async () => receivers.at('/healthy')[0], 5_000);
    expect(first.at - sent).toBeLessThan(2_000);
    expect(first.verified).toBe(true);
    expect(first.payload).toMatchObject({
      type: 'exposure.created',
      data: {
        skuId: sku(1),
        status: 'exposed',
        x: 0.5,
        days: 24,
        onsetDays: 37,
        revenueAtRisk: 120000,
        previous: null,
        sku: { id: sku(1) },
        criticalPath: [{ nodeId: `${sku(1)}-SITE` }, { nodeId: sku(1) }],
        links: { exposure: `https://tiersight.example/api/v1/exposures/${encodeURIComponent(sku(1))}` },
      },
    });
    expect(first.id).toMatch(/^msg_/);
    expect(Math.abs(Number(first.timestamp) - Date.now() / 1000)).toBeLessThan(10);

    // 500, 500, then 200: three tries with the same webhook-id, each signed afresh.
    const flaky = await eventually(
      'flaky delivered',
      async () => {
        const d = (await deliveries('flaky'))[0];
        return d?.status === 'delivered' ? d : null;
      },
      15_000,
    );
    expect(flaky).toMatchObject({ attempts: 3, responseCode: 200, lastError: null, type: 'exposure.created', skuId: sku(1) });
    const flakyTries = receivers.at('/flaky');
    expect(flakyTries.map((r) => r.id)).toEqual([flaky.id, flaky.id, flaky.id]);
    expect(flakyTries.every((r) => r.verified)).toBe(true);
    // Backoff between the tries (base 200 ms, full jitter): later tries never come before earlier ones.
    expect(flakyTries[2].at).toBeGreaterThanOrEqual(flakyTries[1].at);

    // 410 Gone: no retry, failed, and the subscription is paused with the reason.
    const gone = await eventually(
      'gone failed',
      async () => {
        const d = (await deliveries('gone'))[0];
        return d?.status === 'failed' ? d : null;
      },
      10_000,
    );
    expect(gone).toMatchObject({ attempts: 1, responseCode: 410 });
    expect(receivers.at('/gone')).toHaveLength(1);
    expect(
      await eventually(
        'gone paused',
        async () => {
          const s = await subscription('gone');
          return s.status === 'paused' ? s : null;
        },
        5_000,
      ),
    ).toMatchObject({ status: 'paused', enabled: false, pausedBy: 'auto', pausedReason: expect.stringMatching(/410 Gone/) });

    // The hanging endpoint: every try times out; after 3 in a row it is paused and the last try is not made.
    const hang = await eventually(
      'hang failed',
      async () => {
        const d = (await deliveries('hang'))[0];
        return d?.status === 'failed' ? d : null;
      },
      20_000,
    );
    expect(hang.attempts).toBe(3);
    expect(hang.lastError).toMatch(/paused/);
    expect(receivers.at('/hang')).toHaveLength(3);
    const hangSub = await subscription('hang');
    expect(hangSub).toMatchObject({ status: 'paused', pausedBy: 'auto', health: { consecutiveFailures: 3 } });
    expect(hangSub.pausedReason).toMatch(/3 failed tries in a row.*no complete answer within 500 ms/);

    // The healthy receiver got exactly one request for that change.
    expect(receivers.at('/healthy')).toHaveLength(1);
    const healthyLog = await deliveries('healthy');
    expect(healthyLog).toEqual([expect.objectContaining({ id: first.id, status: 'delivered', attempts: 1, responseCode: 200, latencyMs: expect.any(Number) })]);
  });

  it('keeps the healthy receiver on time while a paused or failing endpoint has deliveries queued', async () => {
    // Resume the hanging endpoint: its new alerts time out again while the healthy one's arrive at once.
    expect((await requestJson('PATCH', `${api.url}/v1/webhooks/${subs.hang.id}`, { enabled: true })).body).toMatchObject({
      status: 'active',
      pausedReason: null,
      health: { consecutiveFailures: 0 },
    });
    await new Promise((r) => setTimeout(r, 400));
    const before = receivers.at('/healthy').length;
    const sent = await publish(
      change('created', sku(2), exposureOf(sku(2))),
      change('created', sku(3), exposureOf(sku(3))),
      change('created', sku(4), exposureOf(sku(4))),
    );
    await eventually('healthy got three more', async () => receivers.at('/healthy').length === before + 3, 5_000);
    const latest = receivers.at('/healthy').slice(before);
    expect(Math.max(...latest.map((r) => r.at)) - sent).toBeLessThan(2_000);
    expect(latest.map((r) => r.payload!.data.skuId).sort()).toEqual([sku(2), sku(3), sku(4)]);
    expect(latest.every((r) => r.verified)).toBe(true);
    await eventually('hang paused again', async () => (await subscription('hang')).status === 'paused', 20_000);
    // Its queued deliveries settle (none left to try) before the next test counts requests.
    await eventually('hang deliveries settled', async () => (await deliveries('hang')).every((d) => !['pending', 'retrying'].includes(d.status)), 20_000);
  });

  it('sends a burst in batches: a failed first try goes on alone with the tries that are left, a refused one fails, the rest arrive once', async () => {
    const batchSkus = Array.from({ length: 40 }, (_, i) => batchSku(i + 1));
    const res = await postJson(`${api.url}/v1/webhooks`, { url: `${receivers.base}/batch`, description: 'batch', filters: { skuIds: batchSkus } });
    expect(res.status).toBe(201);
    subs.batch = { id: res.body.id, secret: res.body.secret };
    receivers.secret('/batch', res.body.secret);
    await new Promise((r) => setTimeout(r, 400)); // the worker's subscription cache sees it
    await publish(...batchSkus.map((s) => change('created', s, exposureOf(s))));
    const settled = await eventually(
      'batch deliveries settled',
      async () => {
        const log = await deliveries('batch');
        return log.length === 40 && log.every((d) => ['delivered', 'failed'].includes(d.status)) ? log : null;
      },
      20_000,
    );
    const bySku = new Map(settled.map((d) => [d.skuId, d]));
    expect(bySku.get(batchSku(5))).toMatchObject({ status: 'delivered', attempts: 2, responseCode: 200 });
    expect(bySku.get(batchSku(9))).toMatchObject({ status: 'failed', attempts: 1, responseCode: 400 });
    // WEBHOOK_ATTEMPTS=4 in all: the first in the batch, three more on its own.
    expect(bySku.get(batchSku(7))).toMatchObject({ status: 'failed', attempts: 4, responseCode: 500 });
    const special = new Set([5, 7, 9].map(batchSku));
    const others = settled.filter((d) => !special.has(d.skuId));
    expect(others.every((d) => d.status === 'delivered' && d.attempts === 1)).toBe(true);
    // Exactly one request per alert, plus the retries, all verified by standardwebhooks.
    const got = receivers.at('/batch');
    expect(got).toHaveLength(40 + 1 + 3);
    expect(got.filter((r) => r.payload!.data.skuId === batchSku(7))).toHaveLength(4);
    expect(new Set(got.map((r) => r.payload!.data.skuId))).toEqual(new Set(batchSkus));
    expect(got.every((r) => r.verified)).toBe(true);
    expect(got.filter((r) => r.payload!.data.skuId === batchSku(5)).map((r) => r.id)).toEqual([bySku.get(batchSku(5))!.id, bySku.get(batchSku(5))!.id]);
  });

  it('sends nothing for an unchanged exposure, then worsened, improved and resolved past the steps', async () => {
    const before = receivers.at('/healthy').length;
    const e = exposureOf(sku(1));
    // The risk engine saw a tiny move: below every step, no alert.
    await publish(change('worsened', sku(1), { ...e, x: 0.505, revenueAtRisk: 121200 }, e));
    await publish(change('worsened', sku(1), { ...e, x: 0.7, days: 30, revenueAtRisk: 210000 }, e));
    await eventually('worsened arrives', async () => receivers.at('/healthy').length === before + 1, 5_000);
    await publish(change('improved', sku(1), { ...e, x: 0.3, revenueAtRisk: 72000 }, e));
    await publish(change('resolved', sku(1), null, e));
    await eventually('improved and resolved arrive', async () => receivers.at('/healthy').length === before + 3, 5_000);
    await new Promise((r) => setTimeout(r, 800));
    const got = receivers
      .at('/healthy')
      .slice(before)
      .map((r) => r.payload!);
    expect(got.map((g) => g.type)).toEqual(['exposure.worsened', 'exposure.improved', 'exposure.resolved']);
    expect(got[0].data).toMatchObject({ x: 0.7, days: 30, previous: { x: 0.5, days: 24, revenueAtRisk: 120000 } });
    expect(got[1].data).toMatchObject({ x: 0.3, previous: { x: 0.7 } });
    expect(got[2].data).toMatchObject({ status: 'resolved', x: 0, revenueAtRisk: 0, reason: 'not-exposed', previous: { x: 0.3 } });
    // A repeated resolve, and a change for a SKU outside the filters, say nothing.
    await publish(change('resolved', sku(1), null, e), change('created', `${p}OTHER`, exposureOf(`${p}OTHER`)));
    await new Promise((r) => setTimeout(r, 800));
    expect(receivers.at('/healthy').length).toBe(before + 3);
  });

  it('rejects forged, stale and altered deliveries with the standardwebhooks library', () => {
    const r = receivers.at('/healthy')[0];
    const headers = { 'webhook-id': r.id, 'webhook-timestamp': r.timestamp, 'webhook-signature': r.signature };
    expect(new Webhook(subs.healthy.secret).verify(r.body, headers)).toEqual(r.payload);
    expect(() => new Webhook(subs.flaky.secret).verify(r.body, headers)).toThrow(/No matching signature/);
    expect(() => new Webhook(subs.healthy.secret).verify(r.body.replace('"x":0.5', '"x":0.1'), headers)).toThrow(/No matching signature/);
    const old = Math.floor(Date.now() / 1000) - 600;
    const stale = { ...headers, 'webhook-timestamp': String(old), 'webhook-signature': signV1(subs.healthy.secret, r.id, old, r.body) };
    expect(() => new Webhook(subs.healthy.secret).verify(r.body, stale)).toThrow(/too old/);
  });

  it('replays a delivery with the same webhook-id; refuses a replay to a paused endpoint', async () => {
    const first = receivers.at('/healthy')[0];
    const replay = await postJson(`${api.url}/v1/webhooks/deliveries/${first.id}/replay`, {});
    expect(replay.status).toBe(202);
    expect(replay.body).toMatchObject({ id: first.id, status: 'pending', replays: 1, attempts: 0 });
    const again = await eventually('replayed', async () => receivers.at('/healthy').filter((r) => r.id === first.id)[1], 5_000);
    expect(again.body).toBe(first.body);
    expect(again.verified).toBe(true);
    await eventually('replay recorded', async () => (await getJson(`${api.url}/v1/webhooks/deliveries/${first.id}`)).body.status === 'delivered');

    const goneDelivery = (await deliveries('gone'))[0];
    const refused = await postJson(`${api.url}/v1/webhooks/deliveries/${goneDelivery.id}/replay`, {});
    expect(refused.status).toBe(409);
    expect(refused.type).toMatch(/problem\+json/);
    expect((await postJson(`${api.url}/v1/webhooks/deliveries/msg_0000000000000000000000000a/replay`, {})).status).toBe(404);
  });

  it('signs with the old and the new secret during a rotation', async () => {
    const rotated = await postJson(`${api.url}/v1/webhooks/${subs.healthy.id}/rotate-secret`, {});
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(subs.healthy.secret);
    expect(Date.parse(rotated.body.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(3500_000);
    await new Promise((r) => setTimeout(r, 400));
    const before = receivers.at('/healthy').length;
    await publish(change('created', sku(5), exposureOf(sku(5))));
    const r = await eventually('delivery after rotation', async () => receivers.at('/healthy')[before], 5_000);
    expect(r.signature.split(' ')).toHaveLength(2);
    const headers = { 'webhook-id': r.id, 'webhook-timestamp': r.timestamp, 'webhook-signature': r.signature };
    expect(new Webhook(rotated.body.secret).verify(r.body, headers)).toBeTruthy();
    expect(new Webhook(subs.healthy.secret).verify(r.body, headers)).toBeTruthy();
    subs.healthy.secret = rotated.body.secret;
  });

  it('checks the address again at delivery time (a URL the API accepted can be refused by the worker)', async () => {
    const created = await postJson(`${api.url}/v1/webhooks`, { url: `${receivers.base.replace('127.0.0.1', '127.0.0.2')}/refused`, filters: { skuIds } });
    expect(created.status).toBe(201);
    subs.refused = { id: created.body.id, secret: created.body.secret };
    await new Promise((r) => setTimeout(r, 400));
    // New to this subscription (created), unchanged for the others (nothing).
    const before = receivers.got.length;
    await publish(change('worsened', sku(2), exposureOf(sku(2)), exposureOf(sku(2))));
    await eventually(
      'refused delivery failed',
      async () => {
        const d = (await deliveries('refused'))[0];
        return d?.status === 'failed' ? d : null;
      },
      10_000,
    ).then((d) => expect(d).toMatchObject({ attempts: 1, responseCode: null, lastError: expect.stringMatching(/^refused: .*127\.0\.0\.2.*loopback/) }));
    expect(receivers.at('/refused')).toHaveLength(0);
    expect(receivers.got.length).toBe(before);
  });
});
