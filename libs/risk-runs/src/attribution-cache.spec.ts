import fc from 'fast-check';
import { StoredAttribution } from '@tiersight/graph';
import { attributeEvents, ImpactInput, listExposures, Projection, propagate } from '@tiersight/risk-engine';
import { build, caseArb, impactArb, withSiteIds } from '../../risk-engine/src/testing/random-graphs';
import { AttributionCache } from './attribution-cache';
import { planAttribution } from './attribution-plan';

const same = (n: number) => n;
const key = (r: { skuId: string; eventId: string }) => `${r.skuId}|${r.eventId}`;
const sorted = <T extends { skuId: string; eventId: string }>(rows: T[]) => [...rows].sort((a, b) => key(a).localeCompare(key(b)));

/** What attribution must be: every event propagated alone, from scratch (the engine's own function). */
function expected(projection: Projection, impacts: ImpactInput[], skuIds: ReadonlySet<string>) {
  return sorted(
    attributeEvents(projection, impacts)
      .filter((a) => skuIds.has(a.skuId))
      .map((a) => ({ skuId: a.skuId, eventId: a.eventId, x: a.x, days: a.days, onsetDays: a.onsetDays, revenueAtRisk: a.revenueAtRisk })),
  );
}

const eventsOf = (list: ImpactInput[]) => [...new Set(list.map((i) => i.eventId!))].sort();
const runsArb = caseArb.chain((c) =>
  fc.tuple(fc.constant(c), fc.array(impactArb(c.sites), { minLength: 1, maxLength: 8 }), impactArb(c.sites), impactArb(c.sites)),
);

describe('AttributionCache', () => {
  it('equals attribution from scratch across runs, recomputing only the events that are new or changed', () => {
    fc.assert(
      fc.property(runsArb, ([c, first, extra, changed]) => {
        const cache = new AttributionCache();
        const all = new Set(Array.from({ length: c.skus }, (_, i) => `K${i}`));
        const replaced = [...first.filter((i) => i.eventId !== changed.eventId), changed, { ...extra, eventId: 'E9' }];
        const runs: ImpactInput[][] = [
          withSiteIds(first),
          withSiteIds(first), // nothing changed
          withSiteIds([...first, { ...extra, eventId: 'E9' }]), // one new event
          withSiteIds(replaced), // one event's impacts replaced
          withSiteIds(replaced.filter((i) => i.eventId !== 'E0')), // an event gone, the others as they were
        ];
        const deltas = runs.map((impacts) => {
          const delta = cache.update(c.projection, impacts);
          expect(sorted(cache.rows({ skuIds: all }, same))).toEqual(expected(c.projection, impacts, all));
          return delta;
        });
        expect(deltas[0]).toEqual({ changed: eventsOf(runs[0]), gone: [], fresh: true });
        expect(deltas[1]).toEqual({ changed: [], gone: [], fresh: false });
        expect(deltas[2].changed.every((id) => id === 'E9')).toBe(true);
        expect(deltas[3].gone).toEqual([]);
        expect(deltas[3].changed.every((id) => id === changed.eventId)).toBe(true);
        expect(deltas[4]).toEqual({ changed: [], gone: eventsOf(runs[3]).includes('E0') ? ['E0'] : [], fresh: false });
        // The same graph loaded again (a new projection, perhaps numbered differently): every reach is the same.
        const rebuilt = build(c.sites, c.skus, c.edges);
        expect(cache.update(rebuilt, runs[4])).toEqual({ changed: [], gone: [], fresh: false });
        expect(sorted(cache.rows({ skuIds: all }, same))).toEqual(expected(rebuilt, runs[4], all));
      }),
      { numRuns: 200 },
    );
  });
});

