import type { Projection } from './projection';
import { PriorityHeap } from './priority-heap';

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
 * Inside a loop, an increase of x smaller than this does not re-queue the
 * loop's successors (d and onset changes always do: they take finitely many
 * values). Stricter than DESIGN's 1e-9 so that results stay within 1e-9 of
 * the exact least fixed point unless a loop's gain is above ~0.999.
 */
export const CONVERGENCE_EPS = 1e-12;
/** Evaluation budget of one loop (cyclic component) per run, per member; see README "Termination". */
export const MAX_SWEEPS_PER_COMPONENT = 10_000;

/**
 * The propagation kernel (DESIGN §3.2). Queued nodes are taken in
 * topological order of the condensation (a heap on node index: the builder
 * numbers nodes by component rank), so
 * a node outside loops is evaluated once, after all of its upstream is final.
 * A loop (cyclic component) is iterated with a FIFO worklist until nothing in
 * it moves, then releases its downstream. Only successors reached through a
 * *counted* edge (d_u > buffer) are queued: the work is the disrupted cone,
 * not the reachable one.
 *
 * Nodes never queued keep their state, so the caller chooses the starting
 * point: zeros for a fresh run, the current state when impacts only grew, a
 * reset cone when some dropped. Every node the kernel writes is listed in
 * `touched` (with its prior state when `recordOld`), which is how callers
 * diff and cheaply clear scratch state.
 */
export class ConeSolver {
  readonly touched: Int32Array;
  touchedCount = 0;
  readonly oldX: Float64Array;
  readonly oldD: Float64Array;
  readonly oldO: Float64Array;
  evaluations = 0;
  cappedComponents = 0;
  private readonly heap: PriorityHeap;
  private readonly touchedMark: Uint8Array;
  private queue = new Int32Array(0);
  private inQueue = new Uint8Array(0);
  private members = new Int32Array(0);
  private inComp = new Uint8Array(0);
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
  private readonly outBuffer: Float64Array;
  private readonly outTo: Int32Array;
  private readonly rank: Int32Array;
  private readonly cyclic: Uint8Array;
  private readonly compSize: Int32Array;
  private readonly outShare: Float64Array;
  private readonly outLead: Float64Array;
  private readonly outGroup: Int32Array;
  private readonly groupStart: Int32Array;
  private readonly recordOld: boolean;
  private readonly fresh: boolean;
  private readonly accSum: Float64Array;
  private readonly accDmax: Float64Array;
  private readonly accOmin: Float64Array;
  private ex = 0;
  private ed = 0;
  private eo = Infinity;

  /**
   * `recordOld`: save each touched node's prior state (for diffs).
   * `fresh`: the run starts from the bottom state everywhere, so inputs can be
   * pushed downstream into per-(receiver, part) accumulators instead of being
   * pulled from every in-edge — a node then reads only the edges that carry a
   * shortage. Not valid for incremental runs, whose unchanged upstream is never pushed.
   */
  constructor(p: Projection, state: SolverState, options: { recordOld?: boolean; fresh?: boolean } = {}) {
    const n = p.nodeCount;
    this.recordOld = options.recordOld === true;
    this.fresh = options.fresh === true;
    const recordOld = this.recordOld;
    this.heap = new PriorityHeap(n);
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
    this.outBuffer = p.outBuffer;
    this.outTo = p.outTo;
    this.rank = p.compRank;
    this.cyclic = p.compCyclic;
    this.compSize = p.compSize;
    this.outShare = p.outShare;
    this.outLead = p.outLead;
    this.outGroup = p.outGroup;
    this.groupStart = p.groupStart;
    const groups = this.fresh ? p.groupCount : 0;
    this.accSum = new Float64Array(groups);
    this.accDmax = new Float64Array(groups);
    this.accOmin = new Float64Array(groups).fill(Infinity);
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

  /** A node outside loops: its upstream is final, so one evaluation is exact. */
  private solveSingle(v: number): void {
    this.touch(v);
    if (this.fresh) this.evaluateAccumulated(v);
    else this.evaluate(v);
    this.evaluations++;
    if (this.ex !== this.x[v] || this.ed !== this.d[v] || this.eo !== this.o[v]) {
      this.x[v] = this.ex;
      this.d[v] = this.ed;
      this.o[v] = this.eo;
      if (this.ed > 0) this.release(v, -1);
    }
  }

  /**
   * A loop: chaotic (Gauss-Seidel) iteration of the monotone update from
   * below, which climbs to the least fixed point. Members enter the FIFO when
   * queued from upstream or when an in-loop predecessor moved; the loop's
   * downstream is released once it has settled.
   */
  private solveComponent(first: number, r: number): void {
    this.ensureComponentScratch();
    const { queue, inQueue, inComp, members, x, d, o, outStart, outTo, outBuffer, rank, heap } = this;
    const cap = queue.length;
    let head = 0;
    let tail = 0; // ring buffer; a node is queued at most once at a time, so n slots suffice
    let len = 0;
    inQueue[first] = 1;
    queue[tail] = first;
    tail = (tail + 1) % cap;
    len++;
    while (heap.size > 0 && rank[heap.peek()] === r) {
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
          if (rank[w] === r && inQueue[w] === 0 && this.ed > outBuffer[k]) {
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
      if (d[u] > 0) this.release(u, r);
    }
  }

  /**
   * Queues the successors that v's (final) shortage reaches, d_v > buffer,
   * except those of rank `skipRank`; in fresh mode also adds v's contribution
   * to their input accumulators (receivers in loops pull instead).
   */
  private release(v: number, skipRank: number): void {
    const dv = this.d[v];
    const xv = this.x[v];
    const ov = this.o[v];
    const { outStart, outTo, outBuffer, rank, cyclic, heap, fresh, outGroup, outShare, outLead, accSum, accDmax, accOmin } = this;
    for (let k = outStart[v]; k < outStart[v + 1]; k++) {
      const b = outBuffer[k];
      if (!(dv > b)) continue;
      const w = outTo[k];
      const rw = rank[w];
      if (rw === skipRank) continue;
      if (fresh && cyclic[rw] === 0) {
        const g = outGroup[k];
        accSum[g] += outShare[k] * xv;
        const gap = dv - b;
        if (gap > accDmax[g]) accDmax[g] = gap;
        const t = ov + outLead[k] + b;
        if (t < accOmin[g]) accOmin[g] = t;
      }
      heap.push(w);
    }
  }

  /** Fresh mode, a node outside loops: the §3.2 update from its accumulators, which it then clears. */
  private evaluateAccumulated(v: number): void {
    const { accSum, accDmax, accOmin } = this;
    const dx = this.directX[v];
    const hit = dx > 0;
    let x = dx;
    let d = hit ? this.directD[v] : 0;
    let o = hit ? 0 : Infinity;
    for (let g = this.groupStart[v]; g < this.groupStart[v + 1]; g++) {
      const sum = accSum[g];
      if (sum > 0) {
        const xp = sum < 1 ? sum : 1;
        if (xp > x) x = xp;
        if (accDmax[g] > d) d = accDmax[g];
        if (!hit && accOmin[g] < o) o = accOmin[g];
      }
      accSum[g] = 0;
      accDmax[g] = 0;
      accOmin[g] = Infinity;
    }
    this.ex = x;
    this.ed = d;
    this.eo = o;
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
