import { RiskEngineError, RiskEngineErrorCode } from './errors';
import { GrowableFloat64, GrowableInt32, GrowableUint8, Interner } from './growable';
import { NODE_SITE, NODE_SKU, Projection, PROVENANCES, type Provenance } from './projection';
import { condenseAsEntered, countingOrder, gatherFloat64, gatherInt32, gatherUint8, identityOrder, inputGroups, relabel } from './csr';

/** Epoch ms, ISO 8601 text or a Date; null/undefined means never confirmed. */
export type TimeInput = number | string | Date | null | undefined;

export interface SiteInput {
  id: string;
  supplierId: string;
  country: string;
  /** Time to recover if the site is lost (the caller applies its per-kind default). */
  ttrDays: number;
  source?: Provenance;
  confirmedAt?: TimeInput;
}

export interface SkuInput {
  id: string;
  dailyRevenue: number;
  category?: string;
}

/** One SUPPLIES edge; `from` is a site id, `to` a site or SKU id. */
export interface EdgeInput {
  from: string;
  to: string;
  partId: string;
  share: number;
  bufferDays: number;
  leadTimeDays: number;
  /** Defaults to 'buyer' (the buyer's own entry). */
  source?: Provenance;
  confirmedAt?: TimeInput;
}

const SHARE_TOLERANCE = 1e-9;

/**
 * Collects suppliers, sites, SKUs and edges into growable typed arrays, then
 * lays them out in `build()` (counting sorts and one Tarjan pass, O(n + m)).
 * Node indices are assigned by build() (topological order), so look them up
 * on the projection. Nodes must exist before an edge names them; every
 * violation throws a RiskEngineError naming the offending id.
 */
export class ProjectionBuilder {
  private readonly nodeIndex = new Map<string, number>();
  private readonly nodeIds: string[] = [];
  private readonly kind = new GrowableUint8();
  private readonly supplierOf = new GrowableInt32();
  private readonly countryOf = new GrowableInt32();
  private readonly ttr = new GrowableFloat64();
  private readonly revenue = new GrowableFloat64();
  private readonly categoryOf = new GrowableInt32();
  private readonly nodeSource = new GrowableUint8();
  private readonly nodeConfirmed = new GrowableFloat64();
  private readonly suppliers = new Interner();
  private readonly parts = new Interner();
  private readonly countries = new Interner();
  private readonly categories = new Interner();
  private readonly eFrom = new GrowableInt32(4096);
  private readonly eTo = new GrowableInt32(4096);
  private readonly ePart = new GrowableInt32(4096);
  private readonly eShare = new GrowableFloat64(4096);
  private readonly eBuffer = new GrowableFloat64(4096);
  private readonly eLead = new GrowableFloat64(4096);
  private readonly eConfirmed = new GrowableFloat64(4096);
  private readonly eSource = new GrowableUint8(4096);
  private built = false;

  addSupplier(id: string): number {
    this.assertOpen();
    if (this.suppliers.lookup(id) !== -1) throw duplicate('supplier', id);
    return this.suppliers.intern(id);
  }

  addSite(site: SiteInput): void {
    this.assertOpen();
    const supplier = this.suppliers.lookup(site.supplierId);
    if (supplier === -1) {
      throw new RiskEngineError(RiskEngineErrorCode.UnknownSupplier, `site ${site.id} names unknown supplier ${site.supplierId}`);
    }
    requireNonNegative(site.ttrDays, `site ${site.id} ttrDays`);
    this.addNode(site.id, NODE_SITE);
    this.supplierOf.push(supplier);
    this.countryOf.push(this.countries.intern(site.country));
    this.ttr.push(site.ttrDays);
    this.revenue.push(0);
    this.categoryOf.push(-1);
    this.nodeSource.push(provenanceCode(site.source, `site ${site.id}`));
    this.nodeConfirmed.push(toEpochMs(site.confirmedAt, `site ${site.id}`));
  }

  addSku(sku: SkuInput): void {
    this.assertOpen();
    requireNonNegative(sku.dailyRevenue, `SKU ${sku.id} dailyRevenue`);
    this.addNode(sku.id, NODE_SKU);
    this.supplierOf.push(-1);
    this.countryOf.push(-1);
    this.ttr.push(0);
    this.revenue.push(sku.dailyRevenue);
    this.categoryOf.push(sku.category === undefined ? -1 : this.categories.intern(sku.category));
    this.nodeSource.push(0);
    this.nodeConfirmed.push(NaN);
  }

