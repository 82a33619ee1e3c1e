import { ConeSolver } from './cone-solver';
import { createState, type SolverState } from './solver-state';
import { combineImpacts, eventIdsOf, validateImpact, type SiteImpact } from './impacts';
import type { Projection } from './projection';
import type { RiskView, RunStats } from './risk-view';

/** Replaces every direct impact of one site (an empty list removes them). */
export interface SiteImpactsChange {
  site: string | number;
  impacts: readonly SiteImpact[];
}

/** What one update did. `changedSkus` are node indices of SKUs whose (x, d, onset) moved by more than 1e-9. */
export interface PropagationDelta extends RunStats {
  changedSkus: number[];
  changedSkuIds: string[];
  /** Nodes re-solved (the reset cone plus anything newly reached). */
  recomputedNodes: number;
  /**
   * Every node re-solved, whether its state moved or not. A node outside this
   * set kept its state and so did all its counted inputs: whatever depends
   * only on such nodes (a critical path walk) is unchanged.
   */
  touchedNodes: Int32Array;
}

const CHANGE_TOLERANCE = 1e-9;
const NO_EVENTS: readonly string[] = [];

/**
 * Holds the current direct impacts and the least fixed point they produce,
 * and keeps it exact under changes by re-solving only the affected cone.
 *
 * Raising an impact is easy: the current state is below the new fixed point,
 * so iterating from it climbs there. Lowering one is not: the state is a
 * *least* fixed point, and "decreasing" values in place would let a cycle
 * keep feeding the old value back. So every node whose old value could
 * depend on a lowered site — those reachable from it through edges that were
 * counted (d_u > buffer) — goes back to the bottom state and is re-solved
 * from the untouched upstream. Nodes outside that set cannot depend on the
 * lowered sites, so they are a valid starting point below the new fixed point.
 */
export class Propagator implements RiskView {
  readonly x: Float64Array;
  readonly d: Float64Array;
  readonly onset: Float64Array;
  readonly directX: Float64Array;
  readonly directD: Float64Array;
  private readonly state: SolverState;
  private readonly solver: ConeSolver;
  private readonly impacts = new Map<number, SiteImpact[]>();
  private readonly eventSites = new Map<string, Set<number>>();
  private readonly mark: Uint8Array;
  private readonly cone: Int32Array;

  constructor(readonly projection: Projection) {
    this.state = createState(projection.nodeCount);
    ({ x: this.x, d: this.d, o: this.onset, directX: this.directX, directD: this.directD } = this.state);
    this.solver = new ConeSolver(projection, this.state, { recordOld: true });
    this.mark = new Uint8Array(projection.nodeCount);
    this.cone = new Int32Array(projection.nodeCount);
  }

  /**
   * Applies per-site replacements of the direct impacts and re-solves their
   * downstream cone. Sites whose direct state only grew are simply re-run from
   * the current state (it is already below the new fixed point); sites whose
   * state dropped in any part reset their old counted cone first.
   */
  setImpacts(changes: readonly SiteImpactsChange[]): PropagationDelta {
    const p = this.projection;
    const resolved = changes.map((c) => {
      const site = p.site(c.site);
      c.impacts.forEach((i) => validateImpact(i, p.nodeIds[site]));
      return { site, impacts: c.impacts.map((i) => ({ ...i })) };
    });
    let lowered = 0;
    const raised: number[] = [];
    for (const { site, impacts } of resolved) {
      this.storeImpacts(site, impacts);
      const { x, d } = combineImpacts(impacts);
      const oldX = this.directX[site];
      const oldD = oldX > 0 ? this.directD[site] : 0;
      if (x === oldX && d === this.directD[site]) continue;
      this.directX[site] = x;
      this.directD[site] = d;
      if (x >= oldX && (x > 0 ? d : 0) >= oldD) raised.push(site);
      else if (this.mark[site] === 0) {
        this.mark[site] = 1;
        this.cone[lowered++] = site;
      }
    }
    return this.resolve(lowered, raised);
  }

