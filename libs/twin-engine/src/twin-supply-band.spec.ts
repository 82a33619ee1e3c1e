import fc from 'fast-check';
import { exposedSkus, propagate } from '@tiersight/risk-engine';
import { caseWithImpacts, withSiteIds } from '../../risk-engine/src/testing/random-graphs';
import { tinyGraph } from '../../risk-engine/src/testing/tiny-graph';
import { runSamples, runTwin, summarizeTwin, type SkuSamples, type TwinPartial, type TwinRequest } from './index';

// The supply ratio band of the daily curve (DESIGN §9, the fan chart): per
// day, P10, P50 and P90 of 1 − x over all samples, 1 where the SKU is not
// short that day; the same inverted empirical CDF as the other percentiles.

const one = tinyGraph({ sites: ['S'], skus: [{ id: 'K', dailyRevenue: 100 }], edges: [['S', 'K', 'K', 1]] });
const k = one.indexOf('K');

/** The summary of one SKU's exposed samples among n, over `horizonDays`. */
function bandOf(samples: Array<{ x: number; onset: number; days: number }>, n: number, horizonDays: number) {
  const sku: SkuSamples = {
    sku: k,
    x: Float64Array.from(samples, (s) => s.x),
    days: Float64Array.from(samples, (s) => s.days),
    onset: Float64Array.from(samples, (s) => s.onset),
  };
  const request: TwinRequest = { projection: one, events: [], samples: n, seed: 0, horizonDays, exposureThreshold: 0 };
  const partial: TwinPartial = {
    fromIndex: 0,
    toIndex: n,
    driverIds: [],
    skus: samples.length ? [sku] : [],
    totals: new Float64Array(n),
    drops: null,
    presentCount: new Int32Array(0),
    evaluations: 0,
    cappedComponents: 0,
  };
  return summarizeTwin(request, partial).skus[0]?.curve;
}

/** The oracle: every sample's ratio that day, sorted, read at rank ⌈q·n⌉. */
function naiveBand(samples: Array<{ x: number; onset: number; days: number }>, n: number, horizonDays: number) {
  const out = { p10: [] as number[], p50: [] as number[], p90: [] as number[] };
  for (let t = 0; t < horizonDays; t++) {
    const ratios = new Array<number>(n).fill(1);
    samples.forEach((s, i) => {
      if (Math.ceil(s.onset) <= t && t < Math.ceil(s.onset + s.days)) ratios[i] = 1 - s.x;
    });
    ratios.sort((a, b) => a - b);
    const at = (q: number) => ratios[Math.min(n, Math.max(1, Math.ceil(q * n - 1e-9))) - 1];
    out.p10.push(at(0.1));
    out.p50.push(at(0.5));
    out.p90.push(at(0.9));
  }
  return out;
}

