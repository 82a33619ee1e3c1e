jest.setTimeout(90_000);
import { deleteByPrefix, getJson, postJson, RunningApi, startApi } from '../../../test/support/api-harness';
import { smallNetwork } from '../../../test/support/small-network';
import { uniquePrefix } from '../../../test/support/test-env';

/**
 * Structural reports over the real graph. Values are hand-computed for
 * test/support/small-network.ts with every site lost alone for 60 days
 * (the default time to recover of a plant); other data in the database
 * does not touch these sites, so their absolute figures are exact.
 */
describe('risk reports (real Neo4j and Redis)', () => {
  let api: RunningApi;
  const p = uniquePrefix('rep');
  const mine = <T>(rows: T[], key: keyof T) => rows.filter((r) => String(r[key]).startsWith(p));

  beforeAll(async () => {
    api = await startApi({ QUEUE_PREFIX: p.slice(0, -1) });
    expect((await postJson(`${api.url}/v1/graph/import`, smallNetwork(p))).status).toBe(200);
  });
  afterAll(async () => {
    await deleteByPrefix(api.neo4j, p);
    await api.close();
  });

  it('ranks sites by the revenue their loss alone puts at risk (RXI)', async () => {
    const res = await getJson(`${api.url}/v1/risk/rxi?limit=1000`);
    expect(res.status).toBe(200);
    const sites = mine(res.body.sites as Array<{ siteId: string; revenueAtRisk: number; rxi: number; tier: number }>, 'siteId');
    const byId = Object.fromEntries(sites.map((s) => [s.siteId.slice(p.length), s.revenueAtRisk]));
    // M1: SKU-A (1, 60−2) → 10000·58. T2b: SKU-A 0.3·(60−0−2)·10000 + SKU-B (60−5)·5000.
    // T2a: 0.5·(60−4−2)·10000. T3: 0.5·(60−10−4−2)·10000. C2: 0.2·(60−1−2)·10000. C1: 0.2·(60−3−1−2)·10000.
    expect(byId).toEqual({ M1: 580000, T2b: 449000, T2a: 270000, T3: 220000, C2: 114000, C1: 108000 });
    const ratio = (a: string, b: string) => sites.find((s) => s.siteId === p + a)!.rxi / sites.find((s) => s.siteId === p + b)!.rxi;
    expect(ratio('T2b', 'M1')).toBeCloseTo(449000 / 580000, 9);
    expect(sites.map((s) => s.siteId.slice(p.length))).toEqual(['M1', 'T2b', 'T2a', 'T3', 'C2', 'C1']);
  });

  it('remembers the RXI list per graph version: a graph change shows in the next read', async () => {
    const m1 = async () => {
      const res = await getJson(`${api.url}/v1/risk/rxi?limit=1000`);
      expect(res.status).toBe(200);
      return (res.body.sites as Array<{ siteId: string; revenueAtRisk: number }>).find((s) => s.siteId === `${p}M1`)!.revenueAtRisk;
    };
    const skuA = (dailyRevenue: number) => ({ skus: [{ id: `${p}SKU-A`, name: 'Speaker A', dailyRevenue, category: 'audio' }] });
    expect(await m1()).toBe(580000);
    expect((await postJson(`${api.url}/v1/graph/import`, skuA(20000))).status).toBe(200);
    expect(await m1()).toBe(1160000); // SKU-A's revenue doubled: 20000 · 58
    expect((await postJson(`${api.url}/v1/graph/import`, skuA(10000))).status).toBe(200);
    expect(await m1()).toBe(580000);
  });

  it('finds the single points of failure', async () => {
    const res = await getJson(`${api.url}/v1/risk/spof?limit=1000`);
    const spofs = mine(res.body.items as Array<{ siteId: string; skuIds: string[]; hidden: boolean }>, 'siteId');
    expect(spofs.map((s) => [s.siteId.slice(p.length), s.skuIds.map((k) => k.slice(p.length)), s.hidden]).sort()).toEqual([
      ['M1', ['SKU-A'], false],
      ['T2b', ['SKU-B'], false],
    ]);
  });

  it('lists single-sourced inputs and reports coverage and concentration', async () => {
    const res = await getJson(`${api.url}/v1/risk/single-sources?limit=1000`);
    const single = mine(res.body.items as Array<{ receiverId: string; partId: string; supplierSiteId: string }>, 'receiverId');
    expect(single.map((s) => `${s.supplierSiteId.slice(p.length)}>${s.receiverId.slice(p.length)}`).sort()).toEqual([
      'C1>C2',
      'M1>SKU-A',
      'T2b>SKU-B',
      'T3>T2a',
    ]);
    const coverage = await getJson(`${api.url}/v1/risk/coverage?depth=3`);
    expect(coverage.status).toBe(200);
    const skuA = coverage.body.skus.find((s: { skuId: string }) => s.skuId === `${p}SKU-A`);
    expect(skuA.byDepth[0]).toBeCloseTo(1, 9); // SKU-A's one input is fully mapped at tier 1
    const concentration = await getJson(`${api.url}/v1/risk/concentration`);
    expect(concentration.status).toBe(200);
    expect(concentration.body.items.length).toBeGreaterThan(0);
  });

  it('refuses bad report parameters with 400', async () => {
    expect((await getJson(`${api.url}/v1/risk/rxi?limit=0`)).status).toBe(400);
    expect((await getJson(`${api.url}/v1/risk/coverage?depth=99`)).status).toBe(400);
  });
});
