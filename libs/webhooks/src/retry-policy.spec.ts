import { EndpointLimiter } from './endpoint-limiter';
import { backoffDelay, classify, parseRetryAfter } from './retry-policy';

describe('retry policy', () => {
  it.each([
    [{ status: 200 }, 'delivered'],
    [{ status: 204 }, 'delivered'],
    [{ status: null, error: 'ECONNREFUSED' }, 'retry'],
    [{ status: 408 }, 'retry'],
    [{ status: 429 }, 'retry'],
    [{ status: 500 }, 'retry'],
    [{ status: 503 }, 'retry'],
    [{ status: 400 }, 'give-up'],
    [{ status: 401 }, 'give-up'],
    [{ status: 404 }, 'give-up'],
    [{ status: 410 }, 'give-up'],
    [{ status: 301 }, 'give-up'],
    [{ status: null, refused: true }, 'give-up'],
  ] as const)('%j → %s', (outcome, kind) => {
    expect(classify(outcome).kind).toBe(kind);
  });

  it('marks 410 as gone and carries Retry-After of a 429', () => {
    expect(classify({ status: 410 })).toEqual({ kind: 'give-up', gone: true });
    expect(classify({ status: 429, retryAfter: '7' })).toEqual({ kind: 'retry', retryAfterMs: 7000 });
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('backs off exponentially with full jitter, capped, and honours a longer Retry-After', () => {
    const policy = { baseMs: 1000, maxMs: 10_000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, null, () => 1))).toEqual([1000, 2000, 4000, 8000, 10_000]);
    expect(backoffDelay(3, policy, null, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, null, () => 0.5)).toBe(2000);
    expect(backoffDelay(1, policy, 5000, () => 0.5)).toBe(5000);
    expect(backoffDelay(1, policy, 60_000, () => 0.5)).toBe(10_000);
    expect(backoffDelay(3, policy, 100, () => 0.5)).toBe(2000);
    const spread = new Set(Array.from({ length: 50 }, () => backoffDelay(4, policy)));
    expect(spread.size).toBeGreaterThan(10);
  });
});

describe('EndpointLimiter', () => {
  it('admits up to the limit per endpoint, hands a released slot to a waiter and turns away the rest', async () => {
    const limiter = new EndpointLimiter(2);
    expect(await limiter.acquire('a', 0)).toBe(true);
    expect(await limiter.acquire('a', 0)).toBe(true);
    expect(await limiter.acquire('b', 0)).toBe(true); // another endpoint is not held up
    expect(await limiter.acquire('a', 0)).toBe(false);
    const waiting = limiter.acquire('a', 1000);
    limiter.release('a');
    expect(await waiting).toBe(true);
    expect(limiter.inFlightFor('a')).toBe(2);
    expect(await limiter.acquire('a', 20)).toBe(false); // times out
    limiter.release('a');
    limiter.release('a');
    expect(limiter.inFlightFor('a')).toBe(0);
  });

  it('lets deliveries wait behind a fast endpoint but turns them away from a slow one', async () => {
    const limiter = new EndpointLimiter(1);
    expect(await limiter.acquire('fast', 0)).toBe(true);
    limiter.release('fast', 10);
    expect(await limiter.acquire('fast', 0)).toBe(true);
    const waiting = limiter.acquire('fast', 100); // expected wait 10 ms: it waits
    limiter.release('fast', 10);
    expect(await waiting).toBe(true);

    expect(await limiter.acquire('slow', 0)).toBe(true);
    limiter.release('slow', 5000); // a timed-out request
    expect(await limiter.acquire('slow', 0)).toBe(true);
    const started = Date.now();
    expect(await limiter.acquire('slow', 500)).toBe(false); // expected wait 5 s: turned away at once
    expect(Date.now() - started).toBeLessThan(50);
    expect(limiter.latencyMs('slow')).toBe(5000);
  });

  it('notices a hanging endpoint before its first answer: full slots without progress turn waiters away', async () => {
    const limiter = new EndpointLimiter(2, 100);
    expect(await limiter.acquire('hang', 0)).toBe(true);
    expect(await limiter.acquire('hang', 0)).toBe(true);
    await new Promise((r) => setTimeout(r, 60)); // no answer for 60 ms, latency still unknown
    const started = Date.now();
    expect(await limiter.acquire('hang', 50)).toBe(false);
    expect(Date.now() - started).toBeLessThan(40);
    expect(await limiter.acquire('other', 50)).toBe(true); // others are not held up
  });

  it('lets a healthy endpoint queue many waiters and serves them in arrival order', async () => {
    const limiter = new EndpointLimiter(1, 50);
    expect(await limiter.acquire('fast', 0)).toBe(true);
    const order: number[] = [];
    const waiting = Array.from({ length: 20 }, (_, i) => limiter.acquire('fast', 1000).then((ok) => ok && order.push(i)));
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setTimeout(r, 1));
      limiter.release('fast', 1);
    }
    await Promise.all(waiting);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
    limiter.release('fast');
    expect(limiter.inFlightFor('fast')).toBe(0);
  });
});
