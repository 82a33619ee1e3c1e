import { SampleRunner, type SampleRange } from './sample-runner';
import { TwinEngineError, TwinEngineErrorCode } from './twin-engine.error';
import { mergeKeepingPieces, type TwinPartial } from './twin-partial';
import { buildPlan } from './twin-plan';
import type { TwinRequest } from './twin-request';
import { summarizePieces, summarizeTwin, type TwinResult } from './twin-summary';

/**
 * Runs samples [fromIndex, toIndex) of a request. Sample i draws from its own
 * stream seeded by (seed, i) and starts from a state that does not depend on
 * earlier samples, so any split of [0, samples) into ranges — one per worker
 * thread, or slices between progress reports — merges (`mergePartials`) into
 * the same result bit for bit. Synchronous and pure; one call allocates one
 * solver state (~O(nodes)) and keeps per-sample values only for exposed SKUs.
 */
export function runSamples(request: TwinRequest, fromIndex: number, toIndex: number): TwinPartial {
  const range = openSampleRange(request, fromIndex, toIndex);
  range.run(toIndex - fromIndex);
  return range.finish();
}

/**
 * Samples [fromIndex, toIndex) of a request to run in steps (`run(count)`,
 * e.g. slices between progress reports, cancel checks) and finish once into
 * the partial `runSamples` would return: the range's values accumulate in
 * place instead of one partial per step to merge.
 */
export function openSampleRange(request: TwinRequest, fromIndex: number, toIndex: number): SampleRange {
  if (!(Number.isInteger(fromIndex) && Number.isInteger(toIndex) && 0 <= fromIndex && fromIndex < toIndex && toIndex <= request.samples)) {
    throw new TwinEngineError(TwinEngineErrorCode.InvalidRange, `sample range [${fromIndex}, ${toIndex}) is not within [0, ${request.samples})`);
  }
  let runner = runners.get(request);
  if (!runner) runners.set(request, (runner = new SampleRunner(buildPlan(request))));
  return runner.openRange(fromIndex, toIndex);
}

/**
 * The laid-out plan and the solver of each request object still in use:
 * slices of one run (progress, cancel) are calls with the same request, and
 * laying a large request out costs seconds. A request is not changed once
 * passed here (a changed copy is another object).
 */
const runners = new WeakMap<TwinRequest, SampleRunner>();

/** All samples of a request in this thread. */
export function runTwin(request: TwinRequest): TwinResult {
  return summarizeTwin(request, runSamples(request, 0, request.samples));
}

/** Several partials (any split, any order) of one request, merged and summarized. */
export function combineTwin(request: TwinRequest, partials: readonly TwinPartial[]): TwinResult {
  return summarizePieces(request, mergeKeepingPieces(partials));
}

/** [0, samples) cut into `parts` contiguous ranges of near-equal size (fewer when samples < parts). */
export function splitRange(samples: number, parts: number): Array<[number, number]> {
  if (!(Number.isInteger(samples) && samples >= 1 && Number.isInteger(parts) && parts >= 1)) {
    throw new TwinEngineError(TwinEngineErrorCode.InvalidRange, `cannot split ${samples} samples into ${parts} parts`);
  }
  const count = Math.min(parts, samples);
  const out: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) out.push([Math.floor((i * samples) / count), Math.floor(((i + 1) * samples) / count)]);
  return out;
}
