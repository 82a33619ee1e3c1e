import { createHash } from 'node:crypto';
import { foldForMatch } from '@tiersight/place-engine';

/** Hex digits of the hash kept in an id: 64 bits, no collision in any list a buyer has. */
const HASH_CHARS = 16;

const digest = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, HASH_CHARS);

/**
 * The site a list row proposes: the same country, name and address (after
 * folding case, accents and punctuation) give the same id in every upload, so
 * a list uploaded again updates its sites instead of adding them twice, and a
 * rejected duplicate pair is recognised in a later list. Matches ENTITY_ID_PATTERN.
 */
export function siteIdFor(country: string, name: string, address: string | null): string {
  return `SITE-OB-${digest('site', country, foldForMatch(name), foldForMatch(address ?? ''))}`;
}

/** The supplier of a row: by the supplier's own id when the list has one, else by name and country. */
export function supplierIdFor(country: string, name: string, ref: string | null): string {
  return ref !== null && ref.trim() !== '' ? `SUP-OB-${digest('ref', foldForMatch(ref))}` : `SUP-OB-${digest('name', country, foldForMatch(name))}`;
}
