import { isRecord } from './document-text';
import { toIsoInstant } from './feed-result';
import { CapInvalidError } from './cap-model';
import type { CapAlert, CapArea, CapCircle, CapInfo, CapReference, CapValue } from './cap-model';
import { xmlList, xmlText } from './xml';

const STATUSES = ['Actual', 'Exercise', 'System', 'Test', 'Draft'];
const MSG_TYPES = ['Alert', 'Update', 'Cancel', 'Ack', 'Error'];
const REQUIRED = ['identifier', 'sender', 'sent', 'status', 'msgType', 'scope'] as const;

/**
 * Reads a CAP `<alert>` element (parsed XML, namespace prefixes removed) or a
 * CAP-JSON object with the same names. Enforces what CAP 1.1/1.2 require of
 * the alert block (the Google cap-library validator's rejects fail here) and
 * is lenient inside `<info>`, where real issuers often omit fields.
 */
export function readCapAlert(node: Record<string, unknown>): CapAlert {
  const values: Record<string, string> = {};
  for (const name of REQUIRED) {
    values[name] = xmlText(node[name]);
    if (!values[name]) throw new CapInvalidError(`missing required <${name}>`);
  }
  for (const name of ['identifier', 'sender'] as const) {
    if (/[\s,<&]/.test(values[name])) throw new CapInvalidError(`<${name}> "${values[name].slice(0, 80)}" contains a space, comma, < or &`);
  }
  if (!toIsoInstant(values.sent)) throw new CapInvalidError(`<sent> "${values.sent.slice(0, 40)}" is not a date-time`);
  return {
    identifier: values.identifier,
    sender: values.sender,
    sent: values.sent,
    status: canonical(values.status, STATUSES, 'status'),
    msgType: canonical(values.msgType, MSG_TYPES, 'msgType'),
    scope: values.scope,
    references: 'references' in node ? readReferences(xmlText(node.references)) : null,
    infos: xmlList(node.info).map((info) => readInfo(isRecord(info) ? info : {})),
  };
}

function canonical(value: string, allowed: string[], name: string): string {
  const match = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (!match) throw new CapInvalidError(`<${name}> "${value.slice(0, 40)}" is not one of ${allowed.join(', ')}`);
  return match;
}

/** `sender,identifier,sent` triples separated by whitespace. */
export function readReferences(text: string): CapReference[] {
  const tokens = text.split(/\s+/).filter(Boolean);
  if (tokens.length === 0) throw new CapInvalidError('<references> is present but empty');
  return tokens.map((token) => {
    const parts = token.split(',');
    if (parts.length !== 3 || parts.some((p) => !p)) {
      throw new CapInvalidError(`<references> entry "${token.slice(0, 120)}" is not "sender,identifier,sent"`);
    }
    return { sender: parts[0], identifier: parts[1], sent: parts[2] };
  });
}

function readInfo(node: Record<string, unknown>): CapInfo {
  const optional = (name: string) => xmlText(node[name]) || undefined;
  return {
    language: xmlText(node.language) || 'en-US',
    categories: xmlList(node.category).map(xmlText).filter(Boolean),
    event: xmlText(node.event),
    responseTypes: xmlList(node.responseType).map(xmlText).filter(Boolean),
    urgency: xmlText(node.urgency),
    severity: xmlText(node.severity),
    certainty: xmlText(node.certainty),
    eventCodes: readValues(node.eventCode),
    effective: optional('effective'),
    onset: optional('onset'),
    expires: optional('expires'),
    headline: optional('headline'),
    web: optional('web'),
    parameters: readValues(node.parameter),
    areas: xmlList(node.area).map((area) => readArea(isRecord(area) ? area : {})),
  };
}

function readValues(value: unknown): CapValue[] {
  return xmlList(value)
    .filter(isRecord)
    .map((v) => ({ valueName: xmlText(v.valueName), value: xmlText(v.value) }));
}

function readArea(node: Record<string, unknown>): CapArea {
  return {
    description: xmlText(node.areaDesc),
    polygons: xmlList(node.polygon).map(xmlText).filter(Boolean).map(parseCapPolygon),
    circles: xmlList(node.circle).map(xmlText).filter(Boolean).map(parseCapCircle),
    geocodes: readValues(node.geocode),
  };
}

/** A coordinate, tolerating a stray bracket around it (GDACS has written `8.72977),-68.13409`). */
const coordinate = (text: string | undefined): number =>
  text !== undefined && /^[([]?[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?[)\]]?$/.test(text) ? Number(text.replace(/[()[\]]/g, '')) : NaN;

/**
 * `lat,lon` → [lon, lat]. Polygon longitudes may run to ±540 like event
 * polygons (GDACS writes −180.005 for rings across the antimeridian);
 * circle centres must be within ±180.
 */
function parsePair(pair: string, what: string, maxLon: number): [number, number] {
  const [latText, lonText, ...rest] = pair.split(',');
  const lat = coordinate(latText);
  const lon = coordinate(lonText);
  if (rest.length > 1 || !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > maxLon) {
    throw new CapInvalidError(`malformed ${what}: "${pair.slice(0, 60)}" is not "latitude,longitude" in range`);
  }
  return [lon, lat];
}

/** `lat,lon lat,lon …` → a closed GeoJSON ring; an unclosed ring is closed. */
export function parseCapPolygon(text: string): Array<[number, number]> {
  const ring = text
    .replace(/,\s+/g, ',')
    .split(/\s+/)
    .filter(Boolean)
    .map((pair) => parsePair(pair, '<polygon>', 540));
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (ring.length > 0 && (first[0] !== last[0] || first[1] !== last[1])) ring.push([first[0], first[1]]);
  if (ring.length < 4) throw new CapInvalidError(`malformed <polygon>: ${ring.length} positions, at least 4 needed`);
  return ring;
}

/** `lat,lon radiusKm`. */
export function parseCapCircle(text: string): CapCircle {
  const [pair, radiusText, extra] = text.replace(/,\s+/g, ',').split(/\s+/);
  const radiusKm = Number(radiusText);
  if (!pair || radiusText === undefined || extra !== undefined || !Number.isFinite(radiusKm) || radiusKm < 0) {
    throw new CapInvalidError(`malformed <circle>: "${text.slice(0, 60)}" is not "latitude,longitude radius"`);
  }
  return { center: parsePair(pair, '<circle>', 180), radiusKm };
}
