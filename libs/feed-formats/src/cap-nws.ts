import { isRecord } from './document-text';
import { CapInvalidError } from './cap-model';
import type { CapAlert, CapArea, CapReference, CapValue } from './cap-model';

/** Whether a JSON document is an api.weather.gov alert collection or a single alert Feature. */
export function isNwsAlertDocument(doc: Record<string, unknown>): boolean {
  const features = doc.type === 'FeatureCollection' && Array.isArray(doc.features) ? doc.features : doc.type === 'Feature' ? [doc] : [];
  return features.some((f) => isRecord(f) && isRecord(f.properties) && (f.properties['@type'] === 'wx:Alert' || 'messageType' in f.properties));
}

const str = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/**
 * One api.weather.gov alert Feature as a CAP alert. The API carries the CAP
 * fields under camelCase names, references as objects, geocodes as a map and
 * the area as GeoJSON (null for zone-based alerts). The scope is not
 * published; the public API only serves `Public` alerts. The expiry used is
 * `ends` (when the hazard ends) when given, else `expires` (message expiry).
 */
export function readNwsAlert(feature: unknown): CapAlert {
  if (!isRecord(feature) || !isRecord(feature.properties)) throw new CapInvalidError('NWS alert feature without properties');
  const p = feature.properties;
  const identifier = str(p.id) || str(p.identifier);
  for (const [name, value] of [
    ['id', identifier],
    ['sender', str(p.sender)],
    ['sent', str(p.sent)],
    ['status', str(p.status)],
    ['messageType', str(p.messageType)],
  ]) {
    if (!value) throw new CapInvalidError(`NWS alert without "${name}"`);
  }
  const references: CapReference[] = (Array.isArray(p.references) ? p.references : []).filter(isRecord).map((r) => ({
    sender: str(r.sender),
    identifier: str(r.identifier),
    sent: str(r.sent),
  }));
  if (references.some((r) => !r.sender || !r.identifier)) throw new CapInvalidError('NWS alert reference without sender or identifier');
  return {
    identifier,
    sender: str(p.sender),
    sent: str(p.sent),
    status: str(p.status),
    msgType: str(p.messageType),
    scope: 'Public',
    references: references.length > 0 ? references : null,
    infos: [
      {
        language: 'en-US',
        categories: str(p.category) ? [str(p.category)] : [],
        event: str(p.event),
        responseTypes: str(p.response) ? [str(p.response)] : [],
        urgency: str(p.urgency),
        severity: str(p.severity),
        certainty: str(p.certainty),
        eventCodes: valueMap(p.eventCode),
        effective: str(p.effective) || undefined,
        onset: str(p.onset) || undefined,
        expires: str(p.ends) || str(p.expires) || undefined,
        headline: str(p.headline) || undefined,
        web: str(p['@id']) || (typeof feature.id === 'string' ? feature.id : undefined),
        parameters: valueMap(p.parameters),
        areas: [nwsArea(feature.geometry, str(p.areaDesc), valueMap(p.geocode))],
      },
    ],
  };
}

/** `{ "SAME": ["041007", …], … }` → CAP value pairs. */
function valueMap(value: unknown): CapValue[] {
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([valueName, values]) => (Array.isArray(values) ? values : [values]).map((v) => ({ valueName, value: String(v) })));
}

function nwsArea(geometry: unknown, description: string, geocodes: CapValue[]): CapArea {
  const area: CapArea = { description, polygons: [], circles: [], geocodes };
  if (!isRecord(geometry)) return area;
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? (geometry.coordinates as unknown[]) : [];
  for (const polygon of polygons) {
    const ring = Array.isArray(polygon) ? polygon[0] : null;
    if (!Array.isArray(ring)) throw new CapInvalidError('NWS alert geometry is not a GeoJSON polygon');
    area.polygons.push(ring.map((p) => (Array.isArray(p) ? [Number(p[0]), Number(p[1])] : [NaN, NaN])));
  }
  return area;
}
