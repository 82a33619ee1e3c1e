import fc from 'fast-check';
import { attributeEvents, propagate } from './index';
import { caseWithImpacts, withSiteIds } from './testing/random-graphs';
import { tinyGraph } from './testing/tiny-graph';

describe('attributeEvents (DESIGN §3.3)', () => {
  it('gives each event the state the SKU would have with that event alone', () => {
    const g = tinyGraph({
      sites: ['S1', 'S2', 'M'],
      skus: [{ id: 'K', dailyRevenue: 10 }],
      edges: [
        ['S1', 'M', 'P', 0.6, 4],
        ['S2', 'M', 'P', 0.4],
        ['M', 'K', 'K', 1, 2, 1],
      ],
    });
    const rows = attributeEvents(g, [
      { site: 'S1', x: 1, days: 10, eventId: 'EV-1' },
      { site: 'S2', x: 0.5, days: 3, eventId: 'EV-2' },
      { site: 'S2', x: 1, days: 30 }, // no event: not attributed
    ]);
    expect(rows).toEqual([
      { eventId: 'EV-1', skuId: 'K', sku: g.indexOf('K'), x: 0.6, days: 4, onsetDays: 7, revenueAtRisk: 24 },
      { eventId: 'EV-2', skuId: 'K', sku: g.indexOf('K'), x: 0.2, days: 1, onsetDays: 3, revenueAtRisk: 2 },
    ]);
    expect(attributeEvents(g, [{ site: 'S1', x: 1, days: 10, eventId: 'EV-1' }], { skus: [] })).toEqual([]);
  });

  it('equals a full propagation of each event alone on random graphs', () => {
    fc.assert(
      fc.property(caseWithImpacts, ([c, impacts]) => {
        const p = c.projection;
        const rows = attributeEvents(p, withSiteIds(impacts));
        const expected: Array<[string, string, number, number, number]> = [];
        for (const eventId of [...new Set(impacts.map((i) => i.eventId!))].sort()) {
          const solo = propagate(p, withSiteIds(impacts.filter((i) => i.eventId === eventId)));
          for (const sku of p.skuNodes) if (solo.x[sku] > 0) expected.push([eventId, p.nodeIds[sku], solo.x[sku], solo.d[sku], solo.onset[sku]]);
        }
        const key = (r: [string, string, ...number[]]) => `${r[1]}/${r[0]}`;
        const got = rows.map((r): [string, string, number, number, number] => [r.eventId, r.skuId, r.x, r.days, r.onsetDays]);
        expect(got.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(expected.sort((a, b) => key(a).localeCompare(key(b))));
      }),
      { numRuns: 200 },
    );
  });
});
