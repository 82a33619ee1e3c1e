import { EdgeTable, MAX_CHOKEPOINTS, PART_CHOKEPOINT, PART_RETURNABLE, SHARE_UNITS } from './network-plan';
import { cumulative, Prng } from './prng';
import type { NetworkCounts } from './sizes';

// Module-level aliases of Math: hot loops, and Jest's sandbox makes each global lookup slow (see prng.ts).
const { ceil, floor, max, min, round, sqrt } = Math;

/** What the edge planner reads and completes (part columns have room for the parts it adds). */
export interface Structure {
  supplierTier: Uint8Array;
  supplierOwner: Int32Array;
  supplierMasked: Uint8Array;
  siteSupplier: Int32Array;
  siteTier: Uint8Array;
  siteCountry: Uint8Array;
  sitePart: Int32Array;
  partTier: Uint8Array;
  partKind: Uint8Array;
  partCount: number;
}

/** Splits `total` twentieths over `n` sources, the main source first; every share ≥ 1/20 and the sum is exactly `total`. */
function split(rng: Prng, n: number, total: number): number[] {
  if (n === 1) return [total];
  const a = rng.int(ceil(total / n), total - (n - 1));
  if (n === 2) return [a, total - a];
  const rest = total - a;
  const b = rng.int(ceil(rest / 2), rest - 1);
  return [a, b, rest - b];
}

const clamp = (v: number, lo: number, hi: number) => max(lo, min(hi, v));

/**
 * Plans exactly `counts.edges` SUPPLIES edges, acyclic unless `cycles` > 0:
 * every SKU made by one to three tier-1 sites; every deeper site shipping its
 * part to at least one site one tier up; a few chokepoints (a tier-3 site,
 * sole source of a specialty part, feeding many tier-2 sites); then more
 * inputs, single- or multi-sourced, with shares that sometimes leave a
 * visibility gap; then the back edges; then which suppliers were disclosed by
 * one of their customers.
 */
export function planEdges(seed: number, counts: NetworkCounts, cycles: number, s: Structure): { table: EdgeTable; partCount: number } {
  const rng = Prng.stream(seed, 4);
  const size = counts.edges;
  const table: EdgeTable = { length: 0, from: new Int32Array(size), to: new Int32Array(size), part: new Int32Array(size), share: new Uint8Array(size) };
  const push = (from: number, to: number, part: number, share: number) => {
    const i = table.length++;
    table.from[i] = from;
    table.to[i] = to;
    table.part[i] = part;
    table.share[i] = share;
  };
  const budget = size - cycles;
  const left = () => budget - table.length;
  let partCount = s.partCount;
  const newPart = (tier: number, kind: number) => {
    s.partTier[partCount] = tier;
    s.partKind[partCount] = kind;
    return partCount++;
  };

  const byTier: number[][] = Array.from({ length: counts.tiers + 1 }, () => []);
  s.siteTier.forEach((t, i) => byTier[t].push(i));
  // Trade is partly regional: sites of a tier by country, to pick a nearby partner now and then.
  const local = new Map<number, number[]>();
  s.siteTier.forEach((t, i) => {
    const key = t * 256 + s.siteCountry[i];
    const list = local.get(key);
    if (list) list.push(i);
    else local.set(key, [i]);
  });
  /** A site of `tier`, in the country of site `near` 40% of the time when there is one. */
  const partner = (tier: number, near: number) => {
    const list = rng.chance(0.4) ? local.get(tier * 256 + s.siteCountry[near]) : undefined;
    return rng.pick(list ?? byTier[tier]);
  };

  // Chokepoints: their specialty part has no other source.
  const chokeTier = min(3, counts.tiers);
  const chokepoints = shuffledPrefix(rng, byTier[chokeTier], clamp(round(sqrt(counts.sites) / 50), 2, MAX_CHOKEPOINTS));
  for (const v of chokepoints) s.sitePart[v] = newPart(chokeTier, PART_CHOKEPOINT);

  // Sources of each part (compressed rows).
  const sourceStart = new Int32Array(partCount + 1);
  for (const p of s.sitePart) if (p >= 0) sourceStart[p + 1]++;
  for (let p = 0; p < partCount; p++) sourceStart[p + 1] += sourceStart[p];
  const sources = new Int32Array(sourceStart[partCount]);
  const fill = sourceStart.slice(0, partCount);
  s.sitePart.forEach((p, v) => p >= 0 && (sources[fill[p]++] = v));

  const partStride = s.partTier.length;
  const taken = new Set<number>(); // receiver * partStride + part: one input group per (receiver, part)
  const groupSizes = cumulative([0.45, 0.4, 0.15]);
  /** One input of `receiver`: `part` from one to three of its sources (`required` among them); returns the edges added. */
  const group = (receiver: number, part: number, required = -1): number => {
    const key = receiver * partStride + part;
    if (taken.has(key)) return 0;
    const start = sourceStart[part];
    const pool = sourceStart[part + 1] - start;
    const n = min(rng.weighted(groupSizes) + 1, pool, left());
    if (n <= 0) return 0;
    taken.add(key);
    const chosen = required >= 0 ? [required] : [];
    while (chosen.length < n) {
      const v = sources[start + rng.index(pool)];
      if (!chosen.includes(v)) chosen.push(v);
    }
    const shares = split(rng, n, rng.chance(0.78) ? SHARE_UNITS : rng.int(max(n, 12), SHARE_UNITS - 1));
    chosen.forEach((v, k) => push(v, receiver, part, shares[k]));
    return n;
  };

  planSkuEdges(rng, counts, byTier[1], budget, push);

  // Each chokepoint is the single source (share 1) of its part for many tier-2 sites.
  const fanOut = clamp(round(byTier[chokeTier - 1].length / 25), 6, 400);
  for (const v of chokepoints) {
    for (const receiver of shuffledPrefix(rng, byTier[chokeTier - 1], fanOut)) {
      if (left() <= 0) break;
      taken.add(receiver * partStride + s.sitePart[v]);
      push(v, receiver, s.sitePart[v], SHARE_UNITS);
    }
  }

  // Coverage: every site of tier ≥ 2 ships to at least one site one tier up.
  for (let t = 2; t <= counts.tiers && left() > 0; t++) {
    for (const v of byTier[t]) {
      for (let tries = 0; tries < 6 && left() > 0; tries++) if (group(partner(t - 1, v), s.sitePart[v], v) > 0) break;
    }
  }

  // More inputs, mostly from the next tier, now and then from two tiers deeper; upper tiers receive more.
  // The part comes from a site of the receiver's country 40% of the time (its other sources may be abroad).
  const receiverTiers = cumulative(Array.from({ length: counts.tiers - 1 }, (_, k) => byTier[k + 1].length * (counts.tiers - k - 1)));
  let misses = 0;
  while (left() > 0) {
    const r = rng.weighted(receiverTiers) + 1;
    const from = r + 2 <= counts.tiers && rng.chance(0.03) ? r + 2 : r + 1;
    const receiver = rng.pick(byTier[r]);
    if (group(receiver, s.sitePart[partner(from, receiver)]) === 0 && ++misses > 10_000 + 20 * budget) {
      throw new RangeError(`cannot place ${counts.edges} edges between ${counts.sites} sites: add sites or ask for fewer edges`);
    }
  }

  // Cycles: the receiver of a site-to-site edge ships a returnable part back to its supplier.
  const acyclic = table.length;
  for (let c = 0; c < cycles; c++) {
    let e = rng.index(acyclic);
    for (let tries = 0; table.to[e] < 0 && tries < 10_000; tries++) e = rng.index(acyclic);
    if (table.to[e] < 0) throw new RangeError('cycles need site-to-site edges to reverse');
    push(table.to[e], table.from[e], newPart(s.siteTier[table.to[e]], PART_RETURNABLE), SHARE_UNITS);
  }

  // About 5% of suppliers were disclosed by a customer of theirs one tier or more closer to the buyer.
  const wanted = round(counts.suppliers * 0.05);
  for (let tries = 0, disclosed = 0; disclosed < wanted && tries < 20 * wanted + 100; tries++) {
    const e = rng.index(acyclic);
    if (table.to[e] < 0) continue;
    const upstream = s.siteSupplier[table.from[e]];
    const customer = s.siteSupplier[table.to[e]];
    if (s.supplierOwner[upstream] >= 0 || s.supplierTier[customer] >= s.supplierTier[upstream]) continue;
    s.supplierOwner[upstream] = customer;
    s.supplierMasked[upstream] = rng.chance(0.35) ? 1 : 0;
    disclosed++;
  }
  return { table, partCount };
}

