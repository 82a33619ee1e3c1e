export type NetworkSize = 'demo' | 'small' | 'medium' | 'large';

export interface NetworkCounts {
  suppliers: number;
  sites: number;
  skus: number;
  edges: number;
  /** Deepest tier of sites (tier 1 ships SKUs). */
  tiers: number;
}

/** `large` is the DESIGN §8 figure network. */
export const NETWORK_SIZES: Record<NetworkSize, NetworkCounts> = {
  demo: { suppliers: 200, sites: 450, skus: 60, edges: 1_500, tiers: 5 },
  small: { suppliers: 2_000, sites: 5_000, skus: 500, edges: 20_000, tiers: 5 },
  medium: { suppliers: 20_000, sites: 50_000, skus: 5_000, edges: 200_000, tiers: 5 },
  large: { suppliers: 100_000, sites: 250_000, skus: 50_000, edges: 1_000_000, tiers: 5 },
};

/** Share of sites at each tier, tier 1 first. */
export const TIER_WEIGHTS = [0.12, 0.23, 0.3, 0.22, 0.13];
