import type { EventType } from '@tiersight/contracts';
import { excerpt, FeedDocumentError, isRecord, parseJsonDocument } from './document-text';
import { stableEventId } from './event-id';
import type { FeedAdapter, FeedContext, FeedParseResult } from './feed-adapter';
import { FeedItemError, parseSafely, toIsoInstant } from './feed-result';
import type { FeedResultBuilder } from './feed-result';
import { clampSeverity, earthquakeRadiusKm, magnitudeBand } from './severity-policy';
import type { PagerAlertLevel, SeverityLevel } from './severity-policy';

const PAGER_LEVELS: readonly string[] = ['green', 'yellow', 'orange', 'red'];

/**
 * USGS earthquake GeoJSON: the summary feeds (a FeatureCollection) and the
 * detail feed (one Feature). Each quake becomes `usgs:<feature id>` with a
 * point and a magnitude-derived radius; a `deleted` status closes it.
 */
export const usgsGeoJsonAdapter: FeedAdapter = {
  format: 'usgs-geojson',
  parse(document: string | Buffer, context: FeedContext): FeedParseResult {
    return parseSafely(document, context, (out) => {
      const features = usgsFeatures(parseJsonDocument(document));
      features.forEach((feature, index) => {
        const ref = isRecord(feature) && typeof feature.id === 'string' && feature.id ? feature.id : `features[${index}]`;
        out.guard(ref, feature, () => convertFeature(feature, context, out));
      });
    });
  },
};

function usgsFeatures(doc: unknown): unknown[] {
  if (!isRecord(doc)) throw new FeedDocumentError('not a USGS GeoJSON object');
  if (doc.type === 'FeatureCollection') {
    if (!Array.isArray(doc.features)) throw new FeedDocumentError('FeatureCollection without a "features" array');
    return doc.features;
  }
  if (doc.type === 'Feature') return [doc];
  if ('empirical_fatality' in doc || 'empirical_economic' in doc) {
    throw new FeedDocumentError('a PAGER losses document (losspager product), not an earthquake feed: it carries no event id or location');
  }
  throw new FeedDocumentError(`not a USGS GeoJSON Feature or FeatureCollection (type ${excerpt(doc.type).slice(0, 40)})`);
}

function convertFeature(feature: unknown, context: FeedContext, out: FeedResultBuilder): void {
  if (!isRecord(feature)) throw new FeedItemError('feature is not an object');
  if (typeof feature.id !== 'string' || !feature.id.trim()) throw new FeedItemError('feature has no string "id"');
  const props = feature.properties;
  if (!isRecord(props)) throw new FeedItemError('feature has no "properties" object');
  const id = stableEventId('usgs', feature.id);
  const version = typeof props.updated === 'number' ? props.updated : 0;
  const status = typeof props.status === 'string' ? props.status.trim().toLowerCase() : '';
  if (status === 'deleted') {
    out.close(id, 'USGS marked the event deleted', feature, version);
    return;
  }

  const [lon, lat] = pointCoordinates(feature.geometry);
  const startsAt = toIsoInstant(props.time);
  if (!startsAt) throw new FeedItemError('"time" (origin time, epoch milliseconds) is missing or not a number');
  const mag = props.mag;
  if (mag !== null && mag !== undefined && (typeof mag !== 'number' || !Number.isFinite(mag))) {
    throw new FeedItemError(`"mag" is not a number (${JSON.stringify(mag).slice(0, 40)})`);
  }
  if (typeof mag !== 'number') throw new FeedItemError('"mag" is null: the event cannot be sized');

  const { usgs, earthquake } = context.policy;
  const alert = typeof props.alert === 'string' && PAGER_LEVELS.includes(props.alert.toLowerCase()) ? (props.alert.toLowerCase() as PagerAlertLevel) : null;
  if (alert === null && mag < usgs.minMagnitude) {
    out.skip(feature.id, `magnitude ${mag} is below the policy minimum ${usgs.minMagnitude}`);
    return;
  }
  const level: SeverityLevel = alert ? usgs.pagerAlert[alert] : magnitudeBand(mag, earthquake.magnitudeBands);
  const tsunami = props.tsunami === 1 || props.tsunami === '1';
  const boost = tsunami && mag >= usgs.tsunamiMinMagnitude ? usgs.tsunamiSeverityBoost : 0;
  const place = typeof props.place === 'string' ? props.place : '';
  const title = typeof props.title === 'string' && props.title.trim() ? props.title.trim() : `M ${mag} - ${place || 'unknown place'}`;

  out.upsert(
    {
      id,
      source: context.sourceId,
      type: usgsEventType(props.type),
      title,
      severity: clampSeverity(level.severity + boost),
      expectedDurationDays: level.durationDays,
      geometry: { type: 'Point', coordinates: [lon, lat], radiusKm: earthquakeRadiusKm(mag, earthquake.radius) },
      country: null,
      startsAt,
      ...(typeof props.url === 'string' && props.url ? { sourceUrl: props.url } : {}),
    },
    feature,
    version,
  );
}

function pointCoordinates(geometry: unknown): [number, number] {
  if (!isRecord(geometry) || geometry.type !== 'Point' || !Array.isArray(geometry.coordinates)) {
    throw new FeedItemError('missing or non-Point geometry');
  }
  const [lon, lat] = geometry.coordinates as unknown[];
  if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat)) {
    throw new FeedItemError('Point coordinates are not [longitude, latitude, depth] numbers');
  }
  return [lon, lat];
}

/** USGS `type`: earthquakes (and unknown) stay earthquakes; eruptions are volcanoes; blasts, ice quakes… are `other`. */
function usgsEventType(type: unknown): EventType {
  const value = typeof type === 'string' ? type.trim().toLowerCase() : '';
  if (value === '' || value === 'earthquake') return 'earthquake';
  if (value.includes('volcan')) return 'volcano';
  return 'other';
}
