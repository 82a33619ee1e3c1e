import fc from 'fast-check';
import { computeOutlook, exposedSkus, propagate } from '@tiersight/risk-engine';
import { caseArb, type Case } from '../../risk-engine/src/testing/random-graphs';
import { replay, type TimedEvent } from './replay';

/**
 * The replay against independent answers on random networks (cycles,
 * multi-sourcing, buffers) and random timed events: the replay keeps one
 * incremental book across instants, the oracle propagates the impacts
 * active at the end afresh (the engine's full run).
 */
const DAY_MS = 86_400_000;
const FROM = Date.UTC(2024, 0, 1);
const day = (d: number) => new Date(FROM + d * DAY_MS).toISOString();

const eventArb = (sites: number) =>
  fc.record({
    id: fc.constantFrom('E0', 'E1', 'E2', 'E3', 'E4'),
    start: fc.integer({ min: -3, max: 12 }),
    length: fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
    impacts: fc.array(fc.record({ site: fc.nat({ max: sites - 1 }), x: fc.constantFrom(0.1, 0.25, 0.5, 1), days: fc.constantFrom(0.5, 1, 3, 6, 15) }), {
      maxLength: 3,
    }),
    anticipated: fc.array(
      fc.record({
        site: fc.nat({ max: sites - 1 }),
        x: fc.constantFrom(0.25, 0.5, 1),
        days: fc.constantFrom(1, 3, 6),
        p: fc.constantFrom(0.2, 0.5, 0.9),
      }),
      { maxLength: 2 },
    ),
  });

/** Random events with unique ids (one stretch each). */
const scenarioArb = caseArb.chain((c) =>
  fc.tuple(fc.constant(c), fc.uniqueArray(eventArb(c.sites), { selector: (e) => e.id, maxLength: 5 }), fc.integer({ min: 1, max: 14 })),
);

type RawEvent = typeof eventArb extends (sites: number) => fc.Arbitrary<infer T> ? T : never;

function timed(raw: RawEvent[]): TimedEvent[] {
  return raw.map((e) => ({
    id: e.id,
    type: 'storm',
    title: e.id,
    startsAt: day(e.start),
    endsAt: e.length === null ? null : day(e.start + e.length),
    impacts: e.impacts.map((i) => ({ siteId: `S${i.site}`, x: i.x, days: i.days })),
    anticipated: e.anticipated.map((a) => ({ siteId: `S${a.site}`, x: a.x, days: a.days, p: a.p })),
  }));
}

const activeAt = (events: TimedEvent[], at: number) => events.filter((e) => Date.parse(e.startsAt) <= at && (e.endsAt === null || Date.parse(e.endsAt) > at));

describe('replay (property): the incremental replay ends where a fresh propagation of the events active at `to` stands', () => {
  const steps = { x: 0.01, days: 0.5, revenuePct: 5 };

  it('open shortages at `to` = SKUs exposed then; created − resolved per SKU agrees; open outlooks = SKUs whose outlook is worse then', () => {
    fc.assert(
      fc.property(scenarioArb, ([c, raw, toDay]: [Case, RawEvent[], number]) => {
        const events = timed(raw);
        const to = FROM + toDay * DAY_MS;
        const report = replay({ projection: c.projection, events, subscriptions: [{ id: 'all', filters: {} }], from: day(0), to: day(toDay), steps });

        const active = activeAt(events, to);
        const observed = active.flatMap((e) => e.impacts.map((i) => ({ site: i.siteId, x: i.x, days: i.days, eventId: e.id })));
        const view = propagate(c.projection, observed);
        const exposedThen = exposedSkus(view)
          .map((e) => e.skuId)
          .sort();

        const open = report.shortages
          .filter((s) => s.endedAt === null)
          .map((s) => s.skuId)
          .sort();
        expect(open).toEqual(exposedThen);

        const balance = new Map<string, number>();
        for (const a of report.alerts) {
          if (a.type === 'exposure.created') balance.set(a.skuId, (balance.get(a.skuId) ?? 0) + 1);
          if (a.type === 'exposure.resolved') balance.set(a.skuId, (balance.get(a.skuId) ?? 0) - 1);
        }
        const stillTold = [...balance].filter(([, n]) => n === 1).map(([id]) => id);
        expect(stillTold.sort()).toEqual(exposedThen);
        expect([...balance.values()].every((n) => n === 0 || n === 1)).toBe(true);

        // Every SKU whose outlook at `to` is worse than its observed state was last told, of outlooks, "anticipated"
        // (an outlook that comes true is forgotten silently; one that goes away unrealised is cleared).
        const anticipated = active.flatMap((e) =>
          e.anticipated.map((a) => ({ site: a.siteId, x: a.x, days: a.days, eventId: e.id, anticipated: true, p: a.p })),
        );
        const lastOutlookAlert = new Map<string, string>();
        for (const a of report.alerts) if (a.basis === 'anticipated') lastOutlookAlert.set(a.skuId, a.type);
        for (const o of computeOutlook(view, anticipated)) expect(lastOutlookAlert.get(o.skuId)).toBe('exposure.anticipated');
      }),
      { numRuns: 150 },
    );
  });

  it('gives the same report whatever order the events come in', () => {
    fc.assert(
      fc.property(scenarioArb, ([c, raw, toDay]: [Case, RawEvent[], number]) => {
        const events = timed(raw);
        const input = { projection: c.projection, subscriptions: [{ id: 'all', filters: {} }], from: day(0), to: day(toDay), steps };
        expect(JSON.stringify(replay({ ...input, events: [...events].reverse() }))).toBe(JSON.stringify(replay({ ...input, events })));
      }),
      { numRuns: 80 },
    );
  });
});
