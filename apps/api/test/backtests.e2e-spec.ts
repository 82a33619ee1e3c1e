jest.setTimeout(240_000);
import type { INestApplication } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportPayload } from '@tiersight/contracts';
import { adapterFor, DEFAULT_SEVERITY_POLICY } from '@tiersight/feed-formats';
import { containsLocation } from '@tiersight/geo-engine';
import { RedisStore } from '@tiersight/queues';
import { deleteByPrefix, getJson, postJson, requestJson, RunningApi, startApi, startWorker } from '../../../test/support/api-harness';
import { deleteRedisKeys, obliterateQueues } from '../../../test/support/cleanup';
import { uniquePrefix } from '../../../test/support/test-env';
import { eventually } from '../../../test/support/wait';
import { Receivers } from '../../worker/test/webhooks-receivers';

/**
 * Backtests through the real stack (API, worker, Neo4j, Redis): a real USGS
 * document (the significant quakes of the month to 2023-10-11, the Herat
 * sequence among them) replayed against a small network placed under some of
 * its quakes; the report is checked against what the fixture and the network
 * say, run twice for the same report; the platform's own history replayed; a
 * subscribed receiver gets nothing and the stored exposures do not move; bad
 * input answers 4xx problem+json.
 */
const FIXTURE = 'usgs-significant_month-2023-10-11.geojson';
const document = readFileSync(join(__dirname, '../../../fixtures/feeds/usgs', FIXTURE), 'utf8');
const DAY_MS = 86_400_000;
const RANGE = { from: '2023-10-01T00:00:00Z', to: '2023-10-31T00:00:00Z' };

interface Alert {
  at: string;
  type: string;
  subscriptionId: string;
  skuId: string;
  leadDays: number | null;
  basis: string;
}

