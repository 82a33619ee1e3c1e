/**
 * In-flight requests per endpoint in one process. A delivery waits for a slot
 * when the endpoint is answering fast enough for the wait to be short (its
 * recent latency, times the deliveries already waiting, over the slots) and
 * is not stalled (all its slots busy with no answer for a while); otherwise,
 * or when no slot frees up in time, it gives up and the caller re-queues it
 * for later. A slow or hanging endpoint therefore holds at most its slots of
 * the worker's concurrency (plus the few waiters its latency allows), while a
 * healthy one can use the rest without its deliveries bouncing through the
 * queue. Waiters are served in arrival order.
 */
export class EndpointLimiter {
  private readonly inFlight = new Map<string, number>();
  private readonly waiters = new Map<string, Array<() => void>>();
  private readonly latency = new Map<string, number>();
  /** When the endpoint last made progress (a request finished, or it first became full). */
  private readonly progressAt = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly maxWaiters = limit * 10,
  ) {}

  /** True when a slot was taken (release it afterwards), false when none came within `waitMs`. */
  async acquire(key: string, waitMs: number): Promise<boolean> {
    const n = this.inFlight.get(key) ?? 0;
    if (n < this.limit) {
      this.inFlight.set(key, n + 1);
      if (n + 1 === this.limit) this.progressAt.set(key, Date.now()); // full from now on
      return true;
    }
    const queue = this.waiters.get(key) ?? [];
    if (waitMs <= 0 || queue.length >= this.maxWaiters || this.expectedWaitMs(key) > waitMs) return false;
    this.waiters.set(key, queue);
    return new Promise<boolean>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(true); // the slot is handed over by release(): the count already includes it
      };
      const timer = setTimeout(() => {
        const i = queue.indexOf(wake);
        if (i >= 0) queue.splice(i, 1);
        resolve(false);
      }, waitMs);
      queue.push(wake);
    });
  }

  /** Frees a slot; `latencyMs` of the request that held it feeds the endpoint's moving average. */
  release(key: string, latencyMs?: number): void {
    if (latencyMs !== undefined) {
      const prev = this.latency.get(key);
      this.latency.set(key, prev === undefined ? latencyMs : prev * 0.8 + latencyMs * 0.2);
    }
    this.progressAt.set(key, Date.now());
    const next = this.waiters.get(key)?.shift();
    if (next) return next();
    const n = (this.inFlight.get(key) ?? 1) - 1;
    if (n <= 0) {
      this.inFlight.delete(key);
      this.progressAt.delete(key);
    } else this.inFlight.set(key, n);
    if (this.waiters.get(key)?.length === 0) this.waiters.delete(key);
  }

  /**
   * How long one more waiter would wait: the endpoint's recent latency times
   * the waiters over the slots, and at least how long its full slots have gone
   * without an answer (so a hanging endpoint is noticed before its first timeout).
   */
  expectedWaitMs(key: string): number {
    const waiting = (this.waiters.get(key)?.length ?? 0) + 1;
    const byLatency = (waiting * (this.latency.get(key) ?? 0)) / this.limit;
    const full = (this.inFlight.get(key) ?? 0) >= this.limit;
    const stalled = full ? Date.now() - (this.progressAt.get(key) ?? Date.now()) : 0;
    return Math.max(byLatency, stalled);
  }

  /** The endpoint's recent latency (moving average), or null before any request finished. */
  latencyMs(key: string): number | null {
    return this.latency.get(key) ?? null;
  }

  inFlightFor(key: string): number {
    return this.inFlight.get(key) ?? 0;
  }
}
