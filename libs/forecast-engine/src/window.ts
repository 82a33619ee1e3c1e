/**
 * The recent window a forecast is fitted on, from a sensor's readings as they
 * come (any order, duplicates, gaps): cleaned, cut at the last long gap, and
 * put on a regular time grid.
 */

export interface Reading {
  /** Seconds since 1970. */
  t: number;
  v: number;
}

export interface WindowOptions {
  /** Only readings at most this many seconds older than the newest one are used. */
  windowS: number;
  /** A gap longer than gapFactor × the median interval starts the window afresh after it. */
  gapFactor: number;
  /** Fewer readings (or grid points) than this after cleaning: no window. */
  minPoints: number;
  /** Readings spanning less time than this: no window. */
  minSpanS: number;
}

export interface RegularWindow {
  /** Values on the grid, oldest first, `stepS` apart; the last one is the newest reading itself. */
  values: number[];
  stepS: number;
  /** Time of the oldest and of the newest reading used. */
  firstT: number;
  lastT: number;
  /** Readings used (after duplicates were merged). */
  n: number;
}

/**
 * Readings sorted by time, with the readings of one instant merged: exact
 * duplicates (same time, same value: a retried delivery) count once, and
 * different values at the same time are averaged. Readings with a time or
 * value that is not a finite number are left out.
 */
export function cleanReadings(readings: readonly Reading[]): Reading[] {
  const byTime = new Map<number, Set<number>>();
  for (const { t, v } of readings) {
    if (!Number.isFinite(t) || !Number.isFinite(v)) continue;
    const values = byTime.get(t);
    if (values) values.add(v);
    else byTime.set(t, new Set([v]));
  }
  return [...byTime]
    .sort(([a], [b]) => a - b)
    .map(([t, values]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return { t, v: sorted.reduce((sum, v) => sum + v, 0) / sorted.length };
    });
}

function medianInterval(readings: readonly Reading[]): number {
  const gaps: number[] = [];
  for (let i = 1; i < readings.length; i++) gaps.push(readings[i].t - readings[i - 1].t);
  gaps.sort((a, b) => a - b);
  const mid = gaps.length >> 1;
  return gaps.length % 2 ? gaps[mid] : (gaps[mid - 1] + gaps[mid]) / 2;
}

/**
 * The window ending at the newest reading: the readings within `windowS` of
 * it, from the first one after the last gap longer than `gapFactor` × their
 * median interval, linearly interpolated on a grid of that median interval
 * counted back from the newest reading (so regular readings are their own
 * grid). Null when too few readings remain, or they span less than
 * `minSpanS`: a short stretch of a cycling fridge looks like a steady trend.
 */
export function regularWindow(readings: readonly Reading[], options: WindowOptions): RegularWindow | null {
  const clean = cleanReadings(readings);
  if (clean.length < Math.max(2, options.minPoints)) return null;
  const lastT = clean[clean.length - 1].t;
  let recent = clean.filter((r) => r.t >= lastT - options.windowS);
  if (recent.length < Math.max(2, options.minPoints)) return null;
  const longGap = options.gapFactor * medianInterval(recent);
  for (let i = recent.length - 1; i > 0; i--) {
    if (recent[i].t - recent[i - 1].t > longGap) {
      recent = recent.slice(i);
      break;
    }
  }
  if (recent.length < Math.max(2, options.minPoints)) return null;
  const stepS = medianInterval(recent);
  const firstT = recent[0].t;
  if (lastT - firstT < options.minSpanS) return null;
  const steps = Math.floor((lastT - firstT) / stepS);
  if (steps + 1 < options.minPoints) return null;
  const values: number[] = new Array<number>(steps + 1);
  let j = recent.length - 1;
  for (let k = 0; k <= steps; k++) {
    const g = lastT - k * stepS;
    while (j > 0 && recent[j - 1].t >= g) j--;
    // recent[j - 1].t < g <= recent[j].t (or g is the first reading's time)
    const right = recent[j];
    const left = j > 0 ? recent[j - 1] : right;
    values[steps - k] = right.t === left.t || g >= right.t ? right.v : left.v + ((right.v - left.v) * (g - left.t)) / (right.t - left.t);
  }
  return { values, stepS, firstT, lastT, n: recent.length };
}
