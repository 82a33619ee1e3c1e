import { accumulate, updateFromAccumulators, updateFromInputs } from './node-update';
import { NodeQueue } from './node-queue';
import type { Projection } from './projection';
import type { NodeUpdate, SolverState } from './solver-state';

/**
 * Inside a loop, an increase of x smaller than this does not re-queue the
 * loop's successors (d and onset changes always do: they take finitely many
 * values). Stricter than DESIGN's 1e-9 so that results stay within 1e-9 of
 * the exact least fixed point unless a loop's gain is above ~0.999.
 */
export const CONVERGENCE_EPS = 1e-12;
/** Evaluation budget of one loop (cyclic component) per run, per member; see README "Termination". */
export const MAX_SWEEPS_PER_COMPONENT = 10_000;

export interface SolverOptions {
  /** Save each touched node's prior state (for diffs). */
  recordOld?: boolean;
  /**
   * The run starts from the bottom state everywhere, so settled nodes can push
   * their shortage into per-(receiver, part) accumulators and a node reads
   * only the inputs that carry one. Not valid for incremental runs, whose
   * unchanged upstream never pushes.
   */
  fresh?: boolean;
}

/**
 * The propagation kernel (DESIGN §3.2). Queued nodes are taken smallest index
 * first, which is topological order of the condensation (the builder numbers
 * nodes by component rank), so a node outside loops is evaluated once, after
 * all of its upstream is final. A loop (cyclic component) is iterated with a FIFO
 * worklist until nothing in it moves, then releases its downstream. Only
 * successors reached through a *counted* edge (d_u > buffer) are queued: the
 * work is the disrupted cone, not the reachable one.
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
  private readonly todo: NodeQueue;
  private readonly touchedMark: Uint8Array;
  private readonly recordOld: boolean;
  private readonly fresh: boolean;
  /** Fresh mode: 3 numbers per input group, interleaved so one update touches one cache line. */
  private readonly acc: Float64Array;
  private readonly next: NodeUpdate = { x: 0, d: 0, o: Infinity };
  private queue = new Int32Array(0);
  private inQueue = new Uint8Array(0);
  private members = new Int32Array(0);
  private inComp = new Uint8Array(0);

  constructor(
    private readonly p: Projection,
    private s: SolverState,
    options: SolverOptions = {},
  ) {
    const n = p.nodeCount;
    this.recordOld = options.recordOld === true;
    this.fresh = options.fresh === true;
    this.todo = new NodeQueue(n);
    this.touched = new Int32Array(n);
    this.touchedMark = new Uint8Array(n);
    const saved = this.recordOld ? n : 0;
    this.oldX = new Float64Array(saved);
    this.oldD = new Float64Array(saved);
    this.oldO = new Float64Array(saved);
    const groups = this.fresh ? p.groupCount : 0;
    this.acc = new Float64Array(3 * groups);
    for (let g = 0; g < groups; g++) this.acc[3 * g + 2] = Infinity;
  }

  /** Points the kernel at another state (same projection); only between runs. */
  bind(state: SolverState): void {
    this.s = state;
  }

  /** Marks v as written by this run (saving its prior state once). */
  touch(v: number): void {
    if (this.touchedMark[v] === 1) return;
    this.touchedMark[v] = 1;
    const i = this.touchedCount++;
    this.touched[i] = v;
    if (this.recordOld) {
      this.oldX[i] = this.s.x[v];
      this.oldD[i] = this.s.d[v];
      this.oldO[i] = this.s.o[v];
    }
  }

  /** Puts v back to the bottom state (x = 0, d = 0, o = ∞) before it is re-solved. */
  reset(v: number): void {
    this.touch(v);
    this.s.x[v] = 0;
    this.s.d[v] = 0;
    this.s.o[v] = Infinity;
  }

  schedule(v: number): void {
    this.todo.push(v);
  }

  run(): void {
    const { todo, p } = this;
    while (todo.size > 0) {
      const v = todo.pop();
      if (p.inLoop[v] === 0) this.solveSingle(v);
      else this.solveComponent(v, p.compRank[v], true);
    }
  }

  /** Forgets the touched list; with `zero`, also puts those nodes back to the bottom state. */
  clearTouched(zero: boolean): void {
    const { x, d, o } = this.s;
    for (let i = 0; i < this.touchedCount; i++) {
      const v = this.touched[i];
      this.touchedMark[v] = 0;
      if (zero) {
        x[v] = 0;
        d[v] = 0;
        o[v] = Infinity;
      }
    }
    this.touchedCount = 0;
  }

  /**
   * Dense mode: solves every node from the current direct impacts, in index
   * (topological) order, pulling each node's inputs. Costs O(nodes + edges)
   * whatever the cone, with sequential reads of the edge arrays and no queue:
   * cheaper than the cone walk once the disrupted cone is a good part of the
   * graph (a twin sample with a hundred events). The bits equal a fresh cone
   * run's: inputs are summed in the same order (upstream index, see the
   * builder) and a loop is iterated from the same members in the same order.
   * Overwrites the whole state, so nothing needs clearing between runs; the
   * touched list is not kept.
   */
  sweepAll(): void {
    if (this.todo.size > 0) throw new Error('sweepAll with nodes queued');
    const { p, s, next, todo } = this;
    const { inLoop, compRank, compSize, inStart, edgeFrom, edgeBuffer } = p;
    const { x, d, o } = s;
    const n = p.nodeCount;
    for (let v = 0; v < n;) {
      if (inLoop[v] === 0) {
        updateFromInputs(p, s, v, next);
        x[v] = next.x;
        d[v] = next.d;
        o[v] = next.o;
        this.evaluations++;
        v++;
        continue;
      }
      // A loop's members are consecutive. From the bottom, queue those a fresh run would: hit directly,
      // or reached by a counted edge from upstream of the loop (final by now).
      const r = compRank[v];
      const end = v + compSize[r];
      for (let u = v; u < end; u++) {
        x[u] = 0;
        d[u] = 0;
        o[u] = Infinity;
      }
      for (let u = v; u < end; u++) {
        let queued = s.directX[u] > 0;
        for (let e = inStart[u]; !queued && e < inStart[u + 1]; e++) {
          const w = edgeFrom[e];
          queued = compRank[w] !== r && d[w] > edgeBuffer[e];
        }
        if (queued) todo.push(u);
      }
      if (todo.size > 0) this.solveComponent(todo.pop(), r, false);
      v = end;
    }
  }

  /** A node outside loops: its upstream is final, so one evaluation is exact. */
  private solveSingle(v: number): void {
    const { s, next } = this;
    this.touch(v);
    if (this.fresh) updateFromAccumulators(this.p, s, this.acc, v, next);
    else updateFromInputs(this.p, s, v, next);
    this.evaluations++;
    if (next.x !== s.x[v] || next.d !== s.d[v] || next.o !== s.o[v]) {
      s.x[v] = next.x;
      s.d[v] = next.d;
      s.o[v] = next.o;
      if (next.d > 0) this.release(v, -1);
    }
  }

  /**
   * A loop: chaotic (Gauss-Seidel) iteration of the monotone update from
   * below, which climbs to the least fixed point. Members enter the FIFO when
   * queued from upstream or when an in-loop predecessor moved; the loop's
   * downstream is released once it has settled (`release`), members in index
   * order so that receivers sum their inputs in upstream-index order.
   */
  private solveComponent(first: number, r: number, release: boolean): void {
    this.ensureComponentScratch();
    const { queue, inQueue, inComp, members, todo, p, s, next } = this;
    const { outStart, outTo, outBuffer, compRank } = p;
    const cap = queue.length;
    let head = 0;
    let tail = 0; // ring buffer; a node is queued at most once at a time, so n slots suffice
    let len = 0;
    inQueue[first] = 1;
    queue[tail] = first;
    tail = (tail + 1) % cap;
    len++;
    while (todo.size > 0 && compRank[todo.peek()] === r) {
      const w = todo.pop();
      inQueue[w] = 1;
      queue[tail] = w;
      tail = (tail + 1) % cap;
      len++;
    }

    let memberCount = 0;
    let budget = MAX_SWEEPS_PER_COMPONENT * p.compSize[r];
    while (len > 0) {
      const u = queue[head];
      head = (head + 1) % cap;
      len--;
      inQueue[u] = 0;
      if (inComp[u] === 0) {
        inComp[u] = 1;
        members[memberCount++] = u;
        if (release) this.touch(u);
      }
      updateFromInputs(p, s, u, next);
      this.evaluations++;
      const moved = next.x - s.x[u] > CONVERGENCE_EPS || next.d !== s.d[u] || next.o !== s.o[u];
      s.x[u] = next.x;
      s.d[u] = next.d;
      s.o[u] = next.o;
      if (moved && next.d > 0) {
        for (let k = outStart[u]; k < outStart[u + 1]; k++) {
          const w = outTo[k];
          if (compRank[w] === r && inQueue[w] === 0 && next.d > outBuffer[k]) {
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
    if (release) members.subarray(0, memberCount).sort();
    for (let i = 0; i < memberCount; i++) {
      const u = members[i];
      inComp[u] = 0;
      if (release && s.d[u] > 0) this.release(u, r);
    }
  }

  /**
   * Queues the successors that v's settled shortage reaches (d_v > buffer),
   * except those of rank `skipRank`; in fresh mode also adds v's contribution
   * to their input accumulators (receivers in loops pull instead).
   */
  private release(v: number, skipRank: number): void {
    const { p, s, todo, acc, fresh } = this;
    const { outStart, outTo, outBuffer, compRank, inLoop } = p;
    const dv = s.d[v];
    const end = outStart[v + 1];
    for (let k = outStart[v]; k < end; k++) {
      if (!(dv > outBuffer[k])) continue;
      const w = outTo[k];
      if (skipRank !== -1 && compRank[w] === skipRank) continue;
      if (fresh && inLoop[w] === 0) accumulate(p, acc, k, s.x[v], dv, s.o[v]);
      todo.push(w);
    }
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
