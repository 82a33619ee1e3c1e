/**
 * bench/onboarding — run by `npm run bench:onboarding`. No services needed.
 *
 * Geocoding: every row of Open Supply Hub's raw facility lists (fixtures/open-supply-hub/facility_lists_raw)
 * goes through the place engine (normaliseRow + geocode, offline) and is compared with the point Open Supply
 * Hub's own geocoder gave the same row (facility_lists_geocoded). Rows are matched by list number and the
 * exact (country, name, address) cells; the geocoded files carry no row id, and their row order differs from
 * the raw files'.
 *
 * Duplicates: proposeDuplicates over all rows of all lists (their geocodes as points), scored against the
 * hand-labelled pairs of fixtures/open-supply-hub/duplicate-labels.csv (how they were made: that folder's README).
 *
 * Prints a table and one JSON line (appended to bench/results/onboarding.jsonl); exits 1 when a figure falls
 * below its floor (FLOORS), so a regression fails.
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parse } from 'csv-parse/sync';
import { greatCircleKm } from '@tiersight/geo-engine';
import {
  defaultGazetteer,
  DUPLICATE_THRESHOLD,
  normaliseRow,
  placeRow,
  proposeDuplicates,
  type FacilityRecord,
  type GeocodeResult,
} from '@tiersight/place-engine';
import { OSH_FIXTURES as DATA, oshList, type OshRow } from '../../libs/place-engine/src/testing/osh-fixtures';

const ROOT = join(__dirname, '..', '..');

/**
 * Floors a run must reach. Set a few points under the figures of the run recorded in BENCHMARKS.md, so that
 * noise passes and a real regression does not.
 */
const FLOORS = {
  within25Km: 0.79,
  medianKmAtMost: 8,
  failedAtMost: 0,
  precision: 0.8,
  recall: 0.85,
};

/**
 * Reference points that are Open Supply Hub's own country-level fallback, not a facility's place: the point
 * its geocoder returns for a bare country name (rows whose address is only "Vietnam." or "Indonesia" carry
 * them). Rows with these references are reported apart: their "error" measures nothing.
 */
const COUNTRY_LEVEL_REFERENCES = [
  [35.86166, 104.195397], // China
  [14.058324, 108.277199], // Vietnam
  [20.593684, 78.96288], // India
  [12.879721, 121.774017], // Philippines
  [-0.789275, 113.921327], // Indonesia
];

const read = (path: string): Record<string, string>[] =>
  parse(readFileSync(path), { columns: true, relax_column_count: true, bom: true, skip_empty_lines: true });