  /** Sets one event's hits (replacing its previous ones); other events' impacts are kept. */
  setEventImpacts(eventId: string, hits: ReadonlyArray<{ site: string | number; x: number; days: number }>): PropagationDelta {
    const bySite = new Map<number, SiteImpact[]>();
    for (const site of this.eventSites.get(eventId) ?? []) bySite.set(site, []);
    for (const hit of hits) {
      const site = this.projection.site(hit.site);
      const list = bySite.get(site) ?? [];
      list.push({ x: hit.x, days: hit.days, eventId });
      bySite.set(site, list);
    }
    const changes: SiteImpactsChange[] = [];
    for (const [site, mine] of bySite) {
      const others = (this.impacts.get(site) ?? []).filter((i) => i.eventId !== eventId);
      changes.push({ site, impacts: others.concat(mine) });
    }
    return this.setImpacts(changes);
  }

  /** Removes every impact of one event (e.g. the event closed). */
  removeEvent(eventId: string): PropagationDelta {
    return this.setEventImpacts(eventId, []);
  }

  /** The sites (node indices) the event currently hits. */
  sitesOf(eventId: string): number[] {
    return [...(this.eventSites.get(eventId) ?? [])];
  }

  /** Current impacts, flattened (site as node index). */
  impactList(): Array<SiteImpact & { site: number }> {
    const out: Array<SiteImpact & { site: number }> = [];
    for (const [site, list] of this.impacts) for (const i of list) out.push({ ...i, site });
    return out;
  }

  impactsAt(site: string | number): readonly SiteImpact[] {
    return this.impacts.get(this.projection.site(site)) ?? [];
  }

  eventIdsAt(node: number): readonly string[] {
    const list = this.impacts.get(node);
    return list ? eventIdsOf(list) : NO_EVENTS;
  }

  private storeImpacts(site: number, impacts: SiteImpact[]): void {
    const previous = this.impacts.get(site) ?? [];
    for (const old of previous) if (old.eventId !== undefined) this.eventSites.get(old.eventId)?.delete(site);
    if (impacts.length === 0) this.impacts.delete(site);
    else this.impacts.set(site, impacts);
    for (const i of impacts) {
      if (i.eventId === undefined) continue;
      let sites = this.eventSites.get(i.eventId);
      if (!sites) this.eventSites.set(i.eventId, (sites = new Set()));
      sites.add(site);
    }
    for (const old of previous) {
      if (old.eventId !== undefined && this.eventSites.get(old.eventId)?.size === 0) this.eventSites.delete(old.eventId);
    }
  }

  /**
   * cone[0..seeds) are the lowered sites (marked): grows that set to their old
   * counted cone, resets it, then re-solves it together with the raised sites.
   */
  private resolve(seeds: number, raised: readonly number[]): PropagationDelta {
    const { cone, mark, d, solver } = this;
    const { outStart, outTo, outBuffer } = this.projection;
    let size = seeds;
    for (let i = 0; i < size; i++) {
      const v = cone[i];
      const dv = d[v];
      for (let k = outStart[v]; k < outStart[v + 1]; k++) {
        const w = outTo[k];
        if (mark[w] === 0 && dv > outBuffer[k]) {
          mark[w] = 1;
          cone[size++] = w;
        }
      }
    }
    const before = { evaluations: solver.evaluations, capped: solver.cappedComponents };
    for (let i = 0; i < size; i++) {
      const v = cone[i];
      mark[v] = 0;
      solver.reset(v);
      solver.schedule(v);
    }
    for (const v of raised) solver.schedule(v);
    solver.run();
    const delta = this.collectDelta();
    delta.evaluations = solver.evaluations - before.evaluations;
    delta.cappedComponents = solver.cappedComponents - before.capped;
    solver.clearTouched(false);
    return delta;
  }

  private collectDelta(): PropagationDelta {
    const { solver, x, d, onset } = this;
    const p = this.projection;
    const changedSkus: number[] = [];
    for (let i = 0; i < solver.touchedCount; i++) {
      const v = solver.touched[i];
      if (!p.isSku(v)) continue;
      if (differs(x[v], solver.oldX[i]) || differs(d[v], solver.oldD[i]) || differs(onset[v], solver.oldO[i])) {
        changedSkus.push(v);
      }
    }
    changedSkus.sort((a, b) => a - b);
    return {
      changedSkus,
      changedSkuIds: changedSkus.map((v) => p.nodeIds[v]),
      recomputedNodes: solver.touchedCount,
      touchedNodes: solver.touched.slice(0, solver.touchedCount),
      evaluations: 0,
      cappedComponents: 0,
    };
  }
}

function differs(a: number, b: number): boolean {
  if (a === b) return false;
  return !(Math.abs(a - b) <= CHANGE_TOLERANCE); // also true for ∞ vs finite
}
