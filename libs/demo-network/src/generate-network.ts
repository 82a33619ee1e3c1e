import type { ImportPayload, PartRow, SiteKind, SiteRow, SkuRow, SupplierRow, SupplyRow } from '@tiersight/graph';
import { COUNTRIES, CUMULATIVE_COUNTRY_WEIGHTS, PART_CATEGORIES, SKU_CATEGORIES, SKU_NOUNS, SUPPLIER_TRADES, SUPPLIER_WORDS } from './geography';
import { Prng } from './prng';
import { NETWORK_SIZES, NetworkCounts, NetworkSize, TIER_WEIGHTS } from './sizes';

export interface GenerateOptions {
  size?: NetworkSize;
  seed?: number;
  counts?: Partial<NetworkCounts>;
  /** Back edges (a site shipping to a deeper-tier site) that close cycles; 0 by default. */
  cycles?: number;
}

/** confirmedAt dates lie within two years before this fixed instant, so output never depends on the clock. */
const EPOCH_MS = Date.UTC(2026, 0, 1);
const DAY_MS = 86_400_000;
const KIND_TTR: Record<SiteKind, number> = { plant: 60, warehouse: 14, port: 21, office: 7 };
const pad = (n: number, width: number) => String(n).padStart(width, '0');
const round3 = (v: number) => Math.round(v * 1000) / 1000;

/** Share splits for 1, 2 and 3 sources; every split sums to at most 1 exactly in 3-decimal arithmetic. */
const SPLITS: ReadonlyArray<ReadonlyArray<readonly number[]>> = [
  [],
  [[1], [1], [1], [0.85], [0.9]],
  [[0.6, 0.4], [0.5, 0.5], [0.7, 0.3], [0.7, 0.2], [0.55, 0.35]],
  [[0.5, 0.3, 0.2], [0.4, 0.4, 0.2], [0.6, 0.2, 0.1]],
];

/**
 * A seeded, realistic supply network in the import format (DESIGN §7.1):
 * suppliers over real manufacturing countries, sites around real industrial
 * cities, tiers 1 to 5, multi- and single-sourced parts, buffers, lead times,
 * log-normal SKU revenues, provenance, a few disclosed (and masked) sub-tier
 * suppliers and a few popular single-sourced tier-3 parts (hidden chokepoints).
 * Same options → the same network, byte for byte.
 */
