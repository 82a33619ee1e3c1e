jest.setTimeout(120_000);
import { ExposureRepository, readExposureVersion } from '@tiersight/graph';
import { ExposureRunService } from '@tiersight/risk-runs';
import { VersionedAnswerCache } from '../src/analyst/exposures/exposure-read-cache';
import { deleteByPrefix, getJson, postJson, RunningApi, startApi } from '../../../test/support/api-harness';
import { smallNetwork } from '../../../test/support/small-network';
import { uniquePrefix } from '../../../test/support/test-env';

/**
 * The exposure reads are answered from memory per exposure version (the stamp
 * of the last risk run's write) and graph version: repeated reads cost no
 * query, and a read made after a write committed sees that write, never an
 * answer remembered from before it. Real Neo4j and Redis; the risk runs are
 * the ones the worker makes (ExposureRunService), called in the test.
 */
describe('exposure reads under the per-version cache (real Neo4j and Redis)', () => {
  let api: RunningApi;
  let runs: ExposureRunService;
  let repository: ExposureRepository;
  const p = uniquePrefix('xr');
  const event = (severity: number) => ({
    id: `${p}EV`,
    type: 'fire',
    title: `Fire at M1 (${severity})`,
    severity,
    expectedDurationDays: 30,
    geometry: { type: 'Point', coordinates: [-100.31, 25.67] },
    radiusKm: 1,
  });
  const sku = () => getJson(`${api.url}/v1/exposures/${p}SKU-A`);
  const byEvent = () => getJson(`${api.url}/v1/exposures?limit=50&eventId=${p}EV`);

  beforeAll(async () => {
    api = await startApi({ QUEUE_PREFIX: p.slice(0, -1) });
    runs = api.app.get(ExposureRunService);
    repository = api.app.get(ExposureRepository);
    expect((await postJson(`${api.url}/v1/graph/import`, smallNetwork(p))).status).toBe(200);
    expect((await postJson(`${api.url}/v1/events`, event(0.8))).status).toBe(201);
    await runs.run();
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await postJson(`${api.url}/v1/events/${p}EV/close`, {});
    await runs.run();
    await deleteByPrefix(api.neo4j, p);
    await api.close();
  });

  it('answers repeated reads of one version from memory, and concurrent ones with one load', async () => {
    const one = jest.spyOn(repository, 'one');
    const list = jest.spyOn(repository, 'list');
    const first = await sku();
    expect(first.status).toBe(200);
    expect(first.body.x).toBeCloseTo(0.8, 9);
    const again = await Promise.all([sku(), sku(), sku(), byEvent(), byEvent()]);
    expect(again.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(again[0].body).toEqual(first.body);
    expect(again[3].body.items.map((i: { skuId: string }) => i.skuId)).toEqual([`${p}SKU-A`]);
    // One load of the SKU (by the first read) and one of the list page, shared by the two concurrent reads.
    expect(one).toHaveBeenCalledTimes(1);
    expect(list).toHaveBeenCalledTimes(1);
    one.mockRestore();
    list.mockRestore();
  });

  it('shows a risk run’s write to the next read, in the SKU’s exposure and in the list', async () => {
    expect((await sku()).body.x).toBeCloseTo(0.8, 9);
    expect((await byEvent()).body.items[0].x).toBeCloseTo(0.8, 9);
    expect((await postJson(`${api.url}/v1/events`, event(0.4))).status).toBe(201);
    await runs.run();
    const after = await sku();
    expect(after.body.x).toBeCloseTo(0.4, 9);
    expect(after.body.attribution.map((a: { title: string }) => a.title)).toEqual(['Fire at M1 (0.4)']);
    expect((await byEvent()).body.items[0].x).toBeCloseTo(0.4, 9);
  });

  it('shows a graph change (a SKU renamed by an import) without waiting for a risk run', async () => {
    expect((await sku()).body.name).toBe('Speaker A');
    const renamed = { skus: [{ id: `${p}SKU-A`, name: 'Speaker A mk2', dailyRevenue: 10000, category: 'audio' }] };
    expect((await postJson(`${api.url}/v1/graph/import`, renamed)).status).toBe(200);
    expect((await sku()).body.name).toBe('Speaker A mk2');
    expect((await byEvent()).body.items[0].name).toBe('Speaker A mk2');
  });

  it('answers 404 once the exposure is resolved, though the exposed answer was remembered', async () => {
    expect((await sku()).status).toBe(200);
    expect((await postJson(`${api.url}/v1/events/${p}EV/close`, {})).status).toBe(200);
    await runs.run();
    const gone = await sku();
    expect(gone.status).toBe(404);
    expect(gone.type).toContain('application/problem+json');
    expect((await byEvent()).body.items).toEqual([]);
    expect((await postJson(`${api.url}/v1/events`, event(0.8))).status).toBe(201);
    await runs.run();
    expect((await sku()).status).toBe(200);
  });

  it('sends a remembered answer as JSON with its ETag, and 304 to a client that holds it', async () => {
    const auth = { authorization: `Bearer ${api.adminKey}` };
    for (const path of [`/v1/exposures/${p}SKU-A`, `/v1/exposures?limit=50&eventId=${p}EV`, '/v1/risk/rxi?limit=20']) {
      const first = await fetch(`${api.url}${path}`, { headers: auth });
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const etag = first.headers.get('etag');
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      const text = await first.text();
      expect(Number(first.headers.get('content-length'))).toBe(Buffer.byteLength(text));
      expect(JSON.parse(text)).toEqual((await getJson(`${api.url}${path}`)).body);
      // fetch adds `Cache-Control: no-cache` to a conditional request unless it has one (a revalidation Express answers in full).
      const again = await fetch(`${api.url}${path}`, { headers: { ...auth, 'if-none-match': etag!, 'cache-control': 'max-age=0' } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      const stale = await fetch(`${api.url}${path}`, { headers: { ...auth, 'if-none-match': '"another"', 'cache-control': 'max-age=0' } });
      expect(stale.status).toBe(200);
      expect(await stale.text()).toBe(text);
    }
  });

  describe('the cache itself', () => {
    it('makes the reads that arrive during a version read share the next one, which sees a write committed meanwhile', async () => {
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      let versionReads = 0;
      const readVersion = async () => {
        versionReads++;
        const seen = (await readExposureVersion(api.neo4j)).exposureStamp ?? '-';
        if (versionReads === 1) await gate; // the version before the write below, answered late
        return seen;
      };
      const cache = new VersionedAnswerCache(readVersion);
      const loads: string[] = [];
      const first = cache.read(
        'k',
        async () => (loads.push('before'), 'before'),
        () => 1,
      );
      await new Promise((r) => setTimeout(r, 200));
      expect((await postJson(`${api.url}/v1/events`, event(0.5))).status).toBe(201);
      await runs.run(); // a new stamp, committed while the first version read is under way
      const readsBefore = versionReads;
      const later = Promise.all(
        [1, 2, 3].map(() =>
          cache.read(
            'k',
            async () => (loads.push('after'), 'after'),
            () => 1,
          ),
        ),
      );
      open();
      expect((await first).json?.text).toBe('"before"');
      // The three later reads waited for a version read begun after they arrived: the new version, one load, one version read.
      expect((await later).map((held) => held.json?.text)).toEqual(['"after"', '"after"', '"after"']);
      expect(loads).toEqual(['before', 'after']);
      expect(versionReads - readsBefore).toBe(1);
      expect(cache.size).toBe(1);
    });
  });
});
