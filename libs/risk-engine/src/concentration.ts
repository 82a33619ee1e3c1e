import { compareIds } from './critical-path';
import type { Projection } from './projection';
import { computeTiers, type Tiers } from './tiers';

/** Revenue of the SKUs that depend on some site of `country` at `tier`. */
export interface ConcentrationRow {
  tier: number;
  country: string;
  /** Σ dailyRevenue of those SKUs (each SKU counted once per row). */
  revenue: number;
  skuCount: number;
  /** revenue / total dailyRevenue of all SKUs. */
  revenueShare: number;
}

/**
 * Concentration of SKU revenue by country of tier-n sites (DESIGN §3.3).
 * A SKU *depends on* a site when the site reaches it through SUPPLIES edges
 * (any path, whatever the shares and buffers); the site's tier is its derived
 * tier (§2). A SKU counts in every (tier, country) row it depends on, so rows
 * do not add up to the total.
 *
 * Computed as reachability bitsets swept downstream in topological order of
 * the condensation, 32 (tier, country) pairs per sweep (a cycle's members
 * share one set): O((n + m) · ⌈pairs / 32⌉).
 */
export function countryConcentration(p: Projection, tiers: Tiers = computeTiers(p)): ConcentrationRow[] {
  const n = p.nodeCount;
  const pairOf = new Int32Array(n).fill(-1);
  const pairs: Array<{ tier: number; country: number }> = [];
  const pairIndex = new Map<string, number>();
  for (const site of p.siteNodes) {
    const tier = tiers.node[site];
    if (tier < 1) continue;
    const key = `${tier}:${p.countryOf[site]}`;
    let id = pairIndex.get(key);
    if (id === undefined) {
      pairIndex.set(key, (id = pairs.length));
      pairs.push({ tier, country: p.countryOf[site] });
    }
    pairOf[site] = id;
  }

  const { start, nodes } = nodesByComponent(p);
  const revenue = new Float64Array(pairs.length);
  const count = new Int32Array(pairs.length);
  const mask = new Int32Array(n);
  for (let pass = 0; pass * 32 < pairs.length; pass++) {
    mask.fill(0);
    for (let r = 0; r < p.compCount; r++) {
      let m = 0;
      for (let i = start[r]; i < start[r + 1]; i++) {
        const v = nodes[i];
        const id = pairOf[v];
        if (id >= 0 && id >> 5 === pass) m |= 1 << (id & 31);
        for (let e = p.inStart[v]; e < p.inStart[v + 1]; e++) {
          const u = p.edgeFrom[e];
          if (p.compRank[u] !== r) m |= mask[u];
        }
      }
      for (let i = start[r]; i < start[r + 1]; i++) mask[nodes[i]] = m;
    }
    for (const sku of p.skuNodes) {
      for (let m = mask[sku]; m !== 0;) {
        const low = m & -m;
        const id = pass * 32 + (31 - Math.clz32(low));
        revenue[id] += p.dailyRevenue[sku];
        count[id]++;
        m ^= low;
      }
    }
  }

  let total = 0;
  for (const sku of p.skuNodes) total += p.dailyRevenue[sku];
  return pairs
    .map(({ tier, country }, id) => ({
      tier,
      country: p.countries[country],
      revenue: revenue[id],
      skuCount: count[id],
      revenueShare: total > 0 ? revenue[id] / total : 0,
    }))
    .filter((row) => row.skuCount > 0)
    .sort((a, b) => a.tier - b.tier || b.revenue - a.revenue || compareIds(a.country, b.country));
}

/** Nodes grouped by component, components in topological order (counting sort on rank). */
export function nodesByComponent(p: Projection): { start: Int32Array; nodes: Int32Array } {
  const start = new Int32Array(p.compCount + 1);
  for (let v = 0; v < p.nodeCount; v++) start[p.compRank[v] + 1]++;
  for (let r = 0; r < p.compCount; r++) start[r + 1] += start[r];
  const pos = start.slice(0, p.compCount);
  const nodes = new Int32Array(p.nodeCount);
  for (let v = 0; v < p.nodeCount; v++) nodes[pos[p.compRank[v]]++] = v;
  return { start, nodes };
}