const quantile = (xs: number[], q: number) => (xs.length === 0 ? NaN : [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

interface Row extends OshRow {
  placed: GeocodeResult;
}

/** A full garbage collection, so that the heap figures measure what is kept (the flag set at run time, as run-tool starts node). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function main() {
  const lists = readdirSync(join(DATA, 'facility_lists_raw'))
    .filter((f) => f.endsWith('.csv'))
    .sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
  const oshRows = lists.flatMap((file) => oshList(parseInt(file, 10)));

  // The gazetteer: the file read once, then the index of every country the rows name (built on first use of a country).
  collectGarbage();
  const before = process.memoryUsage();
  const t0 = process.hrtime.bigint();
  const gazetteer = defaultGazetteer();
  gazetteer.places('CN');
  const loadCnMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const countries = new Set(oshRows.map((r) => normaliseRow({ name: r.name, address: r.address, country: r.country }).country ?? 'CN'));
  for (const country of countries) gazetteer.places(country);
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
  collectGarbage();
  // What the gazetteer keeps, inside the JS heap and outside it (the file's buffer, typed arrays), and the process's resident set.
  const after = process.memoryUsage();
  const kept = (k: 'heapUsed' | 'external' | 'arrayBuffers' | 'rss') => Math.round((after[k] - before[k]) / 1e6);

  const rows: Row[] = [];
  const t1 = process.hrtime.bigint();
  for (const row of oshRows) rows.push({ ...row, placed: placeRow({ name: row.name, address: row.address, country: row.country }, gazetteer).place });
  const geocodeMs = Number(process.hrtime.bigint() - t1) / 1e6;

  const isCountryLevelRef = (r: { lat: number; lon: number }) =>
    COUNTRY_LEVEL_REFERENCES.some(([lat, lon]) => Math.abs(lat - r.lat) < 1e-4 && Math.abs(lon - r.lon) < 1e-4);
  const failures = new Map<string, number>();
  const errorsAll: number[] = [];
  const errorsCityRef: number[] = [];
  const errorsCityAnswer: number[] = [];
  let coarse = 0;
  let confirm = 0;
  let withReference = 0;
  let countryLevelRefs = 0;
  for (const row of rows) {
    if (!row.placed.ok) {
      failures.set(row.placed.reason, (failures.get(row.placed.reason) ?? 0) + 1);
      continue;
    }
    if (row.placed.precision !== 'city') coarse++;
    if (row.placed.needsConfirmation) confirm++;
    if (!row.reference) continue;
    withReference++;
    const d = greatCircleKm(row.placed.lat, row.placed.lon, row.reference.lat, row.reference.lon);
    errorsAll.push(d);
    if (isCountryLevelRef(row.reference)) countryLevelRefs++;
    else {
      errorsCityRef.push(d);
      if (row.placed.precision === 'city') errorsCityAnswer.push(d);
    }
  }
  const share = (xs: number[], km: number) => xs.filter((d) => d <= km).length / Math.max(1, xs.length);
  const failed = [...failures.values()].reduce((a, b) => a + b, 0);
  // Rows without a reference or that failed count as misses in the headline share.
  const headlineDenominator = withReference + rows.filter((r) => r.reference && !r.placed.ok).length;
  const within = (km: number) => errorsAll.filter((d) => d <= km).length / Math.max(1, headlineDenominator);

  // Duplicates: all rows, with their geocodes as points.
  const records: FacilityRecord[] = rows.map((r) => ({
    id: r.id,
    name: r.name ?? '',
    address: r.address ?? '',
    country: r.placed.ok ? r.placed.country : null,
    lat: r.placed.ok ? r.placed.lat : null,
    lon: r.placed.ok ? r.placed.lon : null,
    radiusKm: r.placed.ok ? r.placed.radiusKm : null,
  }));
  const t2 = process.hrtime.bigint();
  const proposals = proposeDuplicates(records, { threshold: 0.5 });
  const dedupeMs = Number(process.hrtime.bigint() - t2) / 1e6;
  const scoreOf = new Map(proposals.map((p) => [`${p.a}\u0000${p.b}`, p.score]));
  const labels = read(join(DATA, 'duplicate-labels.csv')).map((l) => {
    const [a, b] = l.a < l.b ? [l.a, l.b] : [l.b, l.a];
    return { a, b, same: l.same === '1', score: scoreOf.get(`${a}\u0000${b}`) ?? 0 };
  });
  const at = (t: number) => {
    const tp = labels.filter((l) => l.same && l.score >= t).length;
    const fp = labels.filter((l) => !l.same && l.score >= t).length;
    const fn = labels.filter((l) => l.same && l.score < t).length;
    return { threshold: t, precision: tp / Math.max(1, tp + fp), recall: tp / Math.max(1, tp + fn), tp, fp, fn };
  };
  const chosen = at(DUPLICATE_THRESHOLD);
  const sweep = [0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9].map(at);

  const result = {
    date: new Date().toISOString().slice(0, 10),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
    rows: rows.length,
    withReference,
    countryLevelRefs,
    within10Km: within(10),
    within25Km: within(25),
    within50Km: within(50),
    medianKm: quantile(errorsAll, 0.5),
    p90Km: quantile(errorsAll, 0.9),
    cityRefWithin25Km: share(errorsCityRef, 25),
    cityAnswerWithin25Km: share(errorsCityAnswer, 25),
    cityAnswers: errorsCityAnswer.length,
    coarse: coarse / rows.length,
    needsConfirmation: confirm / rows.length,
    failed,
    failures: Object.fromEntries(failures),
    gazetteerLoadMs: Math.round(loadMs),
    gazetteerLoadCnMs: Math.round(loadCnMs),
    gazetteerCountries: countries.size,
    gazetteerHeapMb: kept('heapUsed'),
    gazetteerExternalMb: kept('external'),
    gazetteerArrayBuffersMb: kept('arrayBuffers'),
    gazetteerRssMb: kept('rss'),
    geocodeMsPerRow: geocodeMs / rows.length,
    dedupe: {
      ms: Math.round(dedupeMs),
      proposalsAt05: proposals.length,
      labelled: labels.length,
      positives: labels.filter((l) => l.same).length,
      ...chosen,
      sweep,
    },
  };

  const line = (label: string, value: string) => console.log(`  ${label.padEnd(58)} ${value}`);
  console.log(`onboarding: ${rows.length} rows of ${lists.length} Open Supply Hub lists, offline geocoder vs OSH's geocodes (${withReference} rows matched)`);
  line('placed within 10 km', pct(result.within10Km));
  line('placed within 25 km', `${pct(result.within25Km)}   (floor ${pct(FLOORS.within25Km)})`);
  line('placed within 50 km', pct(result.within50Km));
  line('median error', `${result.medianKm.toFixed(1)} km   (floor ≤ ${FLOORS.medianKmAtMost} km)`);
  line('90th percentile error', `${result.p90Km.toFixed(1)} km`);
  line(`within 25 km, OSH reference not country-level (${errorsCityRef.length})`, pct(result.cityRefWithin25Km));
  line(`within 25 km, city-precision answers only (${errorsCityAnswer.length})`, pct(result.cityAnswerWithin25Km));
  line('flagged coarse (admin-1 or country precision)', pct(result.coarse));
  line('flagged for confirmation (coarse or confidence < 0.5)', pct(result.needsConfirmation));
  line('failed', `${failed}${failed ? ` (${[...failures].map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''}`);
  line(
    `gazetteer load: file + China / + all ${countries.size} countries (memory)`,
    `${result.gazetteerLoadCnMs} ms / ${result.gazetteerLoadMs} ms (kept: heap ${result.gazetteerHeapMb} MB, external ${result.gazetteerExternalMb} MB of which arrayBuffers ${result.gazetteerArrayBuffersMb} MB; RSS +${result.gazetteerRssMb} MB)`,
  );
  line('geocode per row (indexes built)', `${result.geocodeMsPerRow.toFixed(2)} ms`);
  console.log(
    `duplicates: ${labels.length} hand-labelled pairs (${result.dedupe.positives} same facility), all ${rows.length} rows proposed in ${result.dedupe.ms} ms`,
  );
  line(`precision at threshold ${DUPLICATE_THRESHOLD}`, `${pct(chosen.precision)}   (floor ${pct(FLOORS.precision)}; ${chosen.tp} true, ${chosen.fp} false)`);
  line(`recall at threshold ${DUPLICATE_THRESHOLD}`, `${pct(chosen.recall)}   (floor ${pct(FLOORS.recall)}; ${chosen.fn} missed)`);
  line('sweep (threshold: precision / recall)', sweep.map((s) => `${s.threshold}: ${pct(s.precision)} / ${pct(s.recall)}`).join(', '));

  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  appendFileSync(join(ROOT, 'bench', 'results', 'onboarding.jsonl'), `${JSON.stringify(result)}\n`);
  console.log(JSON.stringify(result));

  const below = [
    result.within25Km < FLOORS.within25Km && `within 25 km ${pct(result.within25Km)} < ${pct(FLOORS.within25Km)}`,
    result.medianKm > FLOORS.medianKmAtMost && `median ${result.medianKm.toFixed(1)} km > ${FLOORS.medianKmAtMost} km`,
    failed > FLOORS.failedAtMost && `${failed} rows failed`,
    chosen.precision < FLOORS.precision && `precision ${pct(chosen.precision)} < ${pct(FLOORS.precision)}`,
    chosen.recall < FLOORS.recall && `recall ${pct(chosen.recall)} < ${pct(FLOORS.recall)}`,
  ].filter(Boolean);
  if (below.length > 0) {
    console.error(`bench:onboarding: below the floor: ${below.join('; ')}`);
    process.exit(1);
  }
}

main();
