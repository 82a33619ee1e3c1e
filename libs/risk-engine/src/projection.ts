import { PROVENANCES, type Provenance } from '@tiersight/contracts';
import { RiskEngineError, RiskEngineErrorCode } from './errors';
import type { Condensation } from './scc';

/** Provenance codes stored in `edgeSource` / `nodeSource` are indexes into PROVENANCES. */
export { PROVENANCES, type Provenance };
export const PROVENANCE_INFERRED = PROVENANCES.indexOf('inferred');

export const NODE_SITE = 0;
export const NODE_SKU = 1;

/** Everything the builder hands over; see the field docs on {@link Projection}. */
export interface ProjectionParts {
  nodeIds: string[];
  nodeIndex: Map<string, number>;
  kind: Uint8Array;
  supplierOf: Int32Array;
  countryOf: Int32Array;
  ttrDays: Float64Array;
  dailyRevenue: Float64Array;
  categoryOf: Int32Array;
  nodeSource: Uint8Array;
  nodeConfirmedAt: Float64Array;
  siteNodes: Int32Array;
  skuNodes: Int32Array;
  supplierIds: string[];
  supplierIndex: Map<string, number>;
  partIds: string[];
  partIndex: Map<string, number>;
  countries: string[];
  categories: string[];
  inStart: Int32Array;
  edgeFrom: Int32Array;
  edgePart: Int32Array;
  edgeShare: Float64Array;
  edgeBuffer: Float64Array;
  edgeLead: Float64Array;
  edgeSource: Uint8Array;
  edgeConfirmedAt: Float64Array;
  outStart: Int32Array;
  outEdge: Int32Array;
  outTo: Int32Array;
  outBuffer: Float64Array;
  outShare: Float64Array;
  outLead: Float64Array;
  outGroup: Int32Array;
  groupStart: Int32Array;
  condensation: Condensation;
}

/**
 * Immutable, array-only image of the supply graph. Sites and SKUs share one
 * dense node index space. Edges are stored once, grouped by receiver and,
 * within a receiver, by part (the CSR the propagation reads); the outgoing
 * CSR refers back to those edge positions. Arrays are exposed for speed:
 * treat them as read-only. A graph change means building a new projection.
 */
export class Projection {
  readonly nodeCount: number;
  readonly edgeCount: number;
  /** Node id by index, and NODE_SITE / NODE_SKU per node. */
  readonly nodeIds: readonly string[];
  readonly kind: Uint8Array;
  /** Site attributes (-1 / 0 for SKUs): supplier index, country index, time to recover. */
  readonly supplierOf: Int32Array;
  readonly countryOf: Int32Array;
  readonly ttrDays: Float64Array;
  /** SKU attributes (0 / -1 for sites): revenue per day, category index. */
  readonly dailyRevenue: Float64Array;
  readonly categoryOf: Int32Array;
  /** Site provenance (code into PROVENANCES) and confirmedAt in epoch ms (NaN when unknown). */
  readonly nodeSource: Uint8Array;
  readonly nodeConfirmedAt: Float64Array;
  readonly siteNodes: Int32Array;
  readonly skuNodes: Int32Array;
  readonly supplierIds: readonly string[];
  readonly partIds: readonly string[];
  readonly countries: readonly string[];
  readonly categories: readonly string[];
  /** Incoming edges of v are positions inStart[v] .. inStart[v+1], sorted by part. */
  readonly inStart: Int32Array;
  readonly edgeFrom: Int32Array;
  readonly edgePart: Int32Array;
  readonly edgeShare: Float64Array;
  readonly edgeBuffer: Float64Array;
  readonly edgeLead: Float64Array;
  readonly edgeSource: Uint8Array;
  readonly edgeConfirmedAt: Float64Array;
  /**
   * Outgoing edges of v: outEdge[k] (an edge position) into outTo[k], k in
   * outStart[v] .. outStart[v+1]. outBuffer/outShare/outLead[k] repeat that
   * edge's values and outGroup[k] its input group, so that pushing a shortage
   * downstream reads sequential memory.
   */
  readonly outStart: Int32Array;
  readonly outEdge: Int32Array;
  readonly outTo: Int32Array;
  readonly outBuffer: Float64Array;
  readonly outShare: Float64Array;
  readonly outLead: Float64Array;
  readonly outGroup: Int32Array;
  /** Input groups (receiver, part) of v are ids groupStart[v] .. groupStart[v+1], in edge order. */
  readonly groupStart: Int32Array;
  readonly groupCount: number;
  /**
   * Components in topological order (computed once at build). Nodes are
   * numbered so that compRank never decreases with the index: every edge
   * u → v has u < v unless both sit in one loop.
   */
  readonly compRank: Int32Array;
  readonly compCyclic: Uint8Array;
  readonly compSize: Int32Array;
  readonly compCount: number;
  /** Per node: 1 when its component is cyclic (compCyclic[compRank[v]], one read instead of two). */
  readonly inLoop: Uint8Array;
  private readonly nodeIndexMap: Map<string, number>;
  private readonly supplierIndexMap: Map<string, number>;
  private readonly partIndexMap: Map<string, number>;

