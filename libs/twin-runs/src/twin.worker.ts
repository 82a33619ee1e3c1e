// Entry of a twin worker thread: runs its ranges of a run's samples over the projection
// shared by the parent (SharedArrayBuffers) and posts back progress per slice, then one
// partial per range with their arrays transferred rather than copied. Bundled as its
// own file (`twin-worker.js`, see libs/twin-runs/webpack.config.js) and run from source under ts-node.
import { parentPort, workerData } from 'node:worker_threads';
import { projectionFromShared, type TwinEngineError } from '@tiersight/twin-engine';
import { partialBuffers } from './partial-buffers';
import type { ThreadMessage, ThreadTask } from './twin-thread-protocol';
import { runSlices } from './twin-slices';

async function main(port: NonNullable<typeof parentPort>, task: ThreadTask): Promise<void> {
  const request = { ...task.spec, projection: projectionFromShared(task.projection) };
  const post = (message: ThreadMessage, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);
  try {
    const partials = [];
    for (const [from, to] of task.ranges) {
      partials.push(await runSlices(request, from, to, { targetMs: task.sliceTargetMs, afterSlice: (done) => post({ kind: 'progress', done }) }));
    }
    post({ kind: 'done', partials }, partials.flatMap(partialBuffers));
  } catch (error) {
    const e = error as Partial<TwinEngineError>;
    post({ kind: 'failed', name: e.name ?? 'Error', code: typeof e.code === 'string' ? e.code : undefined, message: e.message ?? String(error) });
  }
}

if (parentPort) void main(parentPort, workerData as ThreadTask);
