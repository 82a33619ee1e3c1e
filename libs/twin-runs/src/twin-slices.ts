import { runSamples, type TwinPartial, type TwinRequest } from '@tiersight/twin-engine';
import { PartialStack } from './partial-stack';

/** A slice aims at this long, so progress and a cancel are seen about this often. */
export const SLICE_TARGET_MS = 2000;
/** Size of the second slice, the first one timed for the per-sample cost (the first slice also pays the run's set-up). */
const PROBE_SLICE = 8;

/**
 * Sizes slices of samples to about `targetMs` each. The first `runSamples`
 * call of a request lays it out and allocates its solver (seconds on the
 * DESIGN §8 network); later calls with the same request reuse both, so a
 * slice costs its samples alone. One sample first (the set-up), then
 * PROBE_SLICE samples give the time per sample, which each slice refines.
 */
export class SliceSizer {
  private perSampleMs = 0;
  private slices = 0;

  constructor(private readonly targetMs: number) {}

  next(remaining: number): number {
    if (this.slices === 0) return Math.min(1, remaining);
    if (this.slices === 1) return Math.min(PROBE_SLICE, remaining);
    return Math.max(1, Math.min(remaining, Math.ceil(this.targetMs / this.perSampleMs)));
  }

  record(size: number, ms: number): void {
    if (this.slices++ > 0) this.perSampleMs = Math.max(1e-3, ms / size);
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
