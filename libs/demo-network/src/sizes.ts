export type NetworkSize = 'demo' | 'small' | 'medium' | 'large';

export interface NetworkCounts {
  suppliers: number;
  sites: number;
  skus: number;
  /** SUPPLIES edges, exactly (cycle edges included). */
  edges: number;
  /** Deepest tier of sites (tier-1 sites ship the SKUs). */
  tiers: number;
}

/** `large` is the DESIGN §8 figure network. */
export const NETWORK_SIZES: Readonly<Record<NetworkSize, Readonly<NetworkCounts>>> = {
  demo: { suppliers: 200, sites: 450, skus: 60, edges: 1_500, tiers: 5 },
  small: { suppliers: 2_000, sites: 5_000, skus: 500, edges: 20_000, tiers: 5 },
  medium: { suppliers: 20_000, sites: 50_000, skus: 5_000, edges: 200_000, tiers: 5 },
  large: { suppliers: 100_000, sites: 250_000, skus: 50_000, edges: 1_000_000, tiers: 5 },
};

/** Share of suppliers whose sites sit at each tier, tier 1 first; tiers beyond the list share its last weight. */
export const TIER_WEIGHTS: readonly number[] = [0.12, 0.23, 0.3, 0.22, 0.13];

export interface GenerateOptions {
  size?: NetworkSize;
  /** 0 to 2^32 - 1; 42 by default. */
  seed?: number;
  /** Overrides of the size's counts. */
  counts?: Partial<NetworkCounts>;
  /** Back edges (two suppliers trading parts) that close that many cycles; 0 by default, so the network is acyclic. */
  cycles?: number;
}

export interface ResolvedOptions {
  seed: number;
  counts: NetworkCounts;
  cycles: number;
}

/** Fills defaults and rejects options no network can satisfy, with a message naming the option. */
export function resolveOptions(options: GenerateOptions = {}): ResolvedOptions {
  const size = options.size ?? 'demo';
  if (!Object.hasOwn(NETWORK_SIZES, size)) throw new RangeError(`size must be one of ${Object.keys(NETWORK_SIZES).join(', ')}`);
  const counts = { ...NETWORK_SIZES[size], ...options.counts };
  const seed = options.seed ?? 42;
  const cycles = options.cycles ?? 0;
  const whole = (name: string, v: number, min: number, max = 10_000_000) => {
    if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`${name} must be a whole number from ${min} to ${max}, not ${v}`);
  };
  whole('seed', seed, 0, 0xffffffff);
  whole('cycles', cycles, 0);
  whole('tiers', counts.tiers, 2, 12);
  whole('suppliers', counts.suppliers, 1);
  whole('sites', counts.sites, Math.max(counts.suppliers, counts.tiers));
  whole('skus', counts.skus, 1);
  whole('edges', counts.edges, counts.skus + cycles, 50_000_000);
  return { seed, counts, cycles };
}
