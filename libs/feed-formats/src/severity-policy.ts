/**
 * How feed items become a severity (the fraction of a site's output lost
 * while it is inside the event's area, DESIGN §3.1) and a default duration.
 * Everything here is configuration: pass a modified copy in the adapter
 * context to change it. The defaults are documented in libs/feed-formats/README.md.
 */

/** A severity in [0, 1] and the days a site inside the area is expected to be disrupted. */
export interface SeverityLevel {
  severity: number;
  durationDays: number;
}

/** Applies from `minMagnitude` (inclusive) up to the next band's minimum. */
export interface MagnitudeBand extends SeverityLevel {
  minMagnitude: number;
}

export type PagerAlertLevel = 'green' | 'yellow' | 'orange' | 'red';
export type GdacsAlertLevel = 'Green' | 'Orange' | 'Red';
/** GDACS hazard codes; anything else (e.g. the archive's `EQx`) is treated as `other`. */
export type GdacsHazard = 'EQ' | 'TC' | 'FL' | 'VO' | 'DR' | 'WF' | 'other';
export type CapSeverity = 'Extreme' | 'Severe' | 'Moderate' | 'Minor' | 'Unknown';
export type CapCertainty = 'Observed' | 'Likely' | 'Possible' | 'Unlikely' | 'Unknown';
export type CapUrgency = 'Immediate' | 'Expected' | 'Future' | 'Past' | 'Unknown';

export interface SeverityPolicy {
  earthquake: {
    /** Used when there is no PAGER alert (USGS) and for CAP earthquake alerts of `Unknown` severity that state a magnitude. */
    magnitudeBands: MagnitudeBand[];
    /** Radius of the disrupted area: `10^(coefficient·M + offset)` km, clamped to [minKm, maxKm]. */
    radius: { coefficient: number; offset: number; minKm: number; maxKm: number };
  };
  usgs: {
    /** Quakes below this magnitude (and without a PAGER alert) are skipped. */
    minMagnitude: number;
    /** PAGER alert levels, preferred over magnitude when present (they account for exposed population and vulnerability). */
    pagerAlert: Record<PagerAlertLevel, SeverityLevel>;
    /** Added (capped at 1) when USGS sets `tsunami: 1` (a large quake in an oceanic region) and M ≥ `tsunamiMinMagnitude`. */
    tsunamiSeverityBoost: number;
    tsunamiMinMagnitude: number;
  };
  gdacs: {
    alertLevels: Record<GdacsHazard, Record<GdacsAlertLevel, SeverityLevel>>;
    /** Radius around the event point; for areas given in km² or ha it is at least the radius of that area; for magnitudes the earthquake formula applies. */
    radiusKm: Record<GdacsHazard, number>;
    /**
     * `point`: point + radius (default), the RSS `gdacs:bbox` only when an item has no point.
     * `bbox`: the bbox as a polygon. GDACS bboxes are fixed display extents (±4° around the
     * event, ±13° for cyclones), far larger than the disrupted area.
     */
    rssGeometry: 'point' | 'bbox';
  };
  cap: {
    /** Base severity and duration by CAP `<severity>`. */
    severity: Record<CapSeverity, SeverityLevel>;
    /** Multiplies the base severity. CAP 1.1 `Very Likely` counts as `Likely`. */
    certaintyFactor: Record<CapCertainty, number>;
    /** Multiplies the base severity. */
    urgencyFactor: Record<CapUrgency, number>;
    /** `<status>` values that become events; others (Test, Exercise, Draft, System) are skipped. */
    statuses: string[];
    /** Alerts whose every `<category>` is listed here are skipped (e.g. AMBER child-abduction alerts). */
    skipCategories: string[];
    /** Radius of a `<circle>` given with radius 0. */
    pointRadiusKm: number;
    /** Upper bound of the duration derived from the alert's onset…expires window. */
    maxDurationDays: number;
  };
}

