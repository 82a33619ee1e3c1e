import type { SitePlacementView } from '@tiersight/contracts';

/** A site's pin and how it was found, as an edit sees it. */
export type PinState = SitePlacementView & { lat: number; lon: number };

type PlacementDiff = Partial<{ [K in keyof SitePlacementView]: { from: SitePlacementView[K]; to: SitePlacementView[K] } }>;

const PLACED_BY_A_PERSON: SitePlacementView = { locationPrecision: null, locationRadiusKm: null, locationToConfirm: false };

/**
 * What an edit of a site does to its placement: a pin moved (lat or lon
 * changed) is the supplier's own, so the precision and radius the gazetteer
 * found go and the pin no longer waits for a confirmation. Returns the fields
 * that change (for the audit entry), or null when the edit leaves the
 * placement as it is: the pin stayed, or the site was placed by a person already.
 * An edit that repeats the coordinates does not confirm a pin (that is
 * POST …/confirm-location), so a form sending every field cannot confirm one by accident.
 */
export function placementAfterEdit(current: PinState, after: { lat: number; lon: number }): PlacementDiff | null {
  if (after.lat === current.lat && after.lon === current.lon) return null;
  const diff: PlacementDiff = {};
  for (const key of Object.keys(PLACED_BY_A_PERSON) as Array<keyof SitePlacementView>) {
    if (current[key] !== PLACED_BY_A_PERSON[key]) Object.assign(diff, { [key]: { from: current[key], to: PLACED_BY_A_PERSON[key] } });
  }
  return Object.keys(diff).length > 0 ? diff : null;
}
