import { tinyGraph } from '../../risk-engine/src/testing/tiny-graph';
import { runSamples, summarizeTwin, type TwinRequest } from './index';
import { enumeratePresence } from './testing/enumerate-presence';
import { dropsOf, expectProportion, expectWithinStandardErrors, revenuePerSample, standardDeviation } from './testing/statistics';

// Hand-computed cases of DESIGN §9. The network: two anticipated events on
// distinct sites, reaching one SKU through two inputs.
//
//   A --(PA: share 1, buffer 2, lead 3)--> C --(P1: share 1, buffer 1, lead 2)--> K
//   B --(PB: share .5, buffer 0, lead 1)--> D --(P2: share 1, buffer 0, lead 4)--> K
//
// E1 (p = 0.3) hits A with (0.8, 10): C = (0.8, 8, onset 5), K = (0.8, 7, onset 8), RaR 1000·0.8·7 = 5600.
// E2 (p = 0.6) hits B with (0.6, 5):  D = (0.3, 5, onset 1), K = (0.3, 5, onset 5), RaR 1500.
// Both: K = (max 0.8, max 7, min onset 5), RaR 5600.
// Outcomes: both 0.18, E1 only 0.12, E2 only 0.42, none 0.28.
//   P(exposed)        = 1 − 0.7·0.4 = 0.72
//   E[RaR]            = 0.30·5600 + 0.42·1500 = 2310
//   E[days]           = 0.30·7 + 0.42·5 = 4.2
//   E[onset | exp.]   = (0.12·8 + 0.60·5) / 0.72 = 5.5
//   contribution E1   = 2310 − E[T without E1] = 2310 − 0.6·1500 = 1410
//   contribution E2   = 2310 − 0.3·5600 = 630
//   short on day 6    = P(o ≤ 6 < o + d) = both [5,12) + E2 only [5,10) = 0.6; day 9: 0.72; day 13: E1 only [8,15) = 0.12
//   lost on day 9     = 0.12·0.8 + 0.42·0.3 + 0.18·0.8 = 0.366
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

const N = 4000;
const request: TwinRequest = {
  projection: g,
  events: [
    { id: 'E1', type: 'storm', probability: 0.3, hits: [{ site: 'A', x: 0.8, days: 10 }] },
    { id: 'E2', type: 'flood', probability: 0.6, hits: [{ site: 'B', x: 0.6, days: 5 }] },
  ],
  defaultDraw: { sigma: 0, kappa: 0 },
  samples: N,
  seed: 2024,
};

