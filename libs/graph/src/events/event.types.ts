import type { AnticipatedEventHit, DisruptionEvent, EventForecast, EventHit, EventStatus } from '@tiersight/contracts';

/**
 * An event as `GET /v1/events/:id` shows it: the stored event, its state,
 * the sites it hits (observed) and the sites it may hit (anticipated, with
 * p and the forecast basis).
 */
export interface EventView extends Omit<DisruptionEvent, 'geometry' | 'forecast'> {
  geometry: unknown;
  radiusKm: number | null;
  status: EventStatus;
  updatedAt: string;
  expiresAt: string | null;
  sourceUrl: string | null;
  closedAt: string | null;
  closedReason: string | null;
  /** The advisory's forecast (cyclone tracks), or null. */
  forecast: EventForecast | null;
  /** Observed impacts only. */
  hits: EventHit[];
  /** Anticipated impacts (DESIGN §10): a forecast track's or a sensor forecast's, with p and why. */
  anticipatedHits: AnticipatedEventHit[];
}

/** An active direct impact on a site, as the risk engine takes it. */
export interface ActiveImpact {
  eventId: string;
  siteId: string;
  x: number;
  days: number;
  /** The event's type (earthquake, flood, sensor, ...). */
  eventType: string;
  /** Where (x, days) comes from: the event's footprint, a supplier's confirmed survey answer, or a fired sensor rule. */
  source: 'estimate' | 'survey' | 'sensor';
}

/** An active anticipated impact (DESIGN §10): a HITS edge marked `anticipated` with the probability `p` (0 < p < 1) that it comes. */
export interface AnticipatedImpact {
  eventId: string;
  siteId: string;
  x: number;
  days: number;
  p: number;
  eventType: string;
  /** Who anticipates it (the HITS edge's source: 'sensor', 'forecast' for a forecast track). */
  source: string;
}
