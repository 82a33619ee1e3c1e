import { FeedDocumentError, isRecord, MAX_XML_DOCUMENT_BYTES, parseJsonDocument } from './document-text';
import type { FeedAdapter, FeedContext, FeedParseResult } from './feed-adapter';
import { FeedItemError, parseSafely } from './feed-result';
import type { FeedResultBuilder } from './feed-result';
import type { CapAlert } from './cap-model';
import { CapInvalidError } from './cap-model';
import { convertCapAlert } from './cap-alert';
import { isNwsAlertDocument, readNwsAlert } from './cap-nws';
import { readCapAlert } from './cap-reader';
import { feedEntries } from './cap-index';
import { parseXmlDocument, rootElement, xmlText } from './xml';
import type { XmlNode } from './xml';

/**
 * OASIS CAP 1.0–1.2. Accepts a CAP XML `<alert>`, an Atom or RSS feed whose
 * entries embed CAP alerts (each embedded alert is one item), CAP-JSON (same
 * names as the XML, e.g. MoWaS) and api.weather.gov alert GeoJSON. A feed
 * whose entries only link to alerts is an index: it gives one dead letter
 * saying so; read it with `parseCapIndex` and fetch each link instead.
 * Signatures (`<Signature>`) are not verified.
 */
export const capAdapter: FeedAdapter = {
  format: 'cap',
  parse(document: string | Buffer, context: FeedContext): FeedParseResult {
    return parseSafely(document, context, (out) => {
      const alerts = looksLikeJson(document) ? jsonAlerts(document) : xmlAlerts(document, out);
      for (const { ref, raw, read } of alerts) {
        out.guard(ref, raw, () => convertCapAlert(capItem(read), raw, context, out));
      }
    });
  },
};

interface PendingAlert {
  ref: string | null;
  raw: unknown;
  read: () => CapAlert;
}

/** Reading errors of one alert become that alert's dead letter. */
function capItem(read: () => CapAlert): CapAlert {
  try {
    return read();
  } catch (error) {
    if (error instanceof CapInvalidError) throw new FeedItemError(`invalid CAP alert: ${error.message}`);
    throw error;
  }
}

function looksLikeJson(document: string | Buffer): boolean {
  const head = typeof document === 'string' ? document.slice(0, 64) : document.subarray(0, 64).toString('latin1');
  return /^[\s\uFEFF]*[{[]/.test(head);
}

function jsonAlerts(document: string | Buffer): PendingAlert[] {
  const doc = parseJsonDocument(document, MAX_XML_DOCUMENT_BYTES);
  if (!isRecord(doc)) throw new FeedDocumentError('JSON document is not an object');
  if (isNwsAlertDocument(doc)) {
    const features = doc.type === 'FeatureCollection' ? (doc.features as unknown[]) : [doc];
    return features.map((feature, index) => ({
      ref: isRecord(feature) && isRecord(feature.properties) && typeof feature.properties.id === 'string' ? feature.properties.id : `features[${index}]`,
      raw: feature,
      read: () => readNwsAlert(feature),
    }));
  }
  if (typeof doc.identifier === 'string' && ('msgType' in doc || 'info' in doc)) {
    return [{ ref: doc.identifier, raw: doc, read: () => readCapAlert(doc) }];
  }
  if (doc.type === 'FeatureCollection' || doc.type === 'Feature') {
    throw new FeedDocumentError('GeoJSON without CAP alert properties (an area layer, not an alert)');
  }
  throw new FeedDocumentError('JSON document is not a CAP alert (no identifier, msgType and info) nor an NWS alert collection');
}

function xmlAlerts(document: string | Buffer, out: FeedResultBuilder): PendingAlert[] {
  const root = rootElement(parseXmlDocument(document));
  if (root?.name === 'alert') return [embedded(root.node)];
  if (root?.name !== 'feed' && root?.name !== 'rss') {
    throw new FeedDocumentError(`root element <${root?.name ?? 'none'}> is not a CAP <alert>, an Atom <feed> or an RSS <rss>`);
  }
  if (root.name === 'feed' && root.node.alert !== undefined) {
    out.deadLetter(null, 'a CAP <alert> outside any Atom <entry> is foreign markup and is ignored', root.node.alert);
  }
  const { entries, invalid } = feedEntries(root.name, root.node);
  for (const entry of invalid) out.deadLetter(entry.ref, entry.reason, entry.raw);
  const linked = entries.filter((e) => !e.alert);
  if (linked.length > 0) {
    out.deadLetter(
      null,
      `a CAP index: ${linked.length} entr${linked.length === 1 ? 'y links' : 'ies link'} to alerts without embedding them; read the feed with parseCapIndex and fetch each link`,
      linked.map((e) => e.url).join(' '),
    );
  }
  return entries.filter((e) => e.alert).map((e) => embedded(e.alert as XmlNode, e.ref));
}

function embedded(node: XmlNode, fallbackRef: string | null = null): PendingAlert {
  return { ref: xmlText(node.identifier) || fallbackRef, raw: node, read: () => readCapAlert(node) };
}
