import {
  CONFIRM_BELOW_CONFIDENCE,
  proposeDuplicates,
  type DuplicateEvidence,
  type FacilityRecord,
  type PlacedRow,
  type Precision,
} from '@tiersight/place-engine';
import type { ListField } from './columns';
import { siteIdFor, supplierIdFor } from './entity-ids';
import type { ListRow } from './read-list';

/** Something found in a row, with a stable code and a sentence for the person reviewing it. */
export interface ReviewIssue {
  field: ListField | 'location';
  code: string;
  message: string;
  /** true when the row cannot be written until it is edited (or rejected) */
  blocking: boolean;
}

/** Where a row was placed, how, and how sure. */
export interface ReviewLocation {
  lat: number;
  lon: number;
  precision: Precision;
  radiusKm: number;
  confidence: number;
  how: string[];
  /** the gazetteer place of a city answer (GeoNames) */
  place: { id: number; name: string; featureCode: string; population: number } | null;
}

/** `ok`: ready to write; `to-confirm`: placed, but a person should check the pin; `blocked`: cannot be written as it is. */
export type ReviewStatus = 'ok' | 'to-confirm' | 'blocked';

export interface ReviewRow {
  row: number;
  /** the mapped cells as the file had them */
  input: Partial<Record<ListField, string>>;
  name: string | null;
  address: string | null;
  city: string | null;
  postalCode: string | null;
  /** ISO 3166-1 alpha-2, from the country column (or the address when the column is empty) */
  country: string | null;
  supplier: { id: string; name: string; country: string; ref: string | null } | null;
  /** `exists`: a site with this id is in the network already (an earlier upload); confirming updates it */
  site: { id: string; name: string; kind: 'plant'; country: string; exists: boolean } | null;
  location: ReviewLocation | null;
  status: ReviewStatus;
  issues: ReviewIssue[];
  /** an earlier row with the same name, address and country: the same site */
  sameAs: number | null;
  /** ids of the duplicate proposals this row is part of */
  pairs: string[];
  sector: string | null;
  parts: string | null;
}

/** A site already in the network, as the review compares rows with it. */
export interface ExistingSite {
  id: string;
  name: string;
  country: string;
  lat: number;
  lon: number;
  /** operated by a supplier disclosed as masked: compared, but its name is never shown */
  masked: boolean;
}

export type PairSide = { row: number } | { siteId: string; name: string | null; country: string; lat: number; lon: number };

/** Two records that are probably one facility, with the evidence. */
export interface ReviewPair {
  id: string;
  a: PairSide;
  b: PairSide;
  score: number;
  evidence: DuplicateEvidence;
}

export interface ReviewSummary {
  rows: number;
  ok: number;
  toConfirm: number;
  blocked: number;
  identical: number;
  existing: number;
  pairs: number;
}

export interface Review {
  rows: ReviewRow[];
  pairs: ReviewPair[];
  summary: ReviewSummary;
}

/** The import's limit on supplier and site names. */
const MAX_NAME = 256;

/** The id a row has among the records compared for duplicates ('#' never appears in an entity id). */
const recordId = (row: number) => `#${row}`;
const rowOfRecord = (id: string) => (id.startsWith('#') ? Number(id.slice(1)) : null);

/** The review rows of a placed list (`placed[i]` is `list[i]` through placeRow), identical rows marked; no duplicates yet. */
export function reviewRows(list: readonly ListRow[], placed: readonly PlacedRow[]): ReviewRow[] {
  const rows = list.map((listRow, i) => reviewRow(listRow, placed[i]));
  const firstWithSite = new Map<string, ReviewRow>();
  for (const r of rows) {
    if (!r.site) continue;
    const first = firstWithSite.get(r.site.id);
    if (!first) {
      firstWithSite.set(r.site.id, r);
      continue;
    }
    r.sameAs = first.row;
    r.issues.push({ field: 'name', code: 'identical-row', message: `the same name, address and country as row ${first.row}: one site`, blocking: false });
  }
  return rows;
}

/**
 * Completes the review: the duplicate proposals among the rows and against
 * `existing` sites (a row whose site id an existing site has is that site:
 * an update, not a duplicate), leaving out the pairs a person rejected before
 * (`rejected`, by site id). Pure; `rows` come from {@link reviewRows}.
 */
