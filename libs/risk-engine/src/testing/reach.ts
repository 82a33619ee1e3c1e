// Test helper: a naive reachability oracle for the engine's own walks. Not exported from the library.
import type { Projection } from '../projection';

/** Every node reachable from `start` over SUPPLIES edges, `start` included: a plain depth-first walk. */
export function reachableFrom(p: Projection, start: number): Set<number> {
  const seen = new Set([start]);
  const stack = [start];
  while (stack.length) {
    const v = stack.pop()!;
    for (let k = p.outStart[v]; k < p.outStart[v + 1]; k++) {
      if (!seen.has(p.outTo[k])) {
        seen.add(p.outTo[k]);
        stack.push(p.outTo[k]);
      }
    }
  }
  return seen;
}
