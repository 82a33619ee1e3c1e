import { runSamples, type TwinPartial, type TwinRequest } from '@tiersight/twin-engine';
import { PartialStack } from './partial-stack';

/** A slice aims at this long, so progress and a cancel are seen about this often. */
export const SLICE_TARGET_MS = 2000;
/** Size of the second slice: with the first (one sample) it separates the per-call cost from the per-sample cost. */
const PROBE_SLICE = 8;
/** A slice is made long enough that the per-call cost stays below this share of it. */
const MAX_OVERHEAD_SHARE = 0.05;

/**
 * Sizes slices of samples. A `runSamples` call has a fixed cost: the first
 * of a request lays it out and allocates its solver (kept for the later
 * ones), and every call sets up and hands back the per-SKU columns of every
 * SKU it exposes, which the stack then merges — on the `medium` network
 * ~120 ms, six samples' worth, so slices sized on the time per sample alone
 * would be mostly overhead. The model is time = overhead + n · perSample:
 * one sample, then PROBE_SLICE samples give both; later slices refine
 * perSample, and are sized to about `targetMs`, but never so short that the
 * overhead is more than MAX_OVERHEAD_SHARE of them (on the DESIGN §8 network
 * a call costs ~1 s and a sample ~0.2 s: slices of ~95 samples).
 */
export class SliceSizer {
  private overheadMs = 0;
  private perSampleMs = 0;
  private readonly probes: Array<{ size: number; ms: number }> = [];

  constructor(private readonly targetMs: number) {}

  next(remaining: number): number {
    if (this.probes.length === 0) return Math.min(1, remaining);
    if (this.probes.length === 1) return Math.min(PROBE_SLICE, remaining);
    const o = this.overheadMs;
    const c = this.perSampleMs;
    const size = Math.max((this.targetMs - o) / c, (o * (1 - MAX_OVERHEAD_SHARE)) / (MAX_OVERHEAD_SHARE * c));
    return Math.max(1, Math.min(remaining, Math.ceil(size)));
  }

  record(size: number, ms: number): void {
    if (this.probes.length < 2) {
      this.probes.push({ size, ms });
      if (this.probes.length === 2) {
        const [a, b] = this.probes;
        const slope = b.size > a.size ? (b.ms - a.ms) / (b.size - a.size) : 0;
        this.perSampleMs = Math.max(1e-3, slope > 0 ? slope : b.ms / b.size);
        this.overheadMs = Math.max(0, a.ms - a.size * this.perSampleMs);
      }
      return;
    }
    if (ms > this.overheadMs) this.perSampleMs = Math.max(1e-3, (ms - this.overheadMs) / size);
  }
}

/**
 * Runs samples [from, to) as consecutive slices sized by a SliceSizer,
 * calling `afterSlice` with the samples done after each. A sample's answer
 * does not depend on the slice it ran in, so the merged partial is the same
 * however the range was cut. `afterSlice` may throw to stop (a cancel).
 */
export async function runSlices(
  request: TwinRequest,
  from: number,
  to: number,
  options: { targetMs: number; afterSlice(done: number): Promise<void> | void },
): Promise<TwinPartial> {
  const stack = new PartialStack();
  const sizer = new SliceSizer(options.targetMs);
  let at = from;
  while (at < to) {
    const size = sizer.next(to - at);
    const started = performance.now();
    stack.push(runSamples(request, at, at + size));
    sizer.record(size, performance.now() - started);
    at += size;
    await options.afterSlice(size);
  }
  return stack.finish()!;
}
