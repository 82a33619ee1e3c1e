/** Thrown by the document helpers; adapters turn it into a whole-document dead letter. */
export class FeedDocumentError extends Error {}

/** Largest document accepted, per format family (USGS all_month is ~12 MB; a CAP alert rarely exceeds 2 MB). */
export const MAX_JSON_DOCUMENT_BYTES = 32 * 1024 * 1024;
export const MAX_XML_DOCUMENT_BYTES = 10 * 1024 * 1024;

const UTF8_BOM = /^(?:\uFEFF|\u00EF\u00BB\u00BF)+/; // a BOM, or a BOM decoded once too often (GDACS 2024)

/** Refuses a document over the byte limit before anything else looks at it. */
export function checkSize(document: string | Buffer, maxBytes: number): void {
  const bytes = typeof document === 'string' ? Buffer.byteLength(document, 'utf8') : document.length;
  if (bytes > maxBytes) throw new FeedDocumentError(`document is ${bytes} bytes, over the ${maxBytes}-byte limit`);
}

/**
 * The document as text. A Buffer is decoded by its byte-order mark, else by
 * the encoding named in the XML declaration (ISO-8859-1, windows-1252, UTF-16…),
 * else as UTF-8. Leading BOMs, including a double-encoded one (`ï»¿`), and
 * leading whitespace are removed.
 */
export function documentText(document: string | Buffer): string {
  const text = typeof document === 'string' ? document : decodeBuffer(document);
  return text.replace(UTF8_BOM, '').trimStart();
}

function decodeBuffer(buffer: Buffer): string {
  if (buffer.length >= 2 && buffer[0] === 0xff && buffer[1] === 0xfe) return decode(buffer.subarray(2), 'utf-16le');
  if (buffer.length >= 2 && buffer[0] === 0xfe && buffer[1] === 0xff) return decode(buffer.subarray(2), 'utf-16be');
  if (buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) return decode(buffer.subarray(3), 'utf-8');
  const head = buffer.subarray(0, 300).toString('latin1');
  const declared = /^[\s\u00EF\u00BB\u00BF\u00C3\u00C2]*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return decode(buffer, declared ? declared[1] : 'utf-8');
}

function decode(bytes: Uint8Array, label: string): string {
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(label.toLowerCase(), { fatal: true });
  } catch {
    throw new FeedDocumentError(`unsupported character encoding "${label}"`);
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new FeedDocumentError(`document is not valid ${label}`);
  }
}

/** The first 500 characters of a text or of a value's JSON, for dead letters. */
export function excerpt(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length <= 500 ? text : `${text.slice(0, 499)}…`;
}

/** Parses JSON text, or says why it is not JSON. */
export function parseJsonDocument(document: string | Buffer, maxBytes = MAX_JSON_DOCUMENT_BYTES): unknown {
  checkSize(document, maxBytes);
  const text = documentText(document);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new FeedDocumentError(`malformed JSON: ${(error as Error).message}`);
  }
}

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The start of a whole document, for the dead letter of a document that could not be read. */
export function documentExcerpt(document: string | Buffer): string {
  return excerpt(typeof document === 'string' ? document.slice(0, 600) : document.subarray(0, 600).toString('utf8'));
}
