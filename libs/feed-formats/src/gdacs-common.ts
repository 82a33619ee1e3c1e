import type { EventType } from '@tiersight/contracts';
import { stableEventId } from './event-id';
import { FeedItemError } from './feed-result';
import { clampSeverity, earthquakeRadiusKm } from './severity-policy';
import type { GdacsAlertLevel, GdacsHazard, SeverityLevel, SeverityPolicy } from './severity-policy';

const HAZARDS: Record<string, { hazard: GdacsHazard; type: EventType }> = {
  EQ: { hazard: 'EQ', type: 'earthquake' },
  TC: { hazard: 'TC', type: 'storm' },
  FL: { hazard: 'FL', type: 'flood' },
  VO: { hazard: 'VO', type: 'volcano' },
  DR: { hazard: 'DR', type: 'drought' },
  WF: { hazard: 'WF', type: 'fire' },
};

/** GDACS event type code → policy row and event type; unknown codes (the archive's `EQx`) are `other`. */
export function gdacsHazard(eventType: string): { hazard: GdacsHazard; type: EventType } {
  return HAZARDS[eventType.toUpperCase()] ?? { hazard: 'other', type: 'other' };
}

/** `gdacs:<eventtype>:<eventid>`: every episode of an event updates the same id. */
export function gdacsEventId(eventType: string, eventId: string): string {
  if (!/^[A-Za-z]{1,8}$/.test(eventType)) throw new FeedItemError(`event type "${eventType.slice(0, 40)}" is not a GDACS code`);
  if (!/^\d{1,12}$/.test(eventId)) throw new FeedItemError(`event id "${eventId.slice(0, 40)}" is not a GDACS number`);
  return stableEventId('gdacs', eventType.toUpperCase(), eventId);
}

/** `Green`/`Orange`/`Red` in any case; a missing level counts as Green; anything else is an error. */
export function gdacsAlertLevel(value: string): GdacsAlertLevel {
  const normalised = value.trim().toLowerCase();
  if (normalised === '' || normalised === 'green') return 'Green';
  if (normalised === 'orange') return 'Orange';
  if (normalised === 'red') return 'Red';
  throw new FeedItemError(`unknown GDACS alert level "${value.slice(0, 40)}"`);
}

export function gdacsSeverity(hazard: GdacsHazard, alert: GdacsAlertLevel, policy: SeverityPolicy): SeverityLevel {
  const level = policy.gdacs.alertLevels[hazard][alert];
  return { severity: clampSeverity(level.severity), durationDays: level.durationDays };
}

/**
 * Radius around a GDACS event point. A magnitude (`M`) uses the earthquake
 * formula; an affected area in km² or ha gives the radius of a disc of that
 * area, at least the hazard's default; anything else the hazard's default.
 */
export function gdacsRadiusKm(hazard: GdacsHazard, value: number | null, unit: string, policy: SeverityPolicy): number {
  const fallback = policy.gdacs.radiusKm[hazard];
  if (value === null || !Number.isFinite(value) || value <= 0) return fallback;
  const u = unit.trim().toLowerCase();
  if (u === 'm') return earthquakeRadiusKm(value, policy.earthquake.radius);
  if (u === 'km2') return Math.min(2000, Math.max(fallback, Math.sqrt(value / Math.PI)));
  if (u === 'ha') return Math.min(2000, Math.max(fallback, Math.sqrt(value / 100 / Math.PI)));
  return fallback;
}
