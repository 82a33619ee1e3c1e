import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

/** Open Supply Hub's lists (fixtures/open-supply-hub): the raw rows and OSH's own geocodes, for tests. */
export const OSH_FIXTURES = join(__dirname, '..', '..', '..', '..', 'fixtures', 'open-supply-hub');

export interface OshRow {
  /** "<list>:<row>", the row as a spreadsheet numbers it (the header is row 1) */
  id: string;
  country: string;
  name: string;
  address: string;
  /** OSH's geocode of the same row, when the geocoded list has it (with a numeric point) */
  reference: { lat: number; lon: number } | null;
}

const read = (path: string): Record<string, string>[] =>
  parse(readFileSync(path), { columns: true, relax_column_count: true, bom: true, skip_empty_lines: true });

/** The rows of one raw list with OSH's geocodes, matched by the exact (country, name, address) cells. */
export function oshList(list: number): OshRow[] {
  const key = (c: Record<string, string>) => `${c.country}\u0000${c.name}\u0000${c.address}`;
  const references = new Map(read(join(OSH_FIXTURES, 'facility_lists_geocoded', `${list}.csv`)).map((g) => [key(g), g]));
  return read(join(OSH_FIXTURES, 'facility_lists_raw', `${list}.csv`)).map((c, i) => {
    const g = references.get(key(c));
    const lat = Number(g?.lat);
    const lon = Number(g?.lng);
    const reference = g && Number.isFinite(lat) && Number.isFinite(lon) ? { lat, lon } : null;
    return { id: `${list}:${i + 2}`, country: c.country, name: c.name, address: c.address, reference };
  });
}

/** One row by its id ("15:2"). */
export function oshRow(id: string): OshRow {
  const [list] = id.split(':');
  const row = oshList(Number(list)).find((r) => r.id === id);
  if (!row) throw new Error(`no row ${id} in the Open Supply Hub fixtures`);
  return row;
}
