import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks (v1.0.0) signing, symmetric scheme only:
 * `v1,` + base64(HMAC-SHA256(key, `${webhook-id}.${webhook-timestamp}.${body}`)),
 * the key being the base64-decoded part of a `whsec_` secret.
 */
export const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;

export class InvalidSecretError extends Error {
  constructor(message = 'a webhook secret is whsec_ followed by base64 of 24 to 64 bytes') {
    super(message);
    this.name = 'InvalidSecretError';
  }
}

/** A fresh secret: `whsec_` + base64 of 32 random bytes. */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

/** The HMAC key of a secret (the prefix is optional; base64 padding may be missing). */
export function secretKey(secret: string): Buffer {
  const body = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw new InvalidSecretError();
  const key = Buffer.from(body, 'base64');
  if (key.length < 16 || key.length > 64) throw new InvalidSecretError();
  return key;
}

/** One `v1,<base64>` signature over the message id, the timestamp (seconds) and the raw body. */
export function signV1(secret: string | Buffer, msgId: string, timestampSeconds: number, body: string | Buffer): string {
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) throw new RangeError('timestamp must be whole seconds since the epoch');
  const key = typeof secret === 'string' ? secretKey(secret) : secret;
  const mac = createHmac('sha256', key).update(`${msgId}.${timestampSeconds}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

/** The `webhook-signature` header: one signature per secret, space-separated (several during a rotation). */
export function signatureHeader(secrets: ReadonlyArray<string | Buffer>, msgId: string, timestampSeconds: number, body: string | Buffer): string {
  return secrets.map((s) => signV1(s, msgId, timestampSeconds, body)).join(' ');
}

/** The three Standard Webhooks headers of one send. */
export function webhookHeaders(secrets: ReadonlyArray<string | Buffer>, msgId: string, timestampSeconds: number, body: string | Buffer) {
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': signatureHeader(secrets, msgId, timestampSeconds, body),
  };
}

/**
 * Checks a `webhook-signature` header against one secret: true when any `v1`
 * entry matches (constant-time). Other versions and malformed entries are ignored.
 * The timestamp tolerance is the receiver's business and is not checked here.
 */
export function verifyV1(secret: string, msgId: string, timestampSeconds: number, body: string | Buffer, header: string): boolean {
  const expected = Buffer.from(signV1(secret, msgId, timestampSeconds, body).slice(3), 'base64');
  for (const entry of header.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma <= 0 || entry.slice(0, comma) !== 'v1') continue;
    const value = entry.slice(comma + 1);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
  }
  return false;
}

/**
 * A stable message id for one alert to one subscription, derived from the
 * subscription and the exposure change it reports: processing the same change
 * twice (a retried batch, a second worker) gives the same id. At most 26
 * characters after `msg_`, no `:` (BullMQ job ids may not contain one).
 */
export function alertMessageId(subscriptionId: string, changeId: string): string {
  const digest = createHash('sha256').update(`${subscriptionId}\u0000${changeId}`).digest();
  return `msg_${toBase32(digest).slice(0, 26)}`;
}

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
function toBase32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}
