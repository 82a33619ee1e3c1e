import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import { EventRepository, ExposureRepository, ExposuresChangedError, StoredExposure } from '@tiersight/graph';
import { LOGGER } from '@tiersight/observability';
import { QueueProducer, RedisStore } from '@tiersight/queues';
import { ImpactInput, listExposures, propagate } from '@tiersight/risk-engine';
import { AttributionCache } from './attribution-cache';
import { planAttribution } from './attribution-plan';
import { diffExposures, ExposureChange } from './exposure-diff';
import { ProjectionCache } from './projection-cache.service';

/** Tries of a run checked against other runs' writes before one is written unchecked. */
const MAX_CHECKED_ROUNDS = 5;

/** Redis key: the request count the last completed run covered. */
export const PROPAGATION_DONE_KEY = 'risk:done';
/** Redis stream of exposure changes, for the alerts to consume. */
export const EXPOSURE_CHANGES_STREAM = 'exposure-changes';

export interface RunOutcome {
  skipped: boolean;
  seq: number;
  graphVersion?: number;
  exposed?: number;
  changes?: Array<{ kind: ExposureChange['kind']; skuId: string }>;
  ms?: number;
  /** Where the run's time went, in ms. */
  phases?: RunPhases;
}

export interface RunPhases {
  projection: number;
  impacts: number;
  propagate: number;
  stored: number;
  attribution: number;
  publish: number;
  write: number;
}

/**
 * One propagation: active impacts → engine → exposures, explanations and
 * attribution → the changes published, then only what changed written back.
 * Runs one at a time across all workers (the risk queue's global concurrency is 1).
 */
@Injectable()
export class ExposureRunService {
  private readonly attribution = new AttributionCache();
  /** What this process wrote last (stamp, exposures as stored): valid while the stamp in Neo4j is still ours. */
  private lastWrite: { stamp: string; stored: Map<string, StoredExposure> } | null = null;

  constructor(
    private readonly projections: ProjectionCache,
    private readonly events: EventRepository,
    private readonly exposures: ExposureRepository,
    private readonly producer: QueueProducer,
    private readonly store: RedisStore,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async runIfNeeded(requestedSeq: number): Promise<RunOutcome> {
    const done = await this.store.getNumber(PROPAGATION_DONE_KEY);
    if (requestedSeq <= done) return { skipped: true, seq: done };
    // Read the counter before the graph: every request counted here is visible in what is read next.
    const seq = await this.producer.propagationSeq();
    const outcome = await this.run();
    await this.store.raiseTo(PROPAGATION_DONE_KEY, seq);
    return { ...outcome, skipped: false, seq };
  }

  async run(): Promise<Omit<RunOutcome, 'skipped' | 'seq'>> {
    // Optimistic: a run that finds another run's write landed since it began reads everything
    // again. After a few such rounds it writes unchecked rather than never (the next run corrects).
    for (let round = 1; ; round++) {
      const outcome = await this.runOnce(round < MAX_CHECKED_ROUNDS);
      if (outcome) return outcome;
      this.logger.info({ round }, 'stored exposures changed by another run since this one began; reading them again');
    }
  }

  /** One try of a run; null when another run wrote first (nothing written by this one). */
  private async runOnce(checked: boolean): Promise<Omit<RunOutcome, 'skipped' | 'seq'> | null> {
    const started = Date.now();
    let mark = started;
    const lap = () => -mark + (mark = Date.now());
    // Read before anything else: a write by another run after this point refuses this run's write.
    const stampAtStart = await this.exposures.stamp();
    // The stored exposures and attribution edges are what this process wrote last, unless
    // another run has written since: then they are read again and every exposed SKU's edges rewritten.
    const last = this.lastWrite;
    this.lastWrite = null; // until this run's write commits
    const trusted = last !== null && stampAtStart === last.stamp;
    const { projection, graphVersion } = await this.projections.current();
    const tProjection = lap();
    const impacts: ImpactInput[] = (await this.events.activeImpacts())
      .filter((i) => projection.indexOf(i.siteId) >= 0 && projection.isSite(projection.indexOf(i.siteId)))
      .map((i) => ({ site: i.siteId, x: i.x, days: i.days, eventId: i.eventId }));
    const tImpacts = lap();
    const result = propagate(projection, impacts);
    const next: StoredExposure[] = listExposures(result).map((e) => ({ ...e, onsetDays: finite(e.onsetDays) }));
    const tPropagate = lap();
    // Attribution: only events whose reach changed (and SKUs newly exposed) need their edges written.
    const delta = this.attribution.update(projection, impacts);
    const exposed = new Set(next.map((e) => e.skuId));
    const stored = trusted ? last.stored : await this.exposures.storedById();
    const { changes, rewrite, resolved } = diffExposures(stored, next);
    const tStored = lap();
    const newlyExposed = new Set(rewrite.filter((e) => !stored.has(e.skuId)).map((e) => e.skuId));
    const attribution = planAttribution(this.attribution, delta, { trusted, exposed, newlyExposed }, finite);
    const tAttribution = lap();
    // Changes are published before they are written: a crash in between publishes
    // them again on the next run (the stored exposures still differ), and the alert
    // fan-out, which compares with what each subscription was last told, sends no
    // repeat. Written first, a crash in between would lose them for good.
    await this.publish(changes);
    const tPublish = lap();
    const stamp = randomUUID();
    try {
      await this.exposures.apply(rewrite, resolved, attribution, stamp, checked ? stampAtStart : undefined);
    } catch (error) {
      if (error instanceof ExposuresChangedError) return null;
      throw error;
    }
    const nowStored = new Map(stored);
    for (const id of resolved) nowStored.delete(id);
    for (const e of rewrite) nowStored.set(e.skuId, JSON.parse(JSON.stringify(e)) as StoredExposure); // as read back from Neo4j
    this.lastWrite = { stamp, stored: nowStored };
    const phases: RunPhases = {
      projection: tProjection, impacts: tImpacts, propagate: tPropagate, stored: tStored, attribution: tAttribution, publish: tPublish, write: lap(),
    };
    const ms = Date.now() - started;
    this.logger.info(
      { graphVersion, impacts: impacts.length, exposed: next.length, changes: changes.length, rewritten: rewrite.length, trusted, eventsAttributed: delta.changed.length, attributionRows: attribution.rows.length, ms, phases },
      'exposures propagated',
    );
    return { graphVersion, exposed: next.length, changes: changes.map((c) => ({ kind: c.kind, skuId: c.skuId })), ms, phases };
  }

  private async publish(changes: ExposureChange[]): Promise<void> {
    if (changes.length === 0) return;
    const pipeline = this.store.client.pipeline();
    for (const change of changes) {
      pipeline.xadd(this.store.key(EXPOSURE_CHANGES_STREAM), 'MAXLEN', '~', '100000', '*', 'change', JSON.stringify(change));
    }
    await pipeline.exec();
  }
}

/** Disrupted nodes always have a finite onset; JSON has no Infinity, so an impossible one shows as -1 rather than breaking the write. */
function finite(value: number): number {
  return Number.isFinite(value) ? value : -1;
}
