import type { EventForecast, EventGeometry, EventHit } from '@tiersight/contracts';

/**
 * One event over one stretch of its own time, before it is matched against
 * today's sites: its area, severity and duration (and forecast, when it has
 * one) as the feed or the platform gave them. An event that changed (a new
 * advisory) is several versions with the same id, one after the other.
 */
export interface EventVersion {
  id: string;
  type: string;
  title: string;
  /** ISO 8601 instant this version's impacts begin. */
  startsAt: string;
  /** ISO 8601 instant they end (exclusive); null: still going when the range ends. */
  endsAt: string | null;
  severity: number;
  expectedDurationDays: number;
  /** The area matched against today's sites; null when it cannot be (a sensor event's bare point): `stored` hits stand instead. */
  geometry: EventGeometry | null;
  /** A forecast track (DESIGN §10): sites inside its cone or areas, outside the observed area, are anticipated. */
  forecast: EventForecast | null;
  /** The hits the platform stored, for a version whose area cannot be matched. */
  stored?: { hits: EventHit[]; anticipated: Array<EventHit & { p: number }> };
}

/** An item of an uploaded document that could not be replayed, with the adapter's reason (or a skipped one, with the policy's). */
export interface RejectedItem {
  /** Index of the document in the request. */
  document: number;
  itemRef: string | null;
  reason: string;
}