  constructor(p: ProjectionParts) {
    this.nodeCount = p.kind.length;
    this.edgeCount = p.edgeFrom.length;
    this.nodeIds = p.nodeIds;
    this.kind = p.kind;
    this.supplierOf = p.supplierOf;
    this.countryOf = p.countryOf;
    this.ttrDays = p.ttrDays;
    this.dailyRevenue = p.dailyRevenue;
    this.categoryOf = p.categoryOf;
    this.nodeSource = p.nodeSource;
    this.nodeConfirmedAt = p.nodeConfirmedAt;
    this.siteNodes = p.siteNodes;
    this.skuNodes = p.skuNodes;
    this.supplierIds = p.supplierIds;
    this.partIds = p.partIds;
    this.countries = p.countries;
    this.categories = p.categories;
    this.inStart = p.inStart;
    this.edgeFrom = p.edgeFrom;
    this.edgePart = p.edgePart;
    this.edgeShare = p.edgeShare;
    this.edgeBuffer = p.edgeBuffer;
    this.edgeLead = p.edgeLead;
    this.edgeSource = p.edgeSource;
    this.edgeConfirmedAt = p.edgeConfirmedAt;
    this.outStart = p.outStart;
    this.outEdge = p.outEdge;
    this.outTo = p.outTo;
    this.outBuffer = p.outBuffer;
    this.outShare = p.outShare;
    this.outLead = p.outLead;
    this.outGroup = p.outGroup;
    this.groupStart = p.groupStart;
    this.groupCount = p.groupStart[p.groupStart.length - 1];
    this.compRank = p.condensation.compRank;
    this.compCyclic = p.condensation.compCyclic;
    this.compSize = p.condensation.compSize;
    this.compCount = p.condensation.compCount;
    this.inLoop = new Uint8Array(this.nodeCount);
    for (let v = 0; v < this.nodeCount; v++) this.inLoop[v] = this.compCyclic[this.compRank[v]];
    this.nodeIndexMap = p.nodeIndex;
    this.supplierIndexMap = p.supplierIndex;
    this.partIndexMap = p.partIndex;
  }

  /** Dense index of a site or SKU id, or -1. */
  indexOf(id: string): number {
    return this.nodeIndexMap.get(id) ?? -1;
  }

  supplierIndexOf(id: string): number {
    return this.supplierIndexMap.get(id) ?? -1;
  }

  partIndexOf(id: string): number {
    return this.partIndexMap.get(id) ?? -1;
  }

  isSite(v: number): boolean {
    return this.kind[v] === NODE_SITE;
  }

  isSku(v: number): boolean {
    return this.kind[v] === NODE_SKU;
  }

  /** Resolves an id or index to a node index, throwing on anything unknown. */
  node(ref: string | number): number {
    const v = typeof ref === 'number' ? ref : this.indexOf(ref);
    if (!Number.isInteger(v) || v < 0 || v >= this.nodeCount) {
      throw new RiskEngineError(RiskEngineErrorCode.UnknownNode, `unknown node ${JSON.stringify(ref)}`);
    }
    return v;
  }

  site(ref: string | number): number {
    const v = this.node(ref);
    if (this.kind[v] !== NODE_SITE) throw new RiskEngineError(RiskEngineErrorCode.NotASite, `${this.nodeIds[v]} is not a site`);
    return v;
  }

  sku(ref: string | number): number {
    const v = this.node(ref);
    if (this.kind[v] !== NODE_SKU) throw new RiskEngineError(RiskEngineErrorCode.NotASku, `${this.nodeIds[v]} is not a SKU`);
    return v;
  }

  /** Sites operated by each supplier, as CSR (computed on demand; O(sites)). */
  sitesBySupplier(): { start: Int32Array; sites: Int32Array } {
    const s = this.supplierIds.length;
    const start = new Int32Array(s + 1);
    for (const v of this.siteNodes) start[this.supplierOf[v] + 1]++;
    for (let i = 0; i < s; i++) start[i + 1] += start[i];
    const pos = start.slice(0, s);
    const sites = new Int32Array(this.siteNodes.length);
    for (const v of this.siteNodes) sites[pos[this.supplierOf[v]]++] = v;
    return { start, sites };
  }
}
