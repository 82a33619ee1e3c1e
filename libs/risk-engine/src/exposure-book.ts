import type { Exposure } from '@tiersight/contracts';
import type { ImpactInput } from './impacts';
import { Propagator } from './incremental';
import { groupBySite } from './propagate';
import type { Projection } from './projection';
import type { RiskView } from './risk-view';
import { DEFAULT_EXPOSURE_THRESHOLD, describeExposure, isExposed } from './exposures';

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
 * whose explanation can have moved — those whose own state was re-solved or
 * whose critical-path walk stood on a re-solved node, on a site whose events
 * changed, or on a node fed by either (the walk compares every input of the
 * nodes it stands on). Everything else is exactly what a full run would give, so
 * after any sequence of changes `exposures()` equals `listExposures` of a
 * fresh propagation of the same impacts (up to the engine's 1e-9).
 */
export class ExposureBook {
  private readonly propagator: Propagator;
  private readonly exposed = new Map<number, { exposure: Exposure; visited: Int32Array }>();
  private readonly mark: Uint8Array;
  private readonly scratch: number[] = [];

  constructor(
    readonly projection: Projection,
    impacts: readonly ImpactInput[],
    readonly threshold = DEFAULT_EXPOSURE_THRESHOLD,
  ) {
    this.propagator = new Propagator(projection);
    this.mark = new Uint8Array(projection.nodeCount);
    this.propagator.setImpacts(groupBySite(projection, impacts));
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
    const { mark, propagator, projection } = this;
    const marked: number[] = [];
    const markNode = (v: number) => {
      if (mark[v] === 0) {
        mark[v] = 1;
        marked.push(v);
      }
    };
    const candidates = new Set<number>();
    let recomputedNodes = 0;
    for (const [eventId, hits] of changes) {
      // Sites that lose or gain the event: their event list (shown on paths rooted there) changes even when their state does not.
      for (const site of propagator.sitesOf(eventId)) markNode(site);
      for (const hit of hits) markNode(projection.site(hit.site));
      const delta = propagator.setEventImpacts(eventId, hits);
      recomputedNodes += delta.recomputedNodes;
      for (const v of delta.touchedNodes) markNode(v);
      for (const sku of delta.changedSkus) candidates.add(sku);
    }
    // A walk standing on a node compares all its inputs: a change upstream of it can reorder the walk's choice there.
    for (let i = 0, changed = marked.length; i < changed; i++) {
      const u = marked[i];
      for (let k = projection.outStart[u]; k < projection.outStart[u + 1]; k++) markNode(projection.outTo[k]);
    }
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
      else if (this.exposed.delete(sku)) gone.push(projection.nodeIds[sku]);
    }
    return { updated, gone, recomputedNodes };
  }

  private explain(sku: number): Exposure {
    const visited = this.scratch;
    visited.length = 0;
    const exposure = describeExposure(this.propagator, sku, visited);
    this.exposed.set(sku, { exposure, visited: Int32Array.from(visited) });
    return exposure;
  }
}
