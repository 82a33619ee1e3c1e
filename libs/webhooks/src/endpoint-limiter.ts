/**
 * In-flight requests per endpoint in one process. A delivery waits briefly
 * for a slot; when none frees up (a slow or hanging endpoint holds them all)
 * it gives up, and the caller re-queues it for later, so one endpoint never
 * takes more than its share of the worker's concurrency.
 */
export class EndpointLimiter {
  private readonly inFlight = new Map<string, number>();
  private readonly waiters = new Map<string, Array<() => void>>();

  constructor(private readonly limit: number) {}

  /** True when a slot was taken (release it afterwards), false when none came within `waitMs`. */
  async acquire(key: string, waitMs: number): Promise<boolean> {
    if ((this.inFlight.get(key) ?? 0) < this.limit) {
      this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
      return true;
    }
    const queue = this.waiters.get(key) ?? [];
    // Never more waiters than slots: the rest go back to the queue at once.
    if (queue.length >= this.limit || waitMs <= 0) return false;
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

  release(key: string): void {
    const next = this.waiters.get(key)?.shift();
    if (next) return next();
    const n = (this.inFlight.get(key) ?? 1) - 1;
    if (n <= 0) this.inFlight.delete(key);
    else this.inFlight.set(key, n);
    if (this.waiters.get(key)?.length === 0) this.waiters.delete(key);
  }

  inFlightFor(key: string): number {
    return this.inFlight.get(key) ?? 0;
  }
}
