/**
 * Where a site's pin came from when it was placed from an address rather than
 * given as coordinates (issue #18), stored on the Site as `locationPrecision`,
 * `locationRadiusKm` and `locationToConfirm`. A site whose coordinates a person
 * gave (an import with lat/lon, the portal's site form, a moved pin) has none.
 */

/** How finely the gazetteer placed the address: a town, a province or state centre, a country centre. */
export const SITE_PRECISIONS = ['city', 'admin1', 'country'] as const;
export type SitePrecision = (typeof SITE_PRECISIONS)[number];

export interface SitePlacement {
  precision: SitePrecision;
  /** how far the facility may be from the pin */
  radiusKm: number;
  /** true while the supplier has neither confirmed nor moved the pin (placed coarser than a town, or doubtful) */
  toConfirm: boolean;
}

/** A site's placement as read back: all null / false for a site placed from coordinates. */
export interface SitePlacementView {
  locationPrecision: SitePrecision | null;
  locationRadiusKm: number | null;
  locationToConfirm: boolean;
}
