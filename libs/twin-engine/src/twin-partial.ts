import { TwinEngineError, TwinEngineErrorCode } from './twin-engine.error';

/** One SKU's outcomes in the samples where it was exposed, in sample order. */
export interface SkuSamples {
  /** Node index of the SKU in the projection. */
  sku: number;
  x: Float64Array;
  days: Float64Array;
  onset: Float64Array;
}

/**
 * The raw outcome of samples [fromIndex, toIndex): plain data and typed
 * arrays (structured-clonable, so a worker thread can post it back). Memory:
 * 24 bytes per (sample, exposed SKU) pair, 8 per sample for the totals and,
 * with contributions, 8 per (sample, driver). SKUs never exposed cost nothing.
 */
export interface TwinPartial {
  fromIndex: number;
  toIndex: number;
  /** Drivers (events and scenarios) by id, the order of `drops` and `presentCount`. */
  driverIds: string[];
  /** SKUs exposed in at least one sample of the range, by node index ascending. */
  skus: SkuSamples[];
  /** Total revenue at risk (exposed SKUs) per sample. */
  totals: Float64Array;
  /**
   * Driver-major: drops[k · n + i] is the total of sample fromIndex + i minus
   * the total with driver k left out (n = toIndex − fromIndex); 0 for samples
   * at or past contributionSamples, null when that is 0.
   */
  drops: Float64Array | null;
  /** Samples in which each driver was present. */
  presentCount: Int32Array;
  /**
   * Work of the contribution solves (node evaluations) and loops that hit
   * their iteration cap there; they depend on how samples were split. The
   * main solves' counters are not exposed by the engine's EventReachSolver.
   */
  evaluations: number;
  cappedComponents: number;
}

/** Append-only per-SKU columns while a range runs. */
export class SkuSampleStore {
  count = 0;
  private x: Float64Array;
  private days: Float64Array;
  private onset: Float64Array;

  /** `capacity`: a first guess (the range's length, capped), grown by doubling. */
  constructor(
    readonly sku: number,
    capacity: number,
  ) {
    this.x = new Float64Array(capacity);
    this.days = new Float64Array(capacity);
    this.onset = new Float64Array(capacity);
  }

  push(x: number, days: number, onset: number): void {
    if (this.count === this.x.length) {
      this.x = grow(this.x);
      this.days = grow(this.days);
      this.onset = grow(this.onset);
    }
    this.x[this.count] = x;
    this.days[this.count] = days;
    this.onset[this.count] = onset;
    this.count++;
  }

  finish(): SkuSamples {
    const n = this.count;
    return { sku: this.sku, x: this.x.slice(0, n), days: this.days.slice(0, n), onset: this.onset.slice(0, n) };
  }
}

function grow(a: Float64Array): Float64Array {
  const next = new Float64Array(Math.max(8, a.length * 2));
  next.set(a);
  return next;
}

/**
 * Joins partials of contiguous ranges (in any order) into one partial over
 * their union. Values are concatenated in sample order, and every statistic
 * is computed from them only at the end, so the summary does not depend on
 * how the samples were split.
 */
export function mergePartials(partials: readonly TwinPartial[]): TwinPartial {
  if (partials.length === 0) throw new TwinEngineError(TwinEngineErrorCode.IncompletePartials, 'no partials to merge');
  const sorted = [...partials].sort((a, b) => a.fromIndex - b.fromIndex);
  const first = sorted[0];
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].fromIndex !== sorted[i - 1].toIndex) {
      throw new TwinEngineError(
        TwinEngineErrorCode.IncompletePartials,
        `partials must cover one contiguous range: [${sorted[i - 1].fromIndex}, ${sorted[i - 1].toIndex}) then [${sorted[i].fromIndex}, ${sorted[i].toIndex})`,
      );
    }
    if (sorted[i].driverIds.join('\u0000') !== first.driverIds.join('\u0000') || (sorted[i].drops === null) !== (first.drops === null)) {
      throw new TwinEngineError(TwinEngineErrorCode.IncompletePartials, 'partials come from different requests');
    }
  }
  if (sorted.length === 1) return first;
  const fromIndex = first.fromIndex;
  const toIndex = sorted[sorted.length - 1].toIndex;
  const n = toIndex - fromIndex;
  const driverCount = first.driverIds.length;

  const totals = new Float64Array(n);
  const drops = first.drops === null ? null : new Float64Array(driverCount * n);
  const presentCount = new Int32Array(driverCount);
  let evaluations = 0;
  let cappedComponents = 0;
  for (const part of sorted) {
    const offset = part.fromIndex - fromIndex;
    const m = part.toIndex - part.fromIndex;
    totals.set(part.totals, offset);
    if (drops && part.drops) for (let k = 0; k < driverCount; k++) drops.set(part.drops.subarray(k * m, (k + 1) * m), k * n + offset);
    for (let k = 0; k < driverCount; k++) presentCount[k] += part.presentCount[k];
    evaluations += part.evaluations;
    cappedComponents += part.cappedComponents;
  }
  return { fromIndex, toIndex, driverIds: first.driverIds, skus: mergeSkus(sorted), totals, drops, presentCount, evaluations, cappedComponents };
}

/** Per SKU, the concatenation of its columns over the partials (already in range order). */
function mergeSkus(sorted: readonly TwinPartial[]): SkuSamples[] {
  const bySku = new Map<number, SkuSamples[]>();
  for (const part of sorted) {
    for (const s of part.skus) {
      const list = bySku.get(s.sku);
      if (list) list.push(s);
      else bySku.set(s.sku, [s]);
    }
  }
  return [...bySku.keys()]
    .sort((a, b) => a - b)
    .map((sku) => {
      const pieces = bySku.get(sku)!;
      if (pieces.length === 1) return pieces[0];
      return { sku, x: concat(pieces.map((s) => s.x)), days: concat(pieces.map((s) => s.days)), onset: concat(pieces.map((s) => s.onset)) };
    });
}

function concat(arrays: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}