  addEdge(edge: EdgeInput): void {
    this.assertOpen();
    const label = `edge ${edge.from} -> ${edge.to} (${edge.partId})`;
    const from = this.nodeIndex.get(edge.from);
    const to = this.nodeIndex.get(edge.to);
    if (from === undefined) throw new RiskEngineError(RiskEngineErrorCode.UnknownNode, `${label}: unknown sender ${edge.from}`);
    if (to === undefined) throw new RiskEngineError(RiskEngineErrorCode.UnknownNode, `${label}: unknown receiver ${edge.to}`);
    if (this.kind.get(from) !== NODE_SITE) throw new RiskEngineError(RiskEngineErrorCode.NotASite, `${label}: a SKU cannot supply`);
    if (!(edge.share > 0 && edge.share <= 1)) {
      throw new RiskEngineError(RiskEngineErrorCode.InvalidValue, `${label}: share must be in (0, 1], got ${edge.share}`);
    }
    requireNonNegative(edge.bufferDays, `${label} bufferDays`);
    requireNonNegative(edge.leadTimeDays, `${label} leadTimeDays`);
    this.eFrom.push(from);
    this.eTo.push(to);
    this.ePart.push(this.parts.intern(edge.partId));
    this.eShare.push(edge.share);
    this.eBuffer.push(edge.bufferDays);
    this.eLead.push(edge.leadTimeDays);
    this.eSource.push(provenanceCode(edge.source, label));
    this.eConfirmed.push(toEpochMs(edge.confirmedAt, label));
  }

  /**
   * Numbers the nodes in topological order, sorts edges into the CSR layout,
   * checks share sums and condenses loops. The builder is spent afterwards.
   */
  build(): Projection {
    this.assertOpen();
    this.built = true;
    const n = this.nodeIds.length;
    const m = this.eFrom.length;

    // Relabel nodes by component rank (Tarjan's reverse postorder): every edge then points to an equal or
    // higher index, and a node's DFS subtree — most of its downstream cone — sits right after it in memory.
    const entered = condenseAsEntered(n, this.eFrom.view(), this.eTo.view());
    const oldOf = countingOrder(entered.compRank, entered.compCount, identityOrder(n));
    const newOf = new Int32Array(n);
    for (let i = 0; i < n; i++) newOf[oldOf[i]] = i;
    const from = relabel(this.eFrom.view(), newOf);
    const to = relabel(this.eTo.view(), newOf);
    const part = this.ePart.view();
    const nodeIds = Array.from(oldOf, (old) => this.nodeIds[old]);
    nodeIds.forEach((id, v) => this.nodeIndex.set(id, v));

    // Stable counting sorts by upstream node, by part, then by receiver: edges end up grouped by receiver,
    // parts ascending, and within one input by upstream index — the order in which a fresh run's upstream
    // nodes settle, so pulling an input (updateFromInputs) sums it in the same order as pushing it did
    // (accumulate) and both give the same bits.
    const byFrom = countingOrder(from, n, identityOrder(m));
    const byPart = countingOrder(part, this.parts.values.length, byFrom);
    const inStart = new Int32Array(n + 1);
    const order = countingOrder(to, n, byPart, inStart);

    const edgeFrom = gatherInt32(from, order);
    const edgePart = gatherInt32(part, order);
    const edgeShare = gatherFloat64(this.eShare.view(), order);
    const receiver = gatherInt32(to, order);
    const edgeBuffer = gatherFloat64(this.eBuffer.view(), order);
    const edgeLead = gatherFloat64(this.eLead.view(), order);
    const edgeConfirmedAt = gatherFloat64(this.eConfirmed.view(), order);
    const edgeSource = gatherUint8(this.eSource.view(), order);
    this.checkShareSums(inStart, edgePart, edgeShare, nodeIds);
    const { groupStart, edgeGroup } = inputGroups(inStart, edgePart);

    const outStart = new Int32Array(n + 1);
    const outEdge = countingOrder(edgeFrom, n, identityOrder(m), outStart);
    const outTo = gatherInt32(receiver, outEdge);
    const outBuffer = gatherFloat64(edgeBuffer, outEdge);
    const outShare = gatherFloat64(edgeShare, outEdge);
    const outLead = gatherFloat64(edgeLead, outEdge);
    const outGroup = gatherInt32(edgeGroup, outEdge);

    const kind = gatherUint8(this.kind.view(), oldOf);
    const siteNodes: number[] = [];
    const skuNodes: number[] = [];
    for (let v = 0; v < n; v++) (kind[v] === NODE_SITE ? siteNodes : skuNodes).push(v);

    const projection = new Projection({
      nodeIds,
      nodeIndex: this.nodeIndex,
      kind,
      supplierOf: gatherInt32(this.supplierOf.view(), oldOf),
      countryOf: gatherInt32(this.countryOf.view(), oldOf),
      ttrDays: gatherFloat64(this.ttr.view(), oldOf),
      dailyRevenue: gatherFloat64(this.revenue.view(), oldOf),
      categoryOf: gatherInt32(this.categoryOf.view(), oldOf),
      nodeSource: gatherUint8(this.nodeSource.view(), oldOf),
      nodeConfirmedAt: gatherFloat64(this.nodeConfirmed.view(), oldOf),
      siteNodes: Int32Array.from(siteNodes),
      skuNodes: Int32Array.from(skuNodes),
      supplierIds: this.suppliers.values,
      supplierIndex: this.suppliers.asMap(),
      partIds: this.parts.values,
      partIndex: this.parts.asMap(),
      countries: this.countries.values,
      categories: this.categories.values,
      inStart,
      edgeFrom,
      edgePart,
      edgeShare,
      edgeBuffer,
      edgeLead,
      edgeSource,
      edgeConfirmedAt,
      outStart,
      outEdge,
      outTo,
      outBuffer,
      outShare,
      outLead,
      outGroup,
      groupStart,
      condensation: { ...entered, compRank: gatherInt32(entered.compRank, oldOf) },
    });
    for (const g of [this.kind, this.supplierOf, this.countryOf, this.ttr, this.revenue, this.categoryOf, this.nodeSource, this.nodeConfirmed]) g.release();
    for (const g of [this.eFrom, this.eTo, this.ePart, this.eShare, this.eBuffer, this.eLead, this.eConfirmed, this.eSource]) g.release();
    this.nodeIds.length = 0;
    return projection;
  }