describe('backtests (real Neo4j, Redis, API and worker)', () => {
  const p = uniquePrefix('bt');
  const queuePrefix = p.slice(0, -1);
  const receivers = new Receivers();
  let api: RunningApi;
  let worker: INestApplication;
  let subscriptionId = '';

  // Herat (AF), inside the October 7 sequence and the October 11 quake; Oaxaca (MX) under the M5.9 of October 7; a live site far from both.
  const SITES = {
    HERAT: { lat: 34.6, lon: 61.95, country: 'AF' },
    OAXACA: { lat: 17.1, lon: -94.95, country: 'MX' },
    LIVE: { lat: 10.5, lon: 10.5, country: 'NG' },
  } as const;
  const id = (name: string) => `${p}${name}`;
  const network = (): ImportPayload => ({
    suppliers: [
      { id: id('SUP-AF'), name: 'Herat Castings', country: 'AF' },
      { id: id('SUP-DE'), name: 'Munich Assembly', country: 'DE' },
      { id: id('SUP-MX'), name: 'Oaxaca Parts', country: 'MX' },
      { id: id('SUP-NG'), name: 'Live Works', country: 'NG' },
    ],
    sites: [
      { id: id('HERAT'), supplierId: id('SUP-AF'), name: 'Herat plant', kind: 'plant', ...SITES.HERAT },
      { id: id('MUNICH'), supplierId: id('SUP-DE'), name: 'Munich plant', kind: 'plant', lat: 48.1, lon: 11.6, country: 'DE' },
      { id: id('OAXACA'), supplierId: id('SUP-MX'), name: 'Oaxaca plant', kind: 'plant', ...SITES.OAXACA },
      { id: id('LIVE'), supplierId: id('SUP-NG'), name: 'Live plant', kind: 'plant', ...SITES.LIVE },
    ],
    parts: [{ id: id('P-CAST'), name: 'Casting' }],
    skus: [
      { id: id('SKU-HERAT'), name: 'Gearbox', dailyRevenue: 10000 },
      { id: id('SKU-OTHER'), name: 'Valve', dailyRevenue: 2000 },
      { id: id('SKU-LIVE'), name: 'Pump', dailyRevenue: 1000 },
    ],
    supplies: [
      // Onset at SKU-HERAT: Herat hit (0) → Munich 0 + lead 5 + buffer 3 = 8 → SKU 8 + 1 + 2 = 11 days.
      { fromSiteId: id('HERAT'), toSiteId: id('MUNICH'), partId: id('P-CAST'), share: 1, bufferDays: 3, leadTimeDays: 5 },
      { fromSiteId: id('MUNICH'), toSkuId: id('SKU-HERAT'), partId: id('SKU-HERAT'), share: 1, bufferDays: 2, leadTimeDays: 1 },
      { fromSiteId: id('OAXACA'), toSkuId: id('SKU-OTHER'), partId: id('SKU-OTHER'), share: 1, bufferDays: 0, leadTimeDays: 2 },
      { fromSiteId: id('LIVE'), toSkuId: id('SKU-LIVE'), partId: id('SKU-LIVE'), share: 1, bufferDays: 0, leadTimeDays: 0 },
    ],
  });

  /** The fixture's quakes as the USGS adapter reads them, and which of this network's sites each one's area holds. */
  const quakes = adapterFor('usgs-geojson')
    .parse(document, { sourceId: 'fixture', receivedAt: new Date(RANGE.from), policy: DEFAULT_SEVERITY_POLICY })
    .items.flatMap((i) => (i.action === 'upsert' ? [i.event] : []));
  const hitting = (site: keyof typeof SITES) =>
    quakes.filter((q) => containsLocation(q.geometry, SITES[site].lat, SITES[site].lon)).sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));

  const start = (body: object) => postJson(`${api.url}/v1/backtests`, body);
  const finished = (backtestId: string, seen: Array<{ status: string; phase: string }> = []) =>
    eventually(
      `backtest ${backtestId} finished`,
      async () => {
        const res = await getJson(`${api.url}/v1/backtests/${backtestId}`);
        expect(res.status).toBe(200);
        seen.push({ status: res.body.status, phase: res.body.progress.phase });
        return ['succeeded', 'failed'].includes(res.body.status) ? res.body : null;
      },
      120_000,
    );
  const exposures = async () => (await getJson(`${api.url}/v1/exposures?limit=500`)).body;

  beforeAll(async () => {
    receivers.on('/hook', (_q, res) => res.end('ok'));
    await receivers.start();
    const env = { QUEUE_PREFIX: queuePrefix, WEBHOOK_ALLOWED_TARGETS: '127.0.0.1/32', BODY_MAX_KB: '11000' };
    api = await startApi(env);
    worker = await startWorker(env);
    expect((await postJson(`${api.url}/v1/graph/import`, network())).status).toBe(200);
    const sub = await postJson(`${api.url}/v1/webhooks`, { url: `${receivers.base}/hook`, filters: { skuIds: [id('SKU-HERAT')] } });
    expect(sub.status).toBe(201);
    subscriptionId = sub.body.id;
    receivers.secret('/hook', sub.body.secret);
    // One live event, so that there is a stored exposure for the backtests to leave alone.
    const live = await postJson(`${api.url}/v1/events`, {
      id: id('EV-LIVE'),
      type: 'fire',
      title: 'Fire at the live plant',
      severity: 0.5,
      expectedDurationDays: 5,
      geometry: { type: 'Point', coordinates: [SITES.LIVE.lon, SITES.LIVE.lat] },
      radiusKm: 5,
    });
    expect(live.status).toBe(201);
    await eventually('the live exposure is stored', async () => (await getJson(`${api.url}/v1/exposures/${id('SKU-LIVE')}`)).status === 200);
  });

  afterAll(async () => {
    await worker?.close();
    if (subscriptionId) await requestJson('DELETE', `${api.url}/v1/webhooks/${subscriptionId}`);
    if (api) {
      await deleteByPrefix(api.neo4j, p);
      await obliterateQueues(api.app);
      await deleteRedisKeys(api.app.get(RedisStore).client, queuePrefix);
      await api.close();
    }
    await receivers.close();
  });

  it('replays an uploaded USGS document against today’s network: alerts, shortages and lead times as the fixture and the network give them; the same report twice; nothing sent, nothing stored', async () => {
    const herat = hitting('HERAT');
    const oaxaca = hitting('OAXACA');
    // The fixture places the Herat sequence (four quakes on Oct 7, one on Oct 11) and one Mexican quake over the network.
    expect(herat.map((q) => q.id)).toEqual(['usgs:us6000ldpg', 'usgs:us6000ldph', 'usgs:us6000ldpm', 'usgs:us6000ldpv', 'usgs:us6000len8']);
    expect(oaxaca.map((q) => q.id)).toEqual(['usgs:us6000ldny']);
    const before = await exposures();
    expect(before.items.map((e: { skuId: string }) => e.skuId)).toContain(id('SKU-LIVE'));

    const body = { ...RANGE, documents: [{ format: 'usgs-geojson', content: document, name: FIXTURE }] };
    const accepted = await start(body);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({
      status: 'queued',
      progress: { phase: 'queued', done: 0, fraction: 0 },
      inputs: { events: quakes.length, rejected: [], skipped: [] },
    });
    expect(accepted.body.links.self).toBe(`/v1/backtests/${accepted.body.id}`);
    const seen: Array<{ status: string; phase: string }> = [];
    const done = await finished(accepted.body.id, seen);
    expect(done).toMatchObject({ status: 'succeeded', error: null, progress: { phase: 'done', fraction: 1 } });
    expect(done.request).toMatchObject({ from: '2023-10-01T00:00:00.000Z', to: '2023-10-31T00:00:00.000Z', source: 'documents' });
    expect(done.request.documents).toEqual([{ format: 'usgs-geojson', name: FIXTURE, bytes: Buffer.byteLength(document), receivedAt: null }]);
    expect(done.subscriptions).toEqual(expect.arrayContaining([{ id: subscriptionId, filters: { skuIds: [id('SKU-HERAT')] } }]));
    expect(done.state).toMatchObject({ eventVersions: quakes.length });
    const report = done.report;

    // Every quake whose life (its origin time plus its expected duration) overlaps the range is replayed from its own
    // time; the sites it hits are this network's under it.
    const [from, to] = [Date.parse(RANGE.from), Date.parse(RANGE.to)];
    const inRange = quakes.filter((q) => Date.parse(q.startsAt) <= to && Date.parse(q.startsAt) + q.expectedDurationDays * DAY_MS > from);
    expect(inRange.length).toBeLessThan(quakes.length); // the September quakes of the month are over by October
    expect(report.events.map((e: { id: string }) => e.id).sort()).toEqual(inRange.map((q) => q.id).sort());
    for (const e of report.events) {
      const q = quakes.find((x) => x.id === e.id)!;
      expect(e.startsAt).toBe(new Date(Date.parse(q.startsAt)).toISOString());
      expect(e.sites).toBe(herat.includes(q) || oaxaca.includes(q) ? 1 : 0);
    }

    // SKU-HERAT: its shortage begins with the first Herat quake and reaches it 11 days later; each later quake of the
    // sequence adds an independent hazard (x: 0.65 → 0.79 → 0.93 → 0.96 → 0.996), each a worsening past the step.
    const first = Date.parse(herat[0].startsAt);
    const heratShortage = report.shortages.find((s: { skuId: string }) => s.skuId === id('SKU-HERAT'));
    expect(heratShortage).toMatchObject({ startedAt: new Date(first).toISOString(), reachesAt: new Date(first + 11 * DAY_MS).toISOString(), endedAt: null });
    const mine: Alert[] = report.alerts.filter((a: Alert) => a.subscriptionId === subscriptionId);
    expect(mine.map((a) => [a.at, a.type, a.skuId])).toEqual(
      herat.map((q, i) => [new Date(Date.parse(q.startsAt)).toISOString(), i === 0 ? 'exposure.created' : 'exposure.worsened', id('SKU-HERAT')]),
    );
    expect(mine[0].leadDays).toBe(11);
    expect(mine.map((a) => a.leadDays)).toEqual(
      herat.map((q) => (first + 11 * DAY_MS - Date.parse(q.startsAt)) / DAY_MS).map((d) => Math.round(d * 1e6) / 1e6),
    );
    // SKU-OTHER is short too (Oaxaca, onset 2 days, over 7 days later) but outside the subscription's filter.
    const ldny = Date.parse(oaxaca[0].startsAt);
    expect(report.shortages.find((s: { skuId: string }) => s.skuId === id('SKU-OTHER'))).toMatchObject({
      startedAt: new Date(ldny).toISOString(),
      reachesAt: new Date(ldny + 2 * DAY_MS).toISOString(),
      endedAt: new Date(ldny + oaxaca[0].expectedDurationDays * DAY_MS).toISOString(),
      off: { warnedAt: null, leadDays: null },
    });
    expect(report.skus.find((s: { skuId: string }) => s.skuId === id('SKU-HERAT'))).toMatchObject({
      shortages: 1,
      off: { alerts: herat.length, warnedAt: new Date(first).toISOString(), leadDays: 11 },
      on: { alerts: herat.length, leadDays: 11 },
      gainDays: 0,
    });
    // USGS has no forecasts: anticipation on and off send the same alerts.
    expect(report.totals.on).toEqual(report.totals.off);
    const mineRow = report.bySubscription.find((s: { subscriptionId: string }) => s.subscriptionId === subscriptionId);
    // Lead figures count each shortage once, by its first warning.
    expect(mineRow.off).toMatchObject({ alerts: herat.length, shortagesWarned: 1, leadDays: { mean: 11, median: 11, min: 11, max: 11 } });
    // Volume per day: every day of the range, each with the alerts that went out that day.
    expect(report.days).toHaveLength(31);
    const perDay = new Map<string, number>();
    for (const a of report.alerts as Alert[]) perDay.set(a.at.slice(0, 10), (perDay.get(a.at.slice(0, 10)) ?? 0) + 1);
    for (const d of report.days) expect([d.day, d.on, d.off]).toEqual([d.day, perDay.get(d.day) ?? 0, perDay.get(d.day) ?? 0]);
    expect(mine.filter((a) => a.at.startsWith('2023-10-07'))).toHaveLength(4);
    expect(mine.filter((a) => a.at.startsWith('2023-10-11'))).toHaveLength(1);

    // Same input, same report.
    const again = await start(body);
    expect(again.status).toBe(202);
    expect(again.body.id).not.toBe(accepted.body.id);
    const second = await finished(again.body.id);
    expect(second.report).toEqual(report);

    // Nothing written, nothing sent: the quakes are not stored events, the stored exposures are as they were, the receiver heard nothing.
    expect((await getJson(`${api.url}/v1/events/usgs:us6000ldpg`)).status).toBe(404);
    expect((await getJson(`${api.url}/v1/exposures/${id('SKU-HERAT')}`)).status).toBe(404);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await exposures()).toEqual(before);
    expect(receivers.at('/hook')).toEqual([]);
    const deliveries = await getJson(`${api.url}/v1/webhooks/${subscriptionId}/deliveries?limit=100`);
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.items).toEqual([]);
  });

  it('replays the platform’s own event history', async () => {
    const live = await getJson(`${api.url}/v1/events/${id('EV-LIVE')}`);
    const startsAt = Date.parse(live.body.startsAt);
    const res = await start({ from: new Date(startsAt - 3_600_000).toISOString(), to: new Date(startsAt + 3_600_000).toISOString(), source: 'history' });
    expect(res.status).toBe(202);
    expect(res.body.inputs).toEqual({ events: 0, rejected: [], skipped: [] });
    const done = await finished(res.body.id);
    expect(done.status).toBe('succeeded');
    expect(done.report.events).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: id('EV-LIVE'), sites: 1, startsAt: new Date(startsAt).toISOString(), endsAt: null })]),
    );
    expect(done.report.shortages.find((s: { skuId: string }) => s.skuId === id('SKU-LIVE'))).toMatchObject({
      startedAt: new Date(startsAt).toISOString(),
      reachesAt: new Date(startsAt).toISOString(), // onset 0: the live site ships the SKU with no buffer or lead time
      endedAt: null,
    });
    // The subscription does not take SKU-LIVE: the shortage shows, no alert of it does.
    expect(done.report.alerts.filter((a: Alert) => a.subscriptionId === subscriptionId && a.skuId === id('SKU-LIVE'))).toEqual([]);
    expect(done.inputs.events).toBeGreaterThanOrEqual(1);
  });

  it('answers an empty report for a range with no events, and lists what a document it cannot read held', async () => {
    const res = await start({
      from: '2020-01-01T00:00:00Z',
      to: '2020-01-03T00:00:00Z',
      documents: [
        { format: 'usgs-geojson', content: '{"type": "FeatureCollection", "features": [' },
        { format: 'usgs-geojson', content: document },
      ],
    });
    expect(res.status).toBe(202);
    expect(res.body.inputs.rejected).toEqual([{ document: 0, itemRef: null, reason: expect.stringMatching(/JSON/i) }]);
    const done = await finished(res.body.id);
    expect(done.status).toBe('succeeded');
    expect(done.report).toMatchObject({ instants: 0, events: [], alerts: [], shortages: [], skus: [] });
    expect(done.report.days.map((d: { day: string; on: number }) => [d.day, d.on])).toEqual([
      ['2020-01-01', 0],
      ['2020-01-02', 0],
      ['2020-01-03', 0],
    ]);
  });

  it('answers bad input with a 4xx problem+json', async () => {
    const problem = async (body: unknown, status: number, type?: string) => {
      const res = await postJson(`${api.url}/v1/backtests`, body);
      expect(res.status).toBe(status);
      expect(res.type).toContain('application/problem+json');
      if (type) expect(res.body.type).toMatch(new RegExp(`/${type}$`));
      return res.body;
    };
    await problem({ from: '2023-10-02T00:00:00Z', to: '2023-10-01T00:00:00Z', source: 'history' }, 422, 'invalid-backtest-range');
    await problem({ from: '2020-01-01T00:00:00Z', to: '2023-01-01T00:00:00Z', source: 'history' }, 422, 'invalid-backtest-range');
    await problem({ from: 'last week', to: '2023-01-01T00:00:00Z', source: 'history' }, 422, 'invalid-backtest-range');
    await problem({ ...RANGE }, 422, 'invalid-backtest-request');
    await problem({ ...RANGE, source: 'history', documents: [{ format: 'usgs-geojson', content: document }] }, 422, 'invalid-backtest-request');
    await problem({ ...RANGE, documents: [] }, 422, 'invalid-backtest-request');
    await problem({ ...RANGE, documents: [{ format: 'shapefile', content: 'x' }] }, 400);
    await problem({ ...RANGE, source: 'everything' }, 400);
    await problem({ ...RANGE, source: 'history', extra: 1 }, 400);
    // Over the feed path's limit for CAP documents (10 MB), inside this API's body limit (BODY_MAX_KB here 11000).
    await problem({ ...RANGE, documents: [{ format: 'cap', content: 'x'.repeat(10 * 1024 * 1024 + 1) }] }, 413, 'feed-document-too-large');
    const missing = await getJson(`${api.url}/v1/backtests/bt_nosuchbacktest`);
    expect(missing.status).toBe(404);
    expect(missing.type).toContain('application/problem+json');
    // A supplier key is refused.
    const key = await postJson(`${api.url}/v1/admin/keys`, { role: 'supplier', supplierId: id('SUP-AF'), name: `${p}supplier` });
    expect(key.status).toBe(201);
    const refused = await postJson(`${api.url}/v1/backtests`, { ...RANGE, source: 'history' }, { authorization: `Bearer ${key.body.key}` });
    expect(refused.status).toBe(403);
    await requestJson('DELETE', `${api.url}/v1/admin/keys/${key.body.id}`);
  });
});
