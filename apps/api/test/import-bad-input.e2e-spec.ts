jest.setTimeout(90_000);
import { getJson, postJson, RunningApi, startApi, deleteByPrefix } from '../../../test/support/api-harness';
import { uniquePrefix } from '../../../test/support/test-env';

/**
 * Bad input never gets a 5xx, never crashes the API and never writes half a batch.
 * Each case is sent on its own; after all of them the API must still answer health checks.
 */
describe('import endpoint under bad input (real Neo4j and Redis)', () => {
  let api: RunningApi;
  const p = uniquePrefix('bad');
  const supplier = { id: `${p}S`, name: 'S', country: 'DE' };
  const site = { id: `${p}A`, supplierId: `${p}S`, name: 'A', kind: 'plant', lat: 50, lon: 8, country: 'DE' };
  const siteB = { ...site, id: `${p}B`, name: 'B' };
  const sku = { id: `${p}K`, name: 'K', dailyRevenue: 100 };
  const part = { id: `${p}P`, name: 'P' };
  const edge = { fromSiteId: `${p}A`, toSiteId: `${p}B`, partId: `${p}P`, share: 0.5, bufferDays: 1, leadTimeDays: 1 };
  const base = (over: Record<string, unknown> = {}) => ({
    suppliers: [supplier],
    sites: [site, siteB],
    parts: [part],
    skus: [sku],
    supplies: [edge],
    ...over,
  });
  const withEdge = (e: Record<string, unknown>) => base({ supplies: [{ ...edge, ...e }] });
  const withSite = (s: Record<string, unknown>) => base({ sites: [{ ...site, ...s }, siteB] });
  const depth = 100_000;
  const nested = '{"a":'.repeat(depth) + '{}' + '}'.repeat(depth);
  const json = (value: unknown) => JSON.stringify(value);

  beforeAll(async () => {
    api = await startApi({ QUEUE_PREFIX: p.slice(0, -1), IMPORT_MAX_BODY_MB: '20' });
  });
  afterAll(async () => {
    await deleteByPrefix(api.neo4j, p);
    await api.close();
  });

  const cases: Array<[string, unknown, number, RegExp?]> = [
    ['body is an array', [1, 2], 422, /JSON object/],
    ['body is a string (strict JSON refuses it)', '"hello"', 400],
    ['body is null (strict JSON refuses it)', 'null', 400],
    ['truncated JSON', '{"suppliers": [', 400],
    ['NaN literal', '{"skus":[{"id":"x","name":"x","dailyRevenue":NaN}]}', 400],
    ['Infinity literal', '{"skus":[{"id":"x","name":"x","dailyRevenue":Infinity}]}', 400],
    ['unknown top-level entity', base({ widgets: [] }), 422, /unknown entity/],
    ['entity is not an array', base({ sites: { id: 1 } }), 422, /must be an array/],
    ['row is not an object', base({ parts: ['P'] }), 422, /must be an object/],
    ['unknown field on a row', withSite({ colour: 'red' }), 422, /unknown field/],
    ['id is a number', base({ parts: [{ id: 7, name: 'x' }] }), 422, /string id/],
    ['id with spaces and quotes', base({ parts: [{ id: "a' OR 1=1", name: 'x' }] }), 422, /may contain only/],
    ['huge id', base({ parts: [{ id: 'x'.repeat(10_000), name: 'x' }] }), 422, /1 to 128/],
    ['huge name', base({ parts: [{ id: `${p}P2`, name: 'n'.repeat(100_000) }] }), 422, /at most 256/],
    ['empty name', base({ parts: [{ id: `${p}P2`, name: '   ' }] }), 422, /must not be empty/],
    ['missing required field', base({ skus: [{ id: `${p}K`, name: 'K' }] }), 422, /dailyRevenue is required/],
    ['revenue as a string', base({ skus: [{ ...sku, dailyRevenue: '100' }] }), 422, /finite number/],
    ['negative revenue', base({ skus: [{ ...sku, dailyRevenue: -1 }] }), 422, /at least 0/],
    ['nested object as a value', json(withSite({ name: '§' })).replace('"§"', nested), 422, /must be a string/],
    ['deeply nested body', `{"suppliers":[${nested}]}`, 422, /unknown field/],
    ['latitude 91', withSite({ lat: 91 }), 422, /lat must be at most 90/],
    ['longitude -181', withSite({ lon: -181 }), 422, /lon must be at least -180/],
    ['country not alpha-2', withSite({ country: 'XX' }), 422, /alpha-2/],
    ['country lower case', withSite({ country: 'de' }), 422, /alpha-2/],
    ['unknown site kind', withSite({ kind: 'castle' }), 422, /must be one of/],
    ['bad provenance', withSite({ source: 'rumour' }), 422, /must be one of/],
    ['bad confirmedAt', withSite({ confirmedAt: 'yesterday' }), 422, /ISO 8601/],
    ['share 0', withEdge({ share: 0 }), 422, /greater than 0/],
    ['share over 1', withEdge({ share: 1.5 }), 422, /at most 1/],
    ['share as null', withEdge({ share: null }), 422, /finite number/],
    ['negative buffer', withEdge({ bufferDays: -1 }), 422, /at least 0/],
    ['negative lead time', withEdge({ leadTimeDays: -0.5 }), 422, /at least 0/],
    ['edge with both targets', withEdge({ toSkuId: `${p}K` }), 422, /exactly one of/],
    ['edge with no target', withEdge({ toSiteId: undefined }), 422, /exactly one of/],
    ['edge from a missing site', withEdge({ fromSiteId: `${p}nope` }), 422, /does not exist/],
    ['edge to a missing SKU', withEdge({ toSiteId: undefined, toSkuId: `${p}nope` }), 422, /does not exist/],
    ['edge with a missing part', withEdge({ partId: `${p}nope` }), 422, /part .* does not exist/],
    ['site of a missing supplier', withSite({ supplierId: `${p}nope` }), 422, /supplier .* does not exist/],
    ['owner supplier missing', base({ suppliers: [{ ...supplier, ownerSupplierId: `${p}nope` }] }), 422, /does not exist/],
    ['bad visibility', base({ suppliers: [{ ...supplier, visibility: 'secret' }] }), 422, /must be one of/],
    ['duplicate ids', base({ parts: [part, part] }), 422, /duplicate id/],
    ['duplicate edge', base({ supplies: [edge, edge] }), 422, /duplicate edge/],
    [
      'shares summing over 1',
      base({ supplies: [edge, { ...edge, fromSiteId: `${p}C`, share: 0.6 }], sites: [site, siteB, { ...site, id: `${p}C` }] }),
      422,
      /more than 1/,
    ],
    ['site supplying itself', withEdge({ toSiteId: `${p}A` }), 422, /cannot supply itself/],
    ['site id equal to a SKU id', base({ skus: [{ ...sku, id: `${p}A` }] }), 422, /already a SKU id/],
  ];

  const table = cases.map(([name, body, status, detail]) => ({ name, body, status, detail }));
  it.each(table)('$name → $status problem+json, nothing written', async ({ body, status, detail }) => {
    const res = await postJson(`${api.url}/v1/graph/import`, body);
    expect(res.status).toBe(status);
    expect(res.type).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status, title: expect.any(String), type: expect.stringContaining('/problems/') });
    if (detail) expect(JSON.stringify(res.body.errors ?? res.body.detail)).toMatch(detail);
    const written = await api.neo4j.run('MATCH (n) WHERE n.id STARTS WITH $p RETURN count(n) AS c', { p });
    expect(written.records[0].get('c')).toBe(0);
  });

  it('refuses a wrong content type with 415', async () => {
    const res = await fetch(`${api.url}/v1/graph/import`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${api.adminKey}` },
      body: '{}',
    });
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('refuses a form-encoded body with 415', async () => {
    const res = await fetch(`${api.url}/v1/graph/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.adminKey}` },
      body: new URLSearchParams({ a: 'b' }),
    });
    expect(res.status).toBe(415);
  });

  it('refuses a 50 MB body with 413 and stays up', async () => {
    const big = JSON.stringify({ parts: [{ id: 'x', name: 'y'.repeat(50 * 1024 * 1024) }] });
    const res = await postJson(`${api.url}/v1/graph/import`, big);
    expect(res.status).toBe(413);
    expect(res.type).toContain('application/problem+json');
  });

  it('refuses a shares sum over 1 that only shows with edges already in the graph', async () => {
    const ok = await postJson(`${api.url}/v1/graph/import`, base());
    expect(ok.status).toBe(200);
    const extra = { ...site, id: `${p}C` };
    const res = await postJson(`${api.url}/v1/graph/import`, {
      sites: [extra],
      supplies: [{ ...edge, fromSiteId: `${p}C`, share: 0.6 }],
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ entity: 'supplies', index: 0, field: 'share', message: expect.stringMatching(/sum to 1.1/) }]);
    expect((await getJson(`${api.url}/v1/sites/${p}C`)).status).toBe(404);
    // Replacing the existing edge's share is fine: the batch edge replaces the stored one in the sum.
    const replaced = await postJson(`${api.url}/v1/graph/import`, { supplies: [{ ...edge, share: 1 }] });
    expect(replaced.status).toBe(200);
    await deleteByPrefix(api.neo4j, p);
  });

  it('refuses a SKU whose id is already a site id in the graph', async () => {
    expect((await postJson(`${api.url}/v1/graph/import`, { suppliers: [supplier], sites: [site] })).status).toBe(200);
    const res = await postJson(`${api.url}/v1/graph/import`, { skus: [{ ...sku, id: `${p}A` }] });
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({ entity: 'skus', field: 'id', message: expect.stringMatching(/already a site id/) });
    await deleteByPrefix(api.neo4j, p);
  });

  it('answers bad query parameters with 400 and stays healthy after everything above', async () => {
    for (const q of ['limit=0', 'limit=501', 'limit=abc', 'cursor=%00', 'extra=1']) {
      const res = await getJson(`${api.url}/v1/suppliers?${q}`);
      expect({ q, status: res.status }).toEqual({ q, status: 400 });
    }
    expect((await getJson(`${api.url}/v1/skus/x/upstream?depth=11`)).status).toBe(400);
    expect((await getJson(`${api.url}/v1/sites/${encodeURIComponent("a' OR 1=1")}`)).status).toBe(400);
    const health = await getJson(`${api.url}/health/ready`);
    expect(health.status).toBe(200);
    expect(health.body.info).toMatchObject({ neo4j: { status: 'up' }, redis: { status: 'up' } });
  });

  it('writes nothing when the database rejects a batch half-way (one transaction)', async () => {
    // Bypass validation on purpose: the first UNWIND (suppliers) succeeds, the sites one fails inside Neo4j.
    const { ImportService } = await import('@tiersight/graph');
    const repository = (api.app.get(ImportService) as unknown as { repository: { writeChecked(rows: unknown, check: () => void): Promise<unknown> } })
      .repository;
    const rows = {
      suppliers: [{ ...supplier, ownerSupplierId: null, visibility: 'shared' }],
      sites: [{ ...site, lat: 'not a number', ttrDays: 1, baselineRisk: 0, source: 'buyer', confirmedAt: null }],
      parts: [],
      skus: [],
      supplies: [],
    };
    await expect(repository.writeChecked(rows, () => undefined)).rejects.toThrow();
    const written = await api.neo4j.run('MATCH (n) WHERE n.id STARTS WITH $p RETURN count(n) AS c', { p });
    expect(written.records[0].get('c')).toBe(0);
  });

  it('writes nothing when a batch fails while the next one is already on its way (statements in flight)', async () => {
    const { ImportService } = await import('@tiersight/graph');
    const repository = (api.app.get(ImportService) as unknown as { repository: { writeChecked(rows: unknown, check: () => void): Promise<unknown> } })
      .repository;
    // Several UNWIND batches of sites (10,000 rows each): the import sends the next batch before the one before is done.
    const many = Array.from({ length: 25_001 }, (_, i) => ({
      ...site,
      id: `${p}many-${i}`,
      ttrDays: 1,
      baselineRisk: 0,
      source: 'buyer',
      confirmedAt: null,
      gln: null,
    }));
    for (const bad of [0, many.length - 1]) {
      const sites = many.map((s, i) => (i === bad ? { ...s, lat: 'not a number' } : s));
      const rows = { suppliers: [{ ...supplier, ownerSupplierId: null, visibility: 'shared' }], sites, parts: [], skus: [], supplies: [] };
      await expect(repository.writeChecked(rows, () => undefined)).rejects.toThrow();
      const written = await api.neo4j.run('MATCH (n) WHERE n.id STARTS WITH $p RETURN count(n) AS c', { p });
      expect({ bad, written: written.records[0].get('c') }).toEqual({ bad, written: 0 });
    }
    expect((await getJson(`${api.url}/health/ready`)).status).toBe(200);
  });
});
