import type { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { QUEUES } from '@tiersight/queues';
import { deleteByPrefix, getFound, getJson, postJson, RunningApi, startApi, startWorker } from '../../../test/support/api-harness';
import { obliterateQueues } from '../../../test/support/cleanup';
import { uniquePrefix } from '../../../test/support/test-env';
import { eventually } from '../../../test/support/wait';

const GEOMETRY_FILE = join(__dirname, '../../../fixtures/feeds/gdacs/api/pystac-monty-tc-1001253-ep1-geometry.json');

interface GdacsFeature {
  geometry: { type: string; coordinates: number[][][] };
  properties: Record<string, unknown>;
}

/**
 * DESIGN §10 forecast tracks through the real stack: the real GDACS geometry
 * of Tropical Cyclone EIGHTEEN-26 (advisory 28/01 06:00), served by a local
 * HTTP server and pulled by the worker, hits a plant inside the advisory's
 * wind buffer (observed) and anticipates the plants inside a later step's
 * buffer or the cone (p by lead time, with the configured 0.8 → 0.2), which
 * show as outlooks and never as exposures. A second advisory derived from the
 * file (issued 12 h later: the 28/01 18:00 step observed, the first step gone,
 * the cone cut south of 19° S) replaces the first one's hits.
 */
jest.setTimeout(120_000);

describe('cyclone forecast tracks from a GDACS feed to anticipated hits and outlooks (real HTTP, Neo4j and Redis)', () => {
  const p = uniquePrefix('cones');
  const queuePrefix = p.slice(0, -1);
  const tag = p.slice(1, 9).toLowerCase();
  const source = `gdacs-${tag}`;
  // The real document, with an event id of this run's own so that concurrent runs never share an event.
  const gdacsId = String(randomInt(100_000_000, 999_999_999));
  const eventId = `gdacs:TC:${gdacsId}`;
  const first = JSON.parse(readFileSync(GEOMETRY_FILE, 'utf8')) as { features: GdacsFeature[] };
  for (const f of first.features) f.properties.eventid = gdacsId;

  /** Issued 28/01 18:00: the first step's buffers and marker gone, every advisory-time part re-dated, the cone cut at 19° S. */
  const secondAdvisory = () => {
    const doc = structuredClone(first);
    doc.features = doc.features.filter((f) => !String(f.properties.polygonlabel ?? '').startsWith('28/01 06:00'));
    for (const f of doc.features) {
      const stepBuffer = /^\d\d\/\d\d \d\d:\d\d$/.test(String(f.properties.polygonlabel ?? ''));
      if (!stepBuffer && f.properties.polygondate) f.properties.polygondate = '2026-01-28T18:00:00';
      if (f.properties.Class === 'Poly_Cones') {
        const ring = f.geometry.coordinates[0].filter(([, lat]) => lat <= -19);
        f.geometry.coordinates = [[...ring, ring[0]]];
      }
    }
    return doc;
  };

  // Plants placed against the file (lon, lat): A at the advisory's track point inside its wind buffer; B at the +12 h
  // track point inside the 28/01 18:00 buffer; B2 at the +24 h point inside the 29/01 06:00 buffer; C south of the
  // last (+36 h) point, inside the cone only; C0 between the first two steps, inside the cone only and nearest the
  // advisory's own point; D far outside.
  const PLANTS: Record<string, [number, number]> = {
    A: [172.2, -16.9],
    B: [173.0, -20.6],
    B2: [172.2, -24.0],
    C: [170.5, -26.6],
    C0: [172.6, -18.6],
    D: [160.0, -10.0],
  };
  const names = Object.keys(PLANTS);

  const served: Record<string, string> = {};
  let server: Server;
  let api: RunningApi;
  let worker: INestApplication;

  const feedHealth = async () => (await getJson(`${api.url}/v1/feeds`)).body.items.find((f: { id: string }) => f.id === source).health;
  const queue = (name: string) => api.app.get<Queue>(getQueueToken(name));
  const idle = async () => {
    for (const name of [QUEUES.feeds, QUEUES.events, QUEUES.risk]) {
      const counts = await queue(name).getJobCounts('waiting', 'active', 'prioritized');
      if (Object.values(counts).some((n) => n > 0)) return false;
    }
    return true;
  };
  const pull = async () => {
    const before = (await feedHealth()).lastPullAt;
    expect((await postJson(`${api.url}/v1/feeds/${source}/pull`, {})).status).toBe(202);
    await eventually('pulled', async () => (await feedHealth()).lastPullAt !== before);
    await eventually('queues idle', idle);
  };
  /** Every HITS edge of the event to this run's plants, by plant. */
  const hits = async () => {
    const res = await api.neo4j.run(
      `MATCH (:Event {id: $id})-[h:HITS]->(s:Site) WHERE s.id STARTS WITH $p
       RETURN s.id AS site, h.source AS source, h.anticipated AS anticipated, h.p AS p, h.leadHours AS leadHours, h.basis AS basis,
              h.basisAt AS basisAt, h.issuedAt AS issuedAt, h.intensity AS x, h.durationDays AS days ORDER BY site`,
      { id: eventId, p },
    );
    return Object.fromEntries(
      res.records.map((r) => {
        const { site, ...hit } = r.toObject();
        return [String(site).slice(p.length), Object.fromEntries(Object.entries(hit).filter(([, v]) => v !== null))];
      }),
    );
  };
  const observed = (x: number, days: number) => ({ source: 'geo', x, days });
  const anticipated = (prob: number, leadHours: number, basis: string, basisAt: string, issuedAt: string) => ({
    source: 'forecast',
    anticipated: true,
    p: expect.closeTo(prob, 9),
    leadHours,
    basis,
    basisAt,
    issuedAt,
    x: 0.1,
    days: 3,
  });
  const mine = <T extends { skuId: string }>(items: T[]) => items.filter((i) => i.skuId.startsWith(p));

  beforeAll(async () => {
    served['/gdacs'] = JSON.stringify(first);
    server = createServer((req, res) => {
      const body = served[req.url ?? ''];
      res.statusCode = body ? 200 : 404;
      res.end(body ?? '');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const FEEDS = JSON.stringify([
      { id: source, format: 'gdacs-geojson', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/gdacs`, intervalSeconds: 3600 },
    ]);
    const env = { QUEUE_PREFIX: queuePrefix, FEEDS, FORECAST_P_AT_0H: '0.8', FORECAST_P_AT_120H: '0.2' };
    api = await startApi(env);
    const imported = await postJson(`${api.url}/v1/graph/import`, {
      suppliers: [{ id: `${p}SUP`, name: 'Coral Sea Works', country: 'NC' }],
      sites: names.map((n) => ({
        id: `${p}${n}`,
        supplierId: `${p}SUP`,
        name: `Plant ${n}`,
        kind: 'plant',
        lon: PLANTS[n][0],
        lat: PLANTS[n][1],
        country: 'NC',
      })),
      skus: names.map((n) => ({ id: `${p}SKU-${n}`, name: `Product ${n}`, dailyRevenue: 1000 })),
      supplies: names.map((n) => ({ fromSiteId: `${p}${n}`, toSkuId: `${p}SKU-${n}`, partId: `${p}SKU-${n}`, share: 1, bufferDays: 0, leadTimeDays: 0 })),
    });
    if (imported.status !== 200) throw new Error(JSON.stringify(imported.body));
    // The worker's scheduler pulls the feed once at start.
    worker = await startWorker(env);
  });

  afterAll(async () => {
    await worker?.close();
    await obliterateQueues(api.app);
    await api.neo4j.run('MATCH (e:Event {source: $source}) DETACH DELETE e', { source });
    await deleteByPrefix(api.neo4j, p);
    await api.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('observes the advisory wind buffer and anticipates the later steps and the cone, p by lead time', async () => {
    await eventually('event matched', async () => ((await getFound(`${api.url}/v1/events/${encodeURIComponent(eventId)}`))?.hits.length ? true : null));
    await eventually('queues idle', idle);
    const issued = '2026-01-28T06:00:00.000Z';
    // p = 0.8 − (0.6 / 120) · lead: +0 h 0.8, +12 h 0.74, +24 h 0.68, +36 h 0.62.
    expect(await hits()).toEqual({
      A: observed(0.1, 3),
      B: anticipated(0.74, 12, 'area', '2026-01-28T18:00:00.000Z', issued),
      B2: anticipated(0.68, 24, 'area', '2026-01-29T06:00:00.000Z', issued),
      C: anticipated(0.62, 36, 'track', '2026-01-29T18:00:00.000Z', issued),
      C0: anticipated(0.8, 0, 'track', issued, issued),
    });

    const event = await getFound(`${api.url}/v1/events/${encodeURIComponent(eventId)}`);
    expect(event).toMatchObject({ source, type: 'storm', status: 'active', severity: 0.1, expectedDurationDays: 3, geometry: { type: 'Polygon' } });
    expect(event.forecast).toMatchObject({ issuedAt: issued, areas: [{ at: '2026-01-28T18:00:00.000Z' }, { at: '2026-01-29T06:00:00.000Z' }] });
    expect(event.forecast.track).toHaveLength(4);
    expect(event.forecast.cone.type).toBe('Polygon');
    const ours = <T extends { siteId: string }>(list: T[]) => list.filter((h) => h.siteId.startsWith(p));
    expect(ours(event.hits)).toEqual([{ siteId: `${p}A`, x: 0.1, days: 3 }]);
    const why = ours(event.anticipatedHits as Array<{ siteId: string }>);
    expect(why.map((h) => h.siteId.slice(p.length))).toEqual(['B', 'B2', 'C', 'C0']);
    expect(why[0]).toMatchObject({ x: 0.1, days: 3, p: expect.closeTo(0.74, 9), source: 'forecast', leadHours: 12, basis: 'area', issuedAt: issued });

    // Observed: only A's product; the outlook: the four anticipated plants' products, each behind the event with the
    // p of the hit that reaches it (its lead time), the event drawn once.
    const outlooks = await eventually('outlooks', async () => {
      const items = mine((await getJson(`${api.url}/v1/exposures?outlook=true`)).body.items as Array<{ skuId: string }>);
      return items.length === 4 ? items : null;
    });
    const plain = await getJson(`${api.url}/v1/exposures`);
    expect(mine(plain.body.items as Array<{ skuId: string }>).map((i) => i.skuId.slice(p.length))).toEqual(['SKU-A']);
    expect(outlooks.map((i) => i.skuId.slice(p.length)).sort()).toEqual(['SKU-B', 'SKU-B2', 'SKU-C', 'SKU-C0']);
    const pOf = { 'SKU-B': 0.74, 'SKU-B2': 0.68, 'SKU-C': 0.62, 'SKU-C0': 0.8 };
    for (const item of outlooks as Array<{ skuId: string }>) {
      const want = pOf[item.skuId.slice(p.length) as keyof typeof pOf];
      expect(item).toMatchObject({
        observed: null,
        outlook: { x: 0.1, days: 3, p: expect.closeTo(want, 9), events: [{ eventId, p: expect.closeTo(want, 9) }] },
      });
      // The why: the advisory the anticipation stands on.
      expect((item as unknown as { outlook: { events: Array<{ forecast: unknown }> } }).outlook.events[0].forecast).toEqual({
        kind: 'advisory',
        title: event.title,
        source,
        sourceUrl: event.sourceUrl ?? null,
        issuedAt: issued,
        areasAt: ['2026-01-28T18:00:00.000Z', '2026-01-29T06:00:00.000Z'],
        cone: true,
        trackPoints: 4,
      });
    }
  });

  it('pulling the same advisory again changes nothing', async () => {
    const before = await getFound(`${api.url}/v1/events/${encodeURIComponent(eventId)}`);
    const hitsBefore = await hits();
    await pull();
    expect((await getFound(`${api.url}/v1/events/${encodeURIComponent(eventId)}`)).updatedAt).toBe(before.updatedAt);
    expect(await hits()).toEqual(hitsBefore);
  });

  it('the next advisory replaces the last: the newly observed step, new leads, and the sites the cone left', async () => {
    served['/gdacs'] = JSON.stringify(secondAdvisory());
    await pull();
    const issued = '2026-01-28T18:00:00.000Z';
    // A: left behind (no buffer, outside the cut cone); B: now inside the observed buffer; B2: +12 h 0.74;
    // C: nearest the +24 h point now, 0.68; C0: outside the cut cone, its anticipated hit gone.
    await eventually('hits replaced', async () => ((await hits()).B?.source === 'geo' ? true : null));
    expect(await hits()).toEqual({
      B: observed(0.1, 3),
      B2: anticipated(0.74, 12, 'area', '2026-01-29T06:00:00.000Z', issued),
      C: anticipated(0.68, 24, 'track', '2026-01-29T18:00:00.000Z', issued),
    });
    await eventually('exposures follow', async () => {
      const plain = mine((await getJson(`${api.url}/v1/exposures`)).body.items as Array<{ skuId: string }>).map((i) => i.skuId.slice(p.length));
      return plain.length === 1 && plain[0] === 'SKU-B' ? true : null;
    });
    const outlooks = await eventually('outlooks follow', async () => {
      const items = mine((await getJson(`${api.url}/v1/exposures?outlook=true`)).body.items as Array<{ skuId: string }>);
      return items.length === 2 ? items : null;
    });
    expect(outlooks.map((i) => i.skuId.slice(p.length)).sort()).toEqual(['SKU-B2', 'SKU-C']);
    const second = new Map((outlooks as Array<{ skuId: string; outlook: { p: number } }>).map((i) => [i.skuId.slice(p.length), i.outlook.p]));
    expect(second.get('SKU-B2')).toBeCloseTo(0.74, 9);
    expect(second.get('SKU-C')).toBeCloseTo(0.68, 9);
  });

  it('a closed event keeps no hit, observed or anticipated', async () => {
    expect((await postJson(`${api.url}/v1/events/${encodeURIComponent(eventId)}/close`, {})).status).toBe(200);
    // Closing keeps the edges for the record but takes them out of every read; a new match of a closed event writes none.
    await eventually('queues idle', idle);
    await worker.get((await import('@tiersight/disruptions')).EventIngestService).match(eventId);
    expect(await hits()).toEqual({});
    await eventually('outlooks cleared', async () =>
      mine((await getJson(`${api.url}/v1/exposures?outlook=true`)).body.items as Array<{ skuId: string }>).length === 0 ? true : null,
    );
  });
});
