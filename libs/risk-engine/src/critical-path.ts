import type { PathConfidence, PathHop } from '@tiersight/contracts';
import { PROVENANCE_INFERRED } from './projection';
import type { RiskView } from './risk-view';

export interface Explanation {
  /** From the hit site (first) to the SKU (last). */
  criticalPath: PathHop[];
  /** Events with a positive impact on the path's root site. */
  eventIds: string[];
  confidence: PathConfidence;
}

/** Values closer than this are ties (float noise must not flip a path between runs). */
export const TIE_EPS = 1e-12;

interface InputGroup {
  part: number;
  x: number;
  d: number;
  start: number;
  end: number;
}

/**
 * The critical path of DESIGN §3.3, walked from the SKU upstream: take the
 * input part with the largest X(r,p) (ties: larger D, then smaller part id),
 * within it the counted edge with the largest s_e·x_u (ties: larger g_e, then
 * smaller upstream id); stop at a node whose direct x is at least its largest
 * X(r,p). Cycles: a node is never visited twice; when the greedy choice runs
 * into a node already seen, the walk backs up and takes the next candidate
 * (next edge of the part, then next part) — a depth-first search in greedy
 * order, so without cycles it is exactly the greedy walk, and it always ends
 * at a node that meets the stop rule. Cost: O(edges into the visited nodes).
 * `visitedOut` receives every node the walk stood on; the walk also read
 * their upstream nodes (the stop rule and the candidate order compare them).
 */
export function explainExposure(view: RiskView, sku: number, visitedOut?: number[]): Explanation {
  const p = view.projection;
  const nodes = [sku];
  const edges: number[] = [];
  const candidates: number[][] = [];
  const next: number[] = [];
  const visited = new Set<number>(nodes);
  if (!isRoot(view, sku)) {
    candidates.push(orderedCandidates(view, sku));
    next.push(0);
  }
  while (candidates.length > 0) {
    const level = candidates.length - 1;
    if (next[level] === candidates[level].length) {
      // dead end: every upstream candidate is already seen; back up one hop
      candidates.pop();
      next.pop();
      if (level > 0) {
        nodes.pop();
        edges.pop();
      }
      continue;
    }
    const e = candidates[level][next[level]++];
    const u = p.edgeFrom[e];
    if (visited.has(u)) continue;
    visited.add(u);
    nodes.push(u);
    edges.push(e);
    if (isRoot(view, u)) break;
    candidates.push(orderedCandidates(view, u));
    next.push(0);
  }

  const k = nodes.length - 1;
  const criticalPath: PathHop[] = [];
  for (let i = 0; i <= k; i++) {
    const v = nodes[k - i];
    const hop: PathHop = { nodeId: p.nodeIds[v], x: view.x[v], days: view.d[v], onsetDays: view.onset[v] };
    if (i > 0) {
      const e = edges[k - i];
      hop.via = { partId: p.partIds[p.edgePart[e]], share: p.edgeShare[e], bufferDays: p.edgeBuffer[e], leadTimeDays: p.edgeLead[e] };
    }
    criticalPath.push(hop);
  }
  const root = nodes[k];
  const eventIds = view.directX[root] > 0 ? [...view.eventIdsAt(root)] : [];
  if (visitedOut) for (const v of visited) visitedOut.push(v);
  return { criticalPath, eventIds, confidence: confidenceOf(view, nodes, edges) };
}

/** The stop rule: direct x at least the largest input shortfall (or no disrupted input at all). */
export function isRoot(view: RiskView, v: number): boolean {
  const maxX = inputGroups(view, v).reduce((m, g) => (g.x > m ? g.x : m), 0);
  const dx = view.directX[v];
  return maxX === 0 || (dx > 0 && dx >= maxX - TIE_EPS);
}

/** v's counted in-edges in the order the walk prefers them: parts by the group rule, edges by the edge rule. */
export function orderedCandidates(view: RiskView, v: number): number[] {
  const p = view.projection;
  const out: number[] = [];
  for (const g of inputGroups(view, v).sort((a, b) => compareGroups(view, a, b))) {
    const edges: Array<{ e: number; c: number; gap: number; id: string }> = [];
    for (let e = g.start; e < g.end; e++) {
      const u = p.edgeFrom[e];
      const gap = view.d[u] - p.edgeBuffer[e];
      if (gap > 0) edges.push({ e, c: p.edgeShare[e] * view.x[u], gap, id: p.nodeIds[u] });
    }
    edges.sort((a, b) => (Math.abs(a.c - b.c) > TIE_EPS ? b.c - a.c : Math.abs(a.gap - b.gap) > TIE_EPS ? b.gap - a.gap : compareIds(a.id, b.id)));
    for (const c of edges) out.push(c.e);
  }
  return out;
}

function inputGroups(view: RiskView, v: number): InputGroup[] {
  const p = view.projection;
  const groups: InputGroup[] = [];
  let e = p.inStart[v];
  const end = p.inStart[v + 1];
  while (e < end) {
    const start = e;
    const part = p.edgePart[e];
    let sum = 0;
    let dmax = 0;
    for (; e < end && p.edgePart[e] === part; e++) {
      const u = p.edgeFrom[e];
      const g = view.d[u] - p.edgeBuffer[e];
      if (g > 0) {
        sum += p.edgeShare[e] * view.x[u];
        if (g > dmax) dmax = g;
      }
    }
    if (sum > 0) groups.push({ part, x: Math.min(1, sum), d: dmax, start, end: e });
  }
  return groups;
}

function compareGroups(view: RiskView, a: InputGroup, b: InputGroup): number {
  if (Math.abs(a.x - b.x) > TIE_EPS) return b.x - a.x;
  if (Math.abs(a.d - b.d) > TIE_EPS) return b.d - a.d;
  return compareIds(view.projection.partIds[a.part], view.projection.partIds[b.part]);
}

function confidenceOf(view: RiskView, nodes: number[], edges: number[]): PathConfidence {
  const p = view.projection;
  let inferredHops = 0;
  let unconfirmedHops = 0;
  let oldest = Infinity;
  for (const e of edges) {
    if (p.edgeSource[e] === PROVENANCE_INFERRED) inferredHops++;
    const t = p.edgeConfirmedAt[e];
    if (Number.isNaN(t)) unconfirmedHops++;
    else if (t < oldest) oldest = t;
  }
  for (const v of nodes) {
    const t = p.nodeConfirmedAt[v];
    if (p.isSite(v) && t < oldest) oldest = t; // NaN compares false
  }
  const hops = edges.length;
  return {
    hops,
    inferredHops,
    inferredShare: hops === 0 ? 0 : inferredHops / hops,
    unconfirmedHops,
    oldestConfirmedAt: oldest === Infinity ? null : new Date(oldest).toISOString(),
  };
}

/** Plain code-unit order, the same in every locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
