import type { Position } from 'geojson';
import type { EventForecast, EventGeometry } from '@tiersight/contracts';
import { FeedDocumentError, isRecord, parseJsonDocument } from './document-text';
import type { FeedAdapter, FeedContext, FeedParseResult } from './feed-adapter';
import { FeedItemError, parseSafely, toIsoInstant } from './feed-result';
import type { FeedResultBuilder } from './feed-result';
import { gdacsAlertLevel, gdacsEventId, gdacsHazard, gdacsRadiusKm, gdacsSeverity } from './gdacs-common';
import { splitCyclone } from './gdacs-cyclone';
import type { GdacsHazard } from './severity-policy';
import { asIso2, iso3ToIso2 } from './iso-countries';

type Feature = Record<string, unknown> & { properties: Record<string, unknown> };

/**
 * GDACS API GeoJSON: `geteventdata`/`getepisodedata` (one Feature, the
 * event's centroid) and `getgeometry` (a FeatureCollection of the episode's
 * areas). Features are grouped by event; each group becomes one
 * `gdacs:<eventtype>:<eventid>` event. Its area is the union of the `Poly_*`
 * polygons (affected areas, wind buffers); track lines, the small
 * `Point_Polygon_*` markers and degenerate polygons are ignored. With no
 * area, the centroid with a hazard radius is used. A tropical cyclone
 * advisory with forecast parts (cone, track markers, several time steps) is
 * split by time instead (DESIGN §10, `splitCyclone`): the wind buffers at the
 * advisory are the area, the later steps, the cone and the track the
 * event's `forecast`.
 */
export const gdacsGeoJsonAdapter: FeedAdapter = {
  format: 'gdacs-geojson',
  parse(document: string | Buffer, context: FeedContext): FeedParseResult {
    return parseSafely(document, context, (out) => {
      const groups = new Map<string, Feature[]>();
      gdacsFeatures(parseJsonDocument(document)).forEach((feature, index) => {
        out.guard(`features[${index}]`, feature, () => {
          if (!isRecord(feature) || !isRecord(feature.properties)) throw new FeedItemError('feature without "properties"');
          const props = feature.properties;
          const id = gdacsEventId(String(props.eventtype ?? ''), String(props.eventid ?? ''));
          groups.set(id, [...(groups.get(id) ?? []), feature as Feature]);
        });
      });
      for (const [id, group] of groups) out.guard(id, group[0], () => convertGroup(id, group, context, out));
    });
  },
};

function gdacsFeatures(doc: unknown): unknown[] {
  if (!isRecord(doc)) throw new FeedDocumentError('not a GeoJSON object');
  if (doc.type === 'Feature') return [doc];
  if (doc.type === 'FeatureCollection' && Array.isArray(doc.features)) return doc.features;
  if (isRecord(doc.channel) || 'georss' in doc) {
    throw new FeedDocumentError('a GDACS impact document (getimpact, RSS-like JSON), not an event or geometry GeoJSON');
  }
  throw new FeedDocumentError('not a GeoJSON Feature or FeatureCollection');
}

function convertGroup(id: string, group: Feature[], context: FeedContext, out: FeedResultBuilder): void {
  const main = group.find((f) => f.properties.Class === 'Point_Centroid') ?? group[0];
  const props = main.properties;
  const { hazard, type } = gdacsHazard(String(props.eventtype));
  const level = gdacsSeverity(hazard, gdacsAlertLevel(typeof props.alertlevel === 'string' ? props.alertlevel : ''), context.policy);
  const { geometry, forecast } = groupArea(group, main, hazard, context);
  const startsAt = toIsoInstant(props.fromdate) ?? context.receivedAt.toISOString();
  const name = typeof props.name === 'string' && props.name.trim() ? props.name.trim() : `${String(props.eventtype)} ${String(props.eventid)}`;
  const alertText = typeof props.alertlevel === 'string' && props.alertlevel ? `${props.alertlevel} alert: ` : '';
  const report = isRecord(props.url) && typeof props.url.report === 'string' ? props.url.report : undefined;
  const episode = typeof props.episodeid === 'number' ? props.episodeid : Number.parseInt(String(props.episodeid), 10);
  out.upsert(
    {
      id,
      source: context.sourceId,
      type,
      title: `${alertText}${name}`,
      severity: level.severity,
      expectedDurationDays: level.durationDays,
      geometry,
      country: eventCountry(props),
      startsAt,
      ...(forecast ? { forecast } : {}),
      ...(report ? { sourceUrl: report } : {}),
    },
    main,
    Number.isFinite(episode) ? episode : 0,
  );
}

