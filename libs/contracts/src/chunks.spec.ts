import fc from 'fast-check';
import { chunks } from './chunks';

describe('chunks', () => {
  it('cuts a list into consecutive slices of at most the size, in order', () => {
    expect([...chunks([1, 2, 3, 4, 5], 2)]).toEqual([[1, 2], [3, 4], [5]]);
    expect([...chunks([], 3)]).toEqual([]);
    expect([...chunks([1, 2, 3], 3)]).toEqual([[1, 2, 3]]);
  });

  it('loses and repeats nothing, and only the last slice may be short', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer({ min: 1, max: 20 }), (items, size) => {
        const parts = [...chunks(items, size)];
        expect(parts.flat()).toEqual(items);
        parts.forEach((part, i) => (i < parts.length - 1 ? expect(part).toHaveLength(size) : expect(part.length).toBeLessThanOrEqual(size)));
      }),
    );
  });

  it('refuses a size that would never end', () => {
    expect(() => [...chunks([1], 0)]).toThrow(RangeError);
    expect(() => [...chunks([1], 1.5)]).toThrow(RangeError);
  });
});
