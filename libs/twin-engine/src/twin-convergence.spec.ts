import { tinyGraph } from '../../risk-engine/src/testing/tiny-graph';
import { normalQuantile, runSamples, summarizeTwin, triangularQuantile, type TwinRequest } from './index';
import { expectProportion, expectWithinStandardErrors } from './testing/statistics';

// Convergence of the drawn distributions to their parameters, through the
// whole pipeline: one site feeding one SKU with share 1 and no buffer, so the
// SKU's days short is the drawn duration and its x the drawn severity.
const g = tinyGraph({ sites: [{ id: 'S', ttrDays: 20 }], skus: [{ id: 'K', dailyRevenue: 50 }], edges: [['S', 'K', 'K', 1]] });
const N = 4001;

describe('convergence', () => {
  const sigma = 0.5;
  const dHat = 10;
  const req: TwinRequest = {
    projection: g,
    events: [{ id: 'E', type: 'flood', hits: [{ site: 'S', x: 1, days: dHat }] }],
    drawParameters: { flood: { sigma, kappa: 0 } },
    samples: N,
    seed: 5,
  };
  const partial = runSamples(req, 0, N);
  const result = summarizeTwin(req, partial);
  const days = partial.skus[0].days;

  it('P50 of days short is d̂ within the binomial confidence interval of the median', () => {
    // The number of samples below d̂ is Binomial(N, ½); the sample median lies between the
    // true quantiles at ½ ∓ 4·√(¼/N).
    const below = days.filter((d) => d < dHat).length;
    expect(Math.abs(below - N / 2)).toBeLessThanOrEqual(4 * Math.sqrt(N / 4));
    const delta = 4 * Math.sqrt(0.25 / N);
    const q = (p: number) => dHat * Math.exp(sigma * normalQuantile(p));
    expect(result.skus[0].days.p50).toBeGreaterThanOrEqual(q(0.5 - delta));
    expect(result.skus[0].days.p50).toBeLessThanOrEqual(q(0.5 + delta));
  });

  it('P10 and P90 of days short are the lognormal’s deciles within their binomial intervals', () => {
    for (const [p, value] of [
      [0.1, result.skus[0].days.p10],
      [0.9, result.skus[0].days.p90],
    ]) {
      const delta = 4 * Math.sqrt((p * (1 - p)) / N);
      expect(value).toBeGreaterThanOrEqual(dHat * Math.exp(sigma * normalQuantile(p - delta)));
      expect(value).toBeLessThanOrEqual(dHat * Math.exp(sigma * normalQuantile(p + delta)));
    }
  });

  it('the mean of days short is the lognormal mean d̂·exp(σ²/2)', () => {
    expectWithinStandardErrors(result.skus[0].days.mean, dHat * Math.exp((sigma * sigma) / 2), days);
    expect(result.skus[0].probability).toBe(1);
  });

  it('the mean severity is x̂ (Beta with mean x̂, κ = 20)', () => {
    const sev: TwinRequest = {
      ...req,
      events: [{ id: 'E', type: 'flood', hits: [{ site: 'S', x: 0.35, days: 4 }] }],
      drawParameters: { flood: { sigma: 0, kappa: 20 } },
      exposureThreshold: 0,
    };
    const part = runSamples(sev, 0, N);
    expect(part.skus[0].x.length).toBe(N);
    expectWithinStandardErrors(summarizeTwin(sev, part).skus[0].revenueAtRisk.mean / (50 * 4), 0.35, part.skus[0].x);
  });

  it('a site-down scenario draws its recovery from Triangular(0.5·ttr, ttr, 2·ttr)', () => {
    const down: TwinRequest = { projection: g, events: [], scenarios: [{ id: 'SC', sites: ['S'] }], samples: N, seed: 8 };
    const part = runSamples(down, 0, N);
    const d = part.skus[0].days;
    expect(Math.min(...d)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...d)).toBeLessThanOrEqual(40);
    expectWithinStandardErrors(summarizeTwin(down, part).skus[0].days.mean, (10 + 20 + 40) / 3, d);
    // P(recovery ≤ ttr) = (ttr − low) / (high − low) = 1/3
    expectProportion(d.filter((x) => x <= 20).length / N, 1 / 3, N);
    expect(triangularQuantile(1 / 3, 10, 20, 40)).toBeCloseTo(20, 12);
  });
});
