import type { NetworkCounts } from './sizes';

export const PART_REGULAR = 0;
export const PART_CHOKEPOINT = 1;
export const PART_RETURNABLE = 2;

/** Row counts per entity, known before any row is built (progress bars, checks). */
export interface NetworkTotals {
  suppliers: number;
  sites: number;
  parts: number;
  skus: number;
  supplies: number;
}

/** SUPPLIES edges as columns: `to >= 0` is a site index, `to < 0` is SKU `-to - 1`; `part` is -1 on edges into a SKU. */
export interface EdgeTable {
  length: number;
  from: Int32Array;
  to: Int32Array;
  part: Int32Array;
  /** Share in twentieths (multiples of 0.05), 1..20. */
  share: Uint8Array;
}
export const SHARE_UNITS = 20;

/** Hidden chokepoints: at most this many single-source sites that feed many receivers. */
export const MAX_CHOKEPOINTS = 32;

/**
 * The structure of a network in compact columns (a few bytes per row): who
 * supplies whom, where every site is, which tier it was built for. Rows are
 * built from it lazily, in batches (`planBatches`), so even the DESIGN §8
 * network never exists as a million objects unless the caller collects them.
 */
export interface NetworkPlan {
  seed: number;
  counts: NetworkCounts;
  cycles: number;
  totals: NetworkTotals;
  supplierCountry: Uint8Array;
  supplierTier: Uint8Array;
  /** Supplier index that disclosed this supplier, or -1 (the buyer's own entry). */
  supplierOwner: Int32Array;
  supplierMasked: Uint8Array;
  siteSupplier: Int32Array;
  /** The tier a site was built for; its derived tier (DESIGN §2) can be smaller when a skip-tier edge reaches it. */
  siteTier: Uint8Array;
  /** Index into SITE_KINDS (@tiersight/contracts). */
  siteKind: Uint8Array;
  siteCountry: Uint8Array;
  siteCity: Uint8Array;
  siteLat: Float64Array;
  siteLon: Float64Array;
  partTier: Uint8Array;
  partKind: Uint8Array;
  edges: EdgeTable;
}
