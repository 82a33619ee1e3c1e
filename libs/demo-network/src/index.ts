// Public entry of @tiersight/demo-network: seeded supply networks in the import format, and their writers.
export { generateNetwork } from './generate-network';
export { planNetwork } from './plan-network';
export { planBatches } from './network-rows';
export { NETWORK_SIZES } from './sizes';
export type { GenerateOptions, NetworkCounts, NetworkSize } from './sizes';
export { writeNetworkCsv, writeNetworkJson } from './write-network';
