import type { TwinPartial } from '@tiersight/twin-engine';

/** The buffers of a partial's typed arrays, each once, to transfer it between threads instead of copying it. */
export function partialBuffers(p: TwinPartial): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const add = (a: { buffer: ArrayBufferLike } | null) => {
    if (a && Object.prototype.toString.call(a.buffer) === '[object ArrayBuffer]') out.add(a.buffer as ArrayBuffer);
  };
  add(p.totals);
  add(p.drops);
  add(p.presentCount);
  for (const s of p.skus) {
    add(s.x);
    add(s.days);
    add(s.onset);
  }
  return [...out];
}
