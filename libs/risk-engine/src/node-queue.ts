/**
 * The kernel's to-do set of node indices, popped smallest first. Nodes are
 * numbered in topological order of their components, so this visits
 * upstream first. A two-level bitset: push and membership are one bit, pop
 * scans forward from the last position with a summary word per 1024 nodes,
 * so a run costs its own nodes plus a sweep of at most n / 1024 words.
 */
export class NodeQueue {
  private readonly words: Int32Array;
  private readonly summary: Int32Array;
  /** No set bit below this index. */
  private cursor: number;
  size = 0;

  constructor(nodeCount: number) {
    this.words = new Int32Array((nodeCount + 31) >>> 5);
    this.summary = new Int32Array((this.words.length + 31) >>> 5);
    this.cursor = nodeCount;
  }

  has(v: number): boolean {
    return (this.words[v >>> 5] & (1 << (v & 31))) !== 0;
  }

  push(v: number): void {
    const wi = v >>> 5;
    const bit = 1 << (v & 31);
    const w = this.words[wi];
    if ((w & bit) !== 0) return;
    if (w === 0) this.summary[wi >>> 5] |= 1 << (wi & 31);
    this.words[wi] = w | bit;
    this.size++;
    if (v < this.cursor) this.cursor = v;
  }

  /** The smallest queued node; only valid when size > 0. */
  peek(): number {
    const v = this.next();
    this.cursor = v;
    return v;
  }

  pop(): number {
    const v = this.next();
    const wi = v >>> 5;
    const w = this.words[wi] & ~(1 << (v & 31));
    this.words[wi] = w;
    if (w === 0) this.summary[wi >>> 5] &= ~(1 << (wi & 31));
    this.size--;
    this.cursor = v;
    return v;
  }

  /** First set bit at or after the cursor (size > 0 guarantees one). */
  private next(): number {
    const { words, summary } = this;
    let wi = this.cursor >>> 5;
    let w = words[wi] & (-1 << (this.cursor & 31));
    if (w === 0) {
      // next non-empty word after wi, through the summary
      let si = (wi + 1) >>> 5;
      let s = summary[si] & (-1 << ((wi + 1) & 31));
      while (s === 0) s = summary[++si];
      wi = (si << 5) + lowestBit(s);
      w = words[wi];
    }
    return (wi << 5) + lowestBit(w);
  }
}

function lowestBit(x: number): number {
  return 31 - Math.clz32(x & -x);
}
