import type { EventGeometry } from '@tiersight/contracts';
import { type BBox, candidateBoxes, containsLocation, forecastAnticipation, forecastBoxes, type ForecastPOptions } from '@tiersight/geo-engine';
import { compareIds } from '@tiersight/risk-engine';
import type { EventVersion } from './event-versions';
import type { ReplayAnticipatedImpact, ReplayImpact, TimedEvent } from './replay';

/** A site of today's network with its location and country. */
export interface SiteLocation {
  id: string;
  lat: number;
  lon: number;
  country: string | null;
}

/**
 * Today's sites for matching event areas in memory: sorted by latitude, so
 * a box's candidates are one binary search and a scan of its latitude band;
 * the exact test is the geo engine's, as the live matching does after its
 * point-index query.
 */
export class SiteIndex {
  private readonly sites: SiteLocation[];
  private readonly lats: Float64Array;

  constructor(sites: readonly SiteLocation[]) {
    this.sites = [...sites].sort((a, b) => a.lat - b.lat || compareIds(a.id, b.id));
    this.lats = Float64Array.from(this.sites.map((s) => s.lat));
  }

  get size(): number {
    return this.sites.length;
  }

  /** The sites inside the area (DESIGN §3.1), by id. */
  inside(geometry: EventGeometry): string[] {
    if (geometry.type === 'Country')
      return this.sites
        .filter((s) => containsLocation(geometry, s.lat, s.lon, s.country))
        .map((s) => s.id)
        .sort(compareIds);
    return this.candidates(candidateBoxes(geometry))
      .filter((s) => containsLocation(geometry, s.lat, s.lon))
      .map((s) => s.id);
  }

  /** The sites inside any of the boxes (`west > east`: across the antimeridian), in id order. */
  candidates(boxes: readonly BBox[]): SiteLocation[] {
    const found = new Map<string, SiteLocation>();
    for (const box of boxes) {
      for (let i = this.lowerBound(box.south); i < this.sites.length && this.lats[i] <= box.north; i++) {
        const s = this.sites[i];
        const inLon = box.west <= box.east ? s.lon >= box.west && s.lon <= box.east : s.lon >= box.west || s.lon <= box.east;
        if (inLon) found.set(s.id, s);
      }
    }
    return [...found.values()].sort((a, b) => compareIds(a.id, b.id));
  }

  private lowerBound(lat: number): number {
    let lo = 0;
    let hi = this.lats.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.lats[mid] < lat) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * Each version's impacts on today's sites, as the live matching gives them
 * (libs/graph EventRepository.matchSites): every site inside the area gets
 * (severity, expected duration); with a forecast, every site inside its cone
 * or areas and not inside the observed area is anticipated with the same
 * impact and the p its lead time gives. A version whose area cannot be
 * matched keeps its stored hits.
 */
export function matchEvents(versions: readonly EventVersion[], sites: SiteIndex, forecastP: ForecastPOptions): TimedEvent[] {
  return versions.map((v) => {
    let impacts: ReplayImpact[];
    let anticipated: ReplayAnticipatedImpact[] = [];
    if (v.geometry) {
      impacts = sites.inside(v.geometry).map((siteId) => ({ siteId, x: v.severity, days: v.expectedDurationDays }));
      if (v.forecast) {
        const observed = new Set(impacts.map((i) => i.siteId));
        for (const s of sites.candidates(forecastBoxes(v.forecast))) {
          if (observed.has(s.id)) continue;
          const why = forecastAnticipation(v.forecast, s.lat, s.lon, forecastP);
          if (why) anticipated.push({ siteId: s.id, x: v.severity, days: v.expectedDurationDays, p: why.p });
        }
      }
    } else {
      impacts = (v.stored?.hits ?? []).map(({ siteId, x, days }) => ({ siteId, x, days }));
      anticipated = (v.stored?.anticipated ?? []).map(({ siteId, x, days, p }) => ({ siteId, x, days, p }));
    }
    return { id: v.id, type: v.type, title: v.title, startsAt: v.startsAt, endsAt: v.endsAt, impacts, anticipated };
  });
}
