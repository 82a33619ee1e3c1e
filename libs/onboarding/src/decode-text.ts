import { decode } from 'iconv-lite';

/** How the bytes of a text file were read. */
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** True when `bytes` begin with `prefix` (a byte-order or file-format mark). */
export const startsWith = (bytes: Uint8Array, prefix: readonly number[]) => prefix.every((b, i) => bytes[i] === b);

/**
 * The text of an uploaded list: UTF-8 with or without a byte-order mark,
 * UTF-16 with one (Excel's "Unicode text"), else Windows-1252 — what Excel
 * on Windows writes as "CSV" — when the bytes are not valid UTF-8.
 * Null when the bytes hold NUL characters without a UTF-16 mark: not text.
 */
export function decodeText(bytes: Uint8Array): DecodedText | null {
  if (startsWith(bytes, UTF8_BOM)) return { text: strictOrNull(bytes.subarray(3)) ?? decode(Buffer.from(bytes.subarray(3)), 'utf8'), encoding: 'utf-8-bom' };
  if (startsWith(bytes, [0xff, 0xfe])) return { text: decode(Buffer.from(bytes.subarray(2)), 'utf16le'), encoding: 'utf-16le' };
  if (startsWith(bytes, [0xfe, 0xff])) return { text: decode(Buffer.from(bytes.subarray(2)), 'utf16be'), encoding: 'utf-16be' };
  if (bytes.includes(0)) return null;
  const utf8 = strictOrNull(bytes);
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8' };
  return { text: decode(Buffer.from(bytes), 'win1252'), encoding: 'windows-1252' };
}

function strictOrNull(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}
