/** Per-node state arrays (length = nodeCount). `o` is the onset (Infinity: no shortage). */
export interface SolverState {
  readonly x: Float64Array;
  readonly d: Float64Array;
  readonly o: Float64Array;
  readonly directX: Float64Array;
  readonly directD: Float64Array;
}

/** The bottom state: x = 0, d = 0, o = ∞ everywhere, no direct impact. */
export function createState(nodeCount: number): SolverState {
  return {
    x: new Float64Array(nodeCount),
    d: new Float64Array(nodeCount),
    o: new Float64Array(nodeCount).fill(Infinity),
    directX: new Float64Array(nodeCount),
    directD: new Float64Array(nodeCount),
  };
}

/** The result of one node update, reused across calls (no allocation per node). */
export interface NodeUpdate {
  x: number;
  d: number;
  o: number;
}