export function generateNetwork(options: GenerateOptions = {}): Required<ImportPayload> {
  const counts = { ...NETWORK_SIZES[options.size ?? 'demo'], ...options.counts };
  const rng = new Prng(options.seed ?? 42);
  const provenance = () => {
    const r = rng.next();
    return {
      source: (r < 0.85 ? 'buyer' : r < 0.95 ? 'supplier' : 'inferred') as SupplyRow['source'],
      confirmedAt: new Date(EPOCH_MS - rng.int(0, 730) * DAY_MS).toISOString(),
    };
  };

  // Suppliers, each with a home tier; its sites mostly sit at that tier.
  const supplierTier = new Int8Array(counts.suppliers);
  const suppliers: SupplierRow[] = [];
  const supplierCountry: number[] = [];
  const cumulativeTiers = TIER_WEIGHTS.slice(0, counts.tiers).reduce<number[]>((a, w) => [...a, (a[a.length - 1] ?? 0) + w], []);
  for (let i = 0; i < counts.suppliers; i++) {
    const country = rng.weighted(CUMULATIVE_COUNTRY_WEIGHTS);
    supplierCountry.push(country);
    supplierTier[i] = rng.weighted(cumulativeTiers) + 1;
    const city = rng.pick(COUNTRIES[country].cities)[0];
    suppliers.push({ id: `SUP-${pad(i + 1, 6)}`, name: `${city} ${rng.pick(SUPPLIER_WORDS)} ${rng.pick(SUPPLIER_TRADES)}`, country: COUNTRIES[country].code });
  }

  // Sites: every supplier gets one, the rest go to random suppliers; tier follows the supplier (10% one deeper).
  const sites: SiteRow[] = [];
  const siteTier: number[] = [];
  const sitesAtTier: number[][] = Array.from({ length: counts.tiers + 1 }, () => []);
  for (let i = 0; i < counts.sites; i++) {
    const s = i < counts.suppliers ? i : rng.int(0, counts.suppliers - 1);
    const tier = Math.min(counts.tiers, supplierTier[s] + (rng.next() < 0.1 ? 1 : 0));
    const [city, lat, lon] = rng.pick(COUNTRIES[supplierCountry[s]].cities);
    const r = rng.next();
    const kind: SiteKind = r < 0.8 ? 'plant' : r < 0.93 ? 'warehouse' : r < 0.98 ? 'port' : 'office';
    sites.push({
      id: `SITE-${pad(i + 1, 7)}`, supplierId: suppliers[s].id, name: `${city} ${kind} ${i + 1}`, kind,
      lat: round3(Math.max(-89.9, Math.min(89.9, lat + rng.normal() * 0.25))),
      lon: round3(Math.max(-179.9, Math.min(179.9, lon + rng.normal() * 0.25))),
      country: COUNTRIES[supplierCountry[s]].code, ttrDays: KIND_TTR[kind] + rng.int(-5, 30), ...provenance(),
    });
    siteTier.push(tier);
    sitesAtTier[tier].push(i);
  }
  for (let t = 1; t <= counts.tiers; t++) if (sitesAtTier[t].length === 0) throw new Error(`no site at tier ${t}: too few sites`);

  // Disclosed sub-tier suppliers: some deep suppliers were named by a tier-2 supplier, half of them masked.
  const tier2 = suppliers.filter((_, i) => supplierTier[i] === 2);
  suppliers.forEach((s, i) => {
    if (supplierTier[i] >= 3 && tier2.length && rng.next() < 0.05) {
      s.ownerSupplierId = rng.pick(tier2).id;
      s.visibility = rng.next() < 0.5 ? 'masked' : 'shared';
    }
  });

  // Parts: sites of one tier making the same part are its alternative sources (about 2.5 per part).
  const partOfSite = new Int32Array(counts.sites);
  const parts: PartRow[] = [];
  const sourcesOfPart: number[][] = [];
  for (let t = 2; t <= counts.tiers; t++) {
    const list = sitesAtTier[t];
    const partCount = Math.max(1, Math.round(list.length / 2.5));
    const first = parts.length;
    for (let k = 0; k < partCount; k++) {
      parts.push({ id: `P-${pad(parts.length + 1, 6)}`, name: `${rng.pick(PART_CATEGORIES)} part ${parts.length + 1}`, category: rng.pick(PART_CATEGORIES) });
      sourcesOfPart.push([]);
    }
    for (const v of list) {
      const part = first + rng.int(0, partCount - 1);
      partOfSite[v] = part;
      sourcesOfPart[part].push(v);
    }
  }

  const skus: SkuRow[] = [];
  for (let i = 0; i < counts.skus; i++) {
    const revenue = Math.round(Math.min(500_000, Math.max(1_000, Math.exp(Math.log(20_000) + rng.normal()))));
    skus.push({ id: `SKU-${pad(i + 1, 6)}`, name: `${rng.pick(SKU_NOUNS)} ${String.fromCharCode(65 + (i % 26))}${Math.floor(i / 26) + 1}`, dailyRevenue: revenue, category: rng.pick(SKU_CATEGORIES) });
  }

  const supplies: SupplyRow[] = [];
  const groups = new Set<string>();
  const edge = (from: number, to: { site?: number; sku?: number }, partId: string, share: number) => {
    const days = rng.next() < 0.15 ? 0 : rng.int(1, 30);
    supplies.push({
      fromSiteId: sites[from].id,
      ...(to.sku !== undefined ? { toSkuId: skus[to.sku].id } : { toSiteId: sites[to.site!].id }),
      partId, share, bufferDays: days, leadTimeDays: rng.int(0, 45), ...provenance(),
    });
  };
  /** One input group: the receiver takes `part` from up to three of its sources, shares from SPLITS. */
  const group = (receiver: number, part: number, required?: number): boolean => {
    const key = `${receiver}:${part}`;
    if (groups.has(key)) return false;
    groups.add(key);
    const pool = sourcesOfPart[part].filter((v) => v !== receiver && v !== required);
    const wanted = Math.min(pool.length + (required !== undefined ? 1 : 0), rng.weighted([0.45, 0.85, 1]) + 1);
    const chosen = required !== undefined ? [required] : [];
    while (chosen.length < wanted) {
      const v = pool.splice(rng.int(0, pool.length - 1), 1)[0];
      chosen.push(v);
    }
    const split = rng.pick(SPLITS[chosen.length]);
    chosen.forEach((v, k) => edge(v, { site: receiver }, parts[part].id, split[k]));
    return true;
  };

  // Every SKU is made by one or two tier-1 sites.
  for (let k = 0; k < counts.skus; k++) {
    const makers = rng.next() < 0.3 ? 2 : 1;
    const split = makers === 1 ? [1] : [0.6, 0.4];
    const used = new Set<number>();
    for (let m = 0; m < makers; m++) {
      let v = rng.pick(sitesAtTier[1]);
      while (used.has(v) && sitesAtTier[1].length > 1) v = rng.pick(sitesAtTier[1]);
      used.add(v);
      edge(v, { sku: k }, skus[k].id, split[m]);
    }
  }
  // Every deeper site ships to at least one receiver one tier up.
  for (let t = 2; t <= counts.tiers; t++) {
    for (const v of sitesAtTier[t]) {
      if (supplies.length >= counts.edges) break;
      let tries = 0;
      while (!group(rng.pick(sitesAtTier[t - 1]), partOfSite[v], v) && ++tries < 5);
    }
  }
  // Hidden chokepoints: a few tier-3 parts with a single source feed many tier-2 sites.
  const chokepoints = counts.tiers >= 3 ? Array.from({ length: Math.max(1, Math.round(counts.sites / 2000)) }, () => rng.pick(sitesAtTier[3])) : [];
  // Then more inputs until the edge count is reached.
  let guard = 0;
  while (supplies.length < counts.edges && guard++ < counts.edges * 20) {
    const t = rng.int(1, counts.tiers - 1);
    const receiver = rng.pick(sitesAtTier[t]);
    if (t === 2 && chokepoints.length && rng.next() < 0.02) {
      const v = rng.pick(chokepoints);
      const key = `${receiver}:${partOfSite[v]}`;
      if (!groups.has(key)) {
        groups.add(key);
        edge(v, { site: receiver }, parts[partOfSite[v]].id, 1);
      }
      continue;
    }
    group(receiver, partOfSite[rng.pick(sitesAtTier[t + 1])]);
  }
  supplies.length = Math.min(supplies.length, counts.edges);
  // Cycles on request: a tier-t site ships a fresh part back down to a deeper site.
  for (let c = 0; c < (options.cycles ?? 0); c++) {
    const from = rng.pick(sitesAtTier[1]);
    const to = rng.pick(sitesAtTier[Math.min(counts.tiers, 3)]);
    const id = `P-LOOP-${pad(c + 1, 4)}`;
    parts.push({ id, name: `returnable ${c + 1}`, category: 'packaging' });
    edge(from, { site: to }, id, 1);
  }
  return { suppliers, sites, parts, skus, supplies };
}
