import { tinyGraph } from '../../risk-engine/src/testing/tiny-graph';
import { summarize, summarizeTwin, type TwinPartial, type TwinRequest } from './index';

describe('summarize', () => {
  it('takes percentiles on the inverted empirical CDF, the samples not listed counting as 0', () => {
    // 10 samples: six zeros, then 1, 2, 3, 4
    const s = summarize(Float64Array.of(3, 1, 4, 2), 10);
    expect(s).toEqual({ p10: 0, p50: 0, p90: 3, mean: 1 });
    expect(summarize(Float64Array.of(5, 6, 7, 8, 9, 10, 11, 12, 13, 14), 10)).toEqual({ p10: 5, p50: 9, p90: 13, mean: 9.5 });
    expect(summarize(Float64Array.of(7), 1)).toEqual({ p10: 7, p50: 7, p90: 7, mean: 7 });
  });

  it('finds the percentiles a full sort gives, ties and any share of unlisted samples included, and leaves the values as they were', () => {
    let seed = 11;
    const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const rank = (q: number, n: number) => Math.min(n, Math.max(1, Math.ceil(q * n - 1e-9)));
    for (let trial = 0; trial < 300; trial++) {
      const m = 1 + Math.floor(rnd() * 200);
      const n = m + (rnd() < 0.5 ? 0 : Math.floor(rnd() * 300));
      // few distinct values half the time: many ties
      const values = Float64Array.from({ length: m }, () => (rnd() < 0.5 ? Math.floor(rnd() * 4) + 1 : rnd() * 100));
      const before = values.slice();
      const sorted = values.slice().sort();
      const at = (q: number) => (rank(q, n) <= n - m ? 0 : sorted[rank(q, n) - (n - m) - 1]);
      const s = summarize(values, n);
      expect([s.p10, s.p50, s.p90]).toEqual([at(0.1), at(0.5), at(0.9)]);
      expect(values).toEqual(before);
    }
  });
});

describe('summarizeTwin', () => {
  const g = tinyGraph({
    sites: ['S'],
    skus: [
      { id: 'K1', dailyRevenue: 10 },
      { id: 'K2', dailyRevenue: 100 },
    ],
    edges: [
      ['S', 'K1', 'K1', 1],
      ['S', 'K2', 'K2', 1],
    ],
  });
  const k1 = g.indexOf('K1');
  const k2 = g.indexOf('K2');
  const request: TwinRequest = {
    projection: g,
    events: [{ id: 'E', type: 't', hits: [] }],
    scenarios: [{ id: 'SC', sites: ['S'] }],
    samples: 4,
    seed: 0,
    horizonDays: 6,
  };
  const partial: TwinPartial = {
    fromIndex: 0,
    toIndex: 4,
    driverIds: ['E', 'SC'],
    skus: [
      // short on days [⌈0.5⌉, ⌈0.5 + 2⌉) = {1, 2} and [⌈4⌉, ⌈4 + 10⌉) ∩ horizon = {4, 5}
      { sku: k1, x: Float64Array.of(0.5, 0.25), days: Float64Array.of(2, 10), onset: Float64Array.of(0.5, 4) },
      { sku: k2, x: Float64Array.of(0.1), days: Float64Array.of(1), onset: Float64Array.of(0) },
    ],
    totals: Float64Array.of(10, 0, 25, 10),
    drops: Float64Array.of(0, 0, 0, 0, 10, 0, 25, 10),
    presentCount: Int32Array.of(4, 3),
    evaluations: 0,
    cappedComponents: 0,
  };
  const result = summarizeTwin(request, partial);

  it('reports each exposed SKU with its probability, distributions and onset over exposed samples', () => {
    expect(result.skus.map((s) => s.skuId)).toEqual(['K1', 'K2']); // by mean revenue at risk: (10 + 25) / 4 vs 10 / 4
    const [first, second] = result.skus;
    expect(first.probability).toBe(0.5);
    expect(first.exposedSamples).toBe(2);
    expect(first.revenueAtRisk).toEqual({ p10: 0, p50: 0, p90: 25, mean: 8.75 }); // samples 0, 0, 10, 25: P50 is the 2nd
    expect(first.days).toEqual({ p10: 0, p50: 0, p90: 10, mean: 3 });
    expect(first.onset).toEqual({ p10: 0.5, p50: 0.5, p90: 4, mean: 2.25 });
    expect(second.revenueAtRisk.mean).toBe(2.5);
  });

  it('draws the daily curve: share short and mean lost fraction, clipped to the horizon', () => {
    const { short, lostFraction } = result.skus[0].curve;
    expect(short).toEqual([0, 0.25, 0.25, 0, 0.25, 0.25]);
    expect(lostFraction).toEqual([0, 0.125, 0.125, 0, 0.0625, 0.0625]);
    // onset 0 and 1 day: short on day 0 only
    expect(result.skus[1].curve.short).toEqual([0.25, 0, 0, 0, 0, 0]);
  });

  it('reports totals and each driver’s presence and contribution', () => {
    expect(result.total).toEqual({ p10: 0, p50: 10, p90: 25, mean: 11.25 });
    expect(result.drivers).toEqual([
      { id: 'E', kind: 'event', presence: 1, contribution: 0 },
      { id: 'SC', kind: 'scenario', presence: 0.75, contribution: 11.25 },
    ]);
    expect(result).toMatchObject({ seed: 0, samples: 4, horizonDays: 6, exposureThreshold: 0.05, contributionSamples: 4, cappedComponents: 0 });
  });
});
