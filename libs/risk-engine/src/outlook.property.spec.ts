import fc from 'fast-check';
import { computeOutlook, ExposureBook, propagate } from './index';
import { reachableFrom } from './testing/reach';
import { caseArb, impactArb, nodeOf, withSiteIds, type Case, type RefImpact } from './testing/random-graphs';

// The outlook (DESIGN §10) against a slow reference written from the text: one
// full propagation of observed plus every anticipated impact, then one full
// propagation of observed plus each anticipated event alone.

/** Not a round number: a state exactly at the threshold would let float noise decide. */
const THRESHOLD = 0.047;
const EPS = 1e-9;

interface AnticipatedRef extends RefImpact {
  eventId: string;
  p: number;
}

interface SkuNumbers {
  x: number;
  days: number;
  onsetDays: number;
  revenueAtRisk: number;
}

const anticipatedArb = (sites: number) =>
  fc.record({
    site: fc.nat({ max: sites - 1 }),
    x: fc.oneof(fc.constantFrom(0.04, 0.25, 0.5, 1), fc.double({ min: 1e-6, max: 1, noNaN: true })),
    days: fc.constantFrom(0, 0.5, 1, 2, 3, 4, 6, 10, 15),
    eventId: fc.constantFrom('A0', 'A1', 'A2'),
    p: fc.constantFrom(0.1, 0.35, 0.5, 0.8, 0.93),
  });

const outlookCase = caseArb.chain((c) =>
  fc.tuple(fc.constant(c), fc.array(impactArb(c.sites), { maxLength: 6 }), fc.array(anticipatedArb(c.sites), { minLength: 1, maxLength: 6 })),
);

const anticipatedInput = (list: AnticipatedRef[]) => withSiteIds(list).map((i) => ({ ...i, anticipated: true }));
/** The same impacts taken as observed ones. */
const asObserved = (list: AnticipatedRef[]) => withSiteIds(list).map(({ site, x, days, eventId }) => ({ site, x, days, eventId }));

function numbersOf(c: Case, view: { x: Float64Array; d: Float64Array; onset: Float64Array }, k: number): SkuNumbers {
  const v = nodeOf(c, c.sites + k);
  return { x: view.x[v], days: view.d[v], onsetDays: view.onset[v], revenueAtRisk: 100 * (k + 1) * view.x[v] * view.d[v] };
}

const exposed = (s: SkuNumbers) => s.x >= THRESHOLD && s.days > 0;
const worse = (a: SkuNumbers, b: SkuNumbers) =>
  exposed(a) &&
  (!exposed(b) || a.x > b.x + EPS || a.days > b.days + EPS || a.revenueAtRisk > b.revenueAtRisk * (1 + EPS) + EPS || a.onsetDays < b.onsetDays - EPS);
const raises = (a: SkuNumbers, b: SkuNumbers) => a.x > b.x + EPS || a.days > b.days + EPS || a.onsetDays < b.onsetDays - EPS;

function reference(c: Case, observed: RefImpact[], anticipated: AnticipatedRef[]) {
  const obsInput = withSiteIds(observed);
  const base = propagate(c.projection, obsInput);
  const all = propagate(c.projection, [...obsInput, ...asObserved(anticipated)]);
  // One driver per (event, p): an event whose impacts carry different p is drawn once, so its parts are nested.
  const parts = [...new Map(anticipated.map((a) => [`${a.eventId}|${a.p}`, { eventId: a.eventId, p: a.p }])).values()];
  const alone = new Map(
    parts.map((part) => [part, propagate(c.projection, [...obsInput, ...asObserved(anticipated.filter((a) => a.eventId === part.eventId && a.p === part.p))])]),
  );
  const records = [];
  for (let k = 0; k < c.skus; k++) {
    const before = numbersOf(c, base, k);
    const outlook = numbersOf(c, all, k);
    if (!worse(outlook, before)) continue;
    const sufficient = parts.filter((part) => worse(numbersOf(c, alone.get(part)!, k), before));
    const joint = sufficient.length === 0;
    const raisers = parts.filter((part) => raises(numbersOf(c, alone.get(part)!, k), before));
    // Worse only where impacts of several events combine at one site: every part upstream of the SKU is behind it.
    const upstream = parts.filter((part) =>
      anticipated.some((a) => a.eventId === part.eventId && a.p === part.p && reachableFrom(c.projection, nodeOf(c, a.site)).has(nodeOf(c, c.sites + k))),
    );
    const behind = !joint ? sufficient : raisers.length > 0 ? raisers : upstream;
    // Per event: alone, its likeliest part behind the SKU; joint, its least likely one (all its parts present at once).
    const pOf = new Map<string, number>();
    for (const part of behind) {
      const q = pOf.get(part.eventId);
      pOf.set(part.eventId, q === undefined ? part.p : joint ? Math.min(q, part.p) : Math.max(q, part.p));
    }
    const events = [...pOf].map(([eventId, p]) => ({ eventId, p })).sort((a, b) => b.p - a.p || (a.eventId < b.eventId ? -1 : 1));
    const p = joint ? events.reduce((q, e) => q * e.p, 1) : Math.max(...events.map((e) => e.p));
    records.push({ skuId: `K${k}`, ...outlook, p, events, joint });
  }
  return records.sort((a, b) => b.revenueAtRisk - a.revenueAtRisk || (a.skuId < b.skuId ? -1 : 1));
}

