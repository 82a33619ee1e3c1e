import { openSampleRange, type TwinPartial, type TwinRequest } from '@tiersight/twin-engine';

/** A slice aims at this long, so progress and a cancel are seen about this often. */
export const SLICE_TARGET_MS = 2000;
/** Size of the second slice: the first (one sample) carries the request's layout and warm-up, the second gives the time per sample. */
const PROBE_SLICE = 8;

/**
 * Sizes slices of samples. A slice is a step of one open range
 * (`openSampleRange`): its values accumulate in place, so a step costs its
 * samples and nothing per call, except the first of a request, which lays
 * it out and allocates its solver (~1 s on the DESIGN §8 network). So: one
 * sample first, whose time says nothing of the others; PROBE_SLICE samples
 * next, which give the time per sample; then slices of about `targetMs`,
 * the time per sample taken from the last slice.
 */
export class SliceSizer {
  private slices = 0;
  private perSampleMs = 0;

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
 * calling `afterSlice` with the samples done after each, and returns the
 * range's partial. A sample's answer does not depend on the slice it ran in,
 * so the partial is the same however the range was cut. `afterSlice` may
 * throw to stop (a cancel).
 */
export async function runSlices(
  request: TwinRequest,
  from: number,
  to: number,
  options: { targetMs: number; afterSlice(done: number): Promise<void> | void },
): Promise<TwinPartial> {
  const range = openSampleRange(request, from, to);
  const sizer = new SliceSizer(options.targetMs);
  while (range.remaining > 0) {
    const size = sizer.next(range.remaining);
    const started = performance.now();
    range.run(size);
    sizer.record(size, performance.now() - started);
    await options.afterSlice(size);
  }
  return range.finish();
}
