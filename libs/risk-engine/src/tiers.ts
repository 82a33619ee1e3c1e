import type { Projection } from './projection';

/** -1 stands for "no tier" (the node supplies no SKU, directly or not). */
export const NO_TIER = -1;

export interface Tiers {
  /** Per node: 0 for SKUs, 1 + min tier of the nodes a site supplies, or NO_TIER. */
  node: Int32Array;
  /** Per supplier index: min tier of its sites, or NO_TIER. */
  supplier: Int32Array;
}

/**
 * DESIGN §2 tiers by a multi-source BFS backwards from all SKUs over
 * incoming edges: BFS distance is exactly "1 + the smallest tier among the
 * nodes it supplies", cycles included. O(n + m).
 */
export function computeTiers(projection: Projection): Tiers {
  const { nodeCount, inStart, edgeFrom, skuNodes, siteNodes, supplierOf } = projection;
  const node = new Int32Array(nodeCount).fill(NO_TIER);
  const queue = new Int32Array(nodeCount);
  let tail = 0;
  for (const sku of skuNodes) {
    node[sku] = 0;
    queue[tail++] = sku;
  }
  for (let head = 0; head < tail; head++) {
    const v = queue[head];
    const next = node[v] + 1;
    for (let e = inStart[v]; e < inStart[v + 1]; e++) {
      const u = edgeFrom[e];
      if (node[u] === NO_TIER) {
        node[u] = next;
        queue[tail++] = u;
      }
    }
  }
  const supplier = new Int32Array(projection.supplierIds.length).fill(NO_TIER);
  for (const site of siteNodes) {
    const t = node[site];
    const s = supplierOf[site];
    if (t !== NO_TIER && (supplier[s] === NO_TIER || t < supplier[s])) supplier[s] = t;
  }
  return { node, supplier };
}

/** The tier as the API shows it (null for none). */
export function tierOrNull(tiers: Int32Array, index: number): number | null {
  return tiers[index] === NO_TIER ? null : tiers[index];
}