describe('supply ratio band', () => {
  it('a hand-computed case: five samples, ranks 1, 3 and 5', () => {
    // n = 5: P10 is the smallest ratio (rank ⌈0.5⌉ = 1), P50 the 3rd (⌈2.5⌉), P90 the largest (⌈4.5⌉ = 5).
    const samples = [
      { x: 0.2, onset: 0, days: 3 }, //   short on days 0, 1, 2
      { x: 0.6, onset: 1.5, days: 2 }, // days [⌈1.5⌉, ⌈3.5⌉) = 2, 3
      { x: 0.4, onset: 0, days: 5 }, //   days 0–4
      { x: 0.6, onset: 2, days: 1 }, //   day 2 (a tie in x with the second sample)
      { x: 0.9, onset: 2, days: 1 }, //   day 2
    ];
    const curve = bandOf(samples, 5, 6)!;
    // day 0 and 1: 1 − 0.4, 1 − 0.2, 1, 1, 1
    // day 2: everyone short: 1 − 0.9, 1 − 0.6, 1 − 0.6, 1 − 0.4, 1 − 0.2
    // day 3: 1 − 0.6, 1 − 0.4, 1, 1, 1; day 4: 1 − 0.4, then 1s; day 5: nobody short
    expect(curve.supplyRatio.p10).toEqual([1 - 0.4, 1 - 0.4, 1 - 0.9, 1 - 0.6, 1 - 0.4, 1]);
    expect(curve.supplyRatio.p50).toEqual([1, 1, 1 - 0.6, 1, 1, 1]);
    expect(curve.supplyRatio.p90).toEqual([1, 1, 1 - 0.2, 1, 1, 1]);
    // the share short of the same days, for comparison
    expect(curve.short).toEqual([0.4, 0.4, 1, 0.4, 0.2, 0]);
  });

  it('counts samples not exposed, and exposed samples short on no day of the horizon, as a full supply', () => {
    // ten samples, two exposed: one short from day 3 on, one whose shortage starts past the horizon
    const curve = bandOf(
      [
        { x: 0.5, onset: 3, days: 40 },
        { x: 1, onset: 9, days: 5 },
      ],
      10,
      8,
    )!;
    expect(curve.supplyRatio.p10).toEqual([1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5]); // 1 of 10 short: rank 1 is its ratio
    expect(curve.supplyRatio.p50).toEqual(new Array(8).fill(1));
    expect(curve.supplyRatio.p90).toEqual(new Array(8).fill(1));
  });

  it('equals the naive per-day sort on random samples (ties, fractional onsets, zero days, past the horizon)', () => {
    const sampleArb = fc.record({
      x: fc.oneof(fc.constantFrom(0.05, 0.25, 0.5, 1), fc.double({ min: 0.01, max: 1, noNaN: true })),
      onset: fc.oneof(fc.constantFrom(0, 0.5, 1, 2, 7, 30), fc.double({ min: 0, max: 20, noNaN: true })),
      days: fc.oneof(fc.constantFrom(0, 0.3, 1, 2.5, 10, 100), fc.double({ min: 0, max: 20, noNaN: true })),
    });
    fc.assert(
      fc.property(fc.array(sampleArb, { maxLength: 40 }), fc.nat({ max: 20 }), fc.integer({ min: 1, max: 25 }), (samples, extra, horizon) => {
        const n = samples.length + extra;
        fc.pre(n > 0);
        const curve = bandOf(samples, n, horizon);
        const expected = naiveBand(samples, n, horizon);
        if (!curve) {
          expect(samples).toHaveLength(0);
          return;
        }
        expect(curve.supplyRatio).toEqual(expected);
        for (let t = 0; t < horizon; t++) {
          expect(curve.supplyRatio.p10[t]).toBeLessThanOrEqual(curve.supplyRatio.p50[t]);
          expect(curve.supplyRatio.p50[t]).toBeLessThanOrEqual(curve.supplyRatio.p90[t]);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('with every uncertainty at zero the band collapses onto the engine’s exposure: 1 − x while short, 1 otherwise', () => {
    const horizonDays = 24;
    fc.assert(
      fc.property(caseWithImpacts, fc.nat(), ([c, impacts], seed) => {
        const byEvent = new Map<string, typeof impacts>();
        for (const i of impacts) byEvent.set(i.eventId!, [...(byEvent.get(i.eventId!) ?? []), i]);
        const request: TwinRequest = {
          projection: c.projection,
          events: [...byEvent].map(([id, hits]) => ({ id, type: 'storm', hits: hits.map((h) => ({ site: `S${h.site}`, x: h.x, days: h.days })) })),
          defaultDraw: { sigma: 0, kappa: 0 },
          samples: 3,
          seed,
          horizonDays,
        };
        const result = runTwin(request);
        const expected = exposedSkus(propagate(c.projection, withSiteIds(impacts)));
        expect(result.skus.map((s) => s.skuId).sort()).toEqual(expected.map((e) => e.skuId).sort());
        for (const e of expected) {
          const { supplyRatio, lostFraction } = result.skus.find((s) => s.skuId === e.skuId)!.curve;
          const from = Math.ceil(e.onsetDays);
          const to = Math.ceil(e.onsetDays + e.days);
          const engine = Array.from({ length: horizonDays }, (_, t) => (t >= from && t < to ? 1 - e.x : 1));
          expect(supplyRatio).toEqual({ p10: engine, p50: engine, p90: engine });
          // and the mean curve says the same
          lostFraction.forEach((l, t) => expect(1 - l).toBeCloseTo(engine[t], 12));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('the worked example of DESIGN §9 on day 9: ratios 0.2 (p 0.30), 0.7 (p 0.42), 1 (p 0.28)', () => {
    // twin-worked-examples.spec.ts: on day 9 K loses 0.8 when E1 is present (both, or E1 only: 0.30),
    // 0.3 with E2 only (0.42), nothing otherwise (0.28). CDF of the ratio: 0.30 at 0.2, 0.72 at 0.7, 1 at 1.
    const g = tinyGraph({
      sites: ['A', 'B', 'C', 'D'],
      skus: [{ id: 'K', dailyRevenue: 1000 }],
      edges: [
        ['A', 'C', 'PA', 1, 2, 3],
        ['B', 'D', 'PB', 0.5, 0, 1],
        ['C', 'K', 'P1', 1, 1, 2],
        ['D', 'K', 'P2', 1, 0, 4],
      ],
    });
    const request: TwinRequest = {
      projection: g,
      events: [
        { id: 'E1', type: 'storm', probability: 0.3, hits: [{ site: 'A', x: 0.8, days: 10 }] },
        { id: 'E2', type: 'flood', probability: 0.6, hits: [{ site: 'B', x: 0.6, days: 5 }] },
      ],
      defaultDraw: { sigma: 0, kappa: 0 },
      samples: 4000,
      seed: 2024,
    };
    const { supplyRatio } = summarizeTwin(request, runSamples(request, 0, request.samples)).skus[0].curve;
    // the atoms are far from the cut-offs (0.1 < 0.30, 0.30 < 0.5 < 0.72 < 0.9), so the empirical percentiles are exact
    expect(supplyRatio.p10[9]).toBeCloseTo(0.2, 12);
    expect(supplyRatio.p50[9]).toBeCloseTo(0.7, 12);
    expect(supplyRatio.p90[9]).toBe(1);
    // day 3: nobody short yet (the earliest onset is day 5)
    expect([supplyRatio.p10[3], supplyRatio.p50[3], supplyRatio.p90[3]]).toEqual([1, 1, 1]);
  });
});
