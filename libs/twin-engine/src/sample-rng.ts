const N = 624;
const M = 397;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const MATRIX_A = 0x9908b0df;
const TWO_26 = 67108864;
const TWO_53 = 9007199254740992;
/** Half a step of the 53-bit grid: moves every uniform off 0 so quantiles stay finite. */
const HALF_STEP = 1 / (2 * TWO_53);
const MAX_UINT32 = 0xffffffff;

/** A stream of uniforms in (0, 1). */
export type UniformStream = () => number;

/**
 * 32-bit Mersenne Twister (MT19937) seeded with init_by_array, the reference
 * algorithm (Matsumoto & Nishimura, 2002). Same outputs as
 * `@stdlib/random-base-mt19937` with an array seed (the tests check it), but
 * seeding costs a few microseconds instead of the ~100 µs of building a
 * stdlib generator, which matters when every sample gets its own stream.
 */
export class Mt19937 {
  private readonly mt = new Uint32Array(N);
  private index = N + 1;

  constructor(key: readonly number[]) {
    this.seed(key);
  }

  /** Re-seeds in place (init_by_array). */
  seed(key: readonly number[]): void {
    const mt = this.mt;
    mt[0] = 19650218;
    for (let i = 1; i < N; i++) mt[i] = (mul32(1812433253, mt[i - 1] ^ (mt[i - 1] >>> 30)) + i) >>> 0;
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      mt[i] = ((mt[i] ^ mul32(mt[i - 1] ^ (mt[i - 1] >>> 30), 1664525)) + key[j] + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      mt[i] = ((mt[i] ^ mul32(mt[i - 1] ^ (mt[i - 1] >>> 30), 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = UPPER_MASK;
    this.index = N;
  }

  /** The next 32-bit output. */
  next(): number {
    const mt = this.mt;
    if (this.index >= N) {
      let k = 0;
      for (; k < N - M; k++) {
        const y = (mt[k] & UPPER_MASK) | (mt[k + 1] & LOWER_MASK);
        mt[k] = mt[k + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      for (; k < N - 1; k++) {
        const y = (mt[k] & UPPER_MASK) | (mt[k + 1] & LOWER_MASK);
        mt[k] = mt[k + (M - N)] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      const y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
      mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      this.index = 0;
    }
    let y = mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A uniform in (0, 1): 53 bits from two outputs (genrand_res53), offset by half a step. */
  uniform(): number {
    return ((this.next() >>> 5) * TWO_26 + (this.next() >>> 6)) / TWO_53 + HALF_STEP;
  }
}

/**
 * a · b mod 2^32 (as a signed 32-bit value) in two exact 48-bit products.
 * Math.imul does the same, but runs ~100× slower inside a vm context (jest),
 * where seeding a stream per sample would dominate the tests.
 */
function mul32(a: number, b: number): number {
  return (((a >>> 16) * b) << 16) + (a & 0xffff) * b;
}

/**
 * The uniforms of sample `index`: MT19937 seeded with the key (seed, index),
 * so every sample has its own stream and its draws do not depend on which
 * samples ran before it, or on which worker ran it. Reuses `into` when given.
 */
export function sampleStream(seed: number, index: number, into?: Mt19937): Mt19937 {
  if (!isUint32(seed) || !isUint32(index)) throw new RangeError(`seed and sample index must be integers in [0, 2^32), got ${seed}, ${index}`);
  const key = [seed, index];
  if (!into) return new Mt19937(key);
  into.seed(key);
  return into;
}

export function isUint32(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= MAX_UINT32;
}
