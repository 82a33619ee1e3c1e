/**
 * The load model of bench/api, the same for the API and for its Cypher baseline:
 * `connections` lanes, each allowed `rate / connections` requests per second
 * (autocannon's `connectionRate`), sending them one after the other on its
 * connection; lane i starts i × (1000 / connections) ms after lane 0, so the
 * requests of a second are spread over it instead of all leaving at each
 * second's tick (which is what autocannon's own `overallRate` does: every
 * connection's quota resets on the same tick, a burst per second). A lane
 * whose answers come late sends fewer requests that second (its quota is not
 * carried over): the rate achieved is reported beside the one asked for.
 */
import autocannon from 'autocannon';

export interface PlannedRequest {
  kind: string;
  path: string;
}

export interface LoadOptions {
  rate: number;
  seconds: number;
  connections: number;
}

export interface LatencyStats {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface LoadResult {
  requests: number;
  /** Answered requests per second over the phase. */
  perSecond: number;
  latencyMs: LatencyStats;
  byKind: Record<string, LatencyStats>;
  errors: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  seconds: number;
}

/** Percentiles by rank (nearest rank, as HdrHistogram reports them). */
export function latencyStats(values: number[]): LatencyStats {
  if (values.length === 0) return { count: 0, p50: 0, p90: 0, p99: 0, max: 0, mean: 0 };
  const s = Float64Array.from(values).sort();
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    count: s.length,
    p50: round(at(0.5)),
    p90: round(at(0.9)),
    p99: round(at(0.99)),
    max: round(s[s.length - 1]),
    mean: round(s.reduce((a, b) => a + b, 0) / s.length),
  };
}

/** Per-lane quotas summing to `rate` (autocannon's own split of overallRate over connections). */
export function laneQuotas(rate: number, connections: number): number[] {
  return Array.from({ length: connections }, (_, i) => Math.floor(rate / connections) + (i < rate % connections ? 1 : 0));
}

class Recorder {
  private readonly all: number[] = [];
  private readonly kinds = new Map<string, number[]>();
  readonly statusCodes: Record<string, number> = {};
  errors = 0;
  non2xx = 0;

  record(kind: string, status: number, ms: number) {
    this.statusCodes[status] = (this.statusCodes[status] ?? 0) + 1;
    if (status < 200 || status > 299) {
      this.non2xx++;
      return;
    }
    this.all.push(ms);
    let list = this.kinds.get(kind);
    if (!list) this.kinds.set(kind, (list = []));
    list.push(ms);
  }

  result(seconds: number): LoadResult {
    const answered = this.all.length + this.non2xx;
    return {
      requests: answered,
      perSecond: Math.round((answered / seconds) * 10) / 10,
      latencyMs: latencyStats(this.all),
      byKind: Object.fromEntries([...this.kinds].map(([k, v]) => [k, latencyStats(v)])),
      errors: this.errors,
      non2xx: this.non2xx,
      statusCodes: this.statusCodes,
      seconds,
    };
  }
}

/** The next planned request, in the plan's order, shared by every lane. */
function cycle(plan: readonly PlannedRequest[]) {
  let next = 0;
  return () => plan[next++ % plan.length];
}

/**
 * The API under load: one autocannon instance per lane (one keep-alive
 * connection, `connectionRate` its quota), instances started evenly over the
 * first second. Latency is autocannon's per-request time (request written →
 * response read), recorded per request, not from its histograms (whose
 * coordinated-omission correction assumes a burst per second).
 */
export async function loadApi(base: string, headers: Record<string, string>, plan: readonly PlannedRequest[], o: LoadOptions): Promise<LoadResult> {
  const rec = new Recorder();
  const take = cycle(plan);
  const quotas = laneQuotas(o.rate, o.connections);
  await Promise.all(
    quotas.map(
      (quota, i) =>
        new Promise<void>((resolve, reject) => {
          setTimeout(
            () => {
              // Requests go out in order on the one connection: answers come back in the same order.
              const inFlight: PlannedRequest[] = [];
              const instance = autocannon(
                {
                  url: base,
                  connections: 1,
                  connectionRate: quota,
                  duration: o.seconds,
                  timeout: 10,
                  headers,
                  requests: [
                    {
                      setupRequest: (req: Record<string, unknown>) => {
                        const r = take();
                        inFlight.push(r);
                        return { ...req, method: 'GET', path: r.path };
                      },
                    },
                  ],
                },
                (error: Error | null) => (error ? reject(error) : resolve()),
              );
              instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => rec.record(inFlight.shift()!.kind, status, ms));
              instance.on('reqError', () => {
                inFlight.shift();
                rec.errors++;
              });
            },
            (i * 1000) / o.connections,
          );
        }),
    ),
  );
  return rec.result(o.seconds);
}

/**
 * The baseline under the same model: the same lanes, quotas, offsets and
 * request sequence, each request one call of `send` (a Cypher read through the
 * driver); latency from the call to its answer.
 */
export async function loadCallback(plan: readonly PlannedRequest[], send: (r: PlannedRequest) => Promise<void>, o: LoadOptions): Promise<LoadResult> {
  const rec = new Recorder();
  const take = cycle(plan);
  const quotas = laneQuotas(o.rate, o.connections);
  // Like an autocannon client: a counter reset every second; a lane that spent its quota waits for the reset.
  const lane = (quota: number, offsetMs: number) =>
    new Promise<void>((resolve) =>
      setTimeout(async () => {
        let used = 0;
        let wake: (() => void) | null = null;
        const timer = setInterval(() => {
          used = 0;
          wake?.();
          wake = null;
        }, 1000);
        const end = performance.now() + o.seconds * 1000;
        while (performance.now() < end) {
          if (used >= quota) {
            await new Promise<void>((r) => (wake = r));
            continue;
          }
          used++;
          const r = take();
          const s = performance.now();
          try {
            await send(r);
            rec.record(r.kind, 200, performance.now() - s);
          } catch {
            rec.errors++;
          }
        }
        clearInterval(timer);
        resolve();
      }, offsetMs),
    );
  await Promise.all(quotas.map((q, i) => lane(q, (i * 1000) / o.connections)));
  return rec.result(o.seconds);
}
