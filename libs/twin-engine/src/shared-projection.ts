import { Projection } from '@tiersight/risk-engine';

/** What the Projection constructor takes (the engine does not export the type by name). */
type ProjectionParts = ConstructorParameters<typeof Projection>[0];

/** The index maps are rebuilt from the id lists on the receiving side (cheaper than cloning them). */
type MapFields = 'nodeIndex' | 'supplierIndex' | 'partIndex';

/**
 * A projection as plain data whose typed arrays live in SharedArrayBuffers:
 * posted to worker threads, every thread reads the same memory (the arrays
 * are ~96 MB on the DESIGN §8 network) instead of a copy each. Treat it as
 * read-only, like the projection itself.
 */
export type SharedProjection = Omit<ProjectionParts, MapFields>;

/** Copies a projection's arrays into shared memory (once, in the thread that built it). */
export function shareProjection(p: Projection): SharedProjection {
  return {
    nodeIds: [...p.nodeIds],
    kind: u8(p.kind),
    supplierOf: i32(p.supplierOf),
    countryOf: i32(p.countryOf),
    ttrDays: f64(p.ttrDays),
    dailyRevenue: f64(p.dailyRevenue),
    categoryOf: i32(p.categoryOf),
    nodeSource: u8(p.nodeSource),
    nodeConfirmedAt: f64(p.nodeConfirmedAt),
    siteNodes: i32(p.siteNodes),
    skuNodes: i32(p.skuNodes),
    supplierIds: [...p.supplierIds],
    partIds: [...p.partIds],
    countries: [...p.countries],
    categories: [...p.categories],
    inStart: i32(p.inStart),
    edgeFrom: i32(p.edgeFrom),
    edgePart: i32(p.edgePart),
    edgeShare: f64(p.edgeShare),
    edgeBuffer: f64(p.edgeBuffer),
    edgeLead: f64(p.edgeLead),
    edgeSource: u8(p.edgeSource),
    edgeConfirmedAt: f64(p.edgeConfirmedAt),
    outStart: i32(p.outStart),
    outEdge: i32(p.outEdge),
    outTo: i32(p.outTo),
    outBuffer: f64(p.outBuffer),
    outShare: f64(p.outShare),
    outLead: f64(p.outLead),
    outGroup: i32(p.outGroup),
    groupStart: i32(p.groupStart),
    condensation: { compRank: i32(p.compRank), compCyclic: u8(p.compCyclic), compSize: i32(p.compSize), compCount: p.compCount },
  };
}

/** The projection over shared arrays (in a worker thread); O(nodes) to rebuild the id maps. */
export function projectionFromShared(s: SharedProjection): Projection {
  return new Projection({ ...s, nodeIndex: indexOf(s.nodeIds), supplierIndex: indexOf(s.supplierIds), partIndex: indexOf(s.partIds) });
}

function indexOf(ids: readonly string[]): Map<string, number> {
  const map = new Map<string, number>();
  ids.forEach((id, i) => map.set(id, i));
  return map;
}

function u8(a: Uint8Array): Uint8Array {
  const out = new Uint8Array(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

function i32(a: Int32Array): Int32Array {
  const out = new Int32Array(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

function f64(a: Float64Array): Float64Array {
  const out = new Float64Array(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}
