import type { Projection } from './projection';
import { RankHeap } from './rank-heap';

/** Per-node state arrays (length = nodeCount). `o` is the onset (Infinity: no shortage). */
export interface SolverState {
  readonly x: Float64Array;
  readonly d: Float64Array;
  readonly o: Float64Array;
  readonly directX: Float64Array;
  readonly directD: Float64Array;
}

export function createState(nodeCount: number): SolverState {
  return {
    x: new Float64Array(nodeCount),
    d: new Float64Array(nodeCount),
    o: new Float64Array(nodeCount).fill(Infinity),
    directX: new Float64Array(nodeCount),
    directD: new Float64Array(nodeCount),
  };
}

/**
 * Inside a cycle, an increase of x smaller than this does not re-queue the
 * successors (d and onset changes always do: they take finitely many values).
 * Stricter than DESIGN's 1e-9 so that results stay within 1e-9 of the exact
 * least fixed point unless a cycle's loop gain is above ~0.999.
 */
export const CONVERGENCE_EPS = 1e-12;
/** Evaluation budget of one cyclic component, per member; see README "Termination". */
export const MAX_SWEEPS_PER_COMPONENT = 10_000;

/**
 * The propagation kernel (DESIGN §3.2). Scheduled nodes are evaluated in
 * topological order of the condensation (a heap keyed by component rank), so
 * every acyclic node is evaluated once, after all of its upstream nodes are
 * final. A cyclic component is iterated with a worklist until nothing moves.
 * Only successors reached through a *counted* edge (d_u > buffer) are
 * scheduled: the work is the disrupted cone, not the reachable one.
 *
 * Nodes never scheduled keep their state, so the caller chooses the starting
 * point: zeros for a fresh run, or a reset cone for an incremental one. Every
 * node the kernel writes is listed in `touched` (with its prior state when
 * `recordOld`), which is how callers diff and cheaply clear scratch state.
 */
export class ConeSolver {
  readonly touched: Int32Array;
  touchedCount = 0;
  readonly oldX: Float64Array;
  readonly oldD: Float64Array;
  readonly oldO: Float64Array;
  evaluations = 0;
  cappedComponents = 0;
  private readonly heap: RankHeap;
  private readonly touchedMark: Uint8Array;
  private queue = new Int32Array(0);
  private inQueue = new Uint8Array(0);
  private members = new Int32Array(0);
  private inComp = new Uint8Array(0);
  private ex = 0;
  private ed = 0;
  private eo = Infinity;
  private readonly x: Float64Array;
  private readonly d: Float64Array;
  private readonly o: Float64Array;
  private readonly directX: Float64Array;
  private readonly directD: Float64Array;
  private readonly inStart: Int32Array;
  private readonly edgeFrom: Int32Array;
  private readonly edgePart: Int32Array;
  private readonly edgeShare: Float64Array;
  private readonly edgeBuffer: Float64Array;
  private readonly edgeLead: Float64Array;
  private readonly outStart: Int32Array;
  private readonly outEdge: Int32Array;
  private readonly outTo: Int32Array;
  private readonly rank: Int32Array;
  private readonly cyclic: Uint8Array;
  private readonly compSize: Int32Array;

  constructor(p: Projection, state: SolverState, private readonly recordOld: boolean) {
    const n = p.nodeCount;
    this.heap = new RankHeap(p.compRank);
    this.touched = new Int32Array(n);
    this.touchedMark = new Uint8Array(n);
    const saved = recordOld ? n : 0;
    this.oldX = new Float64Array(saved);
    this.oldD = new Float64Array(saved);
    this.oldO = new Float64Array(saved);
    ({ x: this.x, d: this.d, o: this.o, directX: this.directX, directD: this.directD } = state);
    this.inStart = p.inStart;
    this.edgeFrom = p.edgeFrom;
    this.edgePart = p.edgePart;
    this.edgeShare = p.edgeShare;
    this.edgeBuffer = p.edgeBuffer;
    this.edgeLead = p.edgeLead;
    this.outStart = p.outStart;
    this.outEdge = p.outEdge;
    this.outTo = p.outTo;
    this.rank = p.compRank;
    this.cyclic = p.compCyclic;
    this.compSize = p.compSize;
  }

  /** Marks v as written by this run (saving its prior state once). */
  touch(v: number): void {
    if (this.touchedMark[v] === 1) return;
    this.touchedMark[v] = 1;
    const i = this.touchedCount++;
    this.touched[i] = v;
    if (this.recordOld) {
      this.oldX[i] = this.x[v];
      this.oldD[i] = this.d[v];
      this.oldO[i] = this.o[v];
    }
  }

  /** Puts v back to the bottom state (x = 0, d = 0, o = ∞) before it is re-solved. */
  reset(v: number): void {
    this.touch(v);
    this.x[v] = 0;
    this.d[v] = 0;
    this.o[v] = Infinity;
  }

  schedule(v: number): void {
    this.heap.push(v);
  }

  run(): void {
    const heap = this.heap;
    while (heap.size > 0) {
      const v = heap.pop();
      const r = this.rank[v];
      if (this.cyclic[r] === 0) this.solveSingle(v);
      else this.solveComponent(v, r);
    }
  }

