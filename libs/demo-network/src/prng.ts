// Local aliases: inside Jest's vm sandbox every lookup of the global `Math` is slow, and this runs millions of times.
const { imul, floor, max, sqrt, log, cos, PI } = Math;

/**
 * mulberry32: a small, fast, seeded 32-bit generator. The same seed gives the
 * same sequence on every platform (integer arithmetic only), so the same
 * options give the same network byte for byte.
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** An independent generator for one stage of the generation, so stages cannot shift each other's draws. */
  static stream(seed: number, stream: number): Prng {
    let h = (seed ^ imul(stream + 1, 0x9e3779b9)) >>> 0;
    h = imul(h ^ (h >>> 16), 0x85ebca6b);
    h = imul(h ^ (h >>> 13), 0xc2b2ae35);
    return new Prng((h ^ (h >>> 16)) >>> 0);
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [min, max]. */
  int(lo: number, hi: number): number {
    return lo + floor(this.next() * (hi - lo + 1));
  }

  /** Uniform integer in [0, length). */
  index(length: number): number {
    return floor(this.next() * length);
  }

  pick<T>(items: ArrayLike<T>): T {
    return items[floor(this.next() * items.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Index drawn with the given cumulative weights (ascending, last = total). */
  weighted(cumulative: ArrayLike<number>): number {
    const r = this.next() * cumulative[cumulative.length - 1];
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = max(this.next(), 1e-12);
    return sqrt(-2 * log(u)) * cos(2 * PI * this.next());
  }
}

/** Running sums of weights, for `Prng.weighted`. */
export const cumulative = (weights: readonly number[]): Float64Array => {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => (out[i] = sum += w));
  return out;
};
