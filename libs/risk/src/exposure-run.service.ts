import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import { EventRepository, ExposureRepository, ExposuresChangedError, StoredExposure } from '@tiersight/graph';
import { LOGGER } from '@tiersight/observability';
import { ALL_EVENTS, QueueProducer, RedisStore } from '@tiersight/queues';
import { Exposure, ExposureBook, ImpactInput, Projection } from '@tiersight/risk-engine';
import { AttributionCache, ReachDelta } from './attribution-cache';
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
  /** Incremental: only the requested events' impacts were read and applied; full: everything afresh. */
  mode?: 'incremental' | 'full';
  /** How much the run read, compared and wrote. */
  counts?: RunCounts;
}

export interface RunCounts {
  impactsRead: number;
  /** Exposures explained afresh and compared with the stored ones. */
  compared: number;
  /** Exposures written (changed numbers or a changed explanation). */
  rewritten: number;
  resolved: number;
  attributionRows: number;
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

/** A run's exposures before the diff: `compared` are the stored ones `next` is compared with. */
interface RunStep {
  book: ExposureBook;
  stored: Map<string, StoredExposure>;
  compared: Map<string, StoredExposure>;
  next: StoredExposure[];
  /** Set for an incremental run: the events applied. */
  byEvent?: Map<string, ImpactInput[]>;
  recomputedNodes?: number;
}

/** Which impacts a run reads: every active one, or only those of the named events (the others are as the last run left them). */
export type ImpactScope = { all: true } | { all: false; eventIds: string[] };

/**
 * One propagation: impacts → engine → exposures, explanations and
 * attribution → the changes published, then only what changed written back.
 * Runs one at a time across all workers (the risk queue's global concurrency is 1).
 *
 * A worker keeps what it computed and wrote last (the exposure book, the
 * stored exposures, the attribution reaches). While nobody else has written
 * since (the stamp in Neo4j is still its own) and the graph is the same, a run
 * reads only the impacts of the events named by the requests it covers and
 * applies them to the book: the engine re-solves their cone, only SKUs whose
 * state or critical path may have moved are explained again and compared.
 * Otherwise (first run, graph changed, another worker wrote, or a request
 * that named no event) it reads every active impact and starts afresh.
 */
@Injectable()
export class ExposureRunService {
  private readonly attribution = new AttributionCache();
  /** What this process wrote last (stamp, exposures as stored, the book they came from): valid while the stamp in Neo4j is still ours. */
  private lastWrite: { stamp: string; stored: Map<string, StoredExposure>; book: ExposureBook } | null = null;

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
    // Read the counter and the events named before the graph: every request counted here is visible in what is read next.
    const seq = await this.producer.propagationSeq();
    const requested = await this.producer.requestedEvents();
    const outcome = await this.run(requested.has(ALL_EVENTS) ? { all: true } : { all: false, eventIds: [...requested.keys()] });
    await this.store.raiseTo(PROPAGATION_DONE_KEY, seq);
    await this.producer.settleRequestedEvents(requested);
    return { ...outcome, skipped: false, seq };
  }

  async run(scope: ImpactScope = { all: true }): Promise<Omit<RunOutcome, 'skipped' | 'seq'>> {
    // Optimistic: a run that finds another run's write landed since it began reads everything
    // again. After a few such rounds it writes unchecked rather than never (the next run corrects).
    for (let round = 1; ; round++) {
      const outcome = await this.runOnce(round < MAX_CHECKED_ROUNDS, round === 1 ? scope : { all: true });
      if (outcome) return outcome;
      this.logger.info({ round }, 'stored exposures changed by another run since this one began; reading them again');
    }
  }

