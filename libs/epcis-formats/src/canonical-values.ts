/** Value spellings of the CBV 2.0 event hash pre-hash string. */

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|z|[+-]\d{2}:?\d{2})$/;
const MS_PER_MINUTE = 60_000;
const ROUNDING_DIGIT = 3;

/**
 * A timestamp in UTC with exactly three decimals and `Z` (CBV 2.0 event hash
 * rules): a fourth decimal of 5 to 9 rounds the third up. Undefined when the
 * string is not a date-time with a zone (the instant would be unknown).
 */
export function canonicalTimestamp(value: string): string | undefined {
  const m = DATE_TIME.exec(value.trim());
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const fraction = (m[7] ?? '').padEnd(ROUNDING_DIGIT + 1, '0');
  const roundUp = fraction.charCodeAt(ROUNDING_DIGIT) - 48 >= 5 ? 1 : 0;
  const millis = Number(fraction.slice(0, ROUNDING_DIGIT)) + roundUp;
  const zone = m[8] as string;
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const digits = zone.replace(':', '');
    offsetMinutes = (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5))) * (digits.startsWith('-') ? -1 : 1);
  }
  const t = new Date(0);
  t.setUTCFullYear(year, month - 1, day);
  t.setUTCHours(hour, minute, second, 0);
  return new Date(t.getTime() + millis - offsetMinutes * MS_PER_MINUTE).toISOString();
}

/** True when the string is a date-time that names its UTC offset (or `Z`). */
export function hasZonedTime(value: string): boolean {
  return canonicalTimestamp(value) !== undefined;
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** Plain decimal digits, no exponent, no superfluous zeros, no `+`; `-0` is `0`. */
function tidyDecimal(sign: string, integer: string, fraction: string): string {
  const int = integer.replace(/^0+(?=\d)/, '') || '0';
  const frac = fraction.replace(/0+$/, '');
  const body = frac === '' ? int : `${int}.${frac}`;
  return sign === '-' && /[1-9]/.test(body) ? `-${body}` : body;
}

/** Whether a string reads as a plain decimal number (`12`, `-0.50`, `.5`). */
export function isDecimalString(value: string): boolean {
  const m = DECIMAL.exec(value);
  return m !== null && `${m[2] ?? ''}${m[3] ?? ''}` !== '';
}

/** A decimal string without trailing zeros (CBV 2.0 event hash rules), exactly, without passing through a float. */
export function canonicalDecimalString(value: string): string {
  const m = DECIMAL.exec(value);
  if (m === null) return value;
  return tidyDecimal(m[1] ?? '', m[2] ?? '', m[3] ?? '');
}

/**
 * A JSON number in plain decimal notation: JavaScript's shortest round-trip
 * digits, with any exponent written out (xsd:decimal has no exponent form).
 */
export function canonicalNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const text = String(value);
  const e = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (e === null) return canonicalDecimalString(text);
  const [, sign = '', int = '', frac = '', exp = '0'] = e;
  const digits = int + frac;
  const point = int.length + Number(exp);
  if (point <= 0) return tidyDecimal(sign, '0', '0'.repeat(-point) + digits);
  if (point >= digits.length) return tidyDecimal(sign, digits + '0'.repeat(point - digits.length), '');
  return tidyDecimal(sign, digits.slice(0, point), digits.slice(point));
}

/** Orders strings by Unicode code point, i.e. by their UTF-8 bytes, as the algorithm asks. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    // UTF-16 order differs from code point order only once a surrogate is involved.
    if (ca >= 0xd800 || cb >= 0xd800) return Buffer.compare(Buffer.from(a.slice(i), 'utf8'), Buffer.from(b.slice(i), 'utf8'));
    return ca - cb;
  }
  return a.length - b.length;
}
