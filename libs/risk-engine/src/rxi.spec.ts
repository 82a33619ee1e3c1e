import fc from 'fast-check';
import { computeRxi, propagate } from './index';
import { RxiComputation, topRxiSites } from './rxi';
import { caseArb } from './testing/random-graphs';
import { tinyGraph } from './testing/tiny-graph';

describe('RXI and hidden single points of failure (DESIGN §3.3)', () => {
  // K is dual-sourced at tier 1 (M1, M2), but both M1 and M2 take all of P from T2
  const g = tinyGraph({
    sites: [
      { id: 'T2', supplierId: 'SUP-T', ttrDays: 10 },
      { id: 'M1', supplierId: 'SUP-M', ttrDays: 5 },
      { id: 'M2', supplierId: 'SUP-M', ttrDays: 16 },
      { id: 'OFFICE', supplierId: 'SUP-M', ttrDays: 0 },
    ],
    skus: [{ id: 'K', dailyRevenue: 100 }],
    edges: [
      ['T2', 'M1', 'P', 1],
      ['T2', 'M2', 'P', 1],
      ['M1', 'K', 'K', 0.5],
      ['M2', 'K', 'K', 0.5],
      ['OFFICE', 'K', 'X', 1],
    ],
  });

  it('scores each site by the revenue its loss alone puts at risk, relative to the worst', () => {
    const r = computeRxi(g);
    const by = (id: string) => r.rxi[g.indexOf(id)];
    expect(r.maxRevenueAtRisk).toBe(1000); // T2: K at (1, 10)
    expect(r.revenueAtRisk[g.indexOf('M1')]).toBe(100 * 0.5 * 5);
    expect([by('T2'), by('M1'), by('M2'), by('OFFICE')]).toEqual([1, 0.25, 0.8, 0]);
    expect(Array.from(r.supplierRxi)).toEqual([1, 0.8]);
    expect(topRxiSites(g, r, 2).map((s) => s.siteId)).toEqual(['T2', 'M2']);
    expect(r.cappedComponents).toBe(0);
  });

  it('finds the tier-2 site behind the dual-sourced input as a hidden single point of failure', () => {
    expect(computeRxi(g).spofs).toEqual([
      { siteId: 'T2', site: g.indexOf('T2'), supplierId: 'SUP-T', tier: 2, hidden: true, revenueAtRisk: 1000, skuIds: ['K'] },
    ]);
  });

  it('gives the same answer in slices', () => {
    const run = new RxiComputation(g);
    expect(run.runNext(1)).toBe(1);
    expect(run.done).toBe(false);
    while (!run.done) run.runNext(1);
    expect(run.result()).toEqual(computeRxi(g));
  });

  it('equals a naive full propagation per site on random graphs', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const p = c.projection;
        const r = computeRxi(p);
        const spofs = new Map<string, string[]>();
        for (const site of p.siteNodes) {
          const solo = propagate(p, p.ttrDays[site] > 0 ? [{ site, x: 1, days: p.ttrDays[site] }] : []);
          let sum = 0;
          for (const sku of p.skuNodes) {
            if (solo.d[sku] > 0) sum += p.dailyRevenue[sku] * solo.x[sku] * solo.d[sku];
            if (solo.x[sku] >= 1 - 1e-9) spofs.set(p.nodeIds[site], [...(spofs.get(p.nodeIds[site]) ?? []), p.nodeIds[sku]]);
          }
          expect(r.revenueAtRisk[site]).toBeCloseTo(sum, 6);
        }
        for (const list of spofs.values()) list.sort();
        expect(new Map(r.spofs.map((s) => [s.siteId, s.skuIds]))).toEqual(spofs);
      }),
      { numRuns: 200 },
    );
  });
});
