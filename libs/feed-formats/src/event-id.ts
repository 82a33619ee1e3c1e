import { createHash } from 'node:crypto';
import { ENTITY_ID_CHARS, MAX_ENTITY_ID_LENGTH } from '@tiersight/contracts';

/** Any character the id rule does not allow. */
const OUTSIDE_ID_ALPHABET = new RegExp(`[^${ENTITY_ID_CHARS}]`, 'gu');

const HASH_CHARS = 24;

/**
 * A stable event id `<namespace>:<part>:<part>…` for a source item, so that
 * pulling the same item again updates the same event. Characters outside the
 * id alphabet become `_` (so `a@b` and `a_b` would meet; senders and
 * identifiers differing only there do not occur in practice); an id that would
 * be longer than 128 characters keeps a readable prefix and ends with 24 hex
 * characters of the SHA-256 of the raw parts.
 */
export function stableEventId(namespace: string, ...parts: string[]): string {
  const cleaned = parts.map((part) => part.trim().replace(OUTSIDE_ID_ALPHABET, '_'));
  const id = [namespace, ...cleaned].join(':');
  if (id.length <= MAX_ENTITY_ID_LENGTH) return id;
  const hash = createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, HASH_CHARS);
  const keep = MAX_ENTITY_ID_LENGTH - HASH_CHARS - 1;
  return `${id.slice(0, keep)}:${hash}`;
}
