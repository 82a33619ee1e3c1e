import { compareIds, DEFAULT_EXPOSURE_THRESHOLD } from '@tiersight/risk-engine';
import { TwinEngineError, TwinEngineErrorCode } from './twin-engine.error';
import type { PiecewisePartial, SkuSamples, TwinPartial } from './twin-partial';
import { DEFAULT_HORIZON_DAYS, type TwinRequest } from './twin-request';

/** Percentiles (inverted empirical CDF: P90 is the smallest value at least 90% of samples do not exceed) and mean. */
export interface Summary {
  p10: number;
  p50: number;
  p90: number;
  mean: number;
}

/**
 * Per day t, P10, P50 and P90 of the supply ratio 1 − x over all samples (1
 * in a sample where the SKU is not short that day), on the same rule as
 * `Summary`: P10 is the ratio that 10 % of samples fall to or below, the bad
 * edge of the band.
 */
export interface SupplyRatioBand {
  p10: number[];
  p50: number[];
  p90: number[];
}

/**
 * Per day t in [0, horizon): share of samples short (o ≤ t < o + d, exposed),
 * the mean lost fraction x over all samples (0 when not short), and the
 * percentiles of the supply ratio. Plain arrays, so a result serializes to
 * JSON as it is.
 */
export interface DailyCurve {
  short: number[];
  lostFraction: number[];
  supplyRatio: SupplyRatioBand;
}

export interface SkuOutlook {
  skuId: string;
  /** Share of samples in which DESIGN §3.3 calls the SKU exposed (x ≥ threshold, d > 0). */
  probability: number;
  exposedSamples: number;
  /** dailyRevenue · x · d, over all samples (0 in a sample where the SKU is not exposed). */
  revenueAtRisk: Summary;
  /** Days short, over all samples (0 where not exposed). */
  days: Summary;
  /** Onset (time to survive), over the exposed samples only: a time to shortage is undefined where none comes. */
  onset: Summary;
  curve: DailyCurve;
}

export interface DriverContribution {
  id: string;
  kind: 'event' | 'scenario';
  /** Share of samples in which it was present (its probability, estimated). */
  presence: number;
  /** Expected total revenue at risk minus the same with it left out (same samples, same draws), over the first contributionSamples samples; null when none. */
  contribution: number | null;
}

export interface TwinResult {
  seed: number;
  samples: number;
  horizonDays: number;
  exposureThreshold: number;
  contributionSamples: number;
  /** SKUs exposed in at least one sample, by mean revenue at risk descending, then probability, then id. Others: probability 0. */
  skus: SkuOutlook[];
  /** Total revenue at risk over all SKUs per sample. */
  total: Summary;
  /** Events and scenarios by id. */
  drivers: DriverContribution[];
  /** Loops whose iteration cap was hit in a contribution solve (expected 0); a positive count means slight under-estimates there. */
  cappedComponents: number;
}

/** Turns the partial of all samples [0, samples) into the reported distributions. */
export function summarizeTwin(request: TwinRequest, partial: TwinPartial): TwinResult {
  const { skus, ...head } = partial;
  return summarizePieces(request, { ...head, pieces: skus.map((s) => [s]) });
}

