import { runTwin } from '@tiersight/twin-engine';
import { layeredNetwork, layeredRequest } from './testing/layered-network';
import { runSlices, SliceSizer } from './twin-slices';
import { combineTwin } from '@tiersight/twin-engine';

/** The sizes a sizer picks when a slice of n samples takes overhead + n · perSample ms, the first `layout` ms more. */
function sizes(overhead: number, perSample: number, total: number, targetMs = 2000, layout = 0): number[] {
  const sizer = new SliceSizer(targetMs);
  const out: number[] = [];
  for (let left = total; left > 0;) {
    const n = sizer.next(left);
    sizer.record(n, overhead + n * perSample + (out.length === 0 ? layout : 0));
    out.push(n);
    left -= n;
  }
  return out;
}

describe('SliceSizer', () => {
  it('probes with 1 then 8 samples, then aims at the target time from the time per sample, the first slice (the layout) left out', () => {
    // the first call costs 1 s more (the request's layout); then 18 ms per sample: 2000 / 18 → 112 samples a slice
    expect(sizes(0, 18, 500, 2000, 1000)).toEqual([1, 8, 112, 112, 112, 112, 43]);
    expect(sizes(0, 40, 300)).toEqual([1, 8, 50, 50, 50, 50, 50, 41]);
  });

  it('follows the time per sample of the last slice', () => {
    const sizer = new SliceSizer(1000);
    sizer.next(1000);
    sizer.record(1, 5000);
    sizer.next(999);
    sizer.record(8, 80);
    expect(sizer.next(991)).toBe(100);
    sizer.record(100, 2000);
    expect(sizer.next(891)).toBe(50);
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
