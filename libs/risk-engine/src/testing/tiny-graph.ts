// Test helper: terse hand-made graphs. Not exported from the library.
import { ProjectionBuilder, type EdgeInput } from '../projection-builder';
import type { Projection, Provenance } from '../projection';

export interface TinySite {
  id: string;
  supplierId?: string;
  country?: string;
  ttrDays?: number;
  source?: Provenance;
  confirmedAt?: string;
}

export interface TinyGraph {
  sites: Array<string | TinySite>;
  skus?: Array<string | { id: string; dailyRevenue?: number }>;
  /** [from, to, partId, share, bufferDays, leadTimeDays] or a full EdgeInput. */
  edges?: Array<[string, string, string, number, number?, number?] | EdgeInput>;
}

/** Builds a projection; suppliers default to one per site ("SUP-<site>"), SKUs earn 1000/day. */
export function tinyGraph(g: TinyGraph): Projection {
  const b = new ProjectionBuilder();
  const suppliers = new Set<string>();
  const sites = g.sites.map((s) => (typeof s === 'string' ? { id: s } : s));
  for (const s of sites) {
    const supplierId = s.supplierId ?? `SUP-${s.id}`;
    if (!suppliers.has(supplierId)) {
      suppliers.add(supplierId);
      b.addSupplier(supplierId);
    }
    b.addSite({ id: s.id, supplierId, country: s.country ?? 'DE', ttrDays: s.ttrDays ?? 10, source: s.source, confirmedAt: s.confirmedAt });
  }
  for (const k of g.skus ?? []) {
    const sku = typeof k === 'string' ? { id: k } : k;
    b.addSku({ id: sku.id, dailyRevenue: sku.dailyRevenue ?? 1000 });
  }
  for (const e of g.edges ?? []) {
    if (Array.isArray(e)) {
      const [from, to, partId, share, bufferDays = 0, leadTimeDays = 0] = e;
      b.addEdge({ from, to, partId, share, bufferDays, leadTimeDays });
    } else {
      b.addEdge(e);
    }
  }
  return b.build();
}

/** The (x, d, onset) of a node by id, for compact assertions. */
export function stateOf(view: { projection: Projection; x: Float64Array; d: Float64Array; onset: Float64Array }, id: string) {
  const v = view.projection.indexOf(id);
  if (v < 0) throw new Error(`no node ${id}`);
  return { x: view.x[v], d: view.d[v], onset: view.onset[v] };
}
