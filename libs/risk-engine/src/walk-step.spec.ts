import { propagate } from './index';
import { tinyGraph } from './testing/tiny-graph';
import { sameWalkStep } from './walk-step';

/** S1 and S2 feed M by the same part, S3 by another; M alone makes the SKU K. */
const graph = tinyGraph({
  sites: ['S1', 'S2', 'S3', 'M'],
  skus: ['K'],
  edges: [
    ['S1', 'M', 'P', 0.5],
    ['S2', 'M', 'P', 0.5],
    ['S3', 'M', 'Q', 1],
    ['M', 'K', 'K', 1],
  ],
});
const M = graph.indexOf('M');
const hit = (site: string, x: number, days = 10) => ({ site, x, days });

describe('sameWalkStep', () => {
  it('is the same when an input moves without reordering what the walk tries', () => {
    const before = propagate(graph, [hit('S1', 0.8), hit('S2', 0.2)]);
    expect(sameWalkStep(before, propagate(graph, [hit('S1', 0.8), hit('S2', 0.4)]), M)).toBe(true);
    expect(sameWalkStep(before, before, M)).toBe(true);
  });

  it('differs when the inputs tried change order, or a part starts or stops counting', () => {
    const before = propagate(graph, [hit('S1', 0.8), hit('S2', 0.2)]);
    expect(sameWalkStep(before, propagate(graph, [hit('S1', 0.8), hit('S2', 0.9)]), M)).toBe(false);
    expect(sameWalkStep(before, propagate(graph, [hit('S1', 0.8)]), M)).toBe(false);
    expect(sameWalkStep(before, propagate(graph, [hit('S1', 0.8), hit('S2', 0.2), hit('S3', 0.1)]), M)).toBe(false);
  });

  it("differs when the stop rule flips (the node's own direct impact outgrows its inputs)", () => {
    const before = propagate(graph, [hit('S1', 0.8), hit('M', 0.1)]);
    expect(sameWalkStep(before, propagate(graph, [hit('S1', 0.8), hit('M', 0.6)]), M)).toBe(false);
    // Both stop there: what lies upstream no longer matters.
    expect(sameWalkStep(propagate(graph, [hit('S1', 0.2), hit('M', 0.6)]), propagate(graph, [hit('S2', 0.4), hit('M', 0.6)]), M)).toBe(true);
  });
});
