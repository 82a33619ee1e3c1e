import type { ImportPayload } from '@tiersight/contracts';
import { DEFAULT_BATCH_ROWS, NetworkBatch, planBatches } from './network-rows';
import { planNetwork } from './plan-network';
import type { GenerateOptions } from './sizes';

/**
 * A seeded, realistic supply network in the import format (DESIGN §7.1) that
 * passes every import rule of DESIGN §2: suppliers over real manufacturing
 * countries, sites around real industrial cities, tiers 1 to 5 by default,
 * single- and multi-sourced parts (some with a visibility gap), buffers, lead
 * times from distances, log-normal SKU revenues, provenance, suppliers
 * disclosed (some masked) by their customers, and a few hidden chokepoints.
 * Acyclic unless `cycles` asks for back edges. Same options → the same
 * network, byte for byte.
 */
export function generateNetwork(options: GenerateOptions = {}): Required<ImportPayload> {
  const network: Required<ImportPayload> = { suppliers: [], sites: [], parts: [], skus: [], supplies: [] };
  for (const batch of generateNetworkBatches(options, 50_000)) {
    const rows = network[batch.entity] as unknown[];
    for (const row of batch.rows) rows.push(row);
  }
  return network;
}

/**
 * The same network as `generateNetwork`, as batches of at most `batchSize`
 * rows (suppliers, sites, parts, SKUs, then supplies), built lazily from a
 * compact plan: the DESIGN §8 network streams to disk without a million row
 * objects in memory. Use `planNetwork` + `planBatches` to know the row counts
 * before the first batch.
 */
export function generateNetworkBatches(options: GenerateOptions = {}, batchSize = DEFAULT_BATCH_ROWS): Generator<NetworkBatch> {
  return planBatches(planNetwork(options), batchSize);
}
