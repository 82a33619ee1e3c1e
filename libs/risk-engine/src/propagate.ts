import { ConeSolver, createState } from './cone-solver';
import { combineImpacts, eventIdsOf, validateImpact, type ImpactInput, type SiteImpact } from './impacts';
import type { SiteImpactsChange } from './incremental';
import type { Projection } from './projection';
import type { RiskView, RunStats } from './risk-view';

export interface PropagationResult extends RiskView, RunStats {}

const NO_EVENTS: readonly string[] = [];

/**
 * Full propagation of a set of direct impacts (DESIGN §3.2) from the bottom
 * state. Cost: O(n) to allocate the state, plus the disrupted cone — the
 * nodes reached from the impacted sites through edges whose shortage
 * outlasts the buffer — times their degree, plus a heap operation per
 * disrupted node. Also the what-if entry point: it touches no other result.
 */
export function propagate(projection: Projection, impacts: readonly ImpactInput[]): PropagationResult {
  const groups = groupBySite(projection, impacts);
  const state = createState(projection.nodeCount);
  const solver = new ConeSolver(projection, state, { fresh: true });
  const events = new Map<number, readonly string[]>();
  for (const { site, impacts: list } of groups) {
    const v = site as number;
    const { x, d } = combineImpacts(list);
    if (!(x > 0)) continue;
    state.directX[v] = x;
    state.directD[v] = d;
    events.set(v, eventIdsOf(list));
    solver.schedule(v);
  }
  solver.run();
  return {
    projection,
    x: state.x,
    d: state.d,
    onset: state.o,
    directX: state.directX,
    directD: state.directD,
    eventIdsAt: (node) => events.get(node) ?? NO_EVENTS,
    evaluations: solver.evaluations,
    cappedComponents: solver.cappedComponents,
  };
}

/** Groups impacts per site (resolved to node indices), validating each. */
export function groupBySite(projection: Projection, impacts: readonly ImpactInput[]): SiteImpactsChange[] {
  const bySite = new Map<number, SiteImpact[]>();
  for (const { site, ...impact } of impacts) {
    const v = projection.site(site);
    validateImpact(impact, projection.nodeIds[v]);
    const list = bySite.get(v);
    if (list) list.push(impact);
    else bySite.set(v, [impact]);
  }
  return [...bySite].map(([site, list]) => ({ site, impacts: list }));
}
