import fc from 'fast-check';
import type { AttributionWrite } from '@tiersight/graph';
import { attributeEvents, ImpactInput, Projection } from '@tiersight/risk-engine';
import { build, caseArb, impactArb, withSiteIds } from '../../risk-engine/src/testing/random-graphs';
import { AttributionCache, type StoredKeys } from './attribution-cache';

/** One event's stored attribution: its keys and, per SKU, the numbers. */
interface Record {
  inputKey: string;
  contentKey: string;
  rows: Map<string, [number, number, number, number]>;
}

/** Neo4j's attribution records, simulated: what ExposureRepository.apply does with a write (records exist only with at least one SKU). */
class Store {
  records = new Map<string, Record>();

  apply(w: AttributionWrite): void {
    for (const id of [...w.remove, ...w.write.map((r) => r.eventId)]) this.records.delete(id);
    for (const r of w.write) {
      if (r.skuIds.length === 0) continue;
      const rows = new Map(r.skuIds.map((sku, i) => [sku, [r.x[i], r.days[i], r.onsetDays[i], r.revenueAtRisk[i]] as [number, number, number, number]]));
      this.records.set(r.eventId, { inputKey: r.inputKey, contentKey: r.contentKey, rows });
    }
    for (const { eventId, inputKey } of w.rekey) {
      const record = this.records.get(eventId);
      if (record) record.inputKey = inputKey;
    }
  }

  keys(): StoredKeys {
    return new Map([...this.records].map(([id, r]) => [id, { inputKey: r.inputKey, contentKey: r.contentKey }]));
  }

  /** What the readers see: (event, SKU) → numbers. */
  content(): Map<string, [number, number, number, number]> {
    const out = new Map<string, [number, number, number, number]>();
    for (const [eventId, r] of this.records) for (const [sku, row] of r.rows) out.set(`${eventId}|${sku}`, row);
    return out;
  }
}

/** What attribution must be: every event propagated alone, from scratch (the engine's own function). */
function expected(projection: Projection, impacts: ImpactInput[]): Map<string, [number, number, number, number]> {
  return new Map(attributeEvents(projection, impacts).map((a) => [`${a.eventId}|${a.skuId}`, [a.x, a.days, a.onsetDays, a.revenueAtRisk]]));
}

const written = (w: AttributionWrite) => w.write.map((r) => r.eventId).sort();
const runsArb = caseArb.chain((c) =>
  fc.tuple(fc.constant(c), fc.array(impactArb(c.sites), { minLength: 1, maxLength: 8 }), impactArb(c.sites), impactArb(c.sites)),
);