/** The same from a merge that left each SKU's columns in pieces (combineTwin): they are gathered one SKU at a time into scratch columns. */
export function summarizePieces(request: TwinRequest, partial: PiecewisePartial): TwinResult {
  const n = request.samples;
  if (partial.fromIndex !== 0 || partial.toIndex !== n) {
    throw new TwinEngineError(TwinEngineErrorCode.IncompletePartials, `the partial covers [${partial.fromIndex}, ${partial.toIndex}), not all ${n} samples`);
  }
  const p = request.projection;
  const horizonDays = request.horizonDays ?? DEFAULT_HORIZON_DAYS;
  const scratch = new SummaryScratch(n);
  const curves = new CurveScratch(n, horizonDays);
  const skus = partial.pieces
    .map((pieces): SkuOutlook => {
      const s = scratch.gather(pieces);
      const count = s.x.length;
      const revenue = p.dailyRevenue[s.sku];
      const rar = scratch.revenueAtRisk.subarray(0, count);
      for (let i = 0; i < count; i++) rar[i] = revenue * s.x[i] * s.days[i];
      return {
        skuId: p.nodeIds[s.sku],
        probability: count / n,
        exposedSamples: count,
        revenueAtRisk: summarizeWith(rar, n, scratch.work),
        days: summarizeWith(s.days, n, scratch.work),
        onset: summarizeWith(s.onset, count, scratch.work),
        curve: dailyCurve(s, n, horizonDays, curves),
      };
    })
    .sort((a, b) => b.revenueAtRisk.mean - a.revenueAtRisk.mean || b.probability - a.probability || compareIds(a.skuId, b.skuId));
  const contributionSamples = partial.drops ? (request.contributionSamples ?? n) : 0;
  const scenarios = new Set((request.scenarios ?? []).map((s) => s.id));
  const drivers = partial.driverIds.map((id, k): DriverContribution => ({
    id,
    kind: scenarios.has(id) ? 'scenario' : 'event',
    presence: partial.presentCount[k] / n,
    contribution: partial.drops && contributionSamples > 0 ? mean(partial.drops.subarray(k * n, k * n + contributionSamples)) : null,
  }));
  return {
    seed: request.seed,
    samples: n,
    horizonDays,
    exposureThreshold: request.exposureThreshold ?? DEFAULT_EXPOSURE_THRESHOLD,
    contributionSamples,
    skus,
    total: summarize(partial.totals, n),
    drivers,
    cappedComponents: partial.cappedComponents,
  };
}

/** Columns reused from one SKU to the next while a result is summarized (at most n values each). */
class SummaryScratch {
  readonly revenueAtRisk: Float64Array;
  readonly work: Float64Array;
  private readonly x: Float64Array;
  private readonly days: Float64Array;
  private readonly onset: Float64Array;

  constructor(n: number) {
    this.revenueAtRisk = new Float64Array(n);
    this.work = new Float64Array(n);
    this.x = new Float64Array(n);
    this.days = new Float64Array(n);
    this.onset = new Float64Array(n);
  }

  /** One SKU's columns in sample order: the piece itself when there is one, else the pieces copied into the scratch columns. */
  gather(pieces: readonly SkuSamples[]): SkuSamples {
    if (pieces.length === 1) return pieces[0];
    let at = 0;
    for (const piece of pieces) {
      this.x.set(piece.x, at);
      this.days.set(piece.days, at);
      this.onset.set(piece.onset, at);
      at += piece.x.length;
    }
    return { sku: pieces[0].sku, x: this.x.subarray(0, at), days: this.days.subarray(0, at), onset: this.onset.subarray(0, at) };
  }
}

/**
 * Summary of `values` (non-negative, in sample order) among `n` samples, the
 * n − values.length others counting as 0. The mean sums in sample order, so
 * it is the same however the samples were split.
 */
export function summarize(values: Float64Array, n: number): Summary {
  return summarizeWith(values, n, new Float64Array(values.length));
}

/**
 * `summarize` with a scratch array (at least values.length long) for the
 * order statistics: three selections (the P50 first, then P10 below it and
 * P90 above it) instead of a sort. An order statistic is a value, whatever
 * algorithm finds it, so the bits are those of the sorted array.
 */
function summarizeWith(values: Float64Array, n: number, work: Float64Array): Summary {
  if (n === 0) return { p10: NaN, p50: NaN, p90: NaN, mean: NaN };
  const m = values.length;
  let sum = 0;
  for (let i = 0; i < m; i++) sum += values[i];
  const a = work.subarray(0, m);
  a.set(values);
  const zeros = n - m;
  // index among the listed values (ascending) of each percentile; below 0 it falls on a sample not listed, a 0
  const i10 = rankOf(0.1, n) - zeros - 1;
  const i50 = rankOf(0.5, n) - zeros - 1;
  const i90 = rankOf(0.9, n) - zeros - 1;
  const p50 = i50 < 0 ? 0 : select(a, 0, m - 1, i50);
  const p10 = i10 < 0 ? 0 : i10 === i50 ? p50 : select(a, 0, i50 < 0 ? m - 1 : i50 - 1, i10);
  const p90 = i90 < 0 ? 0 : i90 === i50 ? p50 : select(a, i50 < 0 ? 0 : i50 + 1, m - 1, i90);
  return { p10, p50, p90, mean: sum / n };
}

