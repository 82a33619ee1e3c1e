/** What one try of a delivery came to. */
export interface AttemptOutcome {
  /** HTTP status, or null when no answer came (network error, timeout, refused target). */
  status: number | null;
  /** Error text when no answer came. */
  error?: string;
  /** The Retry-After header of the answer, as sent. */
  retryAfter?: string | null;
  /** The target was refused by the SSRF guard or the URL cannot be used: retrying cannot help. */
  refused?: boolean;
}

export type Verdict = { kind: 'delivered' } | { kind: 'retry'; retryAfterMs: number | null } | { kind: 'give-up'; gone: boolean };

/**
 * 2xx is delivered. Network errors, timeouts, 408, 429 and 5xx are retried
 * (429 and 503 honour Retry-After); every other status is final: the
 * receiver has understood and refused, retrying cannot help. 410 Gone
 * additionally means the endpoint is gone for good.
 */
export function classify(outcome: AttemptOutcome, now = Date.now()): Verdict {
  if (outcome.refused) return { kind: 'give-up', gone: false };
  const s = outcome.status;
  if (s !== null && s >= 200 && s < 300) return { kind: 'delivered' };
  if (s === null || s === 408 || s === 429 || s >= 500) return { kind: 'retry', retryAfterMs: parseRetryAfter(outcome.retryAfter ?? null, now) };
  return { kind: 'give-up', gone: s === 410 };
}

/** Retry-After as delay-seconds or an HTTP date, in ms from now; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/**
 * Delay before retry number `retry` (1 for the first retry): exponential with
 * full jitter, uniform in [0, cap] where cap = min(max, base·2^(retry−1)), so
 * a burst of failures spreads out instead of coming back together. A
 * Retry-After longer than that wins, up to the policy's maximum.
 */
export function backoffDelay(retry: number, policy: BackoffPolicy, retryAfterMs: number | null = null, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, retry - 1));
  const jittered = Math.round(random() * cap);
  if (retryAfterMs !== null && retryAfterMs > jittered) return Math.min(policy.maxMs, retryAfterMs);
  return jittered;
}
