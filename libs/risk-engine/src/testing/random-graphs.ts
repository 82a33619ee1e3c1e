// Test helper: random small supply graphs for property tests. Not exported from the library.
import fc from 'fast-check';
import { ProjectionBuilder } from '../projection-builder';
import type { Projection } from '../projection';

/** An edge by node index (sites first, then SKUs) with its final share. */
export interface RefEdge {
  from: number;
  to: number;
  part: number;
  share: number;
  buffer: number;
  lead: number;
}

export interface RefImpact {
  site: number;
  x: number;
  days: number;
  eventId?: string;
}

export interface Case {
  sites: number;
  skus: number;
  edges: RefEdge[];
  projection: Projection;
}

/** Id of reference node v (sites first, then SKUs). */
export const idOf = (c: Case, v: number): string => (v < c.sites ? `S${v}` : `K${v - c.sites}`);
/** The projection's index of reference node v (the builder renumbers nodes). */
export const nodeOf = (c: Case, v: number): number => c.projection.indexOf(idOf(c, v));

const edgeArb = fc.record({
  from: fc.nat(),
  to: fc.nat(),
  part: fc.nat({ max: 2 }),
  units: fc.oneof(fc.constant(10), fc.integer({ min: 1, max: 10 })), // often a whole input: saturated loops
  buffer: fc.constantFrom(0, 0, 0.5, 1, 2, 3, 5),
  lead: fc.constantFrom(0, 0, 1, 2, 3.5, 7, 40),
});

/** Random graphs: cycles, self-loops, parallel and multi-sourced edges, unmapped shares. */
const randomRaw = fc.record({ sites: fc.integer({ min: 1, max: 12 }), skus: fc.integer({ min: 1, max: 3 }), raw: fc.array(edgeArb, { maxLength: 40 }) });

/** Rings of 2–6 sites fed from outside at several points: where the loop iteration has the most to do. */
const ringRaw = fc
  .record({
    ring: fc.integer({ min: 2, max: 6 }),
    feeders: fc.integer({ min: 1, max: 4 }),
    skus: fc.integer({ min: 1, max: 2 }),
    extra: fc.array(edgeArb, { maxLength: 10 }),
  })
  .chain(({ ring, feeders, skus, extra }) =>
    fc
      .tuple(
        fc.array(edgeArb, { minLength: ring, maxLength: ring }),
        fc.array(edgeArb, { minLength: feeders, maxLength: feeders }),
        fc.array(edgeArb, { minLength: skus, maxLength: skus }),
      )
      .map(([ringEdges, feederEdges, skuEdges]) => ({
        sites: ring + feeders,
        skus,
        raw: [
          ...ringEdges.map((e, i) => ({ ...e, from: i, to: (i + 1) % ring })),
          ...feederEdges.map((e, i) => ({ ...e, from: ring + i, to: e.to % ring })),
          ...skuEdges.map((e, i) => ({ ...e, from: e.from % ring, to: ring + feeders + i })),
          ...extra,
        ],
      })),
  );

export const caseArb: fc.Arbitrary<Case> = fc.oneof(randomRaw, ringRaw).map(({ sites, skus, raw }) => {
  const n = sites + skus;
  const edges = raw.map((r) => ({ from: r.from % sites, to: r.to % n, part: r.part, units: r.units, buffer: r.buffer, lead: r.lead }));
  const groupUnits = new Map<string, number>();
  for (const e of edges) groupUnits.set(`${e.to}/${e.part}`, (groupUnits.get(`${e.to}/${e.part}`) ?? 0) + e.units);
  const refEdges = edges.map((e) => {
    const total = groupUnits.get(`${e.to}/${e.part}`)!;
    // shares in tenths; groups that would exceed 1 are scaled to sum to exactly 1
    const share = total > 10 ? e.units / total : e.units / 10;
    return { from: e.from, to: e.to, part: e.part, share, buffer: e.buffer, lead: e.lead };
  });
  return { sites, skus, edges: refEdges, projection: build(sites, skus, refEdges) };
});

export function build(sites: number, skus: number, edges: RefEdge[]): Projection {
  const b = new ProjectionBuilder();
  b.addSupplier('SUP-0');
  b.addSupplier('SUP-1');
  const countries = ['DE', 'CN', 'US'];
  const ttr = [4, 10, 1, 0, 7];
  for (let i = 0; i < sites; i++) b.addSite({ id: `S${i}`, supplierId: `SUP-${i % 2}`, country: countries[i % 3], ttrDays: ttr[i % 5] });
  for (let i = 0; i < skus; i++) b.addSku({ id: `K${i}`, dailyRevenue: 100 * (i + 1) });
  const id = (v: number) => (v < sites ? `S${v}` : `K${v - sites}`);
  for (const e of edges) b.addEdge({ from: id(e.from), to: id(e.to), partId: `P${e.part}`, share: e.share, bufferDays: e.buffer, leadTimeDays: e.lead });
  return b.build();
}

export const impactArb = (sites: number) =>
  fc.record({
    site: fc.nat({ max: sites - 1 }),
    // no subnormal severities: the reference's plain 1 − Π(1 − x_i) would round them to "not hit"
    x: fc.oneof(fc.constantFrom(0, 0.25, 0.5, 1), fc.double({ min: 1e-12, max: 1, noNaN: true })),
    days: fc.constantFrom(0, 0.5, 1, 2, 3, 4, 6, 10, 15),
    eventId: fc.constantFrom('E0', 'E1', 'E2'),
  });

export const caseWithImpacts = caseArb.chain((c) => fc.tuple(fc.constant(c), fc.array(impactArb(c.sites), { maxLength: 8 })));

/** Impacts with site ids, as the engine takes them. */
export const withSiteIds = (impacts: RefImpact[]) => impacts.map((i) => ({ ...i, site: `S${i.site}` }));
