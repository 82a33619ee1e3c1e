import { runTwin } from '@tiersight/twin-engine';
import { layeredNetwork, layeredRequest } from './testing/layered-network';
import { runSlices, SliceSizer } from './twin-slices';
import { combineTwin } from '@tiersight/twin-engine';

/** The sizes a sizer picks when a slice of n samples takes overhead + n · perSample ms. */
function sizes(overhead: number, perSample: number, total: number, targetMs = 2000): number[] {
  const sizer = new SliceSizer(targetMs);
  const out: number[] = [];
  for (let left = total; left > 0;) {
    const n = sizer.next(left);
    sizer.record(n, overhead + n * perSample);
    out.push(n);
    left -= n;
  }
  return out;
}

describe('SliceSizer', () => {
  it('probes with 1 then 8 samples, then aims at the target time once the per-call cost is known', () => {
    // 30 ms per call, 18 ms per sample: (2000 − 30) / 18 → 110 samples a slice.
    expect(sizes(30, 18, 500)).toEqual([1, 8, 110, 110, 110, 110, 51]);
    // 120 ms per call: 2 s slices (105 samples) would be 6 % overhead; 127 samples keep it to 5 %.
    expect(sizes(120, 18, 300)).toEqual([1, 8, 127, 127, 37]);
  });

  it('makes slices long enough that the per-call cost stays under 5 % of them', () => {
    // 1 s per call and 1 ms per sample: a 2 s slice would be half overhead; 19,000 samples keep it to 5 %.
    expect(sizes(1000, 1, 50_000).slice(0, 3)).toEqual([1, 8, 19000]);
  });

  it('never goes past what is left, nor below one sample', () => {
    expect(sizes(5, 100, 3)).toEqual([1, 2]);
    expect(sizes(0, 5000, 4)).toEqual([1, 3]);
    expect(sizes(0, 5000, 12).slice(2)).toEqual([1, 1, 1]);
  });
});

describe('runSlices', () => {
  it('runs a range in slices, reports each, and merges to the engine’s own answer', async () => {
    const request = layeredRequest(layeredNetwork(3, 40, 10), 30, 40);
    const done: number[] = [];
    const partial = await runSlices(request, 0, 30, { targetMs: 1, afterSlice: (n) => void done.push(n) });
    expect(done.slice(0, 2)).toEqual([1, 8]);
    expect(done.reduce((a, b) => a + b, 0)).toBe(30);
    expect(combineTwin(request, [partial])).toEqual(runTwin(request));
  });

  it('stops when the callback throws', async () => {
    const request = layeredRequest(layeredNetwork(3, 40, 10), 30, 40);
    let slices = 0;
    const run = runSlices(request, 0, 30, {
      targetMs: 1,
      afterSlice: () => {
        if (++slices === 2) throw new Error('stop');
      },
    });
    await expect(run).rejects.toThrow('stop');
    expect(slices).toBe(2);
  });
});
