import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, type BaseEnv } from '@tiersight/config';
import { FEED_CONFIG, type FeedConfig } from '@tiersight/disruptions';
import { EventRepository, type EventView, SupplyNetworkReader } from '@tiersight/graph';
import { LOGGER } from '@tiersight/observability';
import { projectionVisitor } from '@tiersight/risk-runs';
import { type Projection, ProjectionBuilder } from '@tiersight/risk-engine';
import { BacktestError, BacktestErrorCode } from './backtest.error';
import { type BacktestRecord, BacktestRunStore, type BacktestState } from './backtest-run.store';
import { matchEvents, SiteIndex, type SiteLocation } from './event-matching';
import { eventsFromHistory, overlapsRange } from './history-events';
import { replaySteps } from './replay';
import type { BacktestReport } from './replay-report';

/** How a backtest's job reports its progress to the queue. */
export interface JobProgress {
  /** Fraction done, in [0, 1]. */
  report(fraction: number): Promise<void>;
  /** True when BullMQ will not try the job again after this try. */
  lastTry: boolean;
}

/** Events read per page of the platform's history. */
const HISTORY_PAGE = 500;
/** Progress is written at most this often while replaying (each write yields to the event loop). */
const PROGRESS_EVERY_MS = 200;

/** Today's network as one consistent read: the engine's projection, the sites' locations, the countries of each site and its supplier. */
interface Network {
  graphVersion: number;
  projection: Projection;
  sites: SiteLocation[];
  siteCountries: Map<string, string[]>;
}

/**
 * Runs a queued backtest (the `backtest.run` job): reads today's network
 * and the events (the platform's history, or the uploaded documents' events
 * the API stored), matches them against today's sites, replays them
 * (replay.ts) with progress and stores the report. Reads only: it writes no
 * exposure, publishes no change and queues no alert.
 */
@Injectable()
export class BacktestExecutor {
  constructor(
    private readonly store: BacktestRunStore,
    private readonly reader: SupplyNetworkReader,
    private readonly events: EventRepository,
    @Inject(APP_CONFIG) private readonly config: BaseEnv,
    @Inject(FEED_CONFIG) private readonly feeds: FeedConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(id: string, progress: JobProgress): Promise<'succeeded' | 'skipped'> {
    const record = await this.store.read(id);
    if (!record) throw new BacktestError(BacktestErrorCode.RunNotFound, `backtest ${id} does not exist (expired?)`);
    if (!(await this.store.start(id))) return 'skipped';
    try {
      const report = await this.run(record, progress);
      this.logger.info(
        { backtestId: id, instants: report.instants, alerts: report.totals.on.alerts, shortages: report.totals.on.shortages },
        'backtest finished',
      );
      return 'succeeded';
    } catch (error) {
      const message = (error as Error).message;
      if (error instanceof BacktestError || progress.lastTry) await this.store.fail(id, message);
      else await this.store.requeue(id, message);
      throw error;
    }
  }

  private async run(record: BacktestRecord, progress: JobProgress): Promise<BacktestReport> {
    const { id, request } = record;
    const started = performance.now();
    const network = await this.network();
    const versions = request.source === 'history' ? eventsFromHistory(await this.history(request.from, request.to)) : await this.store.inputs(id);
    if (versions.length > this.config.BACKTEST_MAX_EVENTS) {
      throw new BacktestError(
        BacktestErrorCode.TooManyEvents,
        `${versions.length} stored events overlap the range; at most ${this.config.BACKTEST_MAX_EVENTS} (BACKTEST_MAX_EVENTS): replay a shorter range`,
      );
    }
    const events = matchEvents(versions, new SiteIndex(network.sites), this.feeds.forecast);
    const loadMs = performance.now() - started;

    const steps = replaySteps({
      projection: network.projection,
      events,
      subscriptions: record.subscriptions,
      from: request.from,
      to: request.to,
      steps: { x: this.config.WEBHOOK_STEP_X, days: this.config.WEBHOOK_STEP_DAYS, revenuePct: this.config.WEBHOOK_STEP_REVENUE_PCT },
      siteCountries: network.siteCountries,
    });
    let reported = performance.now();
    let report: BacktestReport;
    for (;;) {
      const next = steps.next();
      if (next.done) {
        report = next.value;
        break;
      }
      const { done, total } = next.value;
      if (performance.now() - reported >= PROGRESS_EVERY_MS) {
        await this.store.progress(id, 'replaying', done, total);
        await progress.report(done / total);
        reported = performance.now();
      }
    }
    const state: BacktestState = {
      graphVersion: network.graphVersion,
      sites: network.sites.length,
      skus: network.projection.skuNodes.length,
      eventVersions: versions.length,
      timings: { loadMs: Math.round(loadMs), replayMs: Math.round(performance.now() - started - loadMs) },
    };
    await this.store.succeed(id, state, report);
    await progress.report(1);
    return report;
  }

  /** One read transaction: the projection the risk runs build, plus what matching and the filters need of the sites. */
  private async network(): Promise<Network> {
    const builder = new ProjectionBuilder();
    const base = projectionVisitor(builder);
    const supplierCountry = new Map<string, string>();
    const sites: Array<SiteLocation & { supplierId: string }> = [];
    const graphVersion = await this.reader.read({
      supplier: (s) => {
        base.supplier(s);
        supplierCountry.set(s.id, s.country);
      },
      site: (s) => {
        base.site(s);
        sites.push({ id: s.id, lat: s.lat, lon: s.lon, country: s.country ?? null, supplierId: s.supplierId });
      },
      sku: (k) => base.sku(k),
      edge: (e) => base.edge(e),
    });
    // As the alert context reads them: the site's own country and its supplier's.
    const siteCountries = new Map(
      sites.map((s) => [s.id, [...new Set([s.country, supplierCountry.get(s.supplierId)].filter((c): c is string => typeof c === 'string'))]]),
    );
    return { graphVersion, projection: builder.build(), sites: sites.map(({ supplierId: _s, ...site }) => site), siteCountries };
  }

  /** Every stored event whose life overlaps the range, page by page. */
  private async history(from: string, to: string): Promise<EventView[]> {
    const fromMs = Date.parse(from);
    const toMs = Date.parse(to);
    const out: EventView[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.events.list(HISTORY_PAGE, cursor);
      for (const view of page.items) if (overlapsRange(view, fromMs, toMs)) out.push(view);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return out;
  }
}
