import type { Exposure } from '@tiersight/contracts';
import type { ImpactInput } from './impacts';
import { Propagator } from './incremental';
import { groupBySite } from './propagate';
import type { Projection } from './projection';
import type { RiskView } from './risk-view';
import { DEFAULT_EXPOSURE_THRESHOLD, describeExposure, isExposed } from './exposures';
import { sameWalkStep, type StepInputs } from './walk-step';

/** One event's direct impacts as a change to the book: its hits replace the previous ones (none: the event is gone). */
export type EventHits = ReadonlyArray<{ site: string | number; x: number; days: number }>;

/** What a change of events did to the exposures. */
export interface ExposureBookDelta {
  /** SKUs exposed after the change whose exposure (numbers or explanation) may differ, explained afresh. */
  updated: Exposure[];
  /** SKUs exposed before the change and not after. */
  gone: string[];
  /** Nodes re-solved by the engine (for logs). */
  recomputedNodes: number;
}

/**
 * The exposed SKUs of one projection under the current impacts, with their
 * explanations, kept up to date event by event: a change re-solves only the
 * events' downstream cones (Propagator) and explains again only the SKUs
 * whose explanation can have moved — those whose own state moved or whose
 * critical-path walk stood on a node whose state (x, d, onset) moved, on a
 * site whose events changed, or on a node whose step (stop, or the inputs
 * tried in order: see sameWalkStep) differs under the new state. A walk is a
 * function of those alone, so a re-solved node that came back to exactly its
 * old state, or an input that moved without reordering the step it feeds,
 * moves no walk. Everything else is exactly what a full run would give, so
 * after any sequence of changes `exposures()` equals `listExposures` of a
 * fresh propagation of the same impacts (up to the engine's 1e-9).
 */
export class ExposureBook {
  private readonly propagator: Propagator;
  private readonly exposed = new Map<number, { exposure: Exposure; visited: Int32Array }>();
  private readonly mark: Uint8Array;
  private readonly scratch: number[] = [];
  /** Per node, how many kept walks stand on it: a node no walk stands on moves no explanation by its step. */
  private readonly walkers: Int32Array;
  private readonly checked: Uint8Array;
  /** Every node's state as the kept explanations read it: a re-solved node is compared with it to know whether it moved. */
  private readonly explainedX: Float64Array;
  private readonly explainedD: Float64Array;
  private readonly explainedOnset: Float64Array;

  constructor(
    readonly projection: Projection,
    impacts: readonly ImpactInput[],
    readonly threshold = DEFAULT_EXPOSURE_THRESHOLD,
  ) {
    this.propagator = new Propagator(projection);
    this.mark = new Uint8Array(projection.nodeCount);
    this.checked = new Uint8Array(projection.nodeCount);
    this.walkers = new Int32Array(projection.nodeCount);
    this.propagator.setImpacts(groupBySite(projection, impacts));
    this.explainedX = this.propagator.x.slice();
    this.explainedD = this.propagator.d.slice();
    this.explainedOnset = this.propagator.onset.slice();
    for (const sku of projection.skuNodes) if (isExposed(this.propagator, sku, threshold)) this.explain(sku);
  }

  /** The engine state behind the exposures. */
  get view(): RiskView {
    return this.propagator;
  }

  /** The direct impacts the book holds (site as node index). */
  impacts(): ImpactInput[] {
    return this.propagator.impactList();
  }

  /** The current exposures, in no particular order. */
  exposures(): Exposure[] {
    return [...this.exposed.values()].map((e) => e.exposure);
  }

  /** Replaces the hits of the given events (an empty list removes an event). */
  setEvents(changes: ReadonlyMap<string, EventHits>): ExposureBookDelta {
    const { mark, propagator, projection, explainedX, explainedD, explainedOnset, walkers } = this;
    const { x, d, onset } = propagator;
    const marked: number[] = [];
    const markNode = (v: number) => {
      if (mark[v] === 0) {
        mark[v] = 1;
        marked.push(v);
      }
    };
    const touched: number[] = [];
    let recomputedNodes = 0;
    for (const [eventId, hits] of changes) {
      // Sites whose hits change: a walk reads their direct x (the stop rule) and their event list (shown on paths rooted
      // there), which can change even when their state does not.
      const sites = new Set(propagator.sitesOf(eventId));
      for (const hit of hits) sites.add(projection.site(hit.site));
      const directBefore = [...sites].map((site) => ({ site, directX: propagator.directX[site], eventIds: propagator.eventIdsAt(site).join('\n') }));
      const delta = propagator.setEventImpacts(eventId, hits);
      recomputedNodes += delta.recomputedNodes;
      for (const { site, directX, eventIds } of directBefore) {
        if (propagator.directX[site] !== directX || propagator.eventIdsAt(site).join('\n') !== eventIds) markNode(site);
      }
      for (const v of delta.touchedNodes) touched.push(v);
    }
    // Nodes whose state moved, by any amount (exact comparison): their own hops change, and so may the steps of the
    // nodes they feed, through their x and d.
    const feeding: number[] = [];
    for (const v of touched) {
      const feeds = x[v] !== explainedX[v] || d[v] !== explainedD[v];
      if (feeds || onset[v] !== explainedOnset[v]) markNode(v);
      if (feeds) feeding.push(v);
    }
    // A step is compared only where a kept walk stands, before (the explained state) and after.
    const before: StepInputs = { projection, x: explainedX, d: explainedD, directX: propagator.directX };
    const checked = this.checked;
    const checkedList: number[] = [];
    for (const u of feeding) {
      for (let k = projection.outStart[u]; k < projection.outStart[u + 1]; k++) {
        const w = projection.outTo[k];
        if (mark[w] === 1 || checked[w] === 1 || walkers[w] === 0) continue;
        checked[w] = 1;
        checkedList.push(w);
        if (!sameWalkStep(before, propagator, w)) markNode(w);
      }
    }
    for (const w of checkedList) checked[w] = 0;
    for (const v of touched) {
      explainedX[v] = x[v];
      explainedD[v] = d[v];
      explainedOnset[v] = onset[v];
    }

    const candidates = new Set<number>();
    for (const v of marked) if (projection.isSku(v)) candidates.add(v);
    for (const [sku, { visited }] of this.exposed) {
      if (candidates.has(sku)) continue;
      for (let i = 0; i < visited.length; i++) {
        if (mark[visited[i]] === 1) {
          candidates.add(sku);
          break;
        }
      }
    }
    for (const v of marked) mark[v] = 0;

    const updated: Exposure[] = [];
    const gone: string[] = [];
    for (const sku of candidates) {
      if (isExposed(propagator, sku, this.threshold)) updated.push(this.explain(sku));
      else if (this.forget(sku)) gone.push(projection.nodeIds[sku]);
    }
    return { updated, gone, recomputedNodes };
  }

  private explain(sku: number): Exposure {
    const visited = this.scratch;
    visited.length = 0;
    const exposure = describeExposure(this.propagator, sku, visited);
    this.forget(sku);
    const kept = Int32Array.from(visited);
    for (let i = 0; i < kept.length; i++) this.walkers[kept[i]]++;
    this.exposed.set(sku, { exposure, visited: kept });
    return exposure;
  }

  /** Drops a SKU's kept explanation; false when it had none. */
  private forget(sku: number): boolean {
    const kept = this.exposed.get(sku);
    if (!kept) return false;
    for (let i = 0; i < kept.visited.length; i++) this.walkers[kept.visited[i]]--;
    return this.exposed.delete(sku);
  }
}
