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

/** Entries per chunk of an ExposureLog: 512 KiB per Float64 column, so a range grows without copying. */
const LOG_CHUNK = 1 << 16;
const NO_SKUS = new Int32Array(0);
const NO_VALUES = new Float64Array(0);

/**
 * The exposed (SKU, sample) pairs of a range, appended in sample order: one
 * row per pair in fixed-size chunks (no per-SKU columns to allocate or
 * regrow while samples run), turned into per-SKU columns once, when the
 * range is finished.
 */
export class ExposureLog {
  private readonly skuChunks: Int32Array[] = [];
  private readonly xChunks: Float64Array[] = [];
  private readonly daysChunks: Float64Array[] = [];
  private readonly onsetChunks: Float64Array[] = [];
  private sku = NO_SKUS;
  private x = NO_VALUES;
  private days = NO_VALUES;
  private onset = NO_VALUES;
  /** Rows in the current (last) chunk. */
  private fill = LOG_CHUNK;
  /** Rows per SKU position. */
  private readonly counts: Int32Array;

  constructor(private readonly skuNodes: Int32Array) {
    this.counts = new Int32Array(skuNodes.length);
  }

  /** One exposed SKU (its position in projection.skuNodes) in the sample being run. */
  push(position: number, x: number, days: number, onset: number): void {
    if (this.fill === LOG_CHUNK) this.addChunk();
    const at = this.fill++;
    this.sku[at] = position;
    this.x[at] = x;
    this.days[at] = days;
    this.onset[at] = onset;
    this.counts[position]++;
  }

  private addChunk(): void {
    this.skuChunks.push((this.sku = new Int32Array(LOG_CHUNK)));
    this.xChunks.push((this.x = new Float64Array(LOG_CHUNK)));
    this.daysChunks.push((this.days = new Float64Array(LOG_CHUNK)));
    this.onsetChunks.push((this.onset = new Float64Array(LOG_CHUNK)));
    this.fill = 0;
  }

  /**
   * Per-SKU columns in sample order, SKUs by node index ascending: one
   * counting-sort pass into three arrays shared by all SKUs (each SKU's
   * columns are views of them, so a partial is three buffers to transfer).
   * Each chunk is released once read. The log is empty afterwards.
   */
  finish(): SkuSamples[] {
    const { counts, skuNodes } = this;
    const start = new Int32Array(counts.length + 1);
    for (let j = 0; j < counts.length; j++) start[j + 1] = start[j] + counts[j];
    const total = start[counts.length];
    const x = new Float64Array(total);
    const days = new Float64Array(total);
    const onset = new Float64Array(total);
    const next = start.slice(0, counts.length);
    for (let c = 0; c < this.skuChunks.length; c++) {
      const rows = c === this.skuChunks.length - 1 ? this.fill : LOG_CHUNK;
      const skuChunk = this.skuChunks[c];
      const xChunk = this.xChunks[c];
      const daysChunk = this.daysChunks[c];
      const onsetChunk = this.onsetChunks[c];
      for (let r = 0; r < rows; r++) {
        const at = next[skuChunk[r]]++;
        x[at] = xChunk[r];
        days[at] = daysChunk[r];
        onset[at] = onsetChunk[r];
      }
      this.skuChunks[c] = NO_SKUS;
      this.xChunks[c] = this.daysChunks[c] = this.onsetChunks[c] = NO_VALUES;
    }
    const skus: SkuSamples[] = [];
    for (let j = 0; j < counts.length; j++) {
      if (counts[j] === 0) continue;
      const from = start[j];
      const to = start[j + 1];
      skus.push({ sku: skuNodes[j], x: x.subarray(from, to), days: days.subarray(from, to), onset: onset.subarray(from, to) });
    }
    this.skuChunks.length = this.xChunks.length = this.daysChunks.length = this.onsetChunks.length = 0;
    this.sku = NO_SKUS;
    this.x = this.days = this.onset = NO_VALUES;
    this.fill = LOG_CHUNK;
    counts.fill(0);
    return skus;
  }
}

/**
 * Joins partials of contiguous ranges (in any order) into one partial over
 * their union. Values are concatenated in sample order, and every statistic
 * is computed from them only at the end, so the summary does not depend on
 * how the samples were split.
 */
export function mergePartials(partials: readonly TwinPartial[]): TwinPartial {
  const sorted = contiguous(partials);
  if (sorted.length === 1) return sorted[0];
  const { pieces, ...head } = mergeKeepingPieces(sorted);
  return { ...head, skus: pieces.map(concatPieces) };
}

/** A merged partial whose SKU columns are left in their pieces (per SKU, in range order): what a summary reads without copying them. */
export interface PiecewisePartial extends Omit<TwinPartial, 'skus'> {
  /** Per SKU exposed in any partial (node index ascending), its columns in each partial that has it, in range order. */
  pieces: SkuSamples[][];
}

/** mergePartials without concatenating the SKU columns. */
export function mergeKeepingPieces(partials: readonly TwinPartial[]): PiecewisePartial {
  const sorted = contiguous(partials);
  const first = sorted[0];
  if (sorted.length === 1) {
    const { skus, ...head } = first;
    return { ...head, pieces: skus.map((s) => [s]) };
  }
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
  return { fromIndex, toIndex, driverIds: first.driverIds, pieces: groupSkus(sorted), totals, drops, presentCount, evaluations, cappedComponents };
}

/** The partials by range, checked to cover one contiguous range and to come from one request. */
function contiguous(partials: readonly TwinPartial[]): TwinPartial[] {
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
  return sorted;
}

/** Per SKU, its columns in each partial (already in range order). */
function groupSkus(sorted: readonly TwinPartial[]): SkuSamples[][] {
  const bySku = new Map<number, SkuSamples[]>();
  for (const part of sorted) {
    for (const s of part.skus) {
      const list = bySku.get(s.sku);
      if (list) list.push(s);
      else bySku.set(s.sku, [s]);
    }
  }
  return [...bySku.keys()].sort((a, b) => a - b).map((sku) => bySku.get(sku)!);
}

function concatPieces(pieces: readonly SkuSamples[]): SkuSamples {
  if (pieces.length === 1) return pieces[0];
  return { sku: pieces[0].sku, x: concat(pieces.map((s) => s.x)), days: concat(pieces.map((s) => s.days)), onset: concat(pieces.map((s) => s.onset)) };
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
