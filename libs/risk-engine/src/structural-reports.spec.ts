import fc from 'fast-check';
import { computeTiers, countryConcentration, mapCoverage, singleSourcedInputs, visibilityGaps } from './index';
import { caseArb } from './testing/random-graphs';
import { reachableFrom } from './testing/reach';
import { tinyGraph } from './testing/tiny-graph';

describe('structural reports (DESIGN §3.3)', () => {
  const g = tinyGraph({
    sites: [
      { id: 'T2', country: 'CN' },
      { id: 'M1', country: 'DE' },
      { id: 'M2', country: 'US' },
      { id: 'N', country: 'DE' },
    ],
    skus: [
      { id: 'K1', dailyRevenue: 100 },
      { id: 'K2', dailyRevenue: 50 },
    ],
    edges: [
      ['T2', 'M1', 'P', 1],
      ['M1', 'K1', 'A', 0.8],
      ['N', 'K1', 'B', 1],
      ['M2', 'K2', 'K2', 0.5],
      ['M1', 'K2', 'K2', 0.5],
      ['T2', 'N', 'Q', 0.5],
    ],
  });

  it('lists inputs fed by one edge of share 1', () => {
    expect(singleSourcedInputs(g)).toEqual([
      { receiverId: 'M1', partId: 'P', supplierSiteId: 'T2' },
      { receiverId: 'K1', partId: 'B', supplierSiteId: 'N' },
    ]);
  });

  it('lists visibility gaps (mapped share below 1), smallest first', () => {
    expect(visibilityGaps(g)).toEqual([
      { receiverId: 'N', partId: 'Q', mappedShare: 0.5, edgeCount: 1 },
      { receiverId: 'K1', partId: 'A', mappedShare: 0.8, edgeCount: 1 },
    ]);
  });

  it('sums the revenue of SKUs depending on each country at each tier', () => {
    expect(countryConcentration(g)).toEqual([
      { tier: 1, country: 'DE', revenue: 150, skuCount: 2, revenueShare: 1 },
      { tier: 1, country: 'US', revenue: 50, skuCount: 1, revenueShare: 50 / 150 },
      { tier: 2, country: 'CN', revenue: 150, skuCount: 2, revenueShare: 1 },
    ]);
  });

  it('computes map coverage by depth: mapped share, traced further up multiplicatively', () => {
    const report = mapCoverage(g, 3);
    const k1 = report.skus.find((s) => s.skuId === 'K1')!.byDepth;
    // depth 1: mean(0.8, 1); depth 2: mean(0.8·cov1(M1) = 0.8·1, 1·cov1(N) = 0.5); depth 3: T2 has no inputs
    expect(k1[0]).toBeCloseTo(0.9, 12);
    expect(k1[1]).toBeCloseTo((0.8 + 0.5) / 2, 12);
    expect(k1[2]).toBe(0);
    const k2 = report.skus.find((s) => s.skuId === 'K2')!.byDepth;
    expect(k2[0]).toBe(1);
    expect(k2[1]).toBeCloseTo(0.5, 12); // M2 has no mapped inputs, M1 is fully mapped
    expect(report.revenueWeighted[0]).toBeCloseTo((100 * 0.9 + 50 * 1) / 150, 12);
  });

  it('concentration equals a naive reachability count on random graphs', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const p = c.projection;
        const tiers = computeTiers(p).node;
        const expected = new Map<string, Set<number>>();
        for (const site of p.siteNodes) {
          if (tiers[site] < 1) continue;
          const seen = reachableFrom(p, site);
          const key = `${tiers[site]}/${p.countries[p.countryOf[site]]}`;
          const skus = expected.get(key) ?? new Set<number>();
          for (const v of seen) if (p.isSku(v)) skus.add(v);
          expected.set(key, skus);
        }
        const got = new Map(countryConcentration(p).map((r) => [`${r.tier}/${r.country}`, r.revenue]));
        for (const [key, skus] of expected) {
          const revenue = [...skus].reduce((sum, v) => sum + p.dailyRevenue[v], 0);
          expect(got.get(key) ?? 0).toBeCloseTo(revenue, 9);
        }
        expect(got.size).toBe([...expected.values()].filter((s) => s.size > 0).length);
      }),
      { numRuns: 200 },
    );
  });
});