describe('AttributionCache', () => {
  it('leaves Neo4j holding attribution from scratch after any sequence of full and incremental runs, writing only events that changed', () => {
    fc.assert(
      fc.property(
        runsArb,
        fc.array(fc.record({ incremental: fc.boolean(), rebuild: fc.boolean(), tamper: fc.boolean() }), { minLength: 5, maxLength: 5 }),
        ([c, first, extra, changed], steps) => {
          let projection = c.projection;
          let version = 1;
          const cache = new AttributionCache();
          const store = new Store();
          const replaced = [...first.filter((i) => i.eventId !== changed.eventId), changed, { ...extra, eventId: 'E9' }];
          const runs: ImpactInput[][] = [
            withSiteIds(first),
            withSiteIds([...first, { ...extra, eventId: 'E9' }]), // one new event
            withSiteIds(replaced), // one event's impacts replaced
            withSiteIds(replaced.filter((i) => i.eventId !== 'E0')), // an event gone
            [],
          ];
          let previous: ImpactInput[] = [];
          runs.forEach((impacts, n) => {
            const step = steps[n];
            if (step.rebuild) {
              projection = build(c.sites, c.skus, c.edges); // the same graph under a new version, perhaps numbered differently
              version++;
            }
            const graphKey = `db/${version}`;
            const byEvent = new Map<string, ImpactInput[]>();
            for (const id of new Set([...previous, ...impacts].map((i) => i.eventId!))) byEvent.set(id, []);
            for (const i of impacts) byEvent.get(i.eventId!)!.push(i);
            const incremental = n > 0 && step.incremental && !step.rebuild;
            if (!incremental && step.tamper && store.records.size > 0) {
              // Another writer was here: a record of an event no longer active, and one with another content.
              store.records.set('STALE', { inputKey: 'x', contentKey: 'y', rows: new Map([['K0', [1, 1, 0, 1]]]) });
              const [id, record] = [...store.records][0];
              store.records.set(id, { ...record, contentKey: 'other' });
            }
            const w = incremental ? cache.updateEvents(projection, graphKey, byEvent)! : cache.reconcile(projection, graphKey, impacts, store.keys());
            expect(w).not.toBeNull();
            store.apply(w);
            expect(store.content()).toEqual(expected(projection, impacts));
            // Only events whose impacts changed are written, unless stored records were tampered with or the graph
            // reloaded (a new numbering may move the last bits of a state, and such a record is written again).
            const before = new Map(previous.map((i) => [i.eventId!, JSON.stringify(previous.filter((j) => j.eventId === i.eventId))]));
            const now = new Map(impacts.map((i) => [i.eventId!, JSON.stringify(impacts.filter((j) => j.eventId === i.eventId))]));
            const moved = [...now.keys()].filter((id) => before.get(id) !== now.get(id));
            if (!step.tamper && !step.rebuild) for (const id of written(w)) expect(moved).toContain(id);
            previous = impacts;
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('computes nothing for a worker starting on records made from the same graph and impacts, and only re-keys after a graph change that moves no reach', () => {
    fc.assert(
      fc.property(runsArb, ([c, first]) => {
        const impacts = withSiteIds(first);
        const store = new Store();
        store.apply(new AttributionCache().reconcile(c.projection, 'db/1', impacts, store.keys()));
        const content = store.content();

        const restarted = new AttributionCache();
        const again = restarted.reconcile(build(c.sites, c.skus, c.edges), 'db/1', impacts, store.keys());
        expect(again).toEqual({ remove: [], write: [], rekey: [] });
        // An event that reaches no SKU has no record: it alone is computed again.
        const active = new Set(impacts.map((i) => i.eventId));
        expect(restarted.computed).toBe([...active].filter((id) => !store.records.has(id!)).length);

        // The same data under a new version, same numbering: every event computed again, its record re-keyed, none rewritten.
        const moved = restarted.reconcile(c.projection, 'db/2', impacts, store.keys());
        expect(moved.write).toEqual([]);
        expect(moved.rekey.map((r) => r.eventId).sort()).toEqual([...store.records.keys()].sort());
        store.apply(moved);
        expect(store.content()).toEqual(content);
        expect(restarted.reconcile(c.projection, 'db/2', impacts, store.keys())).toEqual({ remove: [], write: [], rekey: [] });
      }),
      { numRuns: 200 },
    );
  });

  it('updating only the changed events leaves the same records as a full reconcile', () => {
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
          const partial = new AttributionCache();
          const whole = new AttributionCache();
          const a = new Store();
          const b = new Store();
          a.apply(partial.reconcile(c.projection, 'db/1', withSiteIds(first), a.keys()));
          b.apply(whole.reconcile(c.projection, 'db/1', withSiteIds(first), b.keys()));
          const current = new Map<string, ImpactInput[]>();
          for (const i of withSiteIds(first)) current.set(i.eventId!, [...(current.get(i.eventId!) ?? []), i]);
          for (const { eventId, hits } of changes) {
            const impacts = withSiteIds(hits).map((h) => ({ ...h, eventId }));
            current.set(eventId, impacts);
            a.apply(partial.updateEvents(c.projection, 'db/1', new Map([[eventId, impacts]]))!);
            b.apply(whole.reconcile(c.projection, 'db/1', [...current.values()].flat(), b.keys()));
            expect(a.content()).toEqual(b.content());
            expect(a.keys()).toEqual(b.keys());
            expect(partial.eventIds().sort()).toEqual(whole.eventIds().sort());
          }
          // Another projection: the partial update declines.
          expect(partial.updateEvents(build(c.sites, c.skus, c.edges), 'db/1', new Map())).toBeNull();
        },
      ),
      { numRuns: 200 },
    );
  });
});
