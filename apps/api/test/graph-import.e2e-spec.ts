jest.setTimeout(90_000);
import { createHash } from 'node:crypto';
import { deleteByPrefix, getJson, postJson, RunningApi, startApi } from '../../../test/support/api-harness';
import { smallNetwork } from '../../../test/support/small-network';
import { uniquePrefix } from '../../../test/support/test-env';
import { encodeCursor } from '@tiersight/graph';

describe('graph import and read API (real Neo4j and Redis)', () => {
  let api: RunningApi;
  const p = uniquePrefix('imp');

  beforeAll(async () => {
    api = await startApi({ QUEUE_PREFIX: p.slice(0, -1) });
  });
  afterAll(async () => {
    await deleteByPrefix(api.neo4j, p);
    await api.close();
  });

  const snapshot = async () => {
    const res = await api.neo4j.run(
      `MATCH (n) WHERE n.id STARTS WITH $p
       OPTIONAL MATCH (n)-[r]->(m)
       WITH n, collect([type(r), m.id, properties(r)]) AS rels
       RETURN n.id AS id, labels(n) AS labels, properties(n) AS props, rels ORDER BY id`,
      { p },
    );
    return JSON.stringify(res.records.map((r) => r.toObject()));
  };
  const countByPrefix = async () => (await api.neo4j.run('MATCH (n) WHERE n.id STARTS WITH $p RETURN count(n) AS c', { p })).records[0].get('c');

  it('imports a small network and reads it back with derived tiers, including a two-tier site and a cycle', async () => {
    const res = await postJson(`${api.url}/v1/graph/import`, smallNetwork(p));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ suppliers: 4, sites: 6, parts: 3, skus: 2, supplies: 8 });
    expect(res.body.nodesCreated).toBe(15);
    expect(res.body.relationshipsCreated).toBe(8 + 6); // SUPPLIES + OPERATES

    const tiers: Record<string, number> = { M1: 1, T2a: 2, T2b: 1, T3: 3, C1: 3, C2: 2 };
    for (const [site, tier] of Object.entries(tiers)) {
      const got = await getJson(`${api.url}/v1/sites/${p}${site}`);
      expect(got.status).toBe(200);
      expect({ site, tier: got.body.tier }).toEqual({ site, tier });
    }
    const t2 = await getJson(`${api.url}/v1/suppliers/${p}SUP-T2`);
    expect(t2.body).toMatchObject({ id: `${p}SUP-T2`, tier: 1, siteCount: 2, country: 'TW' });
    const c = await getJson(`${api.url}/v1/suppliers/${p}SUP-C`);
    expect(c.body).toMatchObject({ tier: 2, ownerSupplierId: `${p}SUP-T2`, visibility: 'masked' });
    const sku = await getJson(`${api.url}/v1/skus/${p}SKU-A`);
    expect(sku.body).toMatchObject({ tier: 0, dailyRevenue: 10000, category: 'audio' });

    const site = await getJson(`${api.url}/v1/sites/${p}M1`);
    expect(site.body).toMatchObject({ lat: 25.67, lon: -100.31, kind: 'plant', ttrDays: 60, source: 'buyer' });
    expect(Date.parse(site.body.confirmedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('keeps provenance given on edges and defaults it to buyer and the import time', async () => {
    const tree = await getJson(`${api.url}/v1/skus/${p}SKU-A/upstream?depth=3`);
    const edges = tree.body.tiers.flatMap((t: { edges: unknown[] }) => t.edges);
    const byFrom = (id: string) => edges.find((e: { fromSiteId: string }) => e.fromSiteId === p + id);
    expect(byFrom('T3')).toMatchObject({ source: 'buyer', confirmedAt: '2025-01-15T00:00:00Z' });
    expect(byFrom('C2')).toMatchObject({ source: 'inferred', share: 0.2, bufferDays: 1, leadTimeDays: 2 });
  });

  it('returns the upstream tree by tier and the downstream SKUs of a supplier', async () => {
    const tree = await getJson(`${api.url}/v1/skus/${p}SKU-A/upstream?depth=3`);
    expect(tree.status).toBe(200);
    const tier = (n: number) =>
      tree.body.tiers[n - 1].edges.map((e: { fromSiteId: string; toId: string }) => `${e.fromSiteId.slice(p.length)}>${e.toId.slice(p.length)}`).sort();
    expect(tier(1)).toEqual(['M1>SKU-A']);
    expect(tier(2)).toEqual(['C2>M1', 'T2a>M1', 'T2b>M1']);
    expect(tier(3)).toEqual(['C1>C2', 'T3>T2a']);

    const shallow = await getJson(`${api.url}/v1/skus/${p}SKU-A/upstream?depth=1`);
    expect(shallow.body.tiers).toHaveLength(1);

    const down = await getJson(`${api.url}/v1/suppliers/${p}SUP-T3/downstream`);
    expect(down.body.skus).toEqual([{ skuId: `${p}SKU-A`, name: 'Speaker A', dailyRevenue: 10000, share: 0.5, hops: 3 }]);
    const downT2 = await getJson(`${api.url}/v1/suppliers/${p}SUP-T2/downstream`);
    expect(downT2.body.skus.map((s: { skuId: string; share: number; hops: number }) => [s.skuId.slice(p.length), s.share, s.hops])).toEqual([
      ['SKU-B', 1, 1],
      ['SKU-A', 0.5, 2],
    ]);
  });

  it('is idempotent: importing the same payload twice changes nothing', async () => {
    const before = await snapshot();
    const again = await postJson(`${api.url}/v1/graph/import`, smallNetwork(p));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ nodesCreated: 0, relationshipsCreated: 0, relationshipsDeleted: 0 });
    expect(await snapshot()).toEqual(before);
  });

  it('records in the audit log the SHA-256 of the body as it was sent, formatting included', async () => {
    const text = JSON.stringify(smallNetwork(p), null, 3);
    const requestId = `${p}req-hash`;
    expect((await postJson(`${api.url}/v1/graph/import`, text, { 'x-request-id': requestId })).status).toBe(200);
    const entry = await api.neo4j.run("MATCH (a:AuditEntry {action: 'graph.import'}) WHERE a.changeJson CONTAINS $requestId RETURN a.changeJson AS change", {
      requestId,
    });
    expect(entry.records).toHaveLength(1);
    const change = JSON.parse(entry.records[0].get('change'));
    expect(change.bodySha256).toBe(createHash('sha256').update(text).digest('hex'));
    expect(change.bodySha256).not.toBe(
      createHash('sha256')
        .update(JSON.stringify(JSON.parse(text)))
        .digest('hex'),
    );
  });

  it('updates in place and moves a site to its new operator', async () => {
    const res = await postJson(`${api.url}/v1/graph/import`, {
      sites: [{ id: `${p}T3`, supplierId: `${p}SUP-C`, name: 'T3 works', kind: 'port', lat: -23.65, lon: -70.4, country: 'CL' }],
    });
    expect(res.status).toBe(200);
    expect(res.body.relationshipsDeleted).toBe(1);
    const operators = await api.neo4j.run('MATCH (s:Supplier)-[:OPERATES]->(:Site {id: $id}) RETURN s.id AS id', { id: `${p}T3` });
    expect(operators.records.map((r) => r.get('id'))).toEqual([`${p}SUP-C`]);
    expect((await getJson(`${api.url}/v1/sites/${p}T3`)).body).toMatchObject({ kind: 'port', ttrDays: 21, supplierId: `${p}SUP-C` });
  });

  it('pages lists with limit and an opaque cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = encodeCursor(p); // start just before this run's ids
    for (let i = 0; i < 10; i++) {
      const page: { status: number; body: { items: Array<{ id: string }>; nextCursor: string | null } } = await getJson(
        `${api.url}/v1/skus?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.body.items.map((s: { id: string }) => s.id));
      cursor = page.body.nextCursor;
      if (!cursor || seen.includes(`${p}SKU-B`)) break;
    }
    expect(seen.slice(0, 2)).toEqual([`${p}SKU-A`, `${p}SKU-B`]);
    expect((await getJson(`${api.url}/v1/skus?cursor=not*base64`)).status).toBe(400);
  });

  it('answers 404 problem+json for unknown ids', async () => {
    for (const path of ['suppliers', 'sites', 'skus']) {
      const res = await getJson(`${api.url}/v1/${path}/${p}nope`);
      expect(res.status).toBe(404);
      expect(res.type).toContain('application/problem+json');
      expect(res.body.detail).toContain(`${p}nope`);
    }
    expect((await getJson(`${api.url}/v1/skus/${p}nope/upstream`)).status).toBe(404);
    expect((await getJson(`${api.url}/v1/suppliers/${p}nope/downstream`)).status).toBe(404);
  });

  it('rejects a batch with one bad row and writes nothing of it', async () => {
    const q = `${p}rej-`;
    const payload = smallNetwork(q);
    payload.supplies![3].share = 0.5; // M1 P-mod now sums to 1.3
    const before = await countByPrefix();
    const res = await postJson(`${api.url}/v1/graph/import`, payload);
    expect(res.status).toBe(422);
    expect(res.type).toContain('application/problem+json');
    expect(res.body.errors).toEqual([1, 2, 3].map((index) => ({ entity: 'supplies', index, field: 'share', message: expect.stringContaining('more than 1') })));
    expect(await countByPrefix()).toBe(before);
  });
});
