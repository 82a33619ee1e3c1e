import type { EventGeometry } from '@tiersight/geo';

export const EVENT_TYPES = ['earthquake', 'storm', 'flood', 'fire', 'volcano', 'drought', 'strike', 'port-closure', 'insolvency', 'sensor', 'other'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export type EventStatus = 'active' | 'closed';

/** A normalised disruption (DESIGN §2), whatever feed or push it came from. */
export interface DisruptionEvent {
  id: string;
  source: string;
  type: EventType;
  title: string;
  severity: number;
  expectedDurationDays: number;
  geometry: EventGeometry;
  country: string | null;
  startsAt: string;
}

export interface EventHit {
  siteId: string;
  x: number;
  days: number;
}

export interface EventView extends Omit<DisruptionEvent, 'geometry'> {
  geometry: unknown;
  radiusKm: number | null;
  status: EventStatus;
  updatedAt: string;
  expiresAt: string | null;
  sourceUrl: string | null;
  closedAt: string | null;
  closedReason: string | null;
  hits: EventHit[];
}

/** An active direct impact on a site, as the risk engine takes it. */
export interface ActiveImpact {
  eventId: string;
  siteId: string;
  x: number;
  days: number;
}
