import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { checkSize, documentText, FeedDocumentError, isRecord, MAX_XML_DOCUMENT_BYTES } from './document-text';

/** A parsed XML element: attributes as `@_name`, text as `#text` when it has attributes, children by local name. */
export type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true, // `cap:alert`, `atom:entry`, `gdacs:eventid` → local names; prefixes are the producer's choice
  parseTagValue: false, // every value stays a string: no `"00123"` → 123 surprises
  parseAttributeValue: false,
  processEntities: false, // no DTD entities, ever; the five predefined ones are decoded by `xmlText`
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
});

/**
 * Parses an XML document safely. Refused with a reason (never fetched, never
 * expanded): any DOCTYPE or ENTITY declaration (external entities, "billion
 * laughs"), documents over the size limit, and malformed XML. XInclude and
 * schemaLocation are never resolved by this parser.
 */
export function parseXmlDocument(document: string | Buffer, maxBytes = MAX_XML_DOCUMENT_BYTES): XmlNode {
  checkSize(document, maxBytes);
  const text = documentText(document);
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new FeedDocumentError('DTD/entities not allowed');
  if (!text.startsWith('<')) throw new FeedDocumentError('not an XML document');
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    throw new FeedDocumentError(`malformed XML: ${msg} (line ${line}, column ${col})`);
  }
  try {
    return parser.parse(text) as XmlNode;
  } catch (error) {
    throw new FeedDocumentError(`malformed XML: ${(error as Error).message}`);
  }
}

/** The document's root element name and node (processing instructions and comments skipped). */
export function rootElement(doc: XmlNode): { name: string; node: XmlNode } | null {
  for (const [name, value] of Object.entries(doc)) {
    if (name.startsWith('?') || name.startsWith('#')) continue;
    return { name, node: isRecord(value) ? value : { '#text': value } };
  }
  return null;
}

/** A repeated element as an array (fast-xml-parser gives a lone child as an object). */
export function xmlList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** A child element as a node, or null when absent or text-only. */
export function xmlChild(node: unknown, name: string): XmlNode | null {
  if (!isRecord(node)) return null;
  const value = Array.isArray(node[name]) ? (node[name] as unknown[])[0] : node[name];
  return isRecord(value) ? value : null;
}

/** Trimmed, entity-decoded text of an element (first one if repeated); '' when absent or empty. */
export function xmlText(value: unknown): string {
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first === 'string') return decodeXmlEntities(first).trim();
  if (typeof first === 'number' || typeof first === 'boolean') return String(first);
  if (isRecord(first) && first['#text'] !== undefined) return xmlText(first['#text']);
  return '';
}

/** An attribute's decoded value, or ''. */
export function xmlAttr(node: unknown, name: string): string {
  return isRecord(node) ? xmlText(node[`@_${name}`]) : '';
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the five predefined entities and character references in one pass (`&amp;lt;` → `&lt;`, not `<`). */
export function decodeXmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot|apos);/g, (whole, name: string) => {
    if (name[0] !== '#') return PREDEFINED[name];
    const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
