import type { Projection } from './projection';

/** A (receiver, part) fed by exactly one edge of share 1. */
export interface SingleSourcedInput {
  receiverId: string;
  partId: string;
  supplierSiteId: string;
}

/** A (receiver, part) whose mapped shares sum below 1: the rest is unmapped (DESIGN §2). */
export interface VisibilityGap {
  receiverId: string;
  partId: string;
  mappedShare: number;
  edgeCount: number;
}

const SHARE_EPS = 1e-9;

/**
 * Calls `visit(receiver, part, start, end, shareSum)` for every input group
 * (the edges of one receiver for one part). O(m).
 */
export function forEachInputGroup(p: Projection, visit: (receiver: number, part: number, start: number, end: number, shareSum: number) => void): void {
  for (let v = 0; v < p.nodeCount; v++) {
    const end = p.inStart[v + 1];
    let e = p.inStart[v];
    while (e < end) {
      const start = e;
      const part = p.edgePart[e];
      let sum = 0;
      for (; e < end && p.edgePart[e] === part; e++) sum += p.edgeShare[e];
      visit(v, part, start, e, sum);
    }
  }
}

/** Inputs with a single supplier of share 1 (>= 1 − 1e-9), in node then part order. O(m). */
export function singleSourcedInputs(p: Projection): SingleSourcedInput[] {
  const out: SingleSourcedInput[] = [];
  forEachInputGroup(p, (v, part, start, end, sum) => {
    if (end - start === 1 && sum >= 1 - SHARE_EPS) {
      out.push({ receiverId: p.nodeIds[v], partId: p.partIds[part], supplierSiteId: p.nodeIds[p.edgeFrom[start]] });
    }
  });
  return out;
}

/**
 * Inputs whose mapped share is below 1 (− 1e-9), smallest mapped share first.
 * Only parts with at least one mapped edge are known to the engine; a
 * receiver's part with no edge at all is invisible here. O(m).
 */
export function visibilityGaps(p: Projection): VisibilityGap[] {
  const out: VisibilityGap[] = [];
  forEachInputGroup(p, (v, part, start, end, sum) => {
    if (sum < 1 - SHARE_EPS) out.push({ receiverId: p.nodeIds[v], partId: p.partIds[part], mappedShare: sum, edgeCount: end - start });
  });
  return out.sort((a, b) => a.mappedShare - b.mappedShare || (a.receiverId < b.receiverId ? -1 : a.receiverId > b.receiverId ? 1 : 0));
}
