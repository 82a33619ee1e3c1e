import { describeExposure } from './exposures';
import { propagate } from './index';
import { tinyGraph } from './testing/tiny-graph';

const pathOf = (r: ReturnType<typeof propagate>, sku = 'K') => describeExposure(r, sku).criticalPath.map((h) => h.nodeId);

/** Sites feeding M, each by [site, part, share, bufferDays?]; M alone makes the SKU K. */
const feedingM = (...inputs: Array<[string, string, number, number?]>) =>
  tinyGraph({
    sites: [...inputs.map(([site]) => site), 'M'],
    skus: ['K'],
    edges: [
      ...inputs.map(([site, part, share, bufferDays]): [string, string, string, number, number?] => [site, 'M', part, share, bufferDays]),
      ['M', 'K', 'K', 1],
    ],
  });

const hit = (site: string, x: number, days: number) => ({ site, x, days });

describe('critical path ties and stops (DESIGN §3.3)', () => {
  it('prefers the part with the larger X, then larger D, then the smaller part id', () => {
    const g = feedingM(['S1', 'P-B', 0.5], ['S2', 'P-C', 0.5], ['S3', 'P-A', 0.5]);
    // P-B and P-C tie on X = 0.5, P-C has the longer shortage
    expect(pathOf(propagate(g, [hit('S1', 1, 5), hit('S2', 1, 8), hit('S3', 0.4, 30)]))).toEqual(['S2', 'M', 'K']);
    // X and D tie on all three parts: the smallest part id wins
    expect(pathOf(propagate(g, [hit('S1', 1, 8), hit('S2', 1, 8), hit('S3', 1, 8)]))).toEqual(['S3', 'M', 'K']);
  });

  it('within a part prefers the larger s·x, then larger g, then the smaller upstream id', () => {
    const g = feedingM(['S-B', 'P', 0.5], ['S-A', 'P', 0.25], ['S-C', 'P', 0.25, 3]);
    // contributions: S-B 0.5·0.4 = 0.2, S-A 0.25·0.8 = 0.2, S-C 0.25·0.8 = 0.2 but its buffer shortens g
    expect(pathOf(propagate(g, [hit('S-B', 0.4, 6), hit('S-A', 0.8, 6), hit('S-C', 0.8, 6)]))).toEqual(['S-A', 'M', 'K']);
    expect(pathOf(propagate(g, [hit('S-B', 0.4, 6), hit('S-A', 0.8, 5)]))).toEqual(['S-B', 'M', 'K']);
  });

  it('stops at a node whose direct x is at least its largest input shortfall', () => {
    const g = feedingM(['S', 'P', 0.5]);
    const upstream = { site: 'S', x: 1, days: 10, eventId: 'EV-S' };
    let r = propagate(g, [upstream, { site: 'M', x: 0.5, days: 3, eventId: 'EV-M' }]);
    expect(pathOf(r)).toEqual(['M', 'K']);
    expect(describeExposure(r, 'K').eventIds).toEqual(['EV-M']);
    r = propagate(g, [upstream, { site: 'M', x: 0.3, days: 3, eventId: 'EV-M' }]);
    expect(pathOf(r)).toEqual(['S', 'M', 'K']);
    expect(describeExposure(r, 'K').eventIds).toEqual(['EV-S']);
  });

  it('never loops on a cycle and still ends at the hit site', () => {
    // A's biggest contributor is B, whose only input is A again
    const g = tinyGraph({
      sites: ['S', 'A', 'B'],
      skus: ['K'],
      edges: [
        ['S', 'A', 'P', 0.4],
        ['B', 'A', 'P', 0.6],
        ['A', 'B', 'Q', 1],
        ['A', 'K', 'K', 1],
      ],
    });
    const r = propagate(g, [{ site: 'S', x: 1, days: 10, eventId: 'EV-1' }]);
    const e = describeExposure(r, 'K');
    expect(e.criticalPath.map((h) => h.nodeId)).toEqual(['S', 'A', 'K']);
    expect(e.eventIds).toEqual(['EV-1']);
  });

  it('reports confidence over hops: inferred share and the oldest confirmation, sites included', () => {
    const g = tinyGraph({
      sites: [{ id: 'S', confirmedAt: '2020-01-01T00:00:00Z' }, 'M'],
      skus: ['K'],
      edges: [
        { from: 'S', to: 'M', partId: 'P', share: 1, bufferDays: 0, leadTimeDays: 0, source: 'inferred', confirmedAt: '2022-01-01T00:00:00Z' },
        { from: 'M', to: 'K', partId: 'K', share: 1, bufferDays: 0, leadTimeDays: 0, source: 'inferred', confirmedAt: '2021-06-01T00:00:00Z' },
      ],
    });
    const r = propagate(g, [{ site: 'S', x: 1, days: 1 }]);
    expect(describeExposure(r, 'K').confidence).toEqual({
      hops: 2,
      inferredHops: 2,
      inferredShare: 1,
      unconfirmedHops: 0,
      oldestConfirmedAt: '2020-01-01T00:00:00.000Z',
    });
  });
});
