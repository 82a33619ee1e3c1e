import { Propagator, propagate } from './index';
import { stateOf, tinyGraph } from './testing/tiny-graph';

describe('Propagator (incremental)', () => {
  // S feeds a loop A <-> B, which feeds K1; T feeds K2 on its own
  const g = tinyGraph({
    sites: ['S', 'A', 'B', 'T'],
    skus: ['K1', 'K2'],
    edges: [
      ['S', 'A', 'P', 0.5],
      ['B', 'A', 'P', 0.5],
      ['A', 'B', 'Q', 1],
      ['A', 'K1', 'K1', 1],
      ['T', 'K2', 'K2', 1],
    ],
  });

  it('lowers a loop when its feed is reduced (least fixed point, not the old one)', () => {
    const live = new Propagator(g);
    live.setEventImpacts('EV-1', [{ site: 'S', x: 1, days: 10 }]);
    expect(stateOf(live, 'A').x).toBeCloseTo(1, 9); // x_A = 0.5 + 0.5·x_A
    const delta = live.setEventImpacts('EV-1', [{ site: 'S', x: 0.2, days: 4 }]);
    const fresh = propagate(g, [{ site: 'S', x: 0.2, days: 4 }]);
    for (const id of ['A', 'B', 'K1']) {
      expect(stateOf(live, id).x).toBeCloseTo(stateOf(fresh, id).x, 9);
      expect(stateOf(live, id).d).toBe(stateOf(fresh, id).d);
    }
    expect(stateOf(live, 'A').x).toBeCloseTo(0.2, 9);
    expect(delta.changedSkuIds).toEqual(['K1']);
  });

  it('keeps other events when one is replaced or removed, and reports only moved SKUs', () => {
    const live = new Propagator(g);
    live.setEventImpacts('EV-1', [{ site: 'S', x: 1, days: 10 }]);
    let delta = live.setEventImpacts('EV-2', [{ site: 'T', x: 0.5, days: 3 }]);
    expect(delta.changedSkuIds).toEqual(['K2']);
    delta = live.removeEvent('EV-1');
    expect(delta.changedSkuIds).toEqual(['K1']);
    expect(stateOf(live, 'K1')).toEqual({ x: 0, d: 0, onset: Infinity });
    expect(stateOf(live, 'K2')).toEqual({ x: 0.5, d: 3, onset: 0 });
    expect(live.eventIdsAt(g.indexOf('T'))).toEqual(['EV-2']);
    expect(live.impactList()).toEqual([{ site: g.indexOf('T'), x: 0.5, days: 3, eventId: 'EV-2' }]);
  });

  it('does no work when nothing changes', () => {
    const live = new Propagator(g);
    live.setImpacts([{ site: 'S', impacts: [{ x: 1, days: 10, eventId: 'EV-1' }] }]);
    const delta = live.setImpacts([{ site: 'S', impacts: [{ x: 1, days: 10, eventId: 'EV-1' }] }]);
    expect(delta).toMatchObject({ changedSkus: [], recomputedNodes: 0, evaluations: 0 });
  });

  it('combines two events on one site and splits them again', () => {
    const live = new Propagator(g);
    live.setEventImpacts('EV-1', [{ site: 'T', x: 0.5, days: 3 }]);
    live.setEventImpacts('EV-2', [{ site: 'T', x: 0.5, days: 8 }]);
    expect(stateOf(live, 'K2')).toEqual({ x: 0.75, d: 8, onset: 0 });
    expect(live.eventIdsAt(g.indexOf('T'))).toEqual(['EV-1', 'EV-2']);
    live.removeEvent('EV-2');
    expect(stateOf(live, 'K2')).toEqual({ x: 0.5, d: 3, onset: 0 });
  });

  it('rejects unknown sites and invalid impacts without changing anything', () => {
    const live = new Propagator(g);
    expect(() =>
      live.setImpacts([
        { site: 'S', impacts: [{ x: 1, days: 1 }] },
        { site: 'NOPE', impacts: [] },
      ]),
    ).toThrow(/unknown node/);
    expect(() => live.setImpacts([{ site: 'K1', impacts: [] }])).toThrow(/not a site/);
    expect(() => live.setImpacts([{ site: 'S', impacts: [{ x: 1.5, days: 1 }] }])).toThrow(/x must be in/);
    expect(() => live.setImpacts([{ site: 'S', impacts: [{ x: 1, days: -1 }] }])).toThrow(/days/);
    expect(live.impactList()).toEqual([]);
    expect(stateOf(live, 'S').x).toBe(0);
  });
});
