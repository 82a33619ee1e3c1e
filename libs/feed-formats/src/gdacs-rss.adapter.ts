import type { Polygon } from 'geojson';
import type { EventGeometry } from '@tiersight/contracts';
import { FeedDocumentError } from './document-text';
import type { FeedAdapter, FeedContext, FeedParseResult } from './feed-adapter';
import { FeedItemError, parseSafely, toIsoInstant } from './feed-result';
import type { FeedResultBuilder } from './feed-result';
import { gdacsAlertLevel, gdacsEventId, gdacsHazard, gdacsRadiusKm, gdacsSeverity } from './gdacs-common';
import { iso3ToIso2 } from './iso-countries';
import { parseXmlDocument, rootElement, xmlAttr, xmlChild, xmlList, xmlText } from './xml';
import type { XmlNode } from './xml';

/**
 * GDACS RSS 2.0 with the `gdacs:`, `geo:` and `georss:` extensions. Each item
 * becomes `gdacs:<eventtype>:<eventid>`; a later episode updates the same
 * event. Geometry: the point with a hazard radius (or, per policy, the
 * `gdacs:bbox`), the bbox when there is no point.
 */
export const gdacsRssAdapter: FeedAdapter = {
  format: 'gdacs-rss',
  parse(document: string | Buffer, context: FeedContext): FeedParseResult {
    return parseSafely(document, context, (out) => {
      rssItems(parseXmlDocument(document)).forEach((item, index) => {
        const ref = xmlText((item as XmlNode)?.guid) || `item[${index}]`;
        out.guard(ref, item, () => convertItem(item as XmlNode, context, out));
      });
    });
  },
};

function rssItems(doc: XmlNode): unknown[] {
  const root = rootElement(doc);
  if (!root || root.name !== 'rss') throw new FeedDocumentError(`root element <${root?.name ?? 'none'}> is not <rss>`);
  const channel = xmlChild(root.node, 'channel');
  if (!channel) throw new FeedDocumentError('RSS document without a <channel>');
  return xmlList(channel.item);
}

function convertItem(item: XmlNode, context: FeedContext, out: FeedResultBuilder): void {
  if (typeof item !== 'object' || item === null) throw new FeedItemError('empty <item>');
  const eventType = xmlText(item.eventtype);
  const eventId = xmlText(item.eventid);
  if (!eventType || !eventId) throw new FeedItemError('item has no gdacs:eventtype or gdacs:eventid');
  const id = gdacsEventId(eventType, eventId);
  const { hazard, type } = gdacsHazard(eventType);
  const level = gdacsSeverity(hazard, gdacsAlertLevel(xmlText(item.alertlevel)), context.policy);

  const severityNode = xmlChild(item, 'severity');
  const measure = Number.parseFloat(xmlAttr(severityNode, 'value'));
  const radiusKm = gdacsRadiusKm(hazard, Number.isFinite(measure) ? measure : null, xmlAttr(severityNode, 'unit'), context.policy);
  const geometry = itemGeometry(item, radiusKm, context.policy.gdacs.rssGeometry);

  const startsAt = toIsoInstant(xmlText(item.fromdate)) ?? toIsoInstant(xmlText(item.pubDate)) ?? context.receivedAt.toISOString();
  const title = xmlText(item.title) || `${eventType} ${eventId}`;
  const link = xmlText(item.link);
  const episode = Number.parseInt(xmlText(item.episodeid), 10);
  out.upsert(
    {
      id,
      source: context.sourceId,
      type,
      title,
      severity: level.severity,
      expectedDurationDays: level.durationDays,
      geometry,
      country: iso3ToIso2(xmlText(item.iso3)),
      startsAt,
      ...(link ? { sourceUrl: link } : {}),
    },
    item,
    Number.isFinite(episode) ? episode : 0,
  );
}

function itemGeometry(item: XmlNode, radiusKm: number, preference: 'point' | 'bbox'): EventGeometry {
  const point = itemPoint(item);
  const bboxText = xmlText(item.bbox);
  const bbox = bboxText ? bboxPolygon(bboxText) : null;
  if (point && (preference === 'point' || !bbox)) return { type: 'Point', coordinates: point, radiusKm };
  if (bbox) return bbox;
  throw new FeedItemError('no usable geometry (no georss:point, geo:Point or gdacs:bbox)');
}

/** `georss:point` ("lat lon"), else `geo:Point` (geo:lat, geo:long), as [lon, lat]. */
function itemPoint(item: XmlNode): [number, number] | null {
  const georss = xmlText(item.point);
  if (georss) {
    const [lat, lon] = georss.split(/\s+/).map(Number);
    if (isLatLon(lat, lon)) return [lon, lat];
    throw new FeedItemError(`georss:point "${georss.slice(0, 60)}" is not "latitude longitude"`);
  }
  const geo = xmlChild(item, 'Point');
  if (geo) {
    const lat = Number(xmlText(geo.lat));
    const lon = Number(xmlText(geo.long));
    if (isLatLon(lat, lon)) return [lon, lat];
    throw new FeedItemError('geo:Point has no numeric geo:lat and geo:long');
  }
  return null;
}

const isLatLon = (lat: number | undefined, lon: number | undefined): boolean =>
  typeof lat === 'number' && typeof lon === 'number' && Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;

/**
 * `gdacs:bbox` is "lonmin lonmax latmin latmax". A box across the antimeridian
 * comes either with lonmin below −180 (kept as is: event polygons may use
 * longitudes in [−540, 540]) or with lonmin > lonmax (lonmax is moved by +360).
 */
export function bboxPolygon(text: string): Polygon {
  const values = text.trim().split(/\s+/).map(Number);
  if (values.length !== 4 || values.some((v) => !Number.isFinite(v))) {
    throw new FeedItemError(`gdacs:bbox "${text.slice(0, 80)}" is not four numbers`);
  }
  const [west, eastGiven, southGiven, northGiven] = values;
  const east = eastGiven < west ? eastGiven + 360 : eastGiven;
  const south = Math.max(-90, Math.min(southGiven, northGiven));
  const north = Math.min(90, Math.max(southGiven, northGiven));
  if (east === west || north === south || east - west > 360 || Math.abs(west) > 540 || Math.abs(east) > 540) {
    throw new FeedItemError(`gdacs:bbox "${text.slice(0, 80)}" is empty or out of range`);
  }
  return {
    type: 'Polygon',
    coordinates: [
      [
        [west, south],
        [east, south],
        [east, north],
        [west, north],
        [west, south],
      ],
    ],
  };
}
