/**
 * Append-only typed arrays used while building: amortised O(1) push and no
 * per-item JS objects, so a million edges cost tens of MB instead of hundreds.
 */
export class GrowableInt32 {
  private buf: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.buf = new Int32Array(Math.max(16, capacity));
  }

  push(value: number): void {
    if (this.length === this.buf.length) {
      const next = new Int32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = value;
  }

  get(i: number): number {
    return this.buf[i];
  }

  /** The live prefix (no copy); valid until the next push. */
  view(): Int32Array {
    return this.buf.subarray(0, this.length);
  }

  /** Drops the storage (after build) so a retained builder does not pin it. */
  release(): void {
    this.buf = new Int32Array(0);
    this.length = 0;
  }
}

export class GrowableFloat64 {
  private buf: Float64Array;
  length = 0;

  constructor(capacity = 1024) {
    this.buf = new Float64Array(Math.max(16, capacity));
  }

  push(value: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = value;
  }

  view(): Float64Array {
    return this.buf.subarray(0, this.length);
  }

  /** Drops the storage (after build) so a retained builder does not pin it. */
  release(): void {
    this.buf = new Float64Array(0);
    this.length = 0;
  }
}

export class GrowableUint8 {
  private buf: Uint8Array;
  length = 0;

  constructor(capacity = 1024) {
    this.buf = new Uint8Array(Math.max(16, capacity));
  }

  push(value: number): void {
    if (this.length === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = value;
  }

  get(i: number): number {
    return this.buf[i];
  }

  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  /** Drops the storage (after build) so a retained builder does not pin it. */
  release(): void {
    this.buf = new Uint8Array(0);
    this.length = 0;
  }
}

/** Interns strings to dense ints (parts, countries, categories). */
export class Interner {
  private readonly index = new Map<string, number>();
  readonly values: string[] = [];

  intern(value: string): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.values.length;
      this.index.set(value, i);
      this.values.push(value);
    }
    return i;
  }

  lookup(value: string): number {
    return this.index.get(value) ?? -1;
  }

  /** The value → index map itself (handed to the projection, not copied). */
  asMap(): Map<string, number> {
    return this.index;
  }
}