/**
 * The k-th smallest of a[lo..hi] (k absolute, lo ≤ k ≤ hi), found by
 * Hoare partitioning around a[k] (Wirth's FIND): afterwards a[lo..k−1] ≤ a[k]
 * ≤ a[k+1..hi], so later selections can be made within either side.
 */
function select(a: Float64Array, lo: number, hi: number, k: number): number {
  while (lo < hi) {
    const pivot = a[k];
    let i = lo;
    let j = hi;
    do {
      while (a[i] < pivot) i++;
      while (pivot < a[j]) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    } while (i <= j);
    if (j < k) lo = i;
    if (k < i) hi = j;
  }
  return a[k];
}

/** The rank (1-based, ascending) of percentile q among n samples: the inverted empirical CDF. */
function rankOf(q: number, n: number): number {
  return Math.min(n, Math.max(1, Math.ceil(q * n - 1e-9)));
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/** Per-SKU working arrays of the daily curve, reused from one SKU to the next (n samples, horizon days). */
class CurveScratch {
  /** Short on days [from, to) of the horizon. */
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly count: Float64Array;
  readonly lost: Float64Array;
  readonly sorted: Float64Array;
  readonly slot: Int32Array;
  readonly taken: Int32Array;
  readonly tree: Int32Array;
  readonly starts: DayBuckets;
  readonly stops: DayBuckets;

  constructor(n: number, horizon: number) {
    this.from = new Int32Array(n);
    this.to = new Int32Array(n);
    this.count = new Float64Array(horizon + 1);
    this.lost = new Float64Array(horizon + 1);
    this.sorted = new Float64Array(n);
    this.slot = new Int32Array(n);
    this.taken = new Int32Array(n);
    this.tree = new Int32Array(n + 1);
    this.starts = { head: new Int32Array(horizon + 2), items: new Int32Array(n), next: new Int32Array(horizon + 1) };
    this.stops = { head: new Int32Array(horizon + 2), items: new Int32Array(n), next: new Int32Array(horizon + 1) };
  }
}

/** Samples bucketed by a day: items[head[t]..head[t + 1]) are those of day t. */
interface DayBuckets {
  head: Int32Array;
  items: Int32Array;
  next: Int32Array;
}

/**
 * Day t is short in a sample when o ≤ t < o + d, i.e. t in [⌈o⌉, ⌈o + d⌉).
 * Difference arrays make it O(exposed samples + horizon); the count is
 * exact, and a day nobody is short on gets a lost fraction of exactly 0.
 */
function dailyCurve(s: SkuSamples, n: number, horizon: number, w: CurveScratch): DailyCurve {
  const { from, to, count, lost } = w;
  count.fill(0);
  lost.fill(0);
  for (let i = 0; i < s.x.length; i++) {
    const a = (from[i] = Math.max(0, Math.ceil(s.onset[i])));
    const b = (to[i] = Math.min(horizon, Math.ceil(s.onset[i] + s.days[i])));
    if (!(a < b)) continue;
    count[a] += 1;
    count[b] -= 1;
    lost[a] += s.x[i];
    lost[b] -= s.x[i];
  }
  const short = new Array<number>(horizon);
  const lostFraction = new Array<number>(horizon);
  let c = 0;
  let l = 0;
  for (let t = 0; t < horizon; t++) {
    c += count[t];
    l += lost[t];
    short[t] = c / n;
    lostFraction[t] = c === 0 ? 0 : Math.max(0, l) / n;
  }
  return { short, lostFraction, supplyRatio: supplyRatioBand(s, n, horizon, w) };
}

/**
 * The supply ratio's percentiles per day. On day t the n samples' ratios are
 * 1 − x for the samples short that day and 1 for all others, so the k-th
 * smallest ratio is 1 − the k-th largest x among the samples short that day
 * (1 when fewer than k are). A sweep over the days keeps the samples short
 * that day in a Fenwick tree over their rank in x: O(log m) per percentile
 * and day, O(m log m + horizon) for the SKU's m exposed samples (one native
 * sort, counting sorts for the days), O(m + horizon) memory, whatever n is.
 * Reads the days short (w.from, w.to) the daily curve just set.
 */
function supplyRatioBand(s: SkuSamples, n: number, horizon: number, w: CurveScratch): SupplyRatioBand {
  const band: SupplyRatioBand = { p10: new Array<number>(horizon), p50: new Array<number>(horizon), p90: new Array<number>(horizon) };
  const ranks = [rankOf(0.1, n), rankOf(0.5, n), rankOf(0.9, n)];
  const columns = [band.p10, band.p50, band.p90];
  const count = s.x.length;
  const { from, to, slot, taken, tree } = w;
  // Slots 1..count: the samples by x ascending (equal x in sample order); sorted[slot − 1] is that slot's x.
  const sorted = w.sorted.subarray(0, count);
  sorted.set(s.x);
  sorted.sort();
  taken.fill(0, 0, count);
  for (let i = 0; i < count; i++) {
    const first = lowerBound(sorted, s.x[i]);
    slot[i] = first + taken[first]++ + 1;
  }
  // The samples by first day and by day past their last (counting sorts over the horizon).
  const starts = byDay(from, to, from, count, horizon, w.starts);
  const stops = byDay(from, to, to, count, horizon, w.stops);
  tree.fill(0, 0, count + 1);
  let top = 1;
  while (top * 2 <= count) top *= 2;
  let shortCount = 0;
  for (let t = 0; t < horizon; t++) {
    const changes = starts.head[t + 1] - starts.head[t] + stops.head[t + 1] - stops.head[t];
    for (let j = starts.head[t]; j < starts.head[t + 1]; j++, shortCount++) {
      for (let k = slot[starts.items[j]]; k <= count; k += k & -k) tree[k]++;
    }
    for (let j = stops.head[t]; j < stops.head[t + 1]; j++, shortCount--) {
      for (let k = slot[stops.items[j]]; k <= count; k += k & -k) tree[k]--;
    }
    for (let q = 0; q < ranks.length; q++) {
      // the same samples short as the day before: the same ratios
      if (t > 0 && changes === 0) columns[q][t] = columns[q][t - 1];
      // the k-th largest x of those short is the (shortCount − k + 1)-th smallest slot's
      else columns[q][t] = ranks[q] > shortCount ? 1 : 1 - kthSmallest(tree, sorted, top, count, shortCount - ranks[q] + 1);
    }
  }
  return band;
}

/** The x of the k-th smallest slot counted in the Fenwick tree (top: the largest power of two ≤ count). */
function kthSmallest(tree: Int32Array, sorted: Float64Array, top: number, count: number, k: number): number {
  let at = 0;
  for (let step = top; step > 0; step >>= 1) {
    if (at + step <= count && tree[at + step] < k) {
      at += step;
      k -= tree[at];
    }
  }
  return sorted[at];
}

/** The first index of `sorted` (ascending) holding a value ≥ v. */
function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first `count` samples short on some day (from < to), bucketed by `day` in [0, horizon] into `out`. */
function byDay(from: Int32Array, to: Int32Array, day: Int32Array, count: number, horizon: number, out: DayBuckets): DayBuckets {
  const { head, items, next } = out;
  head.fill(0);
  for (let i = 0; i < count; i++) if (from[i] < to[i]) head[day[i] + 1]++;
  for (let t = 0; t <= horizon; t++) head[t + 1] += head[t];
  next.set(head.subarray(0, horizon + 1));
  for (let i = 0; i < count; i++) if (from[i] < to[i]) items[next[day[i]]++] = i;
  return out;
}
