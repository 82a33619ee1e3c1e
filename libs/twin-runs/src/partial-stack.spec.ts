import { mergePartials, runSamples, type TwinPartial } from '@tiersight/twin-engine';
import { layeredNetwork, layeredRequest } from './testing/layered-network';
import { PartialStack, partialBuffers } from './partial-stack';

const request = layeredRequest(layeredNetwork(3, 60, 20), 64, 60);
/** Everything but the contribution solves' work counter, which depends on the split (TwinPartial.evaluations). */
const outcome = ({ evaluations: _work, ...rest }: TwinPartial) => rest;

describe('PartialStack', () => {
  it('merges consecutive slices into the partial of the whole range, holding about log2(slices) at a time', () => {
    const stack = new PartialStack();
    const heights: number[] = [];
    for (let at = 0; at < 64; at += 2) {
      stack.push(runSamples(request, at, at + 2));
      heights.push((stack as unknown as { stack: TwinPartial[] }).stack.length);
    }
    expect(Math.max(...heights)).toBeLessThanOrEqual(5); // 32 slices: at most log2(32) = 5 partials
    expect(stack.covered).toBe(64);
    expect(outcome(stack.finish()!)).toEqual(outcome(runSamples(request, 0, 64)));
  });

  it('gives the same partial for uneven slices', () => {
    const stack = new PartialStack();
    for (const [from, to] of [
      [0, 1],
      [1, 9],
      [9, 10],
      [10, 40],
      [40, 64],
    ])
      stack.push(runSamples(request, from, to));
    expect(outcome(stack.finish()!)).toEqual(outcome(mergePartials([runSamples(request, 0, 30), runSamples(request, 30, 64)])));
  });

  it('refuses a slice that does not follow the last one, and has nothing to finish when empty', () => {
    const stack = new PartialStack();
    expect(stack.finish()).toBeNull();
    stack.push(runSamples(request, 0, 4));
    expect(() => stack.push(runSamples(request, 5, 8))).toThrow(/consecutive/);
  });

  it('lists every array buffer of a partial once, for a transfer between threads', () => {
    const partial = runSamples(request, 0, 16);
    const buffers = partialBuffers(partial);
    expect(new Set(buffers).size).toBe(buffers.length);
    const expected = 1 + (partial.drops ? 1 : 0) + 1 + 3 * partial.skus.length;
    expect(buffers.length).toBe(expected);
    expect(partial.skus.length).toBeGreaterThan(0);
  });
});
