import {
  SITE_KINDS,
  type ImportEntity,
  type PartRow,
  type Provenance,
  type SiteRow,
  type SkuRow,
  type SupplierRow,
  type SupplyRow,
} from '@tiersight/contracts';
import { COUNTRIES, distanceKm } from './geography';
import { NetworkPlan, PART_CHOKEPOINT, PART_REGULAR, SHARE_UNITS } from './network-plan';
import { Prng } from './prng';
import { PART_CATALOG, RETURNABLE_PARTS, SKU_LINES, SKU_PRODUCTS, SPECIALTY_PARTS, SUPPLIER_TRADES, SUPPLIER_WORDS } from './vocabulary';

// Module-level aliases of Math: hot loops, and Jest's sandbox makes each global lookup slow (see prng.ts).
const { exp, floor, log, max, min, round } = Math;

interface RowOf {
  suppliers: SupplierRow;
  sites: SiteRow;
  parts: PartRow;
  skus: SkuRow;
  supplies: SupplyRow;
}
/** Rows of one entity; a network comes as suppliers, sites, parts, SKUs, then supplies batches, in that order. */
export type NetworkBatch = { [E in ImportEntity]: { entity: E; rows: RowOf[E][] } }[ImportEntity];

export const DEFAULT_BATCH_ROWS = 10_000;

/** Zero-padded ids, so that lexical order is numeric order. */
export const supplierId = (i: number) => `SUP-${String(i + 1).padStart(6, '0')}`;
export const siteId = (i: number) => `SITE-${String(i + 1).padStart(7, '0')}`;
export const partId = (i: number) => `P-${String(i + 1).padStart(6, '0')}`;
export const skuId = (i: number) => `SKU-${String(i + 1).padStart(6, '0')}`;

/** confirmedAt lies within two years before this fixed instant, so output never depends on the clock. */
export const CONFIRMED_BEFORE = '2026-01-01T00:00:00Z';
const DAY_MS = 86_400_000;
const DAYS = Array.from({ length: 731 }, (_, d) => new Date(Date.parse(CONFIRMED_BEFORE) - (d + 1) * DAY_MS).toISOString().slice(0, 10));
const two = (n: number) => String(n).padStart(2, '0');
const TIMES = Array.from({ length: 12 * 60 }, (_, m) => `T${two(6 + floor(m / 60))}:${two(m % 60)}:00Z`); // office hours

interface Stamp {
  source: Provenance;
  confirmedAt: string;
}
const stamp: Stamp = { source: 'buyer', confirmedAt: '' };

/**
 * Provenance of a site or an edge: deeper means less often confirmed by the
 * buyer; a disclosed supplier's data came through the portal. Returns one
 * shared object, to be read at once (millions of rows).
 */
function provenance(rng: Prng, tier: number, disclosed: boolean): Stamp {
  const pBuyer = max(0.35, 0.95 - 0.12 * tier);
  const r = rng.next();
  let oldest = 540;
  let newest = 0;
  if (disclosed && r < 0.7) {
    stamp.source = 'supplier';
  } else if (r < pBuyer) {
    stamp.source = 'buyer';
    oldest = 365;
  } else if (r < pBuyer + (1 - pBuyer) * 0.6) {
    stamp.source = 'supplier';
  } else {
    stamp.source = 'inferred';
    oldest = 730;
    newest = 120;
  }
  stamp.confirmedAt = DAYS[rng.int(newest, oldest - 1)] + TIMES[rng.index(TIMES.length)];
  return stamp;
}

const initials = (name: string) =>
  name
    .split(/[\s-]+/)
    .map((w) => w[0].toUpperCase())
    .join('');

/** The rows of a planned network, built lazily in batches of `batchSize`; same plan → the same rows. */
export function* planBatches(plan: NetworkPlan, batchSize = DEFAULT_BATCH_ROWS): Generator<NetworkBatch> {
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new RangeError(`batchSize must be a positive whole number, not ${batchSize}`);
  const siteIds = Array.from({ length: plan.totals.sites }, (_, i) => siteId(i));
  yield* chunks('suppliers', plan.totals.suppliers, batchSize, supplierRow(plan));
  yield* chunks('sites', plan.totals.sites, batchSize, siteRow(plan, siteIds));
  const partIds = Array.from({ length: plan.totals.parts }, (_, i) => partId(i));
  yield* chunks('parts', plan.totals.parts, batchSize, partRow(plan, partIds));
  const skuIds = Array.from({ length: plan.totals.skus }, (_, i) => skuId(i));
  yield* chunks('skus', plan.totals.skus, batchSize, skuRow(plan, skuIds));
  yield* chunks('supplies', plan.totals.supplies, batchSize, supplyRow(plan, siteIds, partIds, skuIds));
}

function* chunks<E extends ImportEntity>(entity: E, count: number, batchSize: number, row: (i: number) => RowOf[E]): Generator<NetworkBatch> {
  for (let i = 0; i < count;) {
    const end = min(count, i + batchSize);
    const rows: RowOf[E][] = [];
    for (; i < end; i++) rows.push(row(i));
    yield { entity, rows } as NetworkBatch;
  }
}

