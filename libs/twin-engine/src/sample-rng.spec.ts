import mt19937 from '@stdlib/random-base-mt19937';
import { Mt19937, sampleStream } from './sample-rng';

describe('sample streams', () => {
  it('are MT19937 seeded by init_by_array: the same outputs as @stdlib/random-base-mt19937', () => {
    for (const key of [
      [0, 0],
      [42, 7],
      [4294967295, 123456],
      [5, 6, 7],
    ]) {
      const reference = mt19937.factory({ seed: key });
      const ours = new Mt19937(key);
      for (let i = 0; i < 1500; i++) expect(ours.next()).toBe(reference()); // past one twist of the 624-word state
    }
  });

  it('give uniforms strictly inside (0, 1), one stream per (seed, sample)', () => {
    const a = sampleStream(9, 0);
    const values = Array.from({ length: 10_000 }, () => a.uniform());
    expect(Math.min(...values)).toBeGreaterThan(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(Math.abs(values.reduce((s, v) => s + v, 0) / values.length - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / values.length));
    expect(sampleStream(9, 1).uniform()).not.toBe(sampleStream(9, 0).uniform());
    expect(sampleStream(10, 0).uniform()).not.toBe(sampleStream(9, 0).uniform());
    const reused = sampleStream(9, 1);
    sampleStream(9, 0, reused);
    expect(reused.uniform()).toBe(sampleStream(9, 0).uniform());
  });

  it('refuses seeds and indices outside [0, 2^32)', () => {
    expect(() => sampleStream(-1, 0)).toThrow(RangeError);
    expect(() => sampleStream(2 ** 32, 0)).toThrow(RangeError);
    expect(() => sampleStream(1, 0.5)).toThrow(RangeError);
  });
});
