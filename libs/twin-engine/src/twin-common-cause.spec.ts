import { tinyGraph } from '../../risk-engine/src/testing/tiny-graph';
import { runSamples, summarizeTwin, type TwinRequest } from './index';
import { createDraw, drawSample } from './sample-draws';
import { buildPlan } from './twin-plan';
import { expectProportion } from './testing/statistics';

// DESIGN §9: one draw per event, shared by every site it hits. One event hits
// A and B; A alone and B alone each take the SKU's whole input (share 1 on
// two parts). If the event's draw were made per site, the SKU would be hit
// whenever either site is (1 − (1 − q)², not q), and the longest of two
// independent durations would shift the median: each assertion below fails
// under that mutation.
const g = tinyGraph({
  sites: ['A', 'B'],
  skus: [{ id: 'K', dailyRevenue: 1000 }],
  edges: [
    ['A', 'K', 'P1', 1],
    ['B', 'K', 'P2', 1],
  ],
});
const N = 4000;
const base: TwinRequest = { projection: g, events: [], samples: N, seed: 31 };

describe('one draw per event, shared by all its sites', () => {
  it('presence: an anticipated event with p = 0.5 exposes the SKU with probability 0.5, not 0.75', () => {
    const req: TwinRequest = {
      ...base,
      events: [
        {
          id: 'E',
          type: 'storm',
          probability: 0.5,
          hits: [
            { site: 'A', x: 0.6, days: 5 },
            { site: 'B', x: 0.6, days: 5 },
          ],
        },
      ],
      defaultDraw: { sigma: 0, kappa: 0 },
    };
    expectProportion(summarizeTwin(req, runSamples(req, 0, N)).skus[0].probability, 0.5, N);
  });

  it('severity: P(x ≥ threshold) for the SKU equals that of one site, not of the better of two', () => {
    // Beta(1, 1) (x̂ = 0.5, κ = 2): P(x ≥ 0.8) = 0.2 per draw; per-site draws would give 0.36
    const req: TwinRequest = {
      ...base,
      events: [
        {
          id: 'E',
          type: 'storm',
          hits: [
            { site: 'A', x: 0.5, days: 5 },
            { site: 'B', x: 0.5, days: 5 },
          ],
        },
      ],
      drawParameters: { storm: { sigma: 0, kappa: 2 } },
      exposureThreshold: 0.8,
    };
    expectProportion(summarizeTwin(req, runSamples(req, 0, N)).skus[0].probability, 0.2, N);
  });

  it('duration: the SKU’s median shortage is d̂, not the median of the longer of two draws', () => {
    // LogNormal(ln 10, 0.5): median 10; the max of two independent draws has median 10·exp(0.5·Φ⁻¹(√0.5)) ≈ 12.8
    const req: TwinRequest = {
      ...base,
      events: [
        {
          id: 'E',
          type: 'storm',
          hits: [
            { site: 'A', x: 1, days: 10 },
            { site: 'B', x: 1, days: 10 },
          ],
        },
      ],
      drawParameters: { storm: { sigma: 0.5, kappa: 0 } },
    };
    const days = summarizeTwin(req, runSamples(req, 0, N)).skus[0].days;
    expect(days.p50).toBeGreaterThan(9.3);
    expect(days.p50).toBeLessThan(10.7);
  });

  it('sites with different estimates get rank-identical draws with their own means', () => {
    const req: TwinRequest = {
      ...base,
      events: [
        {
          id: 'E',
          type: 'storm',
          hits: [
            { site: 'A', x: 0.2, days: 4 },
            { site: 'B', x: 0.7, days: 9 },
          ],
        },
      ],
      drawParameters: { storm: { sigma: 0.4, kappa: 10 } },
    };
    const plan = buildPlan(req);
    const draw = createDraw(plan);
    const xa: number[] = [];
    const xb: number[] = [];
    for (let i = 0; i < N; i++) {
      drawSample(plan, i, draw);
      xa.push(draw.x[0]);
      xb.push(draw.x[1]);
      // one duration factor for the whole event
      expect(draw.d[1] / draw.d[0]).toBeCloseTo(9 / 4, 12);
    }
    const order = (xs: number[]) => xs.map((_, i) => i).sort((i, j) => xs[i] - xs[j]);
    expect(order(xa)).toEqual(order(xb)); // comonotone: the same sample is worst at both sites
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    // Beta(κx̂, κ(1 − x̂)) has sd √(x̂(1 − x̂)/(κ + 1)): 0.12 and 0.14, so 4 standard errors are < 0.01
    expect(Math.abs(mean(xa) - 0.2)).toBeLessThan(0.01);
    expect(Math.abs(mean(xb) - 0.7)).toBeLessThan(0.01);
  });
});
