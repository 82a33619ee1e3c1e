import type { Projection } from './projection';
import type { NodeUpdate, SolverState } from './solver-state';

/**
 * One application of the DESIGN §3.2 update to node v, pulled from its
 * in-edges and the current upstream states. Edges of one part are
 * consecutive (the CSR is sorted by part), so each X(r,p) is one run.
 */
export function updateFromInputs(p: Projection, s: SolverState, v: number, out: NodeUpdate): void {
  const { edgeFrom, edgePart, edgeShare, edgeBuffer, edgeLead } = p;
  const { x: X, d: D, o: O } = s;
  const dx = s.directX[v];
  const hit = dx > 0;
  let x = dx;
  let d = hit ? s.directD[v] : 0;
  let o = hit ? 0 : Infinity;
  let e = p.inStart[v];
  const end = p.inStart[v + 1];
  while (e < end) {
    const part = edgePart[e];
    let sum = 0;
    let dmax = 0;
    let omin = Infinity;
    do {
      const u = edgeFrom[e];
      const b = edgeBuffer[e];
      const du = D[u];
      if (du > b) {
        // counted edge: the shortage outlasts the buffer by g = du − b days
        sum += edgeShare[e] * X[u];
        const g = du - b;
        if (g > dmax) dmax = g;
        const t = O[u] + edgeLead[e] + b;
        if (t < omin) omin = t;
      }
      e++;
    } while (e < end && edgePart[e] === part);
    if (sum > 0) {
      const xp = sum < 1 ? sum : 1;
      if (xp > x) x = xp;
      if (dmax > d) d = dmax;
      if (!hit && omin < o) o = omin;
    }
  }
  out.x = x;
  out.d = d;
  out.o = o;
}

/**
 * The same update from per-(receiver, part) accumulators that upstream nodes
 * filled when they settled (fresh runs only): acc[3g] = Σ s·x, acc[3g+1] =
 * max g_e, acc[3g+2] = min onset over the counted edges of group g. Reads
 * only v's groups and clears them for the next run.
 */
export function updateFromAccumulators(p: Projection, s: SolverState, acc: Float64Array, v: number, out: NodeUpdate): void {
  const dx = s.directX[v];
  const hit = dx > 0;
  let x = dx;
  let d = hit ? s.directD[v] : 0;
  let o = hit ? 0 : Infinity;
  const end = 3 * p.groupStart[v + 1];
  for (let a = 3 * p.groupStart[v]; a < end; a += 3) {
    const sum = acc[a];
    if (sum > 0) {
      const xp = sum < 1 ? sum : 1;
      if (xp > x) x = xp;
      if (acc[a + 1] > d) d = acc[a + 1];
      if (!hit && acc[a + 2] < o) o = acc[a + 2];
    }
    acc[a] = 0;
    acc[a + 1] = 0;
    acc[a + 2] = Infinity;
  }
  out.x = x;
  out.d = d;
  out.o = o;
}

/** Fresh mode: adds u's settled state, through out-edge k, to the receiving group's accumulator. */
export function accumulate(p: Projection, acc: Float64Array, k: number, xu: number, du: number, ou: number): void {
  const a = 3 * p.outGroup[k];
  const b = p.outBuffer[k];
  acc[a] += p.outShare[k] * xu;
  const gap = du - b;
  if (gap > acc[a + 1]) acc[a + 1] = gap;
  const t = ou + p.outLead[k] + b;
  if (t < acc[a + 2]) acc[a + 2] = t;
}
