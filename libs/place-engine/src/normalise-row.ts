import { resolveCountry, type CountryMatch } from './countries';
import { geocode, type GeocodeResult } from './geocode';
import { defaultGazetteer, type Gazetteer } from './gazetteer';
import { cleanCell, type CellIssueCode } from './text';

/** A row of an uploaded facility list, as the upload's column mapping read it (any cell may be anything). */
export interface RawFacilityRow {
  name?: unknown;
  address?: unknown;
  city?: unknown;
  postalCode?: unknown;
  admin1?: unknown;
  country?: unknown;
}

export type RowField = keyof RawFacilityRow;

export type RowIssueCode = CellIssueCode | 'country-empty' | 'country-unknown' | 'country-ambiguous' | 'country-formula' | 'name-missing';

/** One thing found in a row: where, a stable code, and a sentence for the review page. */
export interface RowIssue {
  field: RowField;
  code: RowIssueCode;
  message: string;
  /** true when the row cannot become a site until it is fixed */
  blocking: boolean;
}

/** A row cleaned for review: display text (case kept), the country as ISO alpha-2, and what was found. */
export interface NormalisedRow {
  name: string | null;
  address: string | null;
  city: string | null;
  postalCode: string | null;
  admin1: string | null;
  country: string | null;
  countryHow: CountryMatch | null;
  issues: RowIssue[];
  /** false when a blocking issue remains (no name, no usable country) */
  usable: boolean;
}

const TEXT_FIELDS = ['name', 'address', 'city', 'postalCode', 'admin1'] as const;

/**
 * Cleans one row: every text cell through {@link cleanCell} (NFKC, control and lost-character
 * marks out, mojibake repaired, formulas refused), the country through {@link resolveCountry}.
 * Never throws; problems are issues with a reason.
 */
export function normaliseRow(raw: RawFacilityRow): NormalisedRow {
  const issues: RowIssue[] = [];
  const out: Record<(typeof TEXT_FIELDS)[number], string | null> = { name: null, address: null, city: null, postalCode: null, admin1: null };
  for (const field of TEXT_FIELDS) {
    const cell = cleanCell(raw?.[field]);
    out[field] = cell.value;
    for (const issue of cell.issues) {
      if (issue.code === 'empty') continue;
      issues.push({ field, code: issue.code, message: `${field}: ${issue.message}`, blocking: false });
    }
  }
  if (out.name === null) issues.push({ field: 'name', code: 'name-missing', message: 'name: no facility name', blocking: true });
  const country = resolveCountry(raw?.country);
  if (!country.ok) issues.push({ field: 'country', code: country.reason, message: `country: ${country.message}`, blocking: true });
  return {
    ...out,
    country: country.ok ? country.code : null,
    countryHow: country.ok ? country.how : null,
    issues,
    usable: !issues.some((i) => i.blocking),
  };
}

/** A normalised row and where it was placed. */
export interface PlacedRow {
  row: NormalisedRow;
  place: GeocodeResult;
}

/**
 * Normalises a row and geocodes it with what it has: the country resolved here, the cleaned
 * address, city, postal code and province. A row without a usable country is a geocoding miss
 * with the country's reason (unless its address names the country).
 */
export function placeRow(raw: RawFacilityRow, gazetteer: Gazetteer = defaultGazetteer()): PlacedRow {
  const row = normaliseRow(raw);
  const place = geocode(
    {
      address: row.address,
      city: row.city,
      postalCode: row.postalCode,
      admin1: row.admin1,
      country: row.country ? null : raw?.country,
      countryCode: row.country,
    },
    gazetteer,
  );
  return { row, place };
}
