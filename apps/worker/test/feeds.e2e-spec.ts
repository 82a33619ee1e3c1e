import type { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { QUEUES } from '@tiersight/queues';
import { deleteByPrefix, getFound, getJson, postJson, RunningApi, startApi, startWorker } from '../../../test/support/api-harness';
import { obliterateQueues } from '../../../test/support/cleanup';
import { uniquePrefix } from '../../../test/support/test-env';
import { eventually } from '../../../test/support/wait';

const FIXTURES = join(__dirname, '../../../fixtures/feeds');
const USGS_FILE = join(FIXTURES, 'usgs/usgs-significant_month-2014-03-24.geojson');
const CAP_FILE = join(FIXTURES, 'cap/oasis-spec/oasis-cap12-severe-thunderstorm.xml');

/**
 * Feeds through the real stack: a local HTTP server publishes real sample
 * documents, the worker pulls them on its schedule or on request, and the
 * events, hits and exposures follow — pulled twice (no duplicates), updated
 * in place, vanished (closed, exposure resolved), a CAP Cancel, a source that
 * fails (health degraded, not down) and a broken document (dead letter, the
 * stored events stand).
 */
jest.setTimeout(90_000);

describe('disruption feeds pulled by the worker (real HTTP, Neo4j and Redis)', () => {
  const p = uniquePrefix('feeds');
  const queuePrefix = p.slice(0, -1);
  const tag = p.slice(1, 9).toLowerCase();
  const usgsSource = `usgs-${tag}`;
  const capSource = `cap-${tag}`;
  // Real documents, with ids made unique to this run so concurrent runs never share an event.
  const quakeId = `usc000ndnj-${tag}`;
  const eventId = `usgs:${quakeId}`;
  const usgs = JSON.parse(readFileSync(USGS_FILE, 'utf8'));
  for (const f of usgs.features) f.id = `${f.id}-${tag}`;
  const quake = () => usgs.features.find((f: { id: string }) => f.id === quakeId);
  const capAlert = readFileSync(CAP_FILE, 'utf8')
    .replace('KSTO1055887203', `KSTO1055887203-${tag}`)
    .replace('2003-06-17T14:57:00-07:00', new Date().toISOString().replace(/\.\d+Z$/, '+00:00'))
    .replace('2003-06-17T16:00:00-07:00', new Date(Date.now() + 86400_000).toISOString().replace(/\.\d+Z$/, '+00:00'));
  const capEventId = `cap:KSTO_NWS.NOAA.GOV:KSTO1055887203-${tag}`;

  const served: Record<string, { status: number; body: string }> = {};
  let server: Server;
  let api: RunningApi;
  let worker: INestApplication;

  const event = (id: string) => getFound(`${api.url}/v1/events/${encodeURIComponent(id)}`);
  const exposure = () => getFound(`${api.url}/v1/exposures/${p}SKU-Q`);
  const feedHealth = async (id: string) => (await getJson(`${api.url}/v1/feeds`)).body.items.find((f: { id: string }) => f.id === id).health;
  const queue = (name: string) => api.app.get<Queue>(getQueueToken(name));
  const idle = async () => {
    for (const name of [QUEUES.feeds, QUEUES.events]) {
      // Delayed jobs are the schedulers' next runs: not work in hand.
      const counts = await queue(name).getJobCounts('waiting', 'active', 'prioritized');
      if (Object.values(counts).some((n) => n > 0)) return false;
    }
    return true;
  };
  /** Asks for a pull and waits until it was recorded and every job it caused has run. */
  const pull = async (sourceId: string) => {
    const before = (await feedHealth(sourceId)).lastPullAt;
    expect((await postJson(`${api.url}/v1/feeds/${sourceId}/pull`, {})).status).toBe(202);
    await eventually(`${sourceId} pulled`, async () => (await feedHealth(sourceId)).lastPullAt !== before);
    await eventually('queues idle', idle);
  };

  beforeAll(async () => {
    served['/usgs'] = { status: 200, body: JSON.stringify(usgs) };
    served['/cap'] = { status: 200, body: capAlert };
    server = createServer((req, res) => {
      const doc = served[req.url ?? ''];
      res.statusCode = doc?.status ?? 404;
      res.end(doc?.body ?? '');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const FEEDS = JSON.stringify([
      { id: usgsSource, format: 'usgs-geojson', url: `${base}/usgs`, intervalSeconds: 3600 },
      { id: capSource, format: 'cap', url: `${base}/cap`, intervalSeconds: 3600 },
    ]);
    api = await startApi({ QUEUE_PREFIX: queuePrefix, FEEDS });
    // A plant 10 km from the M6.7 epicentre off Iquique (2014) and one inside the thunderstorm polygon, each feeding a SKU.
    const [lon, lat] = quake().geometry.coordinates;
    const imported = await postJson(`${api.url}/v1/graph/import`, {
      suppliers: [{ id: `${p}SUP`, name: 'Coastal Works', country: 'CL' }],
      sites: [
        { id: `${p}S-Q`, supplierId: `${p}SUP`, name: 'Iquique plant', kind: 'plant', lat: lat + 0.09, lon, country: 'CL' },
        { id: `${p}S-C`, supplierId: `${p}SUP`, name: 'Sierra plant', kind: 'plant', lat: 38.48, lon: -119.9, country: 'US' },
      ],
      skus: [
        { id: `${p}SKU-Q`, name: 'Copper cable', dailyRevenue: 1000 },
        { id: `${p}SKU-C`, name: 'Pump', dailyRevenue: 500 },
      ],
      supplies: [
        { fromSiteId: `${p}S-Q`, toSkuId: `${p}SKU-Q`, partId: `${p}SKU-Q`, share: 1, bufferDays: 0, leadTimeDays: 0 },
        { fromSiteId: `${p}S-C`, toSkuId: `${p}SKU-C`, partId: `${p}SKU-C`, share: 1, bufferDays: 0, leadTimeDays: 0 },
      ],
    });
    if (imported.status !== 200) throw new Error(JSON.stringify(imported.body));
    // The worker's schedulers pull every configured feed once at start.
    worker = await startWorker({ QUEUE_PREFIX: queuePrefix, FEEDS });
  });

  afterAll(async () => {
    await worker?.close();
    await obliterateQueues(api.app);
    await api.neo4j.run('MATCH (e:Event) WHERE e.source IN $sources DETACH DELETE e', { sources: [usgsSource, capSource] });
    await deleteByPrefix(api.neo4j, p);
    await api.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('pulls the feed on schedule: the quake hits the plant and exposes its SKU', async () => {
    const stored = await eventually('quake stored and matched', async () => {
      const e = await event(eventId);
      return e?.hits.some((h: { siteId: string }) => h.siteId === `${p}S-Q`) ? e : null;
    });
    // PAGER yellow → 0.4 for 21 days, plus 0.1 for the tsunami flag at M ≥ 6.5 (the documented default policy).
    expect(stored).toMatchObject({ source: usgsSource, type: 'earthquake', status: 'active', severity: 0.5, expectedDurationDays: 21 });
    expect(stored.hits.filter((h: { siteId: string }) => h.siteId.startsWith(p))).toEqual([{ siteId: `${p}S-Q`, x: 0.5, days: 21 }]);
    const exposed = await eventually('SKU exposed', exposure);
    expect(exposed).toMatchObject({ x: 0.5, days: 21, eventIds: [eventId] });
  });

  it('pulling the same document again changes nothing and duplicates nothing', async () => {
    await eventually('queues idle', idle);
    const count = async () =>
      (
        await api.neo4j.run('MATCH (e:Event {source: $s}) OPTIONAL MATCH (e)-[h:HITS]->() RETURN count(DISTINCT e) AS events, count(h) AS hits', {
          s: usgsSource,
        })
      ).records[0].toObject();
    const before = { counts: await count(), event: await event(eventId) };
    expect(before.counts.events).toBeGreaterThan(5);
    await pull(usgsSource);
    await pull(usgsSource);
    expect(await count()).toEqual(before.counts);
    expect((await event(eventId)).updatedAt).toBe(before.event.updatedAt);
  });

  it('an updated item changes the event in place and the exposure follows', async () => {
    const f = quake();
    f.properties.alert = 'orange'; // a PAGER upgrade, as USGS publishes after the first estimate
    f.properties.updated += 3_600_000;
    served['/usgs'] = { status: 200, body: JSON.stringify(usgs) };
    await pull(usgsSource);
    const updated = await event(eventId);
    expect(updated).toMatchObject({ status: 'active', severity: 0.75, expectedDurationDays: 45 });
    expect(updated.hits.filter((h: { siteId: string }) => h.siteId.startsWith(p))).toEqual([{ siteId: `${p}S-Q`, x: 0.75, days: 45 }]);
    await eventually('exposure worsened', async () => ((await exposure())?.x === 0.75 ? true : null));
    const rows = await api.neo4j.run('MATCH (e:Event {id: $id}) RETURN count(e) AS n', { id: eventId });
    expect(Number(rows.records[0].get('n'))).toBe(1);
  });

  it('a source that fails is retried and reported as degraded, not down; its events stand', async () => {
    served['/usgs'] = { status: 503, body: 'maintenance' };
    await postJson(`${api.url}/v1/feeds/${usgsSource}/pull`, {});
    const health = await eventually('failure recorded', async () => {
      const h = await feedHealth(usgsSource);
      return h.state === 'failing' ? h : null;
    });
    expect(health.lastError).toMatch(/HTTP 503/);
    const ready = await getJson(`${api.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body.info.feeds).toMatchObject({ status: 'up', state: 'degraded' });
    expect(ready.body.info.feeds.failing.map((f: { sourceId: string }) => f.sourceId)).toContain(usgsSource);
    expect((await event(eventId)).status).toBe('active');
    // The retry (BullMQ backoff) succeeds once the source is back.
    served['/usgs'] = { status: 200, body: JSON.stringify(usgs) };
    await eventually('source recovered', async () => (await feedHealth(usgsSource)).state === 'ok', 20_000);
  });

  it('a broken document is a dead letter; nothing is closed because of it', async () => {
    const good = JSON.stringify(usgs);
    served['/usgs'] = { status: 200, body: good.slice(0, good.length / 2) };
    await pull(usgsSource);
    const letters = await getJson(`${api.url}/v1/dead-letters?kind=feed&source=${usgsSource}`);
    expect(letters.status).toBe(200);
    expect(letters.body.items[0]).toMatchObject({ kind: 'feed', source: usgsSource, itemRef: null });
    expect(letters.body.items[0].reason).toMatch(/JSON/i);
    expect((await event(eventId)).status).toBe('active');
    served['/usgs'] = { status: 200, body: good };
  });

  it('an event that leaves the feed is closed and its exposure resolves', async () => {
    usgs.features = usgs.features.filter((f: { id: string }) => f.id !== quakeId);
    served['/usgs'] = { status: 200, body: JSON.stringify(usgs) };
    await pull(usgsSource);
    expect(await event(eventId)).toMatchObject({ status: 'closed', closedReason: `no longer in feed ${usgsSource}` });
    await eventually('exposure resolved', async () => (await exposure()) === null);
    const others = await api.neo4j.run("MATCH (e:Event {source: $s, status: 'active'}) RETURN count(e) AS n", { s: usgsSource });
    expect(Number(others.records[0].get('n'))).toBe(usgs.features.filter((f: { properties: { mag: number } }) => f.properties.mag >= 2.5).length);
  });

  it('a CAP alert hits the site inside its polygon, and its Cancel closes it', async () => {
    await pull(capSource);
    const alert = await event(capEventId);
    expect(alert).toMatchObject({ source: capSource, type: 'storm', status: 'active' });
    expect(alert.hits.map((h: { siteId: string }) => h.siteId)).toContain(`${p}S-C`);
    expect(alert.hits.map((h: { siteId: string }) => h.siteId)).not.toContain(`${p}S-Q`);
    await eventually('SKU-C exposed', async () => (await getJson(`${api.url}/v1/exposures/${p}SKU-C`)).status === 200);

    const cancel = capAlert
      .replace(`<identifier>KSTO1055887203-${tag}</identifier>`, `<identifier>KSTO1055887203-${tag}-cancel</identifier>`)
      .replace('<msgType>Alert</msgType>', '<msgType>Cancel</msgType>')
      .replace('<scope>Public</scope>', `<scope>Public</scope>\n  <references>KSTO@NWS.NOAA.GOV,KSTO1055887203-${tag},2003-06-17T14:57:00-07:00</references>`);
    served['/cap'] = { status: 200, body: cancel };
    await pull(capSource);
    expect(await event(capEventId)).toMatchObject({ status: 'closed' });
    expect((await event(capEventId)).closedReason).toMatch(/CAP Cancel/);
    await eventually('SKU-C resolved', async () => (await getJson(`${api.url}/v1/exposures/${p}SKU-C`)).status === 404);
  });

  it('rejects a pull of an unknown feed with a 404 problem', async () => {
    const res = await postJson(`${api.url}/v1/feeds/no-such-feed/pull`, {});
    expect(res.status).toBe(404);
    expect(res.type).toMatch(/application\/problem\+json/);
  });
});