describe('planAttribution', () => {
  /** Neo4j's EXPOSED_TO edges, simulated: what each plan leaves behind must be exactly what attribution says. */
  it('leaves one edge per (exposed SKU, event reaching it) after any sequence of runs, trusted or not', () => {
    fc.assert(
      fc.property(
        runsArb,
        fc.array(fc.record({ trusted: fc.boolean(), rebuild: fc.boolean(), drop: fc.nat({ max: 8 }) }), { minLength: 5, maxLength: 5 }),
        ([c, first, extra, changed], steps) => {
          let projection = c.projection;
          const cache = new AttributionCache();
          const edges = new Map<string, StoredAttribution>();
          let stored = new Set<string>();
          const runs: ImpactInput[][] = [
            withSiteIds(first),
            withSiteIds([...first, { ...extra, eventId: 'E9' }]),
            withSiteIds([...first.filter((i) => i.eventId !== changed.eventId), changed, { ...extra, eventId: 'E9' }]),
            withSiteIds(first.filter((i) => i.eventId !== 'E1')),
            [],
          ];
          runs.forEach((impacts, n) => {
            const step = steps[n];
            if (step.rebuild) projection = build(c.sites, c.skus, c.edges);
            const trusted = n > 0 && step.trusted;
            if (!trusted) {
              // Another writer was here: the edges of exposed SKUs may be anything.
              [...edges.keys()].slice(0, step.drop).forEach((k) => edges.delete(k));
              for (const sku of stored) edges.set(`${sku}|STALE`, { skuId: sku, eventId: 'STALE', x: 1, days: 1, onsetDays: 0, revenueAtRisk: 1 });
            }
            const exposed = new Set(listExposures(propagate(projection, impacts)).map((e) => e.skuId));
            const newlyExposed = new Set([...exposed].filter((id) => !stored.has(id)));
            const delta = cache.update(projection, impacts);
            const plan = planAttribution(cache, delta, { trusted, exposed, newlyExposed }, same);
            // The write, as ExposureRepository.apply does it.
            const resolved = [...stored].filter((id) => !exposed.has(id));
            for (const [k, e] of [...edges]) {
              if (resolved.includes(e.skuId) || plan.clearSkus.includes(e.skuId) || plan.clearEvents.includes(e.eventId)) edges.delete(k);
            }
            for (const row of plan.rows) edges.set(key(row), row);
            stored = exposed;
            expect(sorted([...edges.values()])).toEqual(expected(projection, impacts, exposed));
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('updating only the changed events equals updating with every active impact', () => {
    fc.assert(
      fc.property(
        caseArb.chain((c) =>
          fc.tuple(
            fc.constant(c),
            fc.array(impactArb(c.sites), { maxLength: 8 }),
            fc.array(fc.record({ eventId: fc.constantFrom('E0', 'E1', 'E2', 'E7'), hits: fc.array(impactArb(c.sites), { maxLength: 3 }) }), {
              minLength: 1,
              maxLength: 6,
            }),
          ),
        ),
        ([c, first, changes]) => {
          const all = new Set(Array.from({ length: c.skus }, (_, i) => `K${i}`));
          const partial = new AttributionCache();
          const whole = new AttributionCache();
          partial.update(c.projection, withSiteIds(first));
          whole.update(c.projection, withSiteIds(first));
          const current = new Map<string, ImpactInput[]>();
          for (const i of withSiteIds(first)) current.set(i.eventId!, [...(current.get(i.eventId!) ?? []), i]);
          for (const { eventId, hits } of changes) {
            const impacts = withSiteIds(hits).map((h) => ({ ...h, eventId }));
            current.set(eventId, impacts);
            const a = partial.updateEvents(c.projection, new Map([[eventId, impacts]]));
            const b = whole.update(c.projection, [...current.values()].flat());
            expect(a).toEqual(b);
            expect(sorted(partial.rows({ skuIds: all }, same))).toEqual(sorted(whole.rows({ skuIds: all }, same)));
            expect(partial.eventIds().sort()).toEqual(whole.eventIds().sort());
          }
          // Another projection: the partial update declines.
          expect(partial.updateEvents(build(c.sites, c.skus, c.edges), new Map())).toBeNull();
        },
      ),
      { numRuns: 200 },
    );
  });
});