describe('outlook properties', () => {
  it('equals full propagations of observed plus all, and plus each anticipated event alone', () => {
    fc.assert(
      fc.property(outlookCase, ([c, observed, anticipated]) => {
        const input = [...withSiteIds(observed), ...anticipatedInput(anticipated)];
        const view = propagate(c.projection, input);
        const got = computeOutlook(view, input, THRESHOLD);
        const want = reference(c, observed, anticipated);
        expect(got.map((r) => r.skuId).sort()).toEqual(want.map((r) => r.skuId).sort());
        for (const w of want) {
          const g = got.find((r) => r.skuId === w.skuId)!;
          expect(Math.abs(g.x - w.x)).toBeLessThanOrEqual(1e-9);
          expect(Math.abs(g.days - w.days)).toBeLessThanOrEqual(1e-9);
          expect(Math.abs(g.onsetDays - w.onsetDays)).toBeLessThanOrEqual(1e-9);
          expect(Math.abs(g.revenueAtRisk - w.revenueAtRisk)).toBeLessThanOrEqual(1e-6);
          expect(g.joint).toBe(w.joint);
          expect(g.events).toEqual(w.events);
          expect(g.p).toBeCloseTo(w.p, 12);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('observed state is the same with or without anticipated impacts, and computing the outlook leaves it untouched', () => {
    fc.assert(
      fc.property(outlookCase, ([c, observed, anticipated]) => {
        const input = [...withSiteIds(observed), ...anticipatedInput(anticipated)];
        const without = propagate(c.projection, withSiteIds(observed));
        const withAll = propagate(c.projection, input);
        for (const key of ['x', 'd', 'onset', 'directX', 'directD'] as const) expect(withAll[key]).toEqual(without[key]);
        const plain = new ExposureBook(c.projection, withSiteIds(observed), THRESHOLD).view;
        const book = new ExposureBook(c.projection, input, THRESHOLD);
        const live = book.view;
        const before = book.exposures();
        computeOutlook(live, input, THRESHOLD);
        for (const key of ['x', 'd', 'onset', 'directX', 'directD'] as const) expect(live[key]).toEqual(plain[key]);
        expect(book.exposures()).toEqual(before);
        expect(before.every((e) => e.eventIds.every((id) => id.startsWith('E')))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('outlook numbers are never better than the observed ones', () => {
    fc.assert(
      fc.property(outlookCase, ([c, observed, anticipated]) => {
        const input = [...withSiteIds(observed), ...anticipatedInput(anticipated)];
        const view = propagate(c.projection, input);
        for (const r of computeOutlook(view, input, THRESHOLD)) {
          expect(r.x).toBeGreaterThanOrEqual(view.x[r.sku] - 1e-9);
          expect(r.days).toBeGreaterThanOrEqual(view.d[r.sku] - 1e-9);
          expect(r.onsetDays).toBeLessThanOrEqual(view.onset[r.sku] + 1e-9);
          expect(r.p).toBeGreaterThan(0);
          expect(r.p).toBeLessThan(1);
          expect(r.events.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 200 },
    );
  });
});
