import { exposedSkus, propagate } from './index';
import { stateOf, tinyGraph } from './testing/tiny-graph';

// Hand-computed cases, one per rule of DESIGN §3.1–3.3.
describe('propagate (DESIGN §3.2 rules)', () => {
  const fanIn = tinyGraph({
    sites: ['S1', 'S2', 'M'],
    edges: [
      ['S1', 'M', 'P', 0.3],
      ['S2', 'M', 'P', 0.4],
    ],
  });

  it('sums share · x over the counted edges of one part', () => {
    const r = propagate(fanIn, [
      { site: 'S1', x: 1, days: 10 },
      { site: 'S2', x: 0.5, days: 6 },
    ]);
    expect(stateOf(r, 'M').x).toBeCloseTo(0.3 + 0.2, 12);
    expect(stateOf(r, 'M').d).toBe(10);
    expect(stateOf(r, 'M').onset).toBe(0);
  });

  it('counts the unmapped rest of an input as unaffected', () => {
    // only 0.7 of P is mapped: losing every known supplier loses 0.7, not 1
    const r = propagate(fanIn, [
      { site: 'S1', x: 1, days: 10 },
      { site: 'S2', x: 1, days: 10 },
    ]);
    expect(stateOf(r, 'M').x).toBeCloseTo(0.7, 12);
  });

  it('caps an input shortfall at 1 (shares may exceed 1 by the 1e-9 tolerance)', () => {
    const g = tinyGraph({
      sites: ['S1', 'S2', 'M'],
      edges: [
        ['S1', 'M', 'P', 0.5],
        ['S2', 'M', 'P', 0.5000000009],
      ],
    });
    const r = propagate(g, [
      { site: 'S1', x: 1, days: 4 },
      { site: 'S2', x: 1, days: 4 },
    ]);
    expect(stateOf(r, 'M').x).toBe(1);
  });

  describe('buffers', () => {
    const g = tinyGraph({ sites: ['S', 'M'], edges: [['S', 'M', 'P', 1, 4, 0]] });
    it.each([
      // [disruption days, expected M days, expected M x]
      [3, 0, 0], // absorbed
      [4, 0, 0], // exactly the buffer: g = 0, still absorbed
      [5, 1, 1], // outlasts it by one day
      [12, 8, 1],
    ])('a %d-day loss behind a 4-day buffer leaves %d days', (days, expectedDays, expectedX) => {
      const r = propagate(g, [{ site: 'S', x: 1, days }]);
      expect(stateOf(r, 'M')).toEqual({ x: expectedX, d: expectedDays, onset: expectedX > 0 ? 4 : Infinity });
    });
  });

  it('takes x and d as maxima over parts, each on its own', () => {
    const g = tinyGraph({
      sites: ['S1', 'S2', 'M'],
      edges: [
        ['S1', 'M', 'P', 0.5, 0, 7],
        ['S2', 'M', 'Q', 1, 0, 2],
      ],
    });
    const r = propagate(g, [
      { site: 'S1', x: 1, days: 10 },
      { site: 'S2', x: 0.3, days: 20 },
    ]);
    // X(M,P) = 0.5 (10 days), X(M,Q) = 0.3 (20 days): peak loss from P, longest shortage from Q
    expect(stateOf(r, 'M')).toEqual({ x: 0.5, d: 20, onset: 2 });
  });

  it('combines several impacts on one site by noisy-OR and max days over x > 0', () => {
    const g = tinyGraph({ sites: ['S', 'M'], edges: [['S', 'M', 'P', 1]] });
    const r = propagate(g, [
      { site: 'S', x: 0.5, days: 3 },
      { site: 'S', x: 0.5, days: 8 },
      { site: 'S', x: 0, days: 100 }, // "not impacted" carries no days
    ]);
    expect(stateOf(r, 'S')).toEqual({ x: 0.75, d: 8, onset: 0 });
    expect(stateOf(r, 'M')).toEqual({ x: 0.75, d: 8, onset: 0 });
  });

  it('keeps a direct impact when it beats the inputs, and onset 0 for any hit site', () => {
    const g = tinyGraph({ sites: ['S', 'M'], edges: [['S', 'M', 'P', 0.2, 0, 5]] });
    const r = propagate(g, [
      { site: 'S', x: 1, days: 10 },
      { site: 'M', x: 0.5, days: 2 },
    ]);
    expect(stateOf(r, 'M')).toEqual({ x: 0.5, d: 10, onset: 0 });
  });

  it('passes nothing from a hit with zero days', () => {
    const g = tinyGraph({ sites: ['S', 'M'], edges: [['S', 'M', 'P', 1]] });
    const r = propagate(g, [{ site: 'S', x: 0.5, days: 0 }]);
    expect(stateOf(r, 'S')).toEqual({ x: 0.5, d: 0, onset: 0 });
    expect(stateOf(r, 'M')).toEqual({ x: 0, d: 0, onset: Infinity });
  });

  describe('onset', () => {
    const g = tinyGraph({
      sites: ['S', 'S2', 'A', 'B'],
      edges: [
        ['S', 'A', 'P', 1, 1, 2],
        ['A', 'B', 'Q', 0.5, 2, 3],
        ['S', 'B', 'R', 1, 0, 20],
        ['S2', 'B', 'Q', 0.5, 5, 0], // fast but buffered: never counted for a 2-day loss
      ],
    });
    const r = propagate(g, [
      { site: 'S', x: 1, days: 10 },
      { site: 'S2', x: 1, days: 2 },
    ]);
    it('adds lead time and buffer along the chain and takes the earliest counted edge', () => {
      expect(stateOf(r, 'A')).toEqual({ x: 1, d: 9, onset: 3 }); // 0 + 2 + 1
      expect(stateOf(r, 'B')).toEqual({ x: 1, d: 10, onset: 8 }); // min(3 + 3 + 2, 0 + 20 + 0)
    });
  });

  describe('cycles', () => {
    it('terminates on a loop fed from outside and reaches the least fixed point', () => {
      // x_A = 0.4·x_S + 0.4·x_B, x_B = x_A  =>  x_A = 0.4 / 0.6
      const g = tinyGraph({
        sites: ['S', 'A', 'B'],
        edges: [
          ['S', 'A', 'P', 0.4, 1, 2],
          ['B', 'A', 'P', 0.4, 0, 1],
          ['A', 'B', 'Q', 1, 0, 3],
        ],
      });
      const r = propagate(g, [{ site: 'S', x: 1, days: 10 }]);
      expect(r.cappedComponents).toBe(0);
      expect(stateOf(r, 'A').x).toBeCloseTo(2 / 3, 10);
      expect(stateOf(r, 'B').x).toBeCloseTo(2 / 3, 10);
      expect(stateOf(r, 'A').d).toBe(9);
      expect(stateOf(r, 'B').d).toBe(9);
      expect(stateOf(r, 'A').onset).toBe(3); // 0 + 2 + 1; the loop back (6 + 1 + 0) is later
      expect(stateOf(r, 'B').onset).toBe(6);
    });

    it('carries an earlier onset round a loop even when x and d no longer move', () => {
      // every member saturates at (1, 10) at once; only the onsets improve as the short route comes round
      const g = tinyGraph({
        sites: ['S', 'S2', 'S3', 'A', 'B', 'C', 'D'],
        skus: ['K'],
        edges: [
          ['A', 'B', 'P', 1, 0, 1],
          ['B', 'C', 'Q', 1, 0, 1],
          ['C', 'D', 'R', 1, 0, 1],
          ['D', 'A', 'T', 1, 0, 1],
          ['S', 'A', 'U', 1, 0, 0],
          ['S3', 'C', 'U', 1, 0, 40],
          ['S2', 'D', 'U', 1, 0, 50],
          ['D', 'K', 'K', 1, 0, 0],
        ],
      });
      const hit = { x: 1, days: 10 };
      const r = propagate(g, [
        { site: 'S3', ...hit },
        { site: 'S2', ...hit },
        { site: 'S', ...hit },
      ]);
      expect(['A', 'B', 'C', 'D', 'K'].map((id) => stateOf(r, id).onset)).toEqual([0, 1, 2, 3, 3]);
    });

    it('terminates on a self-loop', () => {
      const g = tinyGraph({
        sites: ['S', 'A'],
        edges: [
          ['S', 'A', 'P', 0.5],
          ['A', 'A', 'P', 0.25],
        ],
      });
      const r = propagate(g, [{ site: 'S', x: 1, days: 5 }]);
      expect(stateOf(r, 'A').x).toBeCloseTo(2 / 3, 10);
      expect(stateOf(r, 'A').d).toBe(5);
    });

    it('leaves an undisrupted loop at zero (least, not any, fixed point)', () => {
      const g = tinyGraph({
        sites: ['S', 'A', 'B'],
        edges: [
          ['A', 'B', 'P', 1],
          ['B', 'A', 'P', 1],
          ['S', 'A', 'Q', 1, 50],
        ],
      });
      const r = propagate(g, [{ site: 'S', x: 1, days: 10 }]);
      expect(stateOf(r, 'A')).toEqual({ x: 0, d: 0, onset: Infinity });
      expect(stateOf(r, 'B')).toEqual({ x: 0, d: 0, onset: Infinity });
    });

    it('lets buffers on a loop shorten the days that come back round', () => {
      const g = tinyGraph({
        sites: ['S', 'A', 'B'],
        edges: [
          ['S', 'A', 'P', 1],
          ['A', 'B', 'P', 1, 2],
          ['B', 'A', 'Q', 1, 2],
        ],
      });
      const r = propagate(g, [{ site: 'S', x: 0.5, days: 5 }]);
      expect(stateOf(r, 'A')).toEqual({ x: 0.5, d: 5, onset: 0 });
      expect(stateOf(r, 'B')).toEqual({ x: 0.5, d: 3, onset: 2 });
    });
  });
});

