jest.setTimeout(240_000);

import type { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QueueProducer, QUEUES, RedisStore } from '@tiersight/queues';
import { threeTierLotFlow } from '../../api/test/epcis-support';
import { deleteByPrefix, getJson, postJson, requestJson, RunningApi, startApi, startWorker } from '../../../test/support/api-harness';
import { deleteRedisKeys, obliterateQueues } from '../../../test/support/cleanup';
import { uniquePrefix } from '../../../test/support/test-env';
import { eventually } from '../../../test/support/wait';
import { Receivers } from './webhooks-receivers';

/** How long to wait for the worker (a shared, slow machine): a wait, not a timed assertion. */
const WAIT_MS = 90_000;

/**
 * The risk link end to end (DESIGN §11), against the real API, worker, Neo4j
 * and Redis: a lot flow R1 → M1 → F1 → SKU is captured; a disruption event
 * hitting M1 flags the lots observed there during its window (both the lots
 * captured before it and one captured after); a sensor excursion at F1 does
 * the same; a capture whose own readings break the cold-chain rule flags its
 * lot. Each flag reaches a subscribed receiver once, signed, as lot.flagged;
 * the flagged list shows the recall scope and the SKU lists the lots feeding it.
 */
describe('lots flagged by events, sensor excursions and their own readings (real API, worker, Neo4j and Redis)', () => {
  const p = uniquePrefix('lfl');
  const queuePrefix = p.slice(0, -1);
  const flow = threeTierLotFlow(p, '40987');
  const { dl, observe, skuGtin: SKU_GTIN, sensorId, excursionId } = flow;
  const LOT = { ...flow.LOT, product: flow.lgtin('099', 'P1') };
  const ID = {
    ...flow.ID,
    product: dl('099', 'P1'),
    early: dl('099', 'EARLY'),
    extra: dl('099', 'EXTRA'),
    before: dl('099', 'BEFORE'),
    hot1: dl('099', 'HOT1'),
    hot2: dl('099', 'HOT2'),
    late: dl('099', 'LATE'),
    cold: dl('099', 'COLD'),
  };
  const eventId = flow.flood.id;
  const receivers = new Receivers();
  let api: RunningApi;
  let worker: INestApplication;
  let subscriptionId = '';

  const captured = async (events: object[]) => {
    const done = await flow.capture(api.url, events);
    expect(done.status).toBe('succeeded');
    return done;
  };
  const flagsOf = async (lotId: string) => {
    const res = await api.neo4j.run('MATCH (f:LotFlag {lotId: $lotId}) RETURN f.causeId AS causeId, f.siteId AS siteId ORDER BY causeId', { lotId });
    return res.records.map((r) => r.toObject() as { causeId: string; siteId: string | null });
  };
  const epcisQueue = () => api.app.get<Queue>(getQueueToken(QUEUES.epcis));
  const drained = () =>
    eventually(
      'epcis queue drained',
      async () => {
        const counts = await epcisQueue().getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        return Object.values(counts).every((n) => n === 0);
      },
      WAIT_MS,
    );
  /** The lot.flagged deliveries the receiver got, by (lot, cause). */
  const delivered = () => receivers.at('/flags').filter((r) => r.payload?.type === 'lot.flagged');
  const pairs = () => delivered().map((r) => `${String(r.payload!.data.lotId)} ${(r.payload!.data.cause as { id: string }).id}`);

  beforeAll(async () => {
    receivers.on('/flags', (_q, res) => res.end());
    await receivers.start();
    const env = { QUEUE_PREFIX: queuePrefix, WEBHOOK_ALLOWED_TARGETS: '127.0.0.1/32' };
    api = await startApi(env);
    worker = await startWorker(env);
    const imported = await postJson(`${api.url}/v1/graph/import`, flow.network());
    expect(imported.status).toBe(200);
    const sub = await postJson(`${api.url}/v1/webhooks`, {
      url: `${receivers.base}/flags`,
      filters: { skuIds: [`${p}SKU`], alertTypes: ['lot.flagged'] },
    });
    expect(sub.status).toBe(201);
    subscriptionId = sub.body.id;
    receivers.secret('/flags', sub.body.secret);
    expect((await flow.addColdRoomSensor(api.url)).status).toBeLessThan(300);

    // The lot flow, and a lot seen at M1 before the flood begins.
    const [melt, part, product] = flow.events([LOT.product]);
    await captured([melt, observe('M1', '2023-03-03T23:59:59Z', 'EARLY'), part, product]);
  });

  afterAll(async () => {
    await worker?.close();
    if (subscriptionId) await requestJson('DELETE', `${api.url}/v1/webhooks/${subscriptionId}`);
    await obliterateQueues(api.app);
    await deleteRedisKeys(api.app.get(RedisStore).client, queuePrefix);
    await flow.remove(api.neo4j);
    await deleteByPrefix(api.neo4j, p);
    await api.close();
    await receivers.close();
  });

  it('a disruption event hitting M1 flags the lots observed there during its window, and a later capture there too', async () => {
    const pushed = await postJson(`${api.url}/v1/events`, flow.flood);
    expect(pushed.status).toBe(201);
    await eventually('melt and part flagged', async () => (await flagsOf(ID.melt)).length > 0 && (await flagsOf(ID.part)).length > 0, WAIT_MS);
    expect(await flagsOf(ID.melt)).toEqual([{ causeId: eventId, siteId: `${p}M1` }]);
    expect(await flagsOf(ID.part)).toEqual([{ causeId: eventId, siteId: `${p}M1` }]);
    // Seen at M1 a second before the window, or only elsewhere: not flagged.
    expect(await flagsOf(ID.early)).toEqual([]);
    expect(await flagsOf(ID.product)).toEqual([]);

    // A capture at M1 while the flood is active is flagged as it is captured.
    await captured([observe('M1', '2023-03-07T12:00:00Z', 'EXTRA')]);
    await eventually('extra flagged', async () => (await flagsOf(ID.extra)).length > 0, WAIT_MS);
    expect(await flagsOf(ID.extra)).toEqual([{ causeId: eventId, siteId: `${p}M1` }]);

    const alerts = await eventually('three lot.flagged alerts', async () => (delivered().length >= 3 ? delivered() : null), WAIT_MS);
    expect(alerts.every((r) => r.verified)).toBe(true);
    expect(pairs().sort()).toEqual([`${ID.extra} ${eventId}`, `${ID.melt} ${eventId}`, `${ID.part} ${eventId}`].sort());
    const melt = alerts.find((r) => r.payload!.data.lotId === ID.melt)!;
    expect(melt.payload).toMatchObject({
      type: 'lot.flagged',
      data: {
        lotId: ID.melt,
        cause: { kind: 'event', id: eventId, eventType: 'flood', title: 'River flood at M1' },
        siteId: `${p}M1`,
        window: { from: '2023-03-04T00:00:00.000Z', to: null },
        observedAt: '2023-03-05T08:00:00.000Z',
        event: { id: eventId, type: 'flood' },
        recall: {
          skus: [{ skuId: `${p}SKU`, gtin: SKU_GTIN, lotIds: [ID.product], category: 'food' }],
          lots: [ID.part, ID.product],
          lotCount: 2,
          truncated: false,
        },
      },
    });
  });

  it('flags each (lot, cause) once: flagging again or capturing the same events again sends nothing more', async () => {
    const before = delivered().length;
    await api.app.get(QueueProducer).enqueue('lots.flag', { v: 1, by: 'events', eventIds: [eventId] });
    await captured([observe('M1', '2023-03-07T12:00:00Z', 'EXTRA')]);
    await drained();
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await flagsOf(ID.extra)).toEqual([{ causeId: eventId, siteId: `${p}M1` }]);
    expect(delivered()).toHaveLength(before);
    expect(new Set(delivered().map((r) => r.id)).size).toBe(before);
  });

  it('lists the flagged lots with their recall scope, scoped for a supplier, and the lots feeding the SKU', async () => {
    const list = await getJson(`${api.url}/v1/trace/flagged?causeId=${encodeURIComponent(eventId)}&limit=2`);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(2);
    const next = await getJson(`${api.url}/v1/trace/flagged?causeId=${encodeURIComponent(eventId)}&limit=2&cursor=${list.body.nextCursor}`);
    const items = [...list.body.items, ...next.body.items] as Array<{ lot: { lotId: string }; flags: unknown[]; recall: { skus: { skuId: string }[] } }>;
    expect(items.map((i) => i.lot.lotId).sort()).toEqual([ID.extra, ID.melt, ID.part].sort());
    expect(next.body.nextCursor).toBeNull();
    const part = items.find((i) => i.lot.lotId === ID.part)!;
    expect(part.flags).toEqual([expect.objectContaining({ cause: expect.objectContaining({ id: eventId }), siteId: `${p}M1` })]);
    expect(part.recall).toMatchObject({ skus: [{ skuId: `${p}SKU`, lotIds: [ID.product] }], lots: [ID.product] });

    const key = async (supplier: string) =>
      `Bearer ${(await postJson(`${api.url}/v1/admin/keys`, { role: 'supplier', supplierId: `${p}SUP-${supplier}` })).body.key}`;
    const asM = await getJson(`${api.url}/v1/trace/flagged?causeId=${encodeURIComponent(eventId)}`, { authorization: await key('M') });
    expect(asM.status).toBe(200);
    expect(asM.body.items).toHaveLength(3);
    expect(asM.body.items.every((i: { recall: unknown }) => i.recall === null)).toBe(true);
    const asR = await getJson(`${api.url}/v1/trace/flagged?causeId=${encodeURIComponent(eventId)}`, { authorization: await key('R') });
    expect(asR.body.items).toEqual([]);

    const feeding = await getJson(`${api.url}/v1/exposures/${p}SKU/flagged-lots`);
    expect(feeding.status).toBe(200);
    const feedingLots = feeding.body.items as Array<{ lot: { lotId: string }; depth: number }>;
    // each flagged lot once, at its nearest lot of the SKU (however many of the SKU's lots it reaches)
    expect(new Set(feedingLots.map((i) => i.lot.lotId)).size).toBe(feedingLots.length);
    const depthOf = new Map(feedingLots.map((i) => [i.lot.lotId, i.depth]));
    expect(depthOf.get(ID.melt)).toBe(2);
    expect(depthOf.get(ID.part)).toBe(1);
    expect(depthOf.get(ID.extra)).toBe(0);
    expect((await getJson(`${api.url}/v1/exposures/${p}nope/flagged-lots`)).status).toBe(404);
    const badCursor = await getJson(`${api.url}/v1/trace/flagged?cursor=nope`);
    expect(badCursor.status).toBe(400);
    expect(badCursor.type).toContain('application/problem+json');
  });

  it('a sensor excursion at F1 flags the lots observed there while the rule fired, captured before or after it', async () => {
    const at = (hhmm: string) => `2023-03-15T${hhmm}:00Z`;
    await captured([observe('F1', at('00:45'), 'BEFORE'), observe('F1', at('01:30'), 'HOT1')]);
    expect((await flow.runColdRoomWarm(api.url)).status).toBe(202);
    await eventually('hot1 flagged', async () => (await flagsOf(ID.hot1)).length > 0, WAIT_MS);
    await captured([observe('F1', at('01:45'), 'HOT2'), observe('F1', at('02:10'), 'LATE')]);
    await eventually('hot2 flagged', async () => (await flagsOf(ID.hot2)).length > 0, WAIT_MS);
    await drained();
    expect(await flagsOf(ID.hot1)).toEqual([{ causeId: excursionId, siteId: `${p}F1` }]);
    expect(await flagsOf(ID.hot2)).toEqual([{ causeId: excursionId, siteId: `${p}F1` }]);
    expect(await flagsOf(ID.before)).toEqual([]);
    expect(await flagsOf(ID.late)).toEqual([]);
    const hot = await eventually(
      'excursion alerts',
      async () => {
        const got = delivered().filter((r) => (r.payload!.data.cause as { id: string }).id === excursionId);
        return got.length >= 2 ? got : null;
      },
      WAIT_MS,
    );
    expect(hot.every((r) => r.verified)).toBe(true);
    expect(hot[0].payload!.data).toMatchObject({
      cause: { kind: 'sensor', id: excursionId, sensorId, ruleId: 'too-warm' },
      window: { from: '2023-03-15T01:01:00.000Z', to: '2023-03-15T02:00:00.000Z' },
    });
  });

  it('a capture whose own sensorElementList breaks the cold-chain rule (°F, above 8 °C for an hour) flags its lot', async () => {
    const report = (time: string, value: number) => ({ type: 'gs1:Temperature', value, uom: 'FAH', time });
    await captured([
      observe('R1', '2023-03-20T10:00:00Z', 'COLD', {
        sensorElementList: [
          {
            sensorMetadata: { deviceID: 'urn:epc:id:giai:4000001.111' },
            sensorReport: [report('2023-03-20T09:00:00Z', 50), report('2023-03-20T09:30:00Z', 51), report('2023-03-20T10:00:00Z', 50)],
          },
        ],
      }),
    ]);
    await eventually('cold flagged', async () => (await flagsOf(ID.cold)).length > 0, WAIT_MS);
    expect(await flagsOf(ID.cold)).toEqual([{ causeId: 'reading:temperature:too-warm', siteId: `${p}R1` }]);
    const alert = await eventually('reading alert', async () => delivered().find((r) => r.payload!.data.lotId === ID.cold), WAIT_MS);
    expect(alert.verified).toBe(true);
    expect(alert.payload!.data).toMatchObject({
      cause: { kind: 'reading', id: 'reading:temperature:too-warm', metric: 'temperature', ruleId: 'too-warm' },
      window: { from: '2023-03-20T10:00:00.000Z', to: null },
      recall: { skus: [{ skuId: `${p}SKU`, lotIds: [ID.cold] }] },
    });
    // One delivery per (lot, cause), each with its own webhook-id, over the whole run.
    await drained();
    expect(new Set(pairs()).size).toBe(pairs().length);
    expect(new Set(delivered().map((r) => r.id)).size).toBe(delivered().length);
  });
});
