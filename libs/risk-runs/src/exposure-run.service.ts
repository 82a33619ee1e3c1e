import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import {
  type Exposure,
  type ExposureChangeKind,
  type ExposureChangeMessage,
  type ExposureOutlook,
  EXPOSURE_CHANGES_STREAM,
  type OutlookChangeMessage,
  type OutlookChangeKind,
} from '@tiersight/contracts';
import { type AttributionWrite, EventRepository, ExposureRepository, ExposuresChangedError, type OutlookWrite } from '@tiersight/graph';
import { LOGGER } from '@tiersight/observability';
import { ALL_EVENTS, QueueProducer, RedisStore } from '@tiersight/queues';
import { computeOutlook, ExposureBook, ImpactInput, Projection } from '@tiersight/risk-engine';
import { AttributionCache } from './attribution-cache';
import { diffExposures } from './exposure-diff';
import { diffOutlooks } from './outlook-diff';
import { PhaseTimer } from './phase-timer';
import { ProjectionCache } from './projection-cache.service';

/** What a run's write counted. */
type ApplyCounts = Awaited<ReturnType<ExposureRepository['apply']>>;

/** Tries of a run checked against other runs' writes before one is written unchecked. */
const MAX_CHECKED_ROUNDS = 5;

/** Redis key: the request count the last completed run covered. */
export const PROPAGATION_DONE_KEY = 'risk:done';

export interface RunOutcome {
  skipped: boolean;
  seq: number;
  graphVersion?: number;
  exposed?: number;
  changes?: Array<{ kind: ExposureChangeKind; skuId: string }>;
  /** SKUs whose outlook (DESIGN §10) appeared, worsened or cleared. */
  outlookChanges?: Array<{ kind: OutlookChangeKind; skuId: string }>;
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
  /** Events whose attribution record was written (a new or changed reach), and how many (event, SKU bucket) rows that took. */
  attributionEvents: number;
  attributionRows: number;
  /** Events whose attribution the run computed (the others were as stored or as kept). */
  attributionComputed: number;
  /** Every entity the write created, changed or deleted (exposures, outlooks, attribution rows). */
  rowsWritten: number;
  anticipatedRead: number;
  /** SKUs with an outlook record after the run. */
  outlooks: number;
}

export interface RunPhases {
  projection: number;
  impacts: number;
  propagate: number;
  stored: number;
  attribution: number;
  outlook: number;
  publish: number;
  write: number;
}

/** A run's exposures before the diff: `compared` are the stored ones `next` is compared with. */
interface RunStep {
  book: ExposureBook;
  stored: Map<string, Exposure>;
  compared: Map<string, Exposure>;
  next: Exposure[];
  /** Set for an incremental run: the events applied. */
  byEvent?: Map<string, ImpactInput[]>;
  recomputedNodes?: number;
}

/** What this process wrote last: valid while the stamp in Neo4j is still ours. */
interface LastWrite {
  stamp: string;
  /** The exposures as stored. */
  stored: Map<string, Exposure>;
  /** The book they came from. */
  book: ExposureBook;
  /** The outlook records as stored. */
  outlooks: Map<string, ExposureOutlook>;
}

/** What a run read. `incremental` is set when only the named events' impacts were read, to apply to the kept book. */
interface RunInput {
  stampAtStart: string | null;
  /** The stored exposures this process wrote last, when still trusted (the stamp in Neo4j is still its own). */
  kept: Map<string, Exposure> | null;
  /** Likewise, the outlook records it wrote last. */
  keptOutlooks: Map<string, ExposureOutlook> | null;
  projection: Projection;
  graphVersion: number;
  /** Names the graph across processes: the database id and the version. */
  graphKey: string;
  incremental: { last: LastWrite; eventIds: string[] } | null;
  impacts: ImpactInput[];
  /** Every active anticipated impact: the outlook is computed afresh on each run (there are few). */
  anticipated: ImpactInput[];
}

/** What a run computed and is about to publish and write. */
interface RunPlan {
  book: ExposureBook;
  /** What Neo4j holds once the write commits. */
  stored: Map<string, Exposure>;
  compared: number;
  recomputedNodes?: number;
  changes: ExposureChangeMessage[];
  rewrite: Exposure[];
  resolved: string[];
  attribution: AttributionWrite;
  attributionComputed: number;
  outlookChanges: OutlookChangeMessage[];
  outlookWrite: OutlookWrite;
  /** What Neo4j holds of the outlook records once the write commits. */
  outlooks: Map<string, ExposureOutlook>;
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
  private lastWrite: LastWrite | null = null;

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