/**
 * Makers of every SKU: one tier-1 site (70%), two (25%) or three (5%), shares
 * summing to 1; every tier-1 site ships at least one SKU when there are
 * enough SKU inputs for it. The part of an edge into a SKU is the SKU itself.
 */
function planSkuEdges(
  rng: Prng,
  counts: NetworkCounts,
  tier1: number[],
  budget: number,
  push: (from: number, to: number, part: number, share: number) => void,
) {
  const most = min(3, tier1.length);
  const makers = new Uint8Array(counts.skus);
  let total = 0;
  for (let k = 0; k < counts.skus; k++) {
    const r = rng.next();
    total += makers[k] = min(most, r < 0.7 ? 1 : r < 0.95 ? 2 : 3);
  }
  for (let tries = 0; total < tier1.length && total < counts.skus * most && tries < 100 * counts.skus; tries++) {
    const k = rng.index(counts.skus);
    if (makers[k] < most) {
      makers[k]++;
      total++;
    }
  }
  const cap = max(counts.skus, floor(budget * 0.5));
  for (let k = 0; total > cap && k < counts.skus; k++) {
    while (makers[k] > 1 && total > cap) {
      makers[k]--;
      total--;
    }
  }
  const order = shuffledPrefix(rng, tier1, tier1.length);
  let cursor = 0;
  for (let k = 0; k < counts.skus; k++) {
    const chosen: number[] = [];
    while (chosen.length < makers[k]) {
      const v = cursor < order.length ? order[cursor++] : rng.pick(tier1);
      if (!chosen.includes(v)) chosen.push(v);
    }
    const shares = split(rng, chosen.length, SHARE_UNITS);
    chosen.forEach((v, m) => push(v, -k - 1, -1, shares[m]));
  }
}

/** The first `n` items of a seeded shuffle of `items` (partial Fisher–Yates on a copy). */
function shuffledPrefix(rng: Prng, items: readonly number[], n: number): number[] {
  const copy = items.slice();
  const count = min(n, copy.length);
  for (let i = 0; i < count; i++) {
    const j = i + rng.index(copy.length - i);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, count);
}
