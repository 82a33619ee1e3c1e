import { runSamples } from '@tiersight/twin-engine';
import { layeredNetwork, layeredRequest } from './testing/layered-network';
import { partialBuffers } from './partial-buffers';

const request = layeredRequest(layeredNetwork(3, 60, 20), 64, 60);

describe('partialBuffers', () => {
  it('lists every array buffer of a partial once, for a transfer between threads', () => {
    const partial = runSamples(request, 0, 16);
    const buffers = partialBuffers(partial);
    expect(new Set(buffers).size).toBe(buffers.length);
    expect(partial.skus.length).toBeGreaterThan(1);
    // totals, drops, presence counts, and the three columns every SKU's values are views of
    expect(buffers.length).toBe(1 + (partial.drops ? 1 : 0) + 1 + 3);
    const skuBuffers = new Set(partial.skus.flatMap((s) => [s.x.buffer, s.days.buffer, s.onset.buffer]));
    expect(skuBuffers.size).toBe(3);
    for (const buffer of skuBuffers) expect(buffers).toContain(buffer);
  });

  it('makes a partial that survives a transfer whole', () => {
    const partial = runSamples(request, 16, 32);
    const copy = structuredClone(partial);
    const moved = structuredClone(partial, { transfer: partialBuffers(partial) });
    expect(moved).toEqual(copy);
    expect(partial.totals.length).toBe(0); // detached: moved, not copied
  });
});
