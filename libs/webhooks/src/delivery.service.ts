import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, WorkerEnv } from '@tiersight/config';
import { LOGGER, Metrics } from '@tiersight/observability';
import { DeliveryStore, RecordedTry, SendableRecord } from './delivery-store';
import { EndpointLimiter } from './endpoint-limiter';
import { HttpSender, SendResult } from './http-sender';
import { backoffDelay, classify } from './retry-policy';
import { secretKey, webhookHeaders } from './signing';
import { StoredSubscription, SubscriptionRepository } from './subscription.repository';
import { SubscriptionCache } from './subscription-cache';
import { TargetGuard } from './target-guard';
import { TargetRefusedError } from './target-policy';

export type AttemptResult =
  | { kind: 'done'; status: 'delivered' | 'not-sent' }
  /** The endpoint has no free slot in this process: try again after `delayMs`, this was not a try. */
  | { kind: 'busy'; delayMs: number }
  | { kind: 'retry'; delayMs: number; error: string }
  | { kind: 'final'; error: string };

/** What a batch of first tries came to; `handOff` goes on as single-delivery jobs. */
export interface BatchOutcome {
  delivered: number;
  failed: Array<{ deliveryId: string; error: string }>;
  /** `firstTry`: the number of the delivery's next try (1 when it was not tried yet). */
  handOff: Array<{ deliveryId: string; delayMs: number; firstTry: number }>;
}

/**
 * Longest wait for a slot of a busy endpoint before the delivery is re-queued
 * instead. Long enough that a healthy endpoint's backlog waits here in order
 * (not bounced to the back of the queue), short enough that a slow one gives
 * its waiters back quickly: see EndpointLimiter.
 */
const SLOT_WAIT_MS = 2_000;
const USER_AGENT = 'Tiersight-Webhooks/1';

/**
 * One try of one delivery: the record and the subscription, a slot for the
 * endpoint, the SSRF check, the signed POST, and what came of it written to
 * the delivery log and the endpoint's health (pausing an endpoint that
 * answered 410 Gone or kept failing).
 */