export const DEFAULT_SEVERITY_POLICY: SeverityPolicy = {
  earthquake: {
    magnitudeBands: [
      { minMagnitude: -Infinity, severity: 0.02, durationDays: 1 },
      { minMagnitude: 4, severity: 0.05, durationDays: 2 },
      { minMagnitude: 5, severity: 0.15, durationDays: 7 },
      { minMagnitude: 6, severity: 0.35, durationDays: 21 },
      { minMagnitude: 7, severity: 0.65, durationDays: 45 },
      { minMagnitude: 8, severity: 0.9, durationDays: 90 },
    ],
    radius: { coefficient: 0.5, offset: -1.5, minKm: 5, maxKm: 1000 },
  },
  usgs: {
    minMagnitude: 2.5,
    pagerAlert: {
      green: { severity: 0.15, durationDays: 7 },
      yellow: { severity: 0.4, durationDays: 21 },
      orange: { severity: 0.65, durationDays: 45 },
      red: { severity: 0.9, durationDays: 90 },
    },
    tsunamiSeverityBoost: 0.1,
    tsunamiMinMagnitude: 6.5,
  },
  gdacs: {
    alertLevels: {
      EQ: { Green: { severity: 0.15, durationDays: 7 }, Orange: { severity: 0.5, durationDays: 30 }, Red: { severity: 0.85, durationDays: 90 } },
      TC: { Green: { severity: 0.1, durationDays: 3 }, Orange: { severity: 0.4, durationDays: 10 }, Red: { severity: 0.75, durationDays: 30 } },
      FL: { Green: { severity: 0.15, durationDays: 7 }, Orange: { severity: 0.4, durationDays: 21 }, Red: { severity: 0.7, durationDays: 45 } },
      VO: { Green: { severity: 0.1, durationDays: 7 }, Orange: { severity: 0.4, durationDays: 30 }, Red: { severity: 0.7, durationDays: 60 } },
      DR: { Green: { severity: 0.05, durationDays: 30 }, Orange: { severity: 0.2, durationDays: 90 }, Red: { severity: 0.4, durationDays: 180 } },
      WF: { Green: { severity: 0.1, durationDays: 5 }, Orange: { severity: 0.35, durationDays: 14 }, Red: { severity: 0.6, durationDays: 30 } },
      other: { Green: { severity: 0.1, durationDays: 7 }, Orange: { severity: 0.4, durationDays: 14 }, Red: { severity: 0.7, durationDays: 30 } },
    },
    radiusKm: { EQ: 50, TC: 250, FL: 100, VO: 50, DR: 250, WF: 20, other: 50 },
    rssGeometry: 'point',
  },
  cap: {
    severity: {
      Extreme: { severity: 0.9, durationDays: 14 },
      Severe: { severity: 0.6, durationDays: 7 },
      Moderate: { severity: 0.3, durationDays: 3 },
      Minor: { severity: 0.1, durationDays: 1 },
      Unknown: { severity: 0.2, durationDays: 2 },
    },
    certaintyFactor: { Observed: 1, Likely: 0.8, Possible: 0.5, Unlikely: 0.2, Unknown: 0.6 },
    urgencyFactor: { Immediate: 1, Expected: 1, Future: 0.8, Past: 0.7, Unknown: 0.8 },
    statuses: ['Actual'],
    skipCategories: ['Rescue'],
    pointRadiusKm: 10,
    maxDurationDays: 60,
  },
};

/** The band a magnitude falls in (bands sorted by `minMagnitude`). */
export function magnitudeBand(magnitude: number, bands: readonly MagnitudeBand[]): SeverityLevel {
  let chosen: SeverityLevel = bands[0] ?? { severity: 0, durationDays: 1 };
  for (const band of bands) if (magnitude >= band.minMagnitude) chosen = band;
  return chosen;
}

/**
 * Radius of the area where shaking is likely to disrupt a site (roughly
 * Modified Mercalli intensity VI and above): about 10 km at M5, 32 km at M6,
 * 100 km at M7 and 316 km at M8 with the default coefficients.
 */
export function earthquakeRadiusKm(magnitude: number, radius: SeverityPolicy['earthquake']['radius']): number {
  const km = 10 ** (radius.coefficient * magnitude + radius.offset);
  return Math.min(radius.maxKm, Math.max(radius.minKm, km));
}

/** Severity clamped to [0, 1] and rounded to 3 decimals, so that documented values read back exactly. */
export function clampSeverity(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.round(Math.min(1, Math.max(0, value)) * 1000) / 1000;
}