  /** One try of a run: read, compute, publish, write; null when another run wrote first (nothing written by this one). */
  private async runOnce(checked: boolean, scope: ImpactScope): Promise<Omit<RunOutcome, 'skipped' | 'seq'> | null> {
    const timer = new PhaseTimer<keyof RunPhases>();
    const input = await this.read(scope, timer);
    const plan = await this.compute(input, timer);
    // Changes are published before they are written: a crash in between publishes
    // them again on the next run (the stored exposures still differ), and the alert
    // fan-out, which compares with what each subscription was last told, sends no
    // repeat. Written first, a crash in between would lose them for good.
    await this.publish(plan.changes, plan.outlookChanges);
    timer.end('publish');
    const stamp = randomUUID();
    let written: ApplyCounts;
    try {
      written = await this.exposures.apply(plan.rewrite, plan.resolved, plan.attribution, stamp, checked ? input.stampAtStart : undefined, plan.outlookWrite);
    } catch (error) {
      if (error instanceof ExposuresChangedError) return null;
      throw error;
    }
    timer.end('write');
    this.lastWrite = { stamp, stored: plan.stored, book: plan.book, outlooks: plan.outlooks };
    return this.report(input, plan, written, timer);
  }

  /** What a run starts from: the stamp first (a write by another run after it refuses this run's), the projection, and the impacts in scope. */
  private async read(scope: ImpactScope, timer: PhaseTimer<keyof RunPhases>): Promise<RunInput> {
    const stampAtStart = await this.exposures.stamp();
    const last = this.lastWrite;
    this.lastWrite = null; // until this run's write commits
    const trusted = last !== null && stampAtStart === last.stamp;
    const { projection, graphVersion, databaseId } = await this.projections.current();
    timer.end('projection');
    const incremental = trusted && !scope.all && last.book.projection === projection ? { last, eventIds: scope.eventIds } : null;
    // An unknown id's index is -1, which is no site either.
    const known = (siteId: string) => projection.isSite(projection.indexOf(siteId));
    // The two reads are independent: one round trip's wait, not two.
    const [active, anticipatedRows] = await Promise.all([
      this.events.activeImpacts(incremental ? incremental.eventIds : undefined),
      this.events.anticipatedImpacts(),
    ]);
    const impacts: ImpactInput[] = active.filter((i) => known(i.siteId)).map((i) => ({ site: i.siteId, x: i.x, days: i.days, eventId: i.eventId }));
    const anticipated: ImpactInput[] = anticipatedRows
      .filter((i) => known(i.siteId))
      .map((i) => ({ site: i.siteId, x: i.x, days: i.days, eventId: i.eventId, anticipated: true, p: i.p }));
    timer.end('impacts');
    const kept = trusted ? last.stored : null;
    const keptOutlooks = trusted ? last.outlooks : null;
    const graphKey = `${databaseId}/${graphVersion}`;
    return { stampAtStart, kept, keptOutlooks, projection, graphVersion, graphKey, incremental, impacts, anticipated };
  }

  /** The engine's exposures, the diff against what is stored, and the attribution to write; nothing is written here. */
  private async compute(input: RunInput, timer: PhaseTimer<keyof RunPhases>): Promise<RunPlan> {
    const { projection, impacts, incremental } = input;
    const step = incremental ? this.applyNamedEvents(incremental.last, incremental.eventIds, impacts) : await this.startAfresh(projection, impacts, input.kept);
    const { book, stored, compared, next } = step;
    timer.end('propagate');
    const { changes, rewrite, resolved } = diffExposures(compared, next);
    timer.end('stored');
    // An incremental run is a trusted one: Neo4j holds the attribution the kept reaches say, and only the named events' can change.
    const attribution =
      (step.byEvent && this.attribution.updateEvents(projection, input.graphKey, step.byEvent)) ||
      this.attribution.reconcile(projection, input.graphKey, step.byEvent ? book.impacts() : impacts, await this.exposures.storedAttributionKeys());
    // From here `stored` is what Neo4j holds once this run's write commits. It is this run's
    // own map (a fresh read, or the last run's, forgotten at the start): if the write does
    // not commit, it is dropped with the rest.
    for (const id of resolved) stored.delete(id);
    // Kept as computed: the next diff compares it as its JSON would be (sameAsJson), so no read-back copy is needed.
    for (const e of rewrite) stored.set(e.skuId, e);
    timer.end('attribution');
    const storedOutlooks = input.keptOutlooks ?? (await this.exposures.storedOutlooks());
    const outlook = computeOutlook(book.view, input.anticipated, book.threshold).map(({ sku: _sku, ...record }) => ({
      ...record,
      onsetDays: finite(record.onsetDays),
    }));
    const outlookDiff = diffOutlooks(storedOutlooks, outlook, changes, (skuId) => stored.get(skuId) ?? null);
    const outlooks = new Map(outlook.map((o) => [o.skuId, o]));
    timer.end('outlook');
    return {
      book,
      stored,
      compared: next.length,
      recomputedNodes: step.recomputedNodes,
      changes,
      rewrite,
      resolved,
      attribution,
      attributionComputed: this.attribution.computed,
      outlookChanges: outlookDiff.changes,
      outlookWrite: { set: outlookDiff.set, clear: outlookDiff.clear },
      outlooks,
    };
  }