describe('exposedSkus (DESIGN §3.3)', () => {
  const g = tinyGraph({
    sites: ['S', 'M'],
    skus: [
      { id: 'K-AT', dailyRevenue: 100 },
      { id: 'K-BELOW', dailyRevenue: 1e9 },
      { id: 'K-B', dailyRevenue: 100 },
      { id: 'K-A', dailyRevenue: 200 },
    ],
    edges: [
      ['S', 'M', 'P', 1],
      ['M', 'K-AT', 'K-AT', 0.05],
      ['M', 'K-BELOW', 'K-BELOW', 0.049],
      ['M', 'K-B', 'K-B', 0.5, 0, 1],
      ['M', 'K-A', 'K-A', 0.25, 0, 1],
    ],
  });

  it('includes x exactly at the threshold, excludes below, sorts by revenue then id', () => {
    const r = propagate(g, [{ site: 'S', x: 1, days: 10 }]);
    const list = exposedSkus(r);
    expect(list.map((e) => e.skuId)).toEqual(['K-A', 'K-B', 'K-AT']);
    expect(list[0]).toMatchObject({ x: 0.25, days: 10, onsetDays: 1, revenueAtRisk: 200 * 0.25 * 10 });
    expect(list[2].revenueAtRisk).toBeCloseTo(100 * 0.05 * 10, 9);
    expect(exposedSkus(r, 0.5).map((e) => e.skuId)).toEqual(['K-B']);
  });

  it('needs d > 0', () => {
    const r = propagate(g, [{ site: 'M', x: 1, days: 0 }]);
    expect(exposedSkus(r)).toEqual([]);
  });
});
