import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '@tiersight/observability';
import { defaultGazetteer, placeRow, type PlacedRow } from '@tiersight/place-engine';
import { OnboardingListStore } from './onboarding-list.store';
import { OnboardingRepository, type NearbyQuery } from './onboarding.repository';
import { OnboardingError, OnboardingErrorCode } from './onboarding.error';
import type { ListRow } from './read-list';
import { buildReview, reviewRows } from './review';

/** How the review job reports its progress to the queue. */
export interface ReviewProgress {
  /** Fraction of rows placed, in [0, 1]. */
  report(fraction: number): Promise<void>;
  /** True when BullMQ will not try the job again after this try. */
  lastTry: boolean;
}

/** Rows placed between two progress reports (each report also lets the worker's lock renewal run). */
const PROGRESS_EVERY = 100;
/** Existing sites are looked for within a row's radius of uncertainty plus this, and within these bounds. */
const NEAR_MARGIN_KM = 10;
const NEAR_MIN_KM = 15;
const NEAR_MAX_KM = 150;

/**
 * The `onboarding.review` job: places every row of a stored list (offline
 * gazetteer), reads the existing sites near them (a supplier's list: its own
 * sites only) and the pairs rejected before, proposes duplicates and stores
 * the review. Writes nothing to the graph.
 */
@Injectable()
export class OnboardingReviewer {
  constructor(
    private readonly store: OnboardingListStore,
    private readonly repository: OnboardingRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async review(id: string, progress: ReviewProgress): Promise<'reviewed' | 'skipped'> {
    const list = await this.store.read(id);
    if (!list) throw new OnboardingError(OnboardingErrorCode.ListNotFound, `onboarding list ${id} does not exist (expired?)`);
    if (!(await this.store.start(id))) return 'skipped';
    const started = performance.now();
    try {
      const input = await this.store.input(id);
      if (!input) throw new OnboardingError(OnboardingErrorCode.ListNotFound, `the rows of onboarding list ${id} have expired`);
      const placed = await this.place(id, input, progress);
      const rows = reviewRows(input, placed);
      // A supplier's list (portal) meets that supplier's own sites alone: no other supplier's site is proposed, named or counted.
      const points = rows.flatMap((r): NearbyQuery[] => (r.location ? [nearby(r.location, r.country)] : []));
      const existing = await this.repository.sitesNear(points, list.owner);
      const ids = [...new Set([...rows.flatMap((r) => (r.site ? [r.site.id] : [])), ...existing.map((s) => s.id)])];
      const rejected = await this.repository.rejectionsAmong(ids);
      const review = buildReview(rows, existing, rejected);
      await this.store.writeReview(id, review);
      this.logger.info(
        { listId: id, owner: list.owner, ...review.summary, existingSites: existing.length, ms: Math.round(performance.now() - started) },
        'onboarding list reviewed',
      );
      return 'reviewed';
    } catch (error) {
      const message = (error as Error).message;
      if (error instanceof OnboardingError || progress.lastTry) await this.store.fail(id, message);
      else await this.store.requeue(id, message);
      throw error;
    }
  }

  private async place(id: string, input: readonly ListRow[], progress: ReviewProgress): Promise<PlacedRow[]> {
    const gazetteer = defaultGazetteer();
    const placed: PlacedRow[] = [];
    for (const row of input) {
      const c = row.cells;
      placed.push(placeRow({ name: c.name, address: c.address, city: c.city, postalCode: c.postalCode, admin1: c.admin1, country: c.country }, gazetteer));
      if (placed.length % PROGRESS_EVERY === 0 || placed.length === input.length) {
        await this.store.progress(id, placed.length);
        await progress.report(placed.length / input.length);
      }
    }
    return placed;
  }
}

function nearby(location: { lat: number; lon: number; radiusKm: number }, country: string | null): NearbyQuery {
  return { lat: location.lat, lon: location.lon, country, km: Math.min(NEAR_MAX_KM, Math.max(NEAR_MIN_KM, location.radiusKm + NEAR_MARGIN_KM)) };
}
