jest.setTimeout(90_000);

import type { ChildProcess } from 'node:child_process';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QUEUES, RedisStore } from '@tiersight/queues';
import { EXPOSURE_CHANGES_STREAM } from '@tiersight/contracts';
import { getJson, postJson, requestJson, RunningApi, startApi } from '../../../test/support/api-harness';
import { deleteRedisKeys, obliterateQueues } from '../../../test/support/cleanup';
import { uniquePrefix } from '../../../test/support/test-env';
import { eventually } from '../../../test/support/wait';
import { spawnWorkerProcess } from '../../../test/support/worker-process';
import { change, exposureOf, Receivers } from './webhooks-receivers';

const ALERTS = 1000;

/**
 * A real worker process, SIGKILLed in the middle of a burst of 1,000 alerts
 * and started again: every alert reaches the healthy receiver at least once
 * (counted by webhook-id, none missing), through the change stream's pending
 * entries, the idempotent alert records and BullMQ's stalled-job recovery.
 */
describe('webhook delivery survives a killed worker', () => {
  const p = uniquePrefix('whk');
  const queuePrefix = p.slice(0, -1);
  const receivers = new Receivers();
  let api: RunningApi;
  let subId = '';
  const children: ChildProcess[] = [];

  const spawnWorker = () => {
    const child = spawnWorkerProcess({
      NODE_ENV: 'test',
      QUEUE_PREFIX: queuePrefix,
      LOG_LEVEL: 'warn',
      WEBHOOK_ALLOWED_TARGETS: '127.0.0.1/32',
      WEBHOOK_TIMEOUT_MS: '1000',
      WEBHOOK_BACKOFF_BASE_MS: '200',
      WEBHOOK_BACKOFF_MAX_MS: '1000',
      TS_NODE_TRANSPILE_ONLY: 'true',
      MQTT_URL: undefined,
      FEEDS: undefined,
      FEEDS_FILE: undefined,
    });
    children.push(child);
    return child;
  };
  const deliveryQueue = () => api.app.get<Queue>(getQueueToken(QUEUES.webhooks));
  const workerUp = () => eventually('worker process ready', async () => (await deliveryQueue().getWorkers()).length > 0, 60_000);

  beforeAll(async () => {
    receivers.on('/healthy', (_q, res) => setTimeout(() => res.end('ok'), 5));
    await receivers.start();
    api = await startApi({ QUEUE_PREFIX: queuePrefix, WEBHOOK_ALLOWED_TARGETS: '127.0.0.1/32' });
    const created = await postJson(`${api.url}/v1/webhooks`, { url: `${receivers.base}/healthy`, filters: { categories: [`${p}none`], skuIds: [] } });
    expect(created.status).toBe(201);
    subId = created.body.id;
    receivers.secret('/healthy', created.body.secret);
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    const stillRunning = children.filter((c) => c.exitCode === null && c.signalCode === null);
    await Promise.all(stillRunning.map((c) => new Promise((r) => c.once('exit', r))));
    if (subId) await requestJson('DELETE', `${api.url}/v1/webhooks/${subId}`);
    await obliterateQueues(api.app);
    await deleteRedisKeys(api.app.get(RedisStore).client, queuePrefix);
    await api.close();
    await receivers.close();
  });

  it('delivers every alert of a burst at least once across a SIGKILL and a restart', async () => {
    const skuIds = Array.from({ length: ALERTS }, (_, i) => `${p}SKU-${String(i).padStart(4, '0')}`);
    // The subscription admits exactly this burst (no other change of the shared database can reach it).
    expect((await requestJson('PATCH', `${api.url}/v1/webhooks/${subId}`, { filters: { skuIds } })).status).toBe(200);

    const first = spawnWorker();
    await workerUp();
    await eventually(
      'change consumer group ready',
      async () => {
        const store = api.app.get(RedisStore);
        const groups = (await store.client.xinfo('GROUPS', store.key(EXPOSURE_CHANGES_STREAM)).catch(() => [])) as unknown[];
        return groups.length > 0;
      },
      30_000,
    );

    let killedAt = -1;
    receivers.onReceive(() => {
      if (killedAt < 0 && receivers.got.length >= 150) {
        killedAt = receivers.got.length;
        first.kill('SIGKILL');
      }
    });
    const store = api.app.get(RedisStore);
    const pipeline = store.client.pipeline();
    for (const id of skuIds) pipeline.xadd(store.key(EXPOSURE_CHANGES_STREAM), '*', 'change', JSON.stringify(change('created', id, exposureOf(id))));
    await pipeline.exec();

    await eventually('first worker killed mid-burst', async () => first.signalCode === 'SIGKILL', 30_000);
    expect(killedAt).toBeGreaterThanOrEqual(150);
    const beforeRestart = new Set(receivers.got.map((r) => r.payload?.data?.skuId)).size;
    expect(beforeRestart).toBeLessThan(ALERTS);

    spawnWorker();
    await workerUp();
    await eventually('every SKU alerted', async () => new Set(receivers.got.map((r) => r.payload?.data?.skuId)).size === ALERTS, 70_000);

    // The delivery log holds one delivery per alert; each of their webhook-ids reached the receiver.
    const logged: Array<{ id: string; status: string; skuId: string }> = [];
    let cursor: string | null = null;
    do {
      const page = await getJson(`${api.url}/v1/webhooks/${subId}/deliveries?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
      logged.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(logged).toHaveLength(ALERTS);
    expect(new Set(logged.map((d) => d.skuId)).size).toBe(ALERTS);
    const receivedIds = new Set(receivers.got.map((r) => r.id));
    expect(logged.filter((d) => !receivedIds.has(d.id))).toEqual([]);
    expect(receivers.got.filter((r) => !r.verified)).toEqual([]);
    await eventually(
      'log shows every delivery delivered',
      async () => {
        const counts = new Map<string, number>();
        let c: string | null = null;
        do {
          const page = await getJson(`${api.url}/v1/webhooks/${subId}/deliveries?limit=500${c ? `&cursor=${c}` : ''}`);
          for (const d of page.body.items) counts.set(d.status, (counts.get(d.status) ?? 0) + 1);
          c = page.body.nextCursor;
        } while (c);
        return counts.get('delivered') === ALERTS;
      },
      30_000,
    );
    // At least once: the few sent twice (in flight at the kill) carry the same webhook-id.
    expect(receivedIds.size).toBe(ALERTS);
  });
});