/**
 * The event's area and, for a cyclone advisory with forecast parts, its
 * forecast (see `splitCyclone`): the observed wind buffers, else the storm's
 * position at the advisory with the hazard radius, else the centroid rule.
 */
function groupArea(group: Feature[], main: Feature, hazard: GdacsHazard, context: FeedContext): { geometry: EventGeometry; forecast?: EventForecast } {
  const cyclone = hazard === 'TC' ? splitCyclone(group, hasArea) : null;
  if (!cyclone) return { geometry: groupGeometry(group, main, hazard, context) };
  const forecast = cyclone.forecast ? { forecast: cyclone.forecast } : {};
  if (cyclone.observed.length) return { geometry: polygonArea(cyclone.observed), ...forecast };
  if (cyclone.position) {
    const [lon, lat] = cyclone.position;
    const radiusKm = gdacsRadiusKm(hazard, null, '', context.policy);
    return { geometry: { type: 'Point', coordinates: [((((lon + 180) % 360) + 360) % 360) - 180, lat], radiusKm }, ...forecast };
  }
  return { geometry: centroidArea(main, hazard, context), ...forecast };
}

/** The union of the group's `Poly_*` polygons, else the centroid with a hazard radius. */
function groupGeometry(group: Feature[], main: Feature, hazard: GdacsHazard, context: FeedContext): EventGeometry {
  const polygons: Position[][][] = [];
  for (const feature of group) {
    const cls = typeof feature.properties.Class === 'string' ? feature.properties.Class : '';
    if (!cls.startsWith('Poly_') || !isRecord(feature.geometry)) continue;
    for (const polygon of polygonsOf(feature.geometry)) if (Array.isArray(polygon) && hasArea(polygon)) polygons.push(polygon);
  }
  return polygons.length ? polygonArea(polygons) : centroidArea(main, hazard, context);
}

const polygonArea = (polygons: Position[][][]): EventGeometry =>
  polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };

function centroidArea(main: Feature, hazard: GdacsHazard, context: FeedContext): EventGeometry {
  const centroid = isRecord(main.geometry) && main.geometry.type === 'Point' ? (main.geometry.coordinates as unknown[]) : null;
  if (!centroid || typeof centroid[0] !== 'number' || typeof centroid[1] !== 'number') {
    throw new FeedItemError('no usable geometry (no Poly_* area and no Point centroid)');
  }
  const data = isRecord(main.properties.severitydata) ? main.properties.severitydata : {};
  const value = typeof data.severity === 'number' ? data.severity : null;
  const unit = typeof data.severityunit === 'string' ? data.severityunit : '';
  return { type: 'Point', coordinates: [centroid[0], centroid[1]], radiusKm: gdacsRadiusKm(hazard, value, unit, context.policy) };
}

/** The polygons of a GeoJSON geometry: its own for a Polygon, each of a MultiPolygon's, none for other types. */
function polygonsOf(geometry: Record<string, unknown>): unknown[] {
  if (geometry.type === 'Polygon') return [geometry.coordinates];
  if (geometry.type !== 'MultiPolygon') return [];
  if (!Array.isArray(geometry.coordinates)) throw new FeedItemError('MultiPolygon without a coordinates array');
  return geometry.coordinates;
}

/** False for the zero-extent rings GDACS emits for wind buffers a storm never reached. */
function hasArea(polygon: unknown[]): boolean {
  const ring = polygon[0];
  if (!Array.isArray(ring) || ring.length < 4) return false;
  let minX = Infinity,
    maxX = -Infinity,
    minY = Infinity,
    maxY = -Infinity;
  for (const p of ring) {
    if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number') return false;
    minX = Math.min(minX, p[0]);
    maxX = Math.max(maxX, p[0]);
    minY = Math.min(minY, p[1]);
    maxY = Math.max(maxY, p[1]);
  }
  return maxX > minX && maxY > minY;
}

/** The single affected country's alpha-2 when GDACS lists exactly one, else the primary `iso3`. */
function eventCountry(props: Record<string, unknown>): string | null {
  const affected = Array.isArray(props.affectedcountries) ? props.affectedcountries : [];
  if (affected.length === 1 && isRecord(affected[0])) {
    const iso2 = asIso2(typeof affected[0].iso2 === 'string' ? affected[0].iso2 : null);
    if (iso2) return iso2;
  }
  return iso3ToIso2(typeof props.iso3 === 'string' ? props.iso3 : null);
}
