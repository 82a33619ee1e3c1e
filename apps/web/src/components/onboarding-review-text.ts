import type { MapSite } from './world-map';
import type { OnboardingPairSide, OnboardingRow } from './onboarding-review-api';

// How a list under review reads: every fact as words and numbers (never a colour alone),
// the same words in the table, on the map's pins and in the duplicate proposals.

type Location = NonNullable<OnboardingRow['location']>;

const PRECISION: Record<string, string> = {
  city: 'town or city',
  admin1: 'province or state centre',
  country: 'country centre',
};

export const precisionText = (precision: string) => PRECISION[precision] ?? precision;

/** Degrees to 4 decimals (about 10 m). */
export const fmtDeg = (v: number) => (Math.round(v * 1e4) / 1e4).toFixed(4);
export const fmtPoint = (lat: number, lon: number) => `${fmtDeg(lat)}, ${fmtDeg(lon)}`;
export const fmtKm = (km: number) => `±${km < 10 ? km.toFixed(1) : Math.round(km).toLocaleString('en')} km`;

/** The place a row landed at: the town the gazetteer found, or the centre it fell back to. */
export function placeName(location: Location): string {
  const name = location.place?.['name'];
  if (typeof name === 'string' && name) return name;
  return location.precision === 'country' ? 'centre of the country' : location.precision === 'admin1' ? 'centre of the province or state' : 'town found';
}

export const isCoarse = (location: Location) => location.precision !== 'city';

/** ok / to-confirm / blocked, as a symbol and words. */
export const STATUS: Record<string, { symbol: string; text: string }> = {
  ok: { symbol: '✓', text: 'ready' },
  'to-confirm': { symbol: '?', text: 'pin to confirm' },
  blocked: { symbol: '✕', text: 'blocked' },
};

export const statusOf = (row: OnboardingRow) => STATUS[row.status] ?? { symbol: '•', text: row.status };

/** A row still waiting for a person: blocked or its pin to confirm, and no decision yet. */
export const needsDecision = (row: OnboardingRow) => row.status !== 'ok' && row.decision === null;

export function decisionText(row: OnboardingRow): string {
  const d = row.decision;
  if (!d) return row.status === 'ok' ? 'none needed' : 'needed';
  if (d.action === 'accept') return 'accepted as placed';
  if (d.action === 'reject') return 'rejected: left out';
  const parts = [d.lat !== undefined && d.lon !== undefined ? `pin set at ${fmtPoint(d.lat, d.lon)}` : 'edited'];
  if (d.country) parts.push(`country ${d.country}`);
  if (d.name) parts.push(`name “${d.name}”`);
  return parts.join(', ');
}

/** The name a row goes by in a sentence. */
export const rowName = (row: OnboardingRow | undefined) => row?.decision?.name ?? row?.name ?? 'a row without a name';

/** One side of a duplicate proposal: a row of this list, or a site already in the network. */
export function sideText(side: OnboardingPairSide, rows: ReadonlyMap<number, OnboardingRow>): string {
  if (side.row !== undefined) return `row ${side.row} (${rowName(rows.get(side.row))})`;
  const name = side.name === null || side.name === undefined ? 'a site of a masked supplier' : side.name;
  return `existing site ${side.siteId ?? ''}: ${name}${side.country ? `, ${side.country}` : ''}`;
}

/**
 * The pin a row shows: where a person set it, else where the review placed it (a square
 * for a province or country centre, with the radius of uncertainty); none when rejected or not placed.
 */
export function pinOf(row: OnboardingRow): MapSite | null {
  const d = row.decision;
  const who = `Row ${row.row}: ${rowName(row)}`;
  if (d?.action === 'reject') return null;
  if (d?.action === 'edit' && d.lat !== undefined && d.lon !== undefined) {
    return { id: `row-${row.row}`, label: String(row.row), title: `${who}, pin set at ${fmtPoint(d.lat, d.lon)}`, lat: d.lat, lon: d.lon, kind: 'set' };
  }
  const l = row.location;
  if (!l) return null;
  return {
    id: `row-${row.row}`,
    label: String(row.row),
    title: `${who}, ${placeName(l)} (${precisionText(l.precision)}, ${fmtKm(l.radiusKm)})`,
    lat: l.lat,
    lon: l.lon,
    kind: isCoarse(l) ? 'coarse' : 'placed',
    radiusKm: l.radiusKm,
  };
}
