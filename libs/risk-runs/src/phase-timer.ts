/**
 * Times the consecutive phases of one piece of work: each `end(phase)` records
 * the time since the previous `end` (or since the timer was made), so the
 * phases add up to the whole and no phase is timed twice.
 */
export class PhaseTimer<P extends string> {
  private readonly started = performance.now();
  private mark = this.started;
  private readonly laps = {} as Record<P, number>;

  end(phase: P): void {
    const now = performance.now();
    this.laps[phase] = Math.round(now - this.mark);
    this.mark = now;
  }

  /** The phases ended so far, in ms. */
  get phases(): Record<P, number> {
    return { ...this.laps };
  }

  /** Milliseconds since the timer was made. */
  elapsed(): number {
    return Math.round(performance.now() - this.started);
  }
}