function supplierRow(plan: NetworkPlan): (i: number) => SupplierRow {
  const rng = Prng.stream(plan.seed, 11);
  return (i) => {
    const country = COUNTRIES[plan.supplierCountry[i]];
    const city = country.cities[plan.siteCity[i]][0]; // site i is supplier i's first site, in its home country
    const trade = rng.pick(SUPPLIER_TRADES[min(plan.supplierTier[i], SUPPLIER_TRADES.length) - 1]);
    const word = rng.pick(SUPPLIER_WORDS);
    const r = rng.next();
    const base = r < 0.45 || trade.startsWith(word) ? `${city} ${trade}` : r < 0.85 ? `${city} ${word} ${trade}` : `${word} ${trade}`;
    const row: SupplierRow = { id: supplierId(i), name: country.legal.replace('*', base), country: country.code };
    const owner = plan.supplierOwner[i];
    if (owner >= 0) {
      row.ownerSupplierId = supplierId(owner);
      row.visibility = plan.supplierMasked[i] ? 'masked' : 'shared';
    }
    return row;
  };
}

const TTR_RANGE = { plant: [30, 120], warehouse: [7, 21], port: [10, 35], office: [3, 10] } as const;

function siteRow(plan: NetworkPlan, ids: string[]): (i: number) => SiteRow {
  const rng = Prng.stream(plan.seed, 12);
  const ordinal = new Int32Array(plan.totals.suppliers);
  return (i) => {
    const supplier = plan.siteSupplier[i];
    const kind = SITE_KINDS[plan.siteKind[i]];
    const country = COUNTRIES[plan.siteCountry[i]];
    const city = country.cities[plan.siteCity[i]][0];
    const n = ++ordinal[supplier];
    const [ttrMin, ttrMax] = TTR_RANGE[kind];
    const ttrDays = rng.int(ttrMin, ttrMax);
    const baselineRisk = round(min(1, country.hazard * (0.6 + 0.8 * rng.next())) * 100) / 100;
    const { source, confirmedAt } = provenance(rng, plan.siteTier[i], plan.supplierOwner[supplier] >= 0);
    return {
      id: ids[i],
      supplierId: supplierId(supplier),
      name: n === 1 ? `${city} ${kind}` : `${city} ${kind} ${n}`,
      kind,
      lat: plan.siteLat[i],
      lon: plan.siteLon[i],
      country: country.code,
      ttrDays,
      baselineRisk,
      source,
      confirmedAt,
    };
  };
}

function partRow(plan: NetworkPlan, ids: string[]): (i: number) => PartRow {
  const rng = Prng.stream(plan.seed, 13);
  return (i) => {
    const kind = plan.partKind[i];
    if (kind === PART_REGULAR) {
      const [category, names] = rng.pick(PART_CATALOG[min(plan.partTier[i] - 2, PART_CATALOG.length - 1)]);
      const noun = rng.pick(names);
      return { id: ids[i], name: `${noun} ${initials(noun)}-${i + 1}`, category };
    }
    if (kind === PART_CHOKEPOINT) {
      const [category, noun] = rng.pick(SPECIALTY_PARTS);
      return { id: ids[i], name: `${noun} ${initials(noun)}-${i + 1}`, category };
    }
    return { id: ids[i], name: `${rng.pick(RETURNABLE_PARTS)} R-${i + 1}`, category: 'returnables' };
  };
}

function skuRow(plan: NetworkPlan, ids: string[]): (i: number) => SkuRow {
  const rng = Prng.stream(plan.seed, 14);
  return (i) => {
    const [product, category] = rng.pick(SKU_PRODUCTS);
    const model = `${String.fromCharCode(65 + rng.index(26))}${rng.int(1, 9)}${rng.int(0, 9)}0`;
    // Log-normal around 15k a day, kept within 1k..500k.
    const revenue = min(500_000, max(1_000, exp(log(15_000) + 1.1 * rng.normal())));
    return { id: ids[i], name: `${rng.pick(SKU_LINES)} ${product} ${model}`, dailyRevenue: round(revenue / 10) * 10, category };
  };
}

function supplyRow(plan: NetworkPlan, siteIds: string[], partIds: string[], skuIds: string[]): (i: number) => SupplyRow {
  const rng = Prng.stream(plan.seed, 15);
  const { from, to, part, share } = plan.edges;
  return (i) => {
    const u = from[i];
    const v = to[i];
    const disclosed = plan.supplierOwner[plan.siteSupplier[u]] >= 0;
    if (v < 0) {
      const sku = skuIds[-v - 1];
      const bufferDays = rng.int(0, 14);
      const leadTimeDays = rng.int(0, 10);
      const { source, confirmedAt } = provenance(rng, 0, disclosed);
      return { fromSiteId: siteIds[u], toSkuId: sku, partId: sku, share: share[i] / SHARE_UNITS, bufferDays, leadTimeDays, source, confirmedAt };
    }
    // Lead time from the distance: next door, by truck within a country, by sea between countries.
    const km = distanceKm(plan.siteLat[u], plan.siteLon[u], plan.siteLat[v], plan.siteLon[v]);
    const lead =
      km < 60 ? rng.int(0, 2) : plan.siteCountry[u] === plan.siteCountry[v] ? 1 + round(km / 800) + rng.int(0, 3) : 4 + round(km / 550) + rng.int(0, 6);
    const bufferDays = rng.chance(0.12) ? 0 : max(1, round(30 * rng.next() ** 1.6));
    const { source, confirmedAt } = provenance(rng, plan.siteTier[v], disclosed);
    return {
      fromSiteId: siteIds[u],
      toSiteId: siteIds[v],
      partId: partIds[part[i]],
      share: share[i] / SHARE_UNITS,
      bufferDays,
      leadTimeDays: min(45, lead),
      source,
      confirmedAt,
    };
  };
}
