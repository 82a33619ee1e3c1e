/**
 * Strongly connected components by Tarjan's algorithm, written with explicit
 * stacks: the projection has 300k nodes and a recursive walk would overflow
 * the JS call stack on long supply chains.
 */
export interface Condensation {
  /** Component of each node, numbered in topological order: every edge u→v has rank[u] <= rank[v]. */
  readonly compRank: Int32Array;
  /** Per component rank: 1 when it can feed itself (size > 1 or a self-loop) and needs iteration. */
  readonly compCyclic: Uint8Array;
  /** Per component rank: number of member nodes. */
  readonly compSize: Int32Array;
  readonly compCount: number;
}

/** `outStart`/`outTo` are a CSR adjacency: the successors of v are outTo[outStart[v] .. outStart[v+1]). */
export function condense(nodeCount: number, outStart: Int32Array, outTo: Int32Array): Condensation {
  const index = new Int32Array(nodeCount).fill(-1);
  const low = new Int32Array(nodeCount);
  const onStack = new Uint8Array(nodeCount);
  const stack = new Int32Array(nodeCount);
  const callNode = new Int32Array(nodeCount);
  const callEdge = new Int32Array(nodeCount);
  const emitted = new Int32Array(nodeCount); // emission order of each node's component
  const sizeByEmit: number[] = [];
  const cyclicByEmit: number[] = [];
  let sp = 0;
  let counter = 0;
  let compCount = 0;

  for (let root = 0; root < nodeCount; root++) {
    if (index[root] !== -1) continue;
    let csp = 0;
    index[root] = low[root] = counter++;
    stack[sp++] = root;
    onStack[root] = 1;
    callNode[csp] = root;
    callEdge[csp++] = outStart[root];

    while (csp > 0) {
      const v = callNode[csp - 1];
      const k = callEdge[csp - 1];
      if (k < outStart[v + 1]) {
        callEdge[csp - 1] = k + 1;
        const w = outTo[k];
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack[sp++] = w;
          onStack[w] = 1;
          callNode[csp] = w;
          callEdge[csp++] = outStart[w];
        } else if (onStack[w] === 1 && index[w] < low[v]) {
          low[v] = index[w];
        }
        continue;
      }
      csp--;
      if (low[v] === index[v]) {
        let size = 0;
        let w: number;
        do {
          w = stack[--sp];
          onStack[w] = 0;
          emitted[w] = compCount;
          size++;
        } while (w !== v);
        sizeByEmit.push(size);
        cyclicByEmit.push(size > 1 || hasSelfLoop(v, outStart, outTo) ? 1 : 0);
        compCount++;
      }
      if (csp > 0) {
        const parent = callNode[csp - 1];
        if (low[v] < low[parent]) low[parent] = low[v];
      }
    }
  }

  // Tarjan emits a component only after everything it reaches: reverse the emission order.
  const compRank = new Int32Array(nodeCount);
  for (let v = 0; v < nodeCount; v++) compRank[v] = compCount - 1 - emitted[v];
  const compCyclic = new Uint8Array(compCount);
  const compSize = new Int32Array(compCount);
  for (let c = 0; c < compCount; c++) {
    compCyclic[compCount - 1 - c] = cyclicByEmit[c];
    compSize[compCount - 1 - c] = sizeByEmit[c];
  }
  return { compRank, compCyclic, compSize, compCount };
}

function hasSelfLoop(v: number, outStart: Int32Array, outTo: Int32Array): boolean {
  for (let k = outStart[v]; k < outStart[v + 1]; k++) if (outTo[k] === v) return true;
  return false;
}