export function buildReview(rows: ReviewRow[], existing: readonly ExistingSite[], rejected: ReadonlyArray<readonly [string, string]>): Review {
  const firstWithSite = new Map<string, ReviewRow>();
  for (const r of rows) if (r.site && r.sameAs === null) firstWithSite.set(r.site.id, r);
  const existingIds = new Set(existing.map((s) => s.id));
  for (const r of rows) if (r.site && existingIds.has(r.site.id)) r.site.exists = true;
  const sites = existing.filter((s) => !firstWithSite.has(s.id));
  const records: FacilityRecord[] = rows
    .filter((r) => r.name !== null && r.sameAs === null)
    .map((r) => ({
      id: recordId(r.row),
      name: r.name!,
      address: r.address,
      country: r.country,
      lat: r.location?.lat ?? null,
      lon: r.location?.lon ?? null,
      radiusKm: r.location?.radiusKm ?? null,
    }));
  const rowsBySite = new Map<string, string[]>();
  for (const r of rows) if (r.site && r.sameAs === null) rowsBySite.set(r.site.id, [recordId(r.row)]);
  const recordsOf = (siteId: string) => [...(rowsBySite.get(siteId) ?? []), ...(existingIds.has(siteId) && !firstWithSite.has(siteId) ? [siteId] : [])];
  const rejectedPairs = rejected.flatMap(([x, y]) => recordsOf(x).flatMap((a) => recordsOf(y).map((b) => [a, b] as const)));
  const proposals = proposeDuplicates(records, { existingSites: sites.map((s) => ({ ...s, radiusKm: 0 })), rejectedPairs });
  const siteById = new Map(sites.map((s) => [s.id, s]));
  const byRow = new Map(rows.map((r) => [r.row, r]));
  const side = (id: string): PairSide => {
    const row = rowOfRecord(id);
    if (row !== null) return { row };
    const s = siteById.get(id)!;
    return { siteId: s.id, name: s.masked ? null : s.name, country: s.country, lat: s.lat, lon: s.lon };
  };
  const pairs = proposals.map((p, i): ReviewPair => {
    const id = `d${i + 1}`;
    for (const recordIdOfSide of [p.a, p.b]) {
      const row = rowOfRecord(recordIdOfSide);
      if (row !== null) byRow.get(row)!.pairs.push(id);
    }
    const masked = [p.a, p.b].some((x) => siteById.get(x)?.masked);
    return { id, a: side(p.a), b: side(p.b), score: p.score, evidence: masked ? { ...p.evidence, sharedNameWords: [] } : p.evidence };
  });
  return { rows, pairs, summary: summarise(rows, pairs) };
}

function reviewRow(listRow: ListRow, { row, place }: PlacedRow): ReviewRow {
  const issues: ReviewIssue[] = listRow.refused.map((c) => ({ field: c.field, code: c.code, message: `${c.field}: ${c.message}`, blocking: false }));
  issues.push(...row.issues.map((i) => ({ field: i.field as ListField, code: i.code, message: i.message, blocking: i.blocking })));
  const country = row.country ?? (place.ok ? place.country : null);
  let location: ReviewLocation | null = null;
  if (place.ok) {
    location = {
      lat: place.lat,
      lon: place.lon,
      precision: place.precision,
      radiusKm: place.radiusKm,
      confidence: place.confidence,
      how: place.how,
      place: place.place,
    };
    if (place.needsConfirmation)
      issues.push({ field: 'location', code: 'to-confirm', message: confirmReason(place.precision, place.radiusKm, place.confidence), blocking: false });
  } else if (!issues.some((i) => i.code === place.reason)) {
    issues.push({ field: place.reason === 'country-mismatch' ? 'address' : 'country', code: place.reason, message: place.message, blocking: true });
  }
  if (!place.ok && !issues.some((i) => i.blocking)) {
    issues.push({ field: 'location', code: 'not-placed', message: 'the row could not be placed: give its coordinates', blocking: true });
  }
  if (row.name !== null && row.name.length > MAX_NAME) {
    issues.push({
      field: 'name',
      code: 'name-too-long',
      message: `name: ${row.name.length} characters; at most ${MAX_NAME} are kept: shorten it`,
      blocking: true,
    });
  }
  const ref = listRow.cells.supplierRef?.trim() || null;
  const name = row.name;
  const ids = name !== null && country !== null;
  const blocked = issues.some((i) => i.blocking) || location === null || !ids;
  return {
    row: listRow.row,
    input: listRow.cells,
    name,
    address: row.address,
    city: row.city,
    postalCode: row.postalCode,
    country,
    supplier: ids ? { id: supplierIdFor(country, name, ref), name, country, ref } : null,
    site: ids ? { id: siteIdFor(country, name, row.address), name, kind: 'plant', country, exists: false } : null,
    location,
    status: blocked ? 'blocked' : place.ok && place.needsConfirmation ? 'to-confirm' : 'ok',
    issues,
    sameAs: null,
    pairs: [],
    sector: listRow.cells.sector?.trim() || null,
    parts: listRow.cells.parts?.trim() || null,
  };
}

function confirmReason(precision: Precision, radiusKm: number, confidence: number): string {
  if (precision !== 'city')
    return `placed at the ${precision === 'admin1' ? 'province or state' : 'country'} centre (±${Math.round(radiusKm)} km): coarser than a city, confirm the pin`;
  if (confidence < CONFIRM_BELOW_CONFIDENCE) return `the town match is doubtful (confidence ${confidence.toFixed(2)}): confirm the pin`;
  return 'the address names another country than the country column: confirm the pin';
}

function summarise(rows: readonly ReviewRow[], pairs: readonly ReviewPair[]): ReviewSummary {
  const count = (test: (r: ReviewRow) => boolean) => rows.filter(test).length;
  return {
    rows: rows.length,
    ok: count((r) => r.status === 'ok'),
    toConfirm: count((r) => r.status === 'to-confirm'),
    blocked: count((r) => r.status === 'blocked'),
    identical: count((r) => r.sameAs !== null),
    existing: count((r) => r.site?.exists === true),
    pairs: pairs.length,
  };
}
