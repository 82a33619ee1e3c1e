import fc from 'fast-check';
import { NodeQueue } from './node-queue';

describe('NodeQueue', () => {
  it('pops the smallest queued index first, holds each once, under interleaved pushes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.array(fc.tuple(fc.boolean(), fc.nat()), { maxLength: 300 }), (n, ops) => {
        const q = new NodeQueue(n);
        const model = new Set<number>();
        let last = -1;
        for (const [pop, raw] of ops) {
          if (pop && model.size > 0) {
            const min = Math.min(...model);
            expect(q.peek()).toBe(min);
            expect(q.pop()).toBe(min);
            model.delete(min);
            last = min;
          } else {
            // the kernel only pushes at or after what it last popped (downstream), seeds excepted
            const v = last >= 0 ? last + ((raw % (n - last)) | 0) : raw % n;
            q.push(v);
            model.add(v);
          }
          expect(q.size).toBe(model.size);
          for (const v of model) expect(q.has(v)).toBe(true);
        }
        while (model.size > 0) {
          const min = Math.min(...model);
          expect(q.pop()).toBe(min);
          model.delete(min);
        }
        expect(q.size).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('restarts below the last position when seeded again', () => {
    const q = new NodeQueue(70_000);
    q.push(69_999);
    expect(q.pop()).toBe(69_999);
    q.push(3);
    q.push(40_000);
    expect([q.pop(), q.pop()]).toEqual([3, 40_000]);
  });
});
