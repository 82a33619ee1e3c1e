/**
 * Binary min-heap of node indices keyed by their component rank. Popping in
 * rank order visits components upstream-first; a node is held at most once.
 */
export class RankHeap {
  private readonly heap: Int32Array;
  private readonly inHeap: Uint8Array;
  size = 0;

  constructor(private readonly rank: Int32Array) {
    this.heap = new Int32Array(rank.length);
    this.inHeap = new Uint8Array(rank.length);
  }

  push(v: number): void {
    if (this.inHeap[v] === 1) return;
    this.inHeap[v] = 1;
    const heap = this.heap;
    const rank = this.rank;
    const r = rank[v];
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent];
      if (rank[p] <= r) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = v;
  }

  /** Rank of the smallest element; only valid when size > 0. */
  peekRank(): number {
    return this.rank[this.heap[0]];
  }

  pop(): number {
    const heap = this.heap;
    const rank = this.rank;
    const top = heap[0];
    this.inHeap[top] = 0;
    const last = heap[--this.size];
    const n = this.size;
    if (n > 0) {
      const r = rank[last];
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && rank[heap[c + 1]] < rank[heap[c]]) c++;
        if (rank[heap[c]] >= r) break;
        heap[i] = heap[c];
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }
}
