import { mergePartials, type TwinPartial } from '@tiersight/twin-engine';

/**
 * Collects the partials of consecutive sample slices and merges them as a
 * binary counter does: a new partial is merged with the one below it while
 * that one covers no more samples, so at most about log2(slices) partials are
 * held and every sample's values are copied about log2(slices) times, not
 * once per slice (a run of many small slices would otherwise hold thousands
 * of small arrays per SKU).
 */
export class PartialStack {
  private readonly stack: TwinPartial[] = [];

  push(partial: TwinPartial): void {
    const last = this.stack[this.stack.length - 1];
    if (last && last.toIndex !== partial.fromIndex) {
      throw new Error(`slices must be consecutive: [${last.fromIndex}, ${last.toIndex}) then [${partial.fromIndex}, ${partial.toIndex})`);
    }
    this.stack.push(partial);
    while (this.stack.length >= 2) {
      const top = this.stack[this.stack.length - 1];
      const below = this.stack[this.stack.length - 2];
      if (span(below) > span(top)) break;
      this.stack.splice(-2, 2, mergePartials([below, top]));
    }
  }

  /** Samples covered so far. */
  get covered(): number {
    return this.stack.reduce((n, p) => n + span(p), 0);
  }

  /** Everything pushed, as one partial (null when nothing was). */
  finish(): TwinPartial | null {
    if (this.stack.length === 0) return null;
    const all = this.stack.length === 1 ? this.stack[0] : mergePartials(this.stack);
    this.stack.splice(0, this.stack.length, all);
    return all;
  }
}

const span = (p: TwinPartial) => p.toIndex - p.fromIndex;

/** The buffers of a partial's typed arrays, to transfer it between threads instead of copying it. */
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
