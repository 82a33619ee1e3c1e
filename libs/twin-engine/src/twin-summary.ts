import { compareIds, DEFAULT_EXPOSURE_THRESHOLD } from '@tiersight/risk-engine';
import { TwinEngineError, TwinEngineErrorCode } from './twin-engine.error';
import type { SkuSamples, TwinPartial } from './twin-partial';
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
  const n = request.samples;
  if (partial.fromIndex !== 0 || partial.toIndex !== n) {
    throw new TwinEngineError(TwinEngineErrorCode.IncompletePartials, `the partial covers [${partial.fromIndex}, ${partial.toIndex}), not all ${n} samples`);
  }
  const p = request.projection;
  const horizonDays = request.horizonDays ?? DEFAULT_HORIZON_DAYS;
  const skus = partial.skus
    .map((s): SkuOutlook => {
      const count = s.x.length;
      const revenue = p.dailyRevenue[s.sku];
      const rar = s.x.map((x, i) => revenue * x * s.days[i]);
      return {
        skuId: p.nodeIds[s.sku],
        probability: count / n,
        exposedSamples: count,
        revenueAtRisk: summarize(rar, n),
        days: summarize(s.days, n),
        onset: summarize(s.onset, count),
        curve: { ...dailyCurve(s, n, horizonDays), supplyRatio: supplyRatioBand(s, n, horizonDays) },
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

/**
 * Summary of `values` (non-negative, in sample order) among `n` samples, the
 * n − values.length others counting as 0. The mean sums in sample order, so
 * it is the same however the samples were split.
 */
export function summarize(values: Float64Array, n: number): Summary {
  if (n === 0) return { p10: NaN, p50: NaN, p90: NaN, mean: NaN };
  const sorted = values.slice().sort();
  const zeros = n - sorted.length;
  const at = (q: number) => {
    const rank = rankOf(q, n);
    return rank <= zeros ? 0 : sorted[rank - zeros - 1];
  };
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return { p10: at(0.1), p50: at(0.5), p90: at(0.9), mean: sum / n };
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

/**
 * Day t is short in a sample when o ≤ t < o + d, i.e. t in [⌈o⌉, ⌈o + d⌉).
 * Difference arrays make it O(exposed samples + horizon); the count is
 * exact, and a day nobody is short on gets a lost fraction of exactly 0.
 */
function dailyCurve(s: SkuSamples, n: number, horizon: number): Omit<DailyCurve, 'supplyRatio'> {
  const count = new Float64Array(horizon + 1);
  const lost = new Float64Array(horizon + 1);
  for (let i = 0; i < s.x.length; i++) {
    const from = Math.max(0, Math.ceil(s.onset[i]));
    const to = Math.min(horizon, Math.ceil(s.onset[i] + s.days[i]));
    if (!(from < to)) continue;
    count[from] += 1;
    count[to] -= 1;
    lost[from] += s.x[i];
    lost[to] -= s.x[i];
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
  return { short, lostFraction };
}

/**
 * The supply ratio's percentiles per day. On day t the n samples' ratios are
 * 1 − x for the samples short that day and 1 for all others, so the k-th
 * smallest ratio is 1 − the k-th largest x among the samples short that day
 * (1 when fewer than k are). A sweep over the days keeps the samples short
 * that day in a Fenwick tree over their rank in x: O(log m) per percentile
 * and day, O(m log m + horizon) for the SKU's m exposed samples (one native
 * sort, counting sorts for the days), O(m + horizon) memory, whatever n is.
 */
function supplyRatioBand(s: SkuSamples, n: number, horizon: number): SupplyRatioBand {
  const band: SupplyRatioBand = { p10: new Array<number>(horizon), p50: new Array<number>(horizon), p90: new Array<number>(horizon) };
  const ranks = [rankOf(0.1, n), rankOf(0.5, n), rankOf(0.9, n)];
  const columns = [band.p10, band.p50, band.p90];
  const count = s.x.length;
  // Short on days [from, to) of the horizon, as the daily curve counts them.
  const from = new Int32Array(count);
  const to = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    from[i] = Math.max(0, Math.ceil(s.onset[i]));
    to[i] = Math.min(horizon, Math.ceil(s.onset[i] + s.days[i]));
  }
  // Slots 1..count: the samples by x ascending (equal x in sample order); sorted[slot − 1] is that slot's x.
  const sorted = s.x.slice().sort();
  const slot = new Int32Array(count);
  const taken = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const first = lowerBound(sorted, s.x[i]);
    slot[i] = first + taken[first]++ + 1;
  }
  // The samples by first day and by day past their last (counting sorts over the horizon).
  const starts = byDay(from, to, from, horizon);
  const stops = byDay(from, to, to, horizon);
  const tree = new Int32Array(count + 1);
  const add = (k: number, delta: number) => {
    for (; k <= count; k += k & -k) tree[k] += delta;
  };
  let top = 1;
  while (top * 2 <= count) top *= 2;
  /** The x of the k-th smallest slot among the samples short that day. */
  const kthSmallest = (k: number) => {
    let at = 0;
    for (let step = top; step > 0; step >>= 1) {
      if (at + step <= count && tree[at + step] < k) {
        at += step;
        k -= tree[at];
      }
    }
    return sorted[at];
  };
  let shortCount = 0;
  for (let t = 0; t < horizon; t++) {
    const changes = starts.head[t + 1] - starts.head[t] + stops.head[t + 1] - stops.head[t];
    for (let j = starts.head[t]; j < starts.head[t + 1]; j++, shortCount++) add(slot[starts.items[j]], 1);
    for (let j = stops.head[t]; j < stops.head[t + 1]; j++, shortCount--) add(slot[stops.items[j]], -1);
    for (let q = 0; q < ranks.length; q++) {
      // the same samples short as the day before: the same ratios
      if (t > 0 && changes === 0) columns[q][t] = columns[q][t - 1];
      // the k-th largest x of those short is the (shortCount − k + 1)-th smallest
      else columns[q][t] = ranks[q] > shortCount ? 1 : 1 - kthSmallest(shortCount - ranks[q] + 1);
    }
  }
  return band;
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

/** The samples short on some day (from < to), bucketed by `day` in [0, horizon]: items[head[t]..head[t + 1]) are those of day t. */
function byDay(from: Int32Array, to: Int32Array, day: Int32Array, horizon: number): { head: Int32Array; items: Int32Array } {
  const head = new Int32Array(horizon + 2);
  let live = 0;
  for (let i = 0; i < day.length; i++) {
    if (from[i] < to[i]) {
      head[day[i] + 1]++;
      live++;
    }
  }
  for (let t = 0; t <= horizon; t++) head[t + 1] += head[t];
  const items = new Int32Array(live);
  const next = head.slice(0, horizon + 1);
  for (let i = 0; i < day.length; i++) if (from[i] < to[i]) items[next[day[i]]++] = i;
  return { head, items };
}
