import type { AttributionWrite } from '@tiersight/graph';
import type { AttributionCache, ReachDelta } from './attribution-cache';

/**
 * What to write so that, afterwards, every exposed SKU has one EXPOSED_TO edge
 * per active event that reaches it alone, and no other (resolved SKUs lose
 * theirs with their exposure). When the stored edges are trusted to hold
 * that for the previous run, only the changed events' edges and the newly
 * exposed SKUs' edges are written; otherwise every exposed SKU's are.
 */
export function planAttribution(
  cache: AttributionCache,
  delta: ReachDelta,
  /** `exposed`: the SKUs exposed after this run (a Set of ids, or a Map keyed by them). */
  input: { trusted: boolean; exposed: { has(skuId: string): boolean; keys(): Iterable<string> }; newlyExposed: ReadonlySet<string> },
  finite: (n: number) => number,
): AttributionWrite {
  if (!input.trusted || delta.fresh) {
    return { clearSkus: [...input.exposed.keys()], clearEvents: [], rows: cache.rows({ skuIds: input.exposed }, finite) };
  }
  const changed = new Set(delta.changed);
  const unchanged = cache.eventIds().filter((id) => !changed.has(id));
  return {
    clearSkus: [],
    clearEvents: [...delta.changed, ...delta.gone],
    rows: [
      ...cache.rows({ eventIds: delta.changed, skuIds: input.exposed }, finite),
      ...(input.newlyExposed.size ? cache.rows({ eventIds: unchanged, skuIds: input.newlyExposed }, finite) : []),
    ],
  };
}
