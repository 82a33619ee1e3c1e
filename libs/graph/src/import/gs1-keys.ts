import { hasValidGs1CheckDigit, normaliseEpc } from '@tiersight/epcis-formats';

/** A GS1 key read into its one stored form, or why it cannot be. */
export type Gs1KeyReading = { ok: true; value: string } | { ok: false; reason: string };

const GLN_BASE = 'https://id.gs1.org/414/';

/**
 * A site's GS1 location id in its one stored form, the canonical GS1 Digital
 * Link (`https://id.gs1.org/414/<gln>` or `…/254/<extension>`), the form the
 * traceability graph matches EPCIS readPoints and bizLocations against.
 * Accepted: a bare 13-digit GLN, an SGLN EPC URI (`urn:epc:id:sgln:…`) or a
 * Digital Link on any domain; check digits are verified.
 */
export function canonicalGln(raw: string): Gs1KeyReading {
  const value = raw.trim();
  if (/^\d{13}$/.test(value)) {
    return hasValidGs1CheckDigit(value) ? { ok: true, value: GLN_BASE + value } : { ok: false, reason: `GLN ${value} has a wrong check digit` };
  }
  const read = normaliseEpc(value);
  if (!read.ok) return { ok: false, reason: `is not a GLN, SGLN or GS1 Digital Link (${read.reason})` };
  if (read.kind !== 'sgln') return { ok: false, reason: `${value} is a GS1 ${read.kind}, not a location (GLN / SGLN)` };
  return { ok: true, value: read.canonical };
}

/**
 * A SKU's or part's GTIN in its one stored form, 14 digits (GTIN-8, -12 and
 * -13 padded with zeros), the form lots carry. Accepted: 8, 12, 13 or 14
 * digits, or a GS1 Digital Link naming only a GTIN; check digits are verified.
 */
export function canonicalGtin(raw: string): Gs1KeyReading {
  const value = raw.trim();
  if (/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(value)) {
    return hasValidGs1CheckDigit(value) ? { ok: true, value: value.padStart(14, '0') } : { ok: false, reason: `GTIN ${value} has a wrong check digit` };
  }
  const read = normaliseEpc(value);
  if (!read.ok) return { ok: false, reason: 'is not a GTIN (8, 12, 13 or 14 digits) nor a GS1 Digital Link' };
  if (read.kind !== 'gtin' || read.gtin === undefined) return { ok: false, reason: `${value} names a ${read.kind}, not a trade item class (GTIN)` };
  return { ok: true, value: read.gtin };
}
