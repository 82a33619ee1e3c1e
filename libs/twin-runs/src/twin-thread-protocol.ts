import type { SharedProjection, TwinPartial, TwinSpec } from '@tiersight/twin-engine';

/** What a twin worker thread is started with (its `workerData`). */
export interface ThreadTask {
  projection: SharedProjection;
  spec: TwinSpec;
  /** Sample ranges [from, to) this thread runs, each merged into one partial. */
  ranges: Array<[number, number]>;
  sliceTargetMs: number;
}

/** What a twin worker thread posts back: samples done after each slice, then one partial per range, or why it failed. */
export type ThreadMessage =
  { kind: 'progress'; done: number } | { kind: 'done'; partials: TwinPartial[] } | { kind: 'failed'; name: string; code?: string; message: string };
