import type { EventGeometry } from '@tiersight/contracts';
import { InvalidGeometryError, parseEventGeometry } from '@tiersight/geo-engine';
import type { EventView } from '@tiersight/graph';
import { compareIds } from '@tiersight/risk-engine';
import type { EventVersion } from './event-versions';

/** Whether a stored event's life [startsAt, closedAt) overlaps [from, to]. */
export function overlapsRange(view: Pick<EventView, 'startsAt' | 'status' | 'closedAt'>, fromMs: number, toMs: number): boolean {
  const start = Date.parse(view.startsAt);
  const end = endOf(view);
  return start <= toMs && (end === null || end > fromMs);
}

/**
 * The platform's own events as versions to replay: each lives from its
 * `startsAt` until it was closed (`closedAt`), or on past the range while
 * still active. The platform keeps an event's last state only, so each is
 * one version. Its area is matched afresh against today's sites, with the
 * event's severity and expected duration (as the live matching does, survey
 * answers aside); its forecast, if any, anticipates afresh. An event whose
 * area cannot be matched (a sensor rule's event, a bare point at its site)
 * keeps the hits the platform stored for it, observed and anticipated.
 */
export function eventsFromHistory(views: readonly EventView[]): EventVersion[] {
  return [...views]
    .sort((a, b) => compareIds(a.id, b.id))
    .map((view) => {
      const geometry = matchableGeometry(view);
      const closedAt = endOf(view);
      return {
        id: view.id,
        type: view.type,
        title: view.title,
        startsAt: new Date(Date.parse(view.startsAt)).toISOString(),
        endsAt: closedAt === null ? null : new Date(closedAt).toISOString(),
        severity: view.severity,
        expectedDurationDays: view.expectedDurationDays,
        geometry,
        forecast: geometry ? view.forecast : null,
        ...(geometry
          ? {}
          : {
              stored: {
                hits: view.hits.map(({ siteId, x, days }) => ({ siteId, x, days })),
                anticipated: view.anticipatedHits.map(({ siteId, x, days, p }) => ({ siteId, x, days, p })),
              },
            }),
      };
    });
}

function endOf(view: Pick<EventView, 'status' | 'closedAt'>): number | null {
  if (view.status !== 'closed') return null;
  const closed = view.closedAt ? Date.parse(view.closedAt) : NaN;
  // A closed event without a close time (never expected): its life ended at an unknown time; treat it as never active.
  return Number.isFinite(closed) ? closed : -Infinity;
}

/** The stored area as the live matching reads it (the radius kept beside the point), or null when it is no area to match. */
function matchableGeometry(view: Pick<EventView, 'geometry' | 'radiusKm'>): EventGeometry | null {
  try {
    return parseEventGeometry(view.geometry, view.radiusKm ?? undefined);
  } catch (error) {
    if (error instanceof InvalidGeometryError) return null;
    throw error;
  }
}
