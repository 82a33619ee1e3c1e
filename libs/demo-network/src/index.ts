export { generateNetwork } from './generate-network';
export type { GenerateOptions } from './generate-network';
export { NETWORK_SIZES, TIER_WEIGHTS } from './sizes';
export type { NetworkCounts, NetworkSize } from './sizes';
export { writeNetworkCsv, writeNetworkJson } from './write-network';
