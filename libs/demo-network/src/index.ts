// Public entry of @tiersight/demo-network: seeded supply networks in the import format, and their writers.
export { generateNetwork, generateNetworkBatches } from './generate-network';
export { planNetwork } from './plan-network';
export { planBatches, DEFAULT_BATCH_ROWS, CONFIRMED_BEFORE, supplierId, siteId, partId, skuId } from './network-rows';
export type { NetworkBatch } from './network-rows';
export type { NetworkPlan, NetworkTotals } from './network-plan';
export { NETWORK_SIZES, TIER_WEIGHTS, resolveOptions } from './sizes';
export type { GenerateOptions, NetworkCounts, NetworkSize } from './sizes';
export { CSV_COLUMNS, writeNetworkCsv, writeNetworkJson } from './write-network';
export type { NetworkSource } from './write-network';