  private addNode(id: string, kind: number): void {
    if (this.nodeIndex.has(id)) throw duplicate(kind === NODE_SITE ? 'site' : 'SKU', id);
    this.nodeIndex.set(id, this.nodeIds.length);
    this.nodeIds.push(id);
    this.kind.push(kind);
  }

  private checkShareSums(inStart: Int32Array, edgePart: Int32Array, edgeShare: Float64Array, nodeIds: string[]): void {
    for (let v = 0; v + 1 < inStart.length; v++) {
      let e = inStart[v];
      while (e < inStart[v + 1]) {
        const p = edgePart[e];
        let sum = 0;
        for (; e < inStart[v + 1] && edgePart[e] === p; e++) sum += edgeShare[e];
        if (sum > 1 + SHARE_TOLERANCE) {
          throw new RiskEngineError(RiskEngineErrorCode.ShareSumExceeded, `shares of part ${this.parts.values[p]} into ${nodeIds[v]} sum to ${sum} (> 1)`);
        }
      }
    }
  }

  private assertOpen(): void {
    if (this.built) throw new RiskEngineError(RiskEngineErrorCode.BuilderConsumed, 'build() was already called on this builder');
  }
}

function duplicate(what: string, id: string): RiskEngineError {
  return new RiskEngineError(RiskEngineErrorCode.DuplicateId, `duplicate ${what} id ${id}`);
}

function requireNonNegative(value: number, label: string): void {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new RiskEngineError(RiskEngineErrorCode.InvalidValue, `${label} must be a finite number >= 0, got ${value}`);
  }
}

function provenanceCode(source: Provenance | undefined, label: string): number {
  if (source === undefined) return 0;
  const code = PROVENANCES.indexOf(source);
  if (code === -1) throw new RiskEngineError(RiskEngineErrorCode.InvalidValue, `${label}: unknown source ${String(source)}`);
  return code;
}

function toEpochMs(value: TimeInput, label: string): number {
  if (value === null || value === undefined) return NaN;
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : value.getTime();
  if (!Number.isFinite(ms)) throw new RiskEngineError(RiskEngineErrorCode.InvalidValue, `${label}: invalid confirmedAt ${String(value)}`);
  return ms;
}