describe('worked example: two anticipated events, one SKU, two inputs', () => {
  it('the exact enumeration gives the hand-computed answer', () => {
    const exact = enumeratePresence(request);
    const k = exact.skus.get('K')!;
    expect(k.probability).toBeCloseTo(0.72, 12);
    expect(k.meanRevenueAtRisk).toBeCloseTo(2310, 9);
    expect(k.meanDays).toBeCloseTo(4.2, 12);
    expect(k.meanOnset).toBeCloseTo(5.5, 12);
    expect(k.short[4]).toBe(0);
    expect(k.short[6]).toBeCloseTo(0.6, 12);
    expect(k.short[9]).toBeCloseTo(0.72, 12);
    expect(k.short[13]).toBeCloseTo(0.12, 12);
    expect(k.short[15]).toBe(0);
    expect(k.lostFraction[9]).toBeCloseTo(0.366, 12);
    expect(exact.meanTotal).toBeCloseTo(2310, 9);
    expect(exact.contributions.get('E1')).toBeCloseTo(1410, 9);
    expect(exact.contributions.get('E2')).toBeCloseTo(630, 9);
  });

  it('the Monte Carlo estimates are within 4 standard errors of it', () => {
    const partial = runSamples(request, 0, N);
    const result = summarizeTwin(request, partial);
    const exact = enumeratePresence(request);
    const k = result.skus[0];
    const ek = exact.skus.get('K')!;
    expect(k.skuId).toBe('K');
    expectProportion(k.probability, ek.probability, N);
    const rar = revenuePerSample(partial, partial.skus[0], 1000);
    expectWithinStandardErrors(k.revenueAtRisk.mean, ek.meanRevenueAtRisk, rar);
    expectWithinStandardErrors(result.total.mean, exact.meanTotal, partial.totals);
    expectWithinStandardErrors(k.onset.mean, ek.meanOnset, partial.skus[0].onset);
    for (const t of [6, 9, 13]) expectProportion(k.curve.short[t], ek.short[t], N);
    expect(Math.abs(k.curve.lostFraction[9] - ek.lostFraction[9])).toBeLessThanOrEqual((4 * 0.8 * 0.5) / Math.sqrt(N));
    const [e1, e2] = result.drivers;
    expect(e1).toMatchObject({ id: 'E1', kind: 'event' });
    expectProportion(e1.presence, 0.3, N);
    expectProportion(e2.presence, 0.6, N);
    expectWithinStandardErrors(e1.contribution!, exact.contributions.get('E1')!, dropsOf(partial, 0));
    expectWithinStandardErrors(e2.contribution!, exact.contributions.get('E2')!, dropsOf(partial, 1));
    // the distributions have atoms far from the percentile cut-offs, so the empirical percentiles are exact
    expect(k.revenueAtRisk).toMatchObject({ p10: 0, p50: 1500, p90: 5600 });
    expect(k.days).toMatchObject({ p10: 0, p50: 5, p90: 7 });
    expect(k.onset).toMatchObject({ p10: 5, p50: 5, p90: 8 });
    expect(result.total).toMatchObject({ p10: 0, p50: 1500, p90: 5600 });
  });

  it('a higher exposure threshold counts only the strong path: P = 0.3', () => {
    const strict = { ...request, exposureThreshold: 0.5 };
    expect(enumeratePresence(strict).skus.get('K')!.probability).toBeCloseTo(0.3, 12);
    const result = summarizeTwin(strict, runSamples(strict, 0, N));
    expectProportion(result.skus[0].probability, 0.3, N);
    // below the threshold the SKU is not exposed: its revenue at risk counts 0 there
    expect(result.skus[0].revenueAtRisk.p50).toBe(0);
    expect(result.skus[0].days.p90).toBe(7);
  });
});

describe('worked example: a drawn severity', () => {
  // x̂ = 0.5 and κ = 2 give Beta(1, 1): the severity is uniform, so P(x ≥ 0.3) = 0.7 and E[x] = 0.5.
  const single = tinyGraph({ sites: ['S'], skus: [{ id: 'K', dailyRevenue: 100 }], edges: [['S', 'K', 'K', 1]] });
  const req: TwinRequest = {
    projection: single,
    events: [{ id: 'E', type: 'fire', hits: [{ site: 'S', x: 0.5, days: 4 }] }],
    drawParameters: { fire: { sigma: 0, kappa: 2 } },
    exposureThreshold: 0.3,
    samples: N,
    seed: 99,
  };

  it('exposure probability P(Beta(1,1) ≥ 0.3) = 0.7, and the severity has mean x̂', () => {
    const partial = runSamples(req, 0, N);
    const result = summarizeTwin(req, partial);
    expectProportion(result.skus[0].probability, 0.7, N);
    const xs = partial.skus[0].x;
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0.3);
    expect(result.skus[0].days).toMatchObject({ p90: 4 });
    // E[x | x ≥ 0.3] = 0.65 for a uniform severity
    expectWithinStandardErrors(xs.reduce((a, b) => a + b, 0) / xs.length, 0.65, xs);
    // the revenue at risk of an exposed sample is 100 · x · 4, and its spread follows x's
    expect(standardDeviation(revenuePerSample(partial, partial.skus[0], 100))).toBeGreaterThan(0);
  });
});
