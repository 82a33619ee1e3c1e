import fc from 'fast-check';
import { attributeEvents, ImpactInput, Projection } from '@tiersight/risk-engine';
import { build, caseArb, impactArb, withSiteIds } from '../../risk-engine/src/testing/random-graphs';
import { AttributionCache } from './attribution-cache';

const same = (n: number) => n;
const key = (r: { skuId: string; eventId: string }) => `${r.skuId}|${r.eventId}`;
const sorted = <T extends { skuId: string; eventId: string }>(rows: T[]) => [...rows].sort((a, b) => key(a).localeCompare(key(b)));

/** What attribution must be: every event propagated alone, from scratch (the engine's own function). */
function expected(projection: Projection, impacts: ImpactInput[], skuIds: string[]) {
  return sorted(
    attributeEvents(projection, impacts, { skus: skuIds }).map((a) => ({
      skuId: a.skuId, eventId: a.eventId, x: a.x, days: a.days, onsetDays: a.onsetDays, revenueAtRisk: a.revenueAtRisk,
    })),
  );
}

describe('AttributionCache', () => {
  it('equals attribution from scratch across runs, computing only the events that are new or changed', () => {
    fc.assert(
      fc.property(
        caseArb.chain((c) => fc.tuple(fc.constant(c), fc.array(impactArb(c.sites), { minLength: 1, maxLength: 8 }), impactArb(c.sites), impactArb(c.sites))),
        ([c, first, extra, changed]) => {
          const cache = new AttributionCache();
          const skuIds = Array.from({ length: c.skus }, (_, i) => `K${i}`);
          const replaced = [...first.filter((i) => i.eventId !== changed.eventId), changed, { ...extra, eventId: 'E9' }];
          const runs: ImpactInput[][] = [
            withSiteIds(first),
            withSiteIds(first), // nothing changed: nothing recomputed
            withSiteIds([...first, { ...extra, eventId: 'E9' }]), // one new event
            withSiteIds(replaced), // one event's impacts replaced
            withSiteIds(replaced.filter((i) => i.eventId !== 'E0')), // an event gone, the others as they were
          ];
          const events = (list: ImpactInput[]) => [...new Set(list.map((i) => i.eventId!))].sort();
          const deltas = runs.map((impacts) => {
            const delta = cache.update(c.projection, impacts);
            expect(sorted(cache.rows(skuIds, same))).toEqual(expected(c.projection, impacts, skuIds));
            return delta;
          });
          expect(deltas[0]).toEqual({ changed: events(runs[0]), gone: [] });
          expect(deltas[1]).toEqual({ changed: [], gone: [] });
          expect(deltas[2]).toEqual({ changed: ['E9'], gone: [] });
          expect(deltas[3].gone).toEqual([]);
          expect(deltas[3].changed.every((id) => id === changed.eventId)).toBe(true);
          expect(deltas[4]).toEqual({ changed: [], gone: events(runs[3]).includes('E0') && !events(runs[4]).includes('E0') ? ['E0'] : [] });
          // A new projection (another graph version) starts afresh, with the same answer.
          const rebuilt = build(c.sites, c.skus, c.edges);
          expect(cache.update(rebuilt, runs[4])).toEqual({ changed: events(runs[4]), gone: [] });
          expect(sorted(cache.rows(skuIds, same))).toEqual(expected(rebuilt, runs[4], skuIds));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('returns rows only for the SKUs asked for', () => {
    fc.assert(
      fc.property(caseArb.chain((c) => fc.tuple(fc.constant(c), fc.array(impactArb(c.sites), { maxLength: 8 }))), ([c, impacts]) => {
        const cache = new AttributionCache();
        const some = [`K0`];
        cache.update(c.projection, withSiteIds(impacts));
        const rows = cache.rows(some, same);
        expect(rows.every((r) => r.skuId === 'K0')).toBe(true);
        expect(sorted(rows)).toEqual(expected(c.projection, withSiteIds(impacts), some));
      }),
      { numRuns: 100 },
    );
  });
});
