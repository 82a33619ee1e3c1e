// Layout helpers for the projection builder: counting sorts and gathers over typed arrays, O(n + m).
import { condense, type Condensation } from './scc';

/** Numbers the (receiver, part) input groups: per node a CSR of group ids, per edge its group. */
export function inputGroups(inStart: Int32Array, edgePart: Int32Array): { groupStart: Int32Array; edgeGroup: Int32Array } {
  const n = inStart.length - 1;
  const groupStart = new Int32Array(n + 1);
  const edgeGroup = new Int32Array(edgePart.length);
  let g = -1;
  for (let v = 0; v < n; v++) {
    groupStart[v] = g + 1;
    for (let e = inStart[v]; e < inStart[v + 1]; e++) {
      if (e === inStart[v] || edgePart[e] !== edgePart[e - 1]) g++;
      edgeGroup[e] = g;
    }
  }
  groupStart[n] = g + 1;
  return { groupStart, edgeGroup };
}

/** Components of the graph with nodes numbered as entered (from a throwaway outgoing CSR). */
export function condenseAsEntered(n: number, from: Int32Array, to: Int32Array): Condensation {
  const start = new Int32Array(n + 1);
  const byFrom = countingOrder(from, n, identityOrder(from.length), start);
  return condense(n, start, gatherInt32(to, byFrom));
}

export function relabel(ids: Int32Array, newOf: Int32Array): Int32Array {
  const out = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) out[i] = newOf[ids[i]];
  return out;
}

export function identityOrder(m: number): Int32Array {
  const order = new Int32Array(m);
  for (let i = 0; i < m; i++) order[i] = i;
  return order;
}

/** Stable counting sort of `order` by key[order[i]] in [0, buckets); fills `start` (length buckets+1) when given. */
export function countingOrder(key: Int32Array, buckets: number, order: Int32Array, start = new Int32Array(buckets + 1)): Int32Array {
  for (let i = 0; i < order.length; i++) start[key[order[i]] + 1]++;
  for (let b = 0; b < buckets; b++) start[b + 1] += start[b];
  const pos = start.slice(0, buckets);
  const out = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) out[pos[key[order[i]]]++] = order[i];
  return out;
}

export function gatherInt32(src: Int32Array, order: Int32Array): Int32Array {
  const out = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) out[i] = src[order[i]];
  return out;
}

export function gatherUint8(src: Uint8Array, order: Int32Array): Uint8Array {
  const out = new Uint8Array(order.length);
  for (let i = 0; i < order.length; i++) out[i] = src[order[i]];
  return out;
}

export function gatherFloat64(src: Float64Array, order: Int32Array): Float64Array {
  const out = new Float64Array(order.length);
  for (let i = 0; i < order.length; i++) out[i] = src[order[i]];
  return out;
}