  private report(input: RunInput, plan: RunPlan, written: ApplyCounts, timer: PhaseTimer<keyof RunPhases>): Omit<RunOutcome, 'skipped' | 'seq'> {
    const { graphVersion } = input;
    const trusted = input.kept !== null;
    const ms = timer.elapsed();
    const phases = timer.phases;
    const mode = input.incremental ? 'incremental' : 'full';
    const counts: RunCounts = {
      impactsRead: input.impacts.length,
      compared: plan.compared,
      rewritten: plan.rewrite.length,
      resolved: plan.resolved.length,
      attributionEvents: plan.attribution.write.length,
      attributionRows: written.attributionRecords,
      attributionComputed: plan.attributionComputed,
      rowsWritten: written.rows,
      anticipatedRead: input.anticipated.length,
      outlooks: plan.outlooks.size,
    };
    const exposed = plan.stored.size;
    this.logger.info(
      {
        graphVersion,
        mode,
        exposed,
        recomputedNodes: plan.recomputedNodes,
        changes: plan.changes.length,
        ...counts,
        trusted,
        ms,
        phases,
      },
      'exposures propagated',
    );
    const changes = plan.changes.map((c) => ({ kind: c.kind, skuId: c.skuId }));
    const outlookChanges = plan.outlookChanges.map((c) => ({ kind: c.kind, skuId: c.skuId }));
    return { graphVersion, exposed, changes, outlookChanges, ms, phases, mode, counts };
  }

  /**
   * The named events' impacts replace what the kept book holds (an event with
   * none read has ended); only the exposures that may have moved come out,
   * with the stored ones they are to be compared with.
   */
  private applyNamedEvents(last: LastWrite, eventIds: string[], impacts: ImpactInput[]): RunStep {
    const byEvent = new Map<string, ImpactInput[]>(eventIds.map((id) => [id, []]));
    for (const i of impacts) byEvent.get(i.eventId!)!.push(i);
    const changed = last.book.setEvents(byEvent);
    const next = changed.updated.map(toStored);
    const compared = new Map<string, Exposure>();
    for (const id of [...next.map((e) => e.skuId), ...changed.gone]) {
      const before = last.stored.get(id);
      if (before) compared.set(id, before);
    }
    return { book: last.book, stored: last.stored, compared, next, byEvent, recomputedNodes: changed.recomputedNodes };
  }

  /** Every active impact into a new book; compared with every stored exposure (what this process wrote last, or a fresh read). */
  private async startAfresh(projection: Projection, impacts: ImpactInput[], kept: Map<string, Exposure> | null): Promise<RunStep> {
    const book = new ExposureBook(projection, impacts);
    const next = book.exposures().map(toStored);
    const stored = kept ?? (await this.exposures.storedById());
    return { book, stored, compared: stored, next };
  }

  /** Exposure changes in `change` fields, then outlook changes in `outlook` fields (a reader that knows only the first skips the others). */
  private async publish(changes: ExposureChangeMessage[], outlookChanges: OutlookChangeMessage[]): Promise<void> {
    if (changes.length === 0 && outlookChanges.length === 0) return;
    const pipeline = this.store.client.pipeline();
    const stream = this.store.key(EXPOSURE_CHANGES_STREAM);
    for (const change of changes) pipeline.xadd(stream, 'MAXLEN', '~', '100000', '*', 'change', JSON.stringify(change));
    for (const change of outlookChanges) pipeline.xadd(stream, 'MAXLEN', '~', '100000', '*', 'outlook', JSON.stringify(change));
    // A pipeline resolves with each command's error instead of rejecting: a change not published must fail the run before its write.
    const failed = (await pipeline.exec())?.find(([error]) => error);
    if (failed) throw failed[0];
  }
}

function toStored(e: Exposure): Exposure {
  return { ...e, onsetDays: finite(e.onsetDays) };
}

/** Disrupted nodes always have a finite onset; JSON has no Infinity, so an impossible one shows as -1 rather than breaking the write. */
function finite(value: number): number {
  return Number.isFinite(value) ? value : -1;
}