@Injectable()
export class DeliveryService {
  private readonly limiter: EndpointLimiter;
  private readonly keys = new Map<string, Buffer>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: WorkerEnv,
    private readonly store: DeliveryStore,
    private readonly subscriptions: SubscriptionCache,
    private readonly repository: SubscriptionRepository,
    private readonly guard: TargetGuard,
    private readonly sender: HttpSender,
    private readonly metrics: Metrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    // One endpoint may fill the worker's concurrency only while it answers fast.
    this.limiter = new EndpointLimiter(config.WEBHOOK_ENDPOINT_CONCURRENCY, Math.max(config.WEBHOOK_ENDPOINT_CONCURRENCY, config.WEBHOOK_CONCURRENCY));
  }

  /** `tryNumber` counts from 1; `maxTries` is the delivery's tries in all. */
  async attempt(deliveryId: string, tryNumber: number, maxTries: number): Promise<AttemptResult> {
    const record = await this.store.forSend(deliveryId);
    if (!record) return this.counted({ kind: 'done', status: 'not-sent' }); // expired from the log: nothing left to send
    if (record.status === 'delivered') return { kind: 'done', status: 'delivered' }; // a duplicate job after success
    return this.tryRecord(deliveryId, record, tryNumber, maxTries);
  }

  /**
   * The first tries of a batch of new deliveries to one subscription, one
   * after the other. When the endpoint is busy or a try fails in a way worth
   * another, that delivery and the rest of the batch are handed back, to go on
   * as jobs of their own (so a slow or failing endpoint costs the batch at
   * most one request). Deliveries a previous run of the same batch already
   * tried are not tried again: those still due another try are handed back too.
   */
  async firstTries(deliveryIds: readonly string[]): Promise<BatchOutcome> {
    const outcome: BatchOutcome = { delivered: 0, failed: [], handOff: [] };
    const records = await this.store.forSendMany(deliveryIds);
    const successes: RecordedTry[] = [];
    try {
      await this.tryInTurn(deliveryIds, records, outcome, successes);
    } finally {
      await this.store.recordAttempts(successes.splice(0));
    }
    return outcome;
  }

  private async tryInTurn(
    deliveryIds: readonly string[],
    records: Array<SendableRecord | null>,
    outcome: BatchOutcome,
    successes: RecordedTry[],
  ): Promise<void> {
    for (let i = 0; i < deliveryIds.length; i++) {
      const deliveryId = deliveryIds[i];
      const record = records[i];
      if (!record) {
        this.counted({ kind: 'done', status: 'not-sent' });
        continue;
      }
      if (record.status === 'delivered' || record.status === 'failed') continue;
      if (record.attempts > 0) {
        outcome.handOff.push({ deliveryId, delayMs: Math.max(0, (record.nextAttemptAtMs ?? 0) - Date.now()), firstTry: record.attempts + 1 });
        continue;
      }
      const result = await this.tryRecord(deliveryId, record, 1, this.config.WEBHOOK_ATTEMPTS, successes);
      if (result.kind === 'done') {
        if (result.status === 'delivered') outcome.delivered++;
        continue;
      }
      if (result.kind === 'final') {
        outcome.failed.push({ deliveryId, error: result.error });
        continue;
      }
      const busy = result.kind === 'busy';
      outcome.handOff.push({ deliveryId, delayMs: result.delayMs, firstTry: busy ? 1 : 2 });
      // The rest wait as long as a busy endpoint asks; after a failed try they get their own first try at once.
      for (const rest of deliveryIds.slice(i + 1)) outcome.handOff.push({ deliveryId: rest, delayMs: busy ? result.delayMs : 0, firstTry: 1 });
      break;
    }
  }

  /** `successes`, when given, collects delivered tries for the caller to record together (a batch's). */
  private async tryRecord(deliveryId: string, record: SendableRecord, tryNumber: number, maxTries: number, successes?: RecordedTry[]): Promise<AttemptResult> {
    const sub = await this.subscriptions.get(record.subscriptionId);
    if (!sub) {
      await this.store.markNotSent(deliveryId, 'not sent: the subscription was deleted');
      return this.counted({ kind: 'done', status: 'not-sent' });
    }
    if (sub.status !== 'active') {
      await this.store.markNotSent(deliveryId, `not sent: the subscription is paused (${sub.pausedReason ?? 'no reason given'})`);
      return this.counted({ kind: 'done', status: 'not-sent' });
    }
    if (!(await this.limiter.acquire(sub.id, SLOT_WAIT_MS))) {
      // Come back after about one of the endpoint's recent request times (a hanging one: its timeout).
      const typical = Math.min(10_000, Math.max(250, this.limiter.latencyMs(sub.id) ?? 250));
      return this.counted({ kind: 'busy', delayMs: Math.round(typical * (0.5 + Math.random())) });
    }
    let result: (SendResult & { refused?: boolean }) | undefined;
    try {
      result = await this.send(sub, deliveryId, record.body);
    } finally {
      this.limiter.release(sub.id, result?.latencyMs);
    }
    const outcome = await this.conclude(sub, deliveryId, result, tryNumber, maxTries, successes);
    if (!result.refused) this.metrics.webhookRequestDuration.observe({ outcome: outcome.kind === 'done' ? 'delivered' : 'error' }, result.latencyMs / 1000);
    if (outcome.kind === 'done' && outcome.status === 'delivered') this.metrics.webhookDeliveryLag.observe(Math.max(0, Date.now() - record.createdAtMs) / 1000);
    return this.counted(outcome);
  }

  private counted(result: AttemptResult): AttemptResult {
    const outcome = result.kind === 'done' ? result.status : result.kind === 'final' ? 'failed' : result.kind === 'retry' ? 'retrying' : 'busy';
    this.metrics.webhookDeliveries.inc({ outcome });
    return result;
  }

  private async send(sub: StoredSubscription, deliveryId: string, body: string): Promise<SendResult & { refused?: boolean }> {
    try {
      const target = await this.guard.resolve(sub.url);
      const secrets = [this.key(sub.secret)];
      if (sub.previousSecret && sub.previousSecretExpiresAt && Date.parse(sub.previousSecretExpiresAt) > Date.now()) secrets.push(this.key(sub.previousSecret));
      const headers = { ...webhookHeaders(secrets, deliveryId, Math.floor(Date.now() / 1000), body), 'user-agent': USER_AGENT };
      return await this.sender.post(target, body, headers, this.config.WEBHOOK_TIMEOUT_MS);
    } catch (error) {
      if (error instanceof TargetRefusedError) return { status: null, retryAfter: null, latencyMs: 0, error: `refused: ${error.message}`, refused: true };
      throw error;
    }
  }

  /** The HMAC key of a secret, decoded once per process. */
  private key(secret: string): Buffer {
    let key = this.keys.get(secret);
    if (!key) {
      if (this.keys.size > 10_000) this.keys.clear();
      key = secretKey(secret);
      this.keys.set(secret, key);
    }
    return key;
  }

  private async conclude(
    sub: StoredSubscription,
    deliveryId: string,
    r: SendResult & { refused?: boolean },
    tryNumber: number,
    maxTries: number,
    successes?: RecordedTry[],
  ): Promise<AttemptResult> {
    const verdict = classify({ status: r.status, retryAfter: r.retryAfter, refused: r.refused });
    const base = { responseCode: r.status, latencyMs: r.refused ? null : r.latencyMs, error: r.error };
    if (verdict.kind === 'delivered') {
      const attempt = { ...base, status: 'delivered' as const, at: Date.now() };
      if (successes) successes.push({ id: deliveryId, subscriptionId: sub.id, attempt });
      else await this.store.recordAttempt(deliveryId, sub.id, attempt);
      return { kind: 'done', status: 'delivered' };
    }
    // Earlier successes first: they clear the endpoint's failure streak that this failure starts.
    if (successes?.length) await this.store.recordAttempts(successes.splice(0));
    const error = r.error ?? `HTTP ${r.status}`;
    if (verdict.kind === 'retry' && tryNumber < maxTries) {
      const delayMs = backoffDelay(tryNumber, { baseMs: this.config.WEBHOOK_BACKOFF_BASE_MS, maxMs: this.config.WEBHOOK_BACKOFF_MAX_MS }, verdict.retryAfterMs);
      await this.store.recordAttempt(deliveryId, sub.id, { ...base, status: 'retrying', nextAttemptAt: Date.now() + delayMs });
      await this.countFailure(sub, error, false);
      return { kind: 'retry', delayMs, error };
    }
    // Pause first: whoever reads the failed delivery then also sees the endpoint paused.
    const gone = verdict.kind === 'give-up' && verdict.gone;
    await this.countFailure(sub, error, gone);
    await this.store.recordAttempt(deliveryId, sub.id, { ...base, status: 'failed' });
    return { kind: 'final', error };
  }

  /** Counts the failure against the endpoint and pauses it when it is gone or has failed for too long. */
  private async countFailure(sub: StoredSubscription, error: string, gone: boolean): Promise<void> {
    const { failures, failingSinceMs } = await this.store.recordFailure(sub.id, error);
    const since = new Date(failingSinceMs).toISOString();
    let reason: string | null = null;
    if (gone) reason = `the endpoint answered 410 Gone (${new Date().toISOString()})`;
    else if (this.config.WEBHOOK_PAUSE_AFTER_FAILURES > 0 && failures >= this.config.WEBHOOK_PAUSE_AFTER_FAILURES) {
      reason = `${failures} failed tries in a row since ${since}; last: ${error}`;
    } else if (this.config.WEBHOOK_PAUSE_AFTER_S > 0 && Date.now() - failingSinceMs >= this.config.WEBHOOK_PAUSE_AFTER_S * 1000) {
      reason = `failing without a success since ${since} (${failures} tries); last: ${error}`;
    }
    if (!reason) return;
    const paused = await this.repository.autoPause(sub.id, reason.slice(0, 1000));
    if (!paused) return;
    await this.store.bumpVersion();
    this.subscriptions.invalidate();
    this.logger.warn({ subscriptionId: sub.id, reason }, 'webhook subscription paused automatically');
  }
}