  /** One try of a run; null when another run wrote first (nothing written by this one). */
  private async runOnce(checked: boolean, scope: ImpactScope): Promise<Omit<RunOutcome, 'skipped' | 'seq'> | null> {
    const started = Date.now();
    let mark = started;
    const lap = () => -mark + (mark = Date.now());
    // Read before anything else: a write by another run after this point refuses this run's write.
    const stampAtStart = await this.exposures.stamp();
    const last = this.lastWrite;
    this.lastWrite = null; // until this run's write commits
    const trusted = last !== null && stampAtStart === last.stamp;
    const { projection, graphVersion } = await this.projections.current();
    const tProjection = lap();
    const known = (siteId: string) => projection.indexOf(siteId) >= 0 && projection.isSite(projection.indexOf(siteId));
    const incremental = trusted && !scope.all && last.book.projection === projection;
    const rows = (await this.events.activeImpacts(incremental ? scope.eventIds : undefined)).filter((i) => known(i.siteId));
    const impacts: ImpactInput[] = rows.map((i) => ({ site: i.siteId, x: i.x, days: i.days, eventId: i.eventId }));
    const tImpacts = lap();

    const step = incremental ? this.applyNamedEvents(last, scope.eventIds, impacts) : await this.startAfresh(projection, impacts, trusted ? last.stored : null);
    const { book, stored, compared, next } = step;
    const tPropagate = lap();
    const { changes, rewrite, resolved } = diffExposures(compared, next);
    const tStored = lap();
    const delta: ReachDelta = step.byEvent
      ? (this.attribution.updateEvents(projection, step.byEvent) ?? this.attribution.update(projection, book.impacts()))
      : this.attribution.update(projection, impacts);
    const newlyExposed = new Set(rewrite.filter((e) => !stored.has(e.skuId)).map((e) => e.skuId));
    // From here `stored` is what Neo4j holds once this run's write commits. It is this run's
    // own map (a fresh read, or the last run's, forgotten at the start): if the write does
    // not commit, it is dropped with the rest.
    for (const id of resolved) stored.delete(id);
    for (const e of rewrite) stored.set(e.skuId, JSON.parse(JSON.stringify(e)) as StoredExposure); // as read back from Neo4j
    const attribution = planAttribution(this.attribution, delta, { trusted, exposed: stored, newlyExposed }, finite);
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
    this.lastWrite = { stamp, stored, book };
    const phases: RunPhases = {
      projection: tProjection, impacts: tImpacts, propagate: tPropagate, stored: tStored, attribution: tAttribution, publish: tPublish, write: lap(),
    };
    const ms = Date.now() - started;
    const mode = incremental ? 'incremental' : 'full';
    const counts: RunCounts = { impactsRead: impacts.length, compared: next.length, rewritten: rewrite.length, resolved: resolved.length, attributionRows: attribution.rows.length };
    this.logger.info(
      { graphVersion, mode, exposed: stored.size, recomputedNodes: step.recomputedNodes, changes: changes.length, ...counts, trusted, eventsAttributed: delta.changed.length, ms, phases },
      'exposures propagated',
    );
    return { graphVersion, exposed: stored.size, changes: changes.map((c) => ({ kind: c.kind, skuId: c.skuId })), ms, phases, mode, counts };
  }

  /**
   * The named events' impacts replace what the kept book holds (an event with
   * none read has ended); only the exposures that may have moved come out,
   * with the stored ones they are to be compared with.
   */
  private applyNamedEvents(last: { stored: Map<string, StoredExposure>; book: ExposureBook }, eventIds: string[], impacts: ImpactInput[]): RunStep {
    const byEvent = new Map<string, ImpactInput[]>(eventIds.map((id) => [id, []]));
    for (const i of impacts) byEvent.get(i.eventId!)!.push(i);
    const changed = last.book.setEvents(byEvent);
    const next = changed.updated.map(toStored);
    const compared = new Map<string, StoredExposure>();
    for (const id of [...next.map((e) => e.skuId), ...changed.gone]) {
      const before = last.stored.get(id);
      if (before) compared.set(id, before);
    }
    return { book: last.book, stored: last.stored, compared, next, byEvent, recomputedNodes: changed.recomputedNodes };
  }

  /** Every active impact into a new book; compared with every stored exposure (what this process wrote last, or a fresh read). */
  private async startAfresh(projection: Projection, impacts: ImpactInput[], kept: Map<string, StoredExposure> | null): Promise<RunStep> {
    const book = new ExposureBook(projection, impacts);
    const next = book.exposures().map(toStored);
    const stored = kept ?? (await this.exposures.storedById());
    return { book, stored, compared: stored, next };
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

function toStored(e: Exposure): StoredExposure {
  return { ...e, onsetDays: finite(e.onsetDays) };
}

/** Disrupted nodes always have a finite onset; JSON has no Infinity, so an impossible one shows as -1 rather than breaking the write. */
function finite(value: number): number {
  return Number.isFinite(value) ? value : -1;
}
