/**
 * Binary min-heap of node indices, smallest index first. Nodes are numbered
 * in topological order of their components, so this pops upstream first; a
 * node is held at most once.
 */
export class PriorityHeap {
  private readonly nodes: Int32Array;
  private readonly inHeap: Uint8Array;
  size = 0;

  constructor(nodeCount: number) {
    this.nodes = new Int32Array(nodeCount);
    this.inHeap = new Uint8Array(nodeCount);
  }

  push(v: number): void {
    if (this.inHeap[v] === 1) return;
    this.inHeap[v] = 1;
    const nodes = this.nodes;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = nodes[parent];
      if (p <= v) break;
      nodes[i] = p;
      i = parent;
    }
    nodes[i] = v;
  }

  /** The smallest node; only valid when size > 0. */
  peek(): number {
    return this.nodes[0];
  }

  pop(): number {
    const nodes = this.nodes;
    const top = nodes[0];
    this.inHeap[top] = 0;
    const n = --this.size;
    if (n > 0) {
      const last = nodes[n];
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        let cv = nodes[c];
        if (c + 1 < n && nodes[c + 1] < cv) cv = nodes[++c];
        if (cv >= last) break;
        nodes[i] = cv;
        i = c;
      }
      nodes[i] = last;
    }
    return top;
  }
}
