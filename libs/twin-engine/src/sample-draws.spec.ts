import { tinyGraph } from '../../risk-engine/src/testing/tiny-graph';
import { TwinEngineErrorCode, type TwinRequest } from './index';
import { createDraw, drawSample, severity } from './sample-draws';
import { buildPlan } from './twin-plan';

const g = tinyGraph({ sites: [{ id: 'A', ttrDays: 12 }, 'B', 'C'], skus: ['K'], edges: [['A', 'K', 'K', 1]] });
const base: TwinRequest = { projection: g, events: [], samples: 100, seed: 3 };

function drawsOf(request: TwinRequest, samples = 200) {
  const plan = buildPlan(request);
  const draw = createDraw(plan);
  const rows: Array<{ present: number[]; x: number[]; d: number[] }> = [];
  for (let i = 0; i < samples; i++) {
    drawSample(plan, i, draw);
    rows.push({ present: Array.from(draw.present), x: Array.from(draw.x), d: Array.from(draw.d) });
  }
  return { plan, rows };
}

describe('sample draws', () => {
  it('are the estimates bit for bit when σ = 0 and κ = 0 (or Infinity), whatever the estimate', () => {
    const x = [0, 1e-17, 0.1 + 0.2, 0.5, 1 - 1e-16, 1];
    const req: TwinRequest = {
      ...base,
      events: [
        { id: 'E1', type: 'exact', hits: x.map((v, i) => ({ site: ['A', 'B', 'C'][i % 3], x: v, days: 1 / 3 + i })) },
        { id: 'E2', type: 'infinite', hits: [{ site: 'A', x: 0.37, days: 7.1 }] },
      ],
      drawParameters: { exact: { sigma: 0, kappa: 0 }, infinite: { sigma: 0, kappa: Infinity } },
    };
    const { rows } = drawsOf(req, 20);
    for (const row of rows) {
      expect(row.x).toEqual([...x, 0.37]);
      expect(row.d).toEqual([...x.map((_, i) => 1 / 3 + i), 7.1]);
    }
  });

  it('keep x̂ = 0 and x̂ = 1 exact under any κ (the Beta degenerates there), and d̂ = 0 stays 0', () => {
    const req: TwinRequest = {
      ...base,
      events: [
        {
          id: 'E',
          type: 't',
          hits: [
            { site: 'A', x: 0, days: 5 },
            { site: 'B', x: 1, days: 0 },
          ],
        },
      ],
      drawParameters: { t: { sigma: 1, kappa: 3 } },
    };
    for (const row of drawsOf(req).rows) {
      expect(row.x).toEqual([0, 1]);
      expect(row.d[1]).toBe(0);
    }
    expect(severity(0, 5, 0.3)).toBe(0);
    expect(severity(1, 5, 0.3)).toBe(1);
    expect(severity(0.4, 0, 0.3)).toBe(0.4);
  });

  it('leave survey answers and sensor impacts as given, and give them the event’s presence', () => {
    const req: TwinRequest = {
      ...base,
      events: [
        {
          id: 'E',
          type: 't',
          probability: 0.5,
          hits: [
            { site: 'A', x: 0.4, days: 6, source: 'survey' },
            { site: 'B', x: 0.2, days: 3, source: 'sensor' },
            { site: 'C', x: 0.3, days: 9 },
          ],
        },
      ],
    };
    const { rows } = drawsOf(req);
    for (const row of rows) {
      if (row.present[0] === 1) {
        expect(row.x.slice(0, 2)).toEqual([0.4, 0.2]);
        expect(row.d.slice(0, 2)).toEqual([6, 3]);
      } else {
        expect(row.x).toEqual([0, 0, 0]);
        expect(row.d).toEqual([0, 0, 0]);
      }
    }
    expect(new Set(rows.map((r) => r.x[2])).size).toBeGreaterThan(50); // the estimate is drawn
  });

  it('give each driver its own uniforms: one event’s parameters never move another’s draws', () => {
    const events = [
      { id: 'E-a', type: 'a', hits: [{ site: 'A', x: 0.5, days: 5 }] },
      { id: 'E-b', type: 'b', probability: 0.5, hits: [{ site: 'B', x: 0.5, days: 5 }] },
    ];
    const one = drawsOf({ ...base, events, drawParameters: { a: { sigma: 0, kappa: 0 } } });
    const two = drawsOf({ ...base, events, drawParameters: { a: { sigma: 2, kappa: 1 } } });
    expect(two.rows.map((r) => [r.present[1], r.x[1], r.d[1]])).toEqual(one.rows.map((r) => [r.present[1], r.x[1], r.d[1]]));
    expect(two.rows.map((r) => r.x[0])).not.toEqual(one.rows.map((r) => r.x[0]));
  });

  it('draw a scenario’s recovery within [0.5·ttr, 2·ttr] with x = 1, one uniform for all its sites', () => {
    const req: TwinRequest = { ...base, scenarios: [{ id: 'SC', sites: ['A', 'B'] }] };
    const ttrB = g.ttrDays[g.indexOf('B')];
    for (const row of drawsOf(req).rows) {
      expect(row.x).toEqual([1, 1]);
      expect(row.d[0]).toBeGreaterThanOrEqual(6);
      expect(row.d[0]).toBeLessThanOrEqual(24);
      expect(row.d[1] / ttrB).toBeCloseTo(row.d[0] / 12, 12);
    }
    const exact = drawsOf({ ...base, scenarios: [{ id: 'SC', sites: ['A'], recovery: { low: 1, high: 1 } }] });
    expect(exact.rows.every((r) => r.d[0] === 12)).toBe(true);
  });

  it('are validated with coded errors', () => {
    const bad = (patch: Partial<TwinRequest>, code: TwinEngineErrorCode) =>
      expect(() => buildPlan({ ...base, ...patch })).toThrow(expect.objectContaining({ code }));
    const ev = (hit: object, extra: object = {}) => ({ events: [{ id: 'E', type: 't', hits: [{ site: 'A', x: 0.5, days: 1, ...hit }], ...extra }] });
    bad(ev({ site: 'K' }), TwinEngineErrorCode.UnknownSite);
    bad(ev({ site: 'NOPE' }), TwinEngineErrorCode.UnknownSite);
    bad(ev({ site: 99 }), TwinEngineErrorCode.UnknownSite);
    bad(ev({ x: 1.5 }), TwinEngineErrorCode.InvalidValue);
    bad(ev({ days: -1 }), TwinEngineErrorCode.InvalidValue);
    bad(ev({ days: Infinity }), TwinEngineErrorCode.InvalidValue);
    bad(ev({}, { probability: 1.2 }), TwinEngineErrorCode.InvalidValue);
    bad({ ...ev({}), scenarios: [{ id: 'E', sites: ['A'] }] }, TwinEngineErrorCode.DuplicateDriver);
    bad({ scenarios: [{ id: 'S', sites: ['A'], recovery: { low: 1.5, high: 2 } }] }, TwinEngineErrorCode.InvalidValue);
    bad({ ...ev({}), drawParameters: { t: { sigma: -1 } } }, TwinEngineErrorCode.InvalidValue);
    bad({ defaultDraw: { kappa: NaN } }, TwinEngineErrorCode.InvalidValue);
    bad({ samples: 0 }, TwinEngineErrorCode.InvalidValue);
    bad({ samples: 1.5 }, TwinEngineErrorCode.InvalidValue);
    bad({ seed: -1 }, TwinEngineErrorCode.InvalidValue);
    bad({ horizonDays: 0 }, TwinEngineErrorCode.InvalidValue);
    bad({ exposureThreshold: 2 }, TwinEngineErrorCode.InvalidValue);
    bad({ contributionSamples: 101 }, TwinEngineErrorCode.InvalidValue);
    expect(buildPlan({ ...base, ...ev({ site: g.indexOf('A') }) }).hitSite[0]).toBe(g.indexOf('A'));
  });
});