  /** Forgets the touched list; with `zero`, also puts those nodes back to the bottom state. */
  clearTouched(zero: boolean): void {
    for (let i = 0; i < this.touchedCount; i++) {
      const v = this.touched[i];
      this.touchedMark[v] = 0;
      if (zero) {
        this.x[v] = 0;
        this.d[v] = 0;
        this.o[v] = Infinity;
      }
    }
    this.touchedCount = 0;
  }

  /** An acyclic node: its upstream is final, so one evaluation is exact. */
  private solveSingle(v: number): void {
    this.touch(v);
    this.evaluate(v);
    this.evaluations++;
    if (this.ex !== this.x[v] || this.ed !== this.d[v] || this.eo !== this.o[v]) {
      this.x[v] = this.ex;
      this.d[v] = this.ed;
      this.o[v] = this.eo;
      if (this.ed > 0) this.scheduleCounted(v, -1);
    }
  }

  /**
   * A cyclic component: chaotic (Gauss-Seidel) iteration of the monotone
   * update from below, which climbs to the least fixed point. Members enter
   * the worklist when scheduled or when an in-component predecessor moved.
   */
  private solveComponent(first: number, r: number): void {
    this.ensureComponentScratch();
    const { queue, inQueue, inComp, members, x, d, o, outStart, outEdge, outTo, edgeBuffer, rank, heap } = this;
    const cap = queue.length;
    let head = 0;
    let tail = 0; // ring buffer; a node is queued at most once, so n slots suffice
    let len = 0;
    inQueue[first] = 1;
    queue[tail] = first;
    tail = (tail + 1) % cap;
    len++;
    while (heap.size > 0 && heap.peekRank() === r) {
      const w = heap.pop();
      inQueue[w] = 1;
      queue[tail] = w;
      tail = (tail + 1) % cap;
      len++;
    }

    let memberCount = 0;
    let budget = MAX_SWEEPS_PER_COMPONENT * this.compSize[r];
    while (len > 0) {
      const u = queue[head];
      head = (head + 1) % cap;
      len--;
      inQueue[u] = 0;
      if (inComp[u] === 0) {
        inComp[u] = 1;
        members[memberCount++] = u;
        this.touch(u);
      }
      this.evaluate(u);
      this.evaluations++;
      const moved = this.ex - x[u] > CONVERGENCE_EPS || this.ed !== d[u] || this.eo !== o[u];
      x[u] = this.ex;
      d[u] = this.ed;
      o[u] = this.eo;
      if (moved && this.ed > 0) {
        for (let k = outStart[u]; k < outStart[u + 1]; k++) {
          const w = outTo[k];
          if (rank[w] === r && inQueue[w] === 0 && this.ed > edgeBuffer[outEdge[k]]) {
            inQueue[w] = 1;
            queue[tail] = w;
            tail = (tail + 1) % cap;
            len++;
          }
        }
      }
      if (--budget <= 0 && len > 0) {
        // Only reachable when a loop's gain is within ~1e-3 of 1: stop from below and count it.
        this.cappedComponents++;
        for (; len > 0; len--, head = (head + 1) % cap) inQueue[queue[head]] = 0;
      }
    }
    for (let i = 0; i < memberCount; i++) {
      const u = members[i];
      inComp[u] = 0;
      if (d[u] > 0) this.scheduleCounted(u, r);
    }
  }

  /** Schedules the successors that v's shortage reaches (d_v > buffer), skipping rank `skipRank`. */
  private scheduleCounted(v: number, skipRank: number): void {
    const dv = this.d[v];
    const { outStart, outEdge, outTo, edgeBuffer, rank, heap } = this;
    for (let k = outStart[v]; k < outStart[v + 1]; k++) {
      if (dv > edgeBuffer[outEdge[k]]) {
        const w = outTo[k];
        if (rank[w] !== skipRank) heap.push(w);
      }
    }
  }

  /** One application of the §3.2 update to v from the current upstream states (result in ex/ed/eo). */
  private evaluate(v: number): void {
    const { x: X, d: D, o: O, edgeFrom, edgePart, edgeShare, edgeBuffer, edgeLead } = this;
    const dx = this.directX[v];
    const hit = dx > 0;
    let x = dx;
    let d = hit ? this.directD[v] : 0;
    let o = hit ? 0 : Infinity;
    let e = this.inStart[v];
    const end = this.inStart[v + 1];
    while (e < end) {
      const part = edgePart[e];
      let sum = 0;
      let dmax = 0;
      let omin = Infinity;
      do {
        const u = edgeFrom[e];
        const b = edgeBuffer[e];
        const du = D[u];
        if (du > b) {
          sum += edgeShare[e] * X[u];
          const g = du - b;
          if (g > dmax) dmax = g;
          const t = O[u] + edgeLead[e] + b;
          if (t < omin) omin = t;
        }
        e++;
      } while (e < end && edgePart[e] === part);
      if (sum > 0) {
        const xp = sum < 1 ? sum : 1;
        if (xp > x) x = xp;
        if (dmax > d) d = dmax;
        if (!hit && omin < o) o = omin;
      }
    }
    this.ex = x;
    this.ed = d;
    this.eo = o;
  }

  private ensureComponentScratch(): void {
    if (this.queue.length > 0) return;
    const n = this.touchedMark.length;
    this.queue = new Int32Array(n);
    this.inQueue = new Uint8Array(n);
    this.members = new Int32Array(n);
    this.inComp = new Uint8Array(n);
  }
}
