import type { Projection } from './projection';

export interface SkuCoverage {
  skuId: string;
  /** byDepth[k − 1] = mapped share of the SKU's inputs traced k levels up, in [0, 1]. */
  byDepth: number[];
}

export interface CoverageReport {
  maxDepth: number;
  skus: SkuCoverage[];
  /** Per depth, the dailyRevenue-weighted mean over SKUs (plain mean when all revenue is 0). */
  revenueWeighted: number[];
}

/**
 * Map coverage (DESIGN §3.3), defined level by level:
 *   cov_0(v) = 1 for every node;
 *   cov_k(r) = mean over r's input parts p of min(1, Σ_{e ∈ E(r,p)} s_e · cov_{k−1}(u_e)),
 *   and cov_k(r) = 0 when r has no mapped input at all (k >= 1).
 * So depth 1 is the average mapped share of the SKU's own inputs, and depth k
 * is the fraction of the input volume traced k hops up without meeting an
 * unmapped share or a site with no mapped inputs (each part weighted
 * equally at each level). Depth counts hops, not derived tiers. O(maxDepth · (n + m)).
 */
export function mapCoverage(p: Projection, maxDepth = 3): CoverageReport {
  let prev = new Float64Array(p.nodeCount).fill(1);
  const perSku = p.skuNodes.length;
  const table: Float64Array[] = [];
  for (let k = 1; k <= maxDepth; k++) {
    const cur = new Float64Array(p.nodeCount);
    for (let v = 0; v < p.nodeCount; v++) {
      const end = p.inStart[v + 1];
      let e = p.inStart[v];
      let parts = 0;
      let total = 0;
      while (e < end) {
        const part = p.edgePart[e];
        let sum = 0;
        for (; e < end && p.edgePart[e] === part; e++) sum += p.edgeShare[e] * prev[p.edgeFrom[e]];
        total += sum < 1 ? sum : 1;
        parts++;
      }
      cur[v] = parts === 0 ? 0 : total / parts;
    }
    const level = new Float64Array(perSku);
    for (let i = 0; i < perSku; i++) level[i] = cur[p.skuNodes[i]];
    table.push(level);
    prev = cur;
  }

  let revenue = 0;
  for (const sku of p.skuNodes) revenue += p.dailyRevenue[sku];
  const revenueWeighted = table.map((level) => {
    if (perSku === 0) return 0;
    let acc = 0;
    for (let i = 0; i < perSku; i++) acc += level[i] * (revenue > 0 ? p.dailyRevenue[p.skuNodes[i]] : 1);
    return acc / (revenue > 0 ? revenue : perSku);
  });
  const skus = Array.from(p.skuNodes, (sku, i) => ({ skuId: p.nodeIds[sku], byDepth: table.map((level) => level[i]) }));
  return { maxDepth, skus, revenueWeighted };
}
