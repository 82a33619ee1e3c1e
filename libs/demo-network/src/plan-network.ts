import { COUNTRIES, COUNTRY_WEIGHTS, MATERIAL_COUNTRY_WEIGHTS } from './geography';
import { MAX_CHOKEPOINTS, NetworkPlan } from './network-plan';
import { planEdges } from './plan-edges';
import { cumulative, Prng } from './prng';
import { GenerateOptions, NetworkCounts, resolveOptions, TIER_WEIGHTS } from './sizes';

// Module-level aliases of Math: hot loops, and Jest's sandbox makes each global lookup slow (see prng.ts).
const { ceil, cos, floor, max, min, round, PI } = Math;

const round4 = (v: number) => round(v * 10_000) / 10_000;

/** Builds the structure of a seeded network; same options → the same plan. */
export function planNetwork(options: GenerateOptions = {}): NetworkPlan {
  const { seed, counts, cycles } = resolveOptions(options);
  const suppliers = planSuppliers(seed, counts);
  const sites = planSites(seed, counts, suppliers.supplierTier, suppliers.supplierCountry);
  const parts = planParts(seed, counts, cycles, sites.siteTier);
  const structure = { ...suppliers, ...sites, ...parts };
  const edges = planEdges(seed, counts, cycles, structure);
  return {
    seed,
    counts,
    cycles,
    ...suppliers,
    ...sites,
    partTier: structure.partTier.subarray(0, edges.partCount),
    partKind: structure.partKind.subarray(0, edges.partCount),
    edges: edges.table,
    totals: { suppliers: counts.suppliers, sites: counts.sites, parts: edges.partCount, skus: counts.skus, supplies: edges.table.length },
  };
}

function planSuppliers(seed: number, counts: NetworkCounts) {
  const rng = Prng.stream(seed, 1);
  const tierWeights = cumulative(Array.from({ length: counts.tiers }, (_, t) => TIER_WEIGHTS[min(t, TIER_WEIGHTS.length - 1)]));
  const materialsFrom = min(4, counts.tiers);
  const supplierTier = new Uint8Array(counts.suppliers);
  const supplierCountry = new Uint8Array(counts.suppliers);
  for (let i = 0; i < counts.suppliers; i++) {
    const tier = rng.weighted(tierWeights) + 1;
    supplierTier[i] = tier;
    supplierCountry[i] = rng.weighted(tier >= materialsFrom ? MATERIAL_COUNTRY_WEIGHTS : COUNTRY_WEIGHTS);
  }
  return { supplierTier, supplierCountry, supplierOwner: new Int32Array(counts.suppliers).fill(-1), supplierMasked: new Uint8Array(counts.suppliers) };
}

function planSites(seed: number, counts: NetworkCounts, supplierTier: Uint8Array, supplierCountry: Uint8Array) {
  const rng = Prng.stream(seed, 2);
  const n = counts.sites;
  const siteSupplier = new Int32Array(n);
  const siteTier = new Uint8Array(n);
  const siteKind = new Uint8Array(n);
  const siteCountry = new Uint8Array(n);
  const siteCity = new Uint8Array(n);
  const siteLat = new Float64Array(n);
  const siteLon = new Float64Array(n);
  const perTier = new Int32Array(counts.tiers + 1);
  for (let i = 0; i < n; i++) {
    // Every supplier operates one site; the rest go to suppliers skewed towards a few big multi-site groups.
    const s = i < counts.suppliers ? i : floor(counts.suppliers * rng.next() ** 1.3);
    siteSupplier[i] = s;
    const tier = min(counts.tiers, supplierTier[s] + (rng.chance(0.1) ? 1 : 0));
    siteTier[i] = tier;
    perTier[tier]++;
    const r = rng.next();
    siteKind[i] = tier === 1 ? (r < 0.85 ? 0 : 1) : r < 0.76 ? 0 : r < 0.88 ? 1 : r < 0.93 ? 2 : 3;
    // Sites beyond the first sit abroad 15% of the time (a Japanese supplier's plant in Thailand).
    const abroad = i >= counts.suppliers && rng.chance(0.15);
    const country = abroad ? rng.weighted(tier >= 4 ? MATERIAL_COUNTRY_WEIGHTS : COUNTRY_WEIGHTS) : supplierCountry[s];
    siteCountry[i] = country;
    const city = rng.index(COUNTRIES[country].cities.length);
    siteCity[i] = city;
    // A few tens of km around the city centre.
    const [, lat, lon] = COUNTRIES[country].cities[city];
    const jLat = max(-90, min(90, lat + 0.2 * rng.normal()));
    let jLon = lon + (0.2 * rng.normal()) / max(0.2, cos((lat * PI) / 180));
    if (jLon > 180) jLon -= 360;
    if (jLon < -180) jLon += 360;
    siteLat[i] = round4(jLat);
    siteLon[i] = round4(jLon);
  }
  // Tiny custom networks: make sure every tier has a site, taking them from the most crowded tier.
  for (let t = 1; t <= counts.tiers; t++) {
    while (perTier[t] === 0) {
      const crowded = perTier.indexOf(max(...perTier));
      const i = siteTier.indexOf(crowded);
      siteTier[i] = t;
      perTier[crowded]--;
      perTier[t]++;
    }
  }
  return { siteSupplier, siteTier, siteKind, siteCountry, siteCity, siteLat, siteLon };
}

/**
 * Every site at tier ≥ 2 makes one part; the sites of a tier that make the
 * same part are its alternative sources (about 2.4 per part on average, some
 * parts with a single source). Room is left for the chokepoint and returnable
 * parts that the edge planner adds.
 */
function planParts(seed: number, counts: NetworkCounts, cycles: number, siteTier: Uint8Array) {
  const rng = Prng.stream(seed, 3);
  const capacity = ceil(counts.sites / 2.4) + counts.tiers + MAX_CHOKEPOINTS + cycles;
  const partTier = new Uint8Array(capacity);
  const partKind = new Uint8Array(capacity);
  const sitePart = new Int32Array(counts.sites).fill(-1);
  let partCount = 0;
  for (let t = 2; t <= counts.tiers; t++) {
    const members: number[] = [];
    for (let i = 0; i < siteTier.length; i++) if (siteTier[i] === t) members.push(i);
    const first = partCount;
    const count = max(1, round(members.length / 2.4));
    partTier.fill(t, first, first + count);
    partCount += count;
    for (const v of members) sitePart[v] = first + rng.index(count);
  }
  return { partTier, partKind, sitePart, partCount };
}
