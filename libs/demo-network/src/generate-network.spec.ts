import { generateNetwork, NETWORK_SIZES } from './index';

/** An independent checker of the DESIGN §2 import rules, plus tiers by breadth-first search from the SKUs. */
function check(network: ReturnType<typeof generateNetwork>) {
  const problems: string[] = [];
  const unique = (name: string, ids: string[]) => {
    if (new Set(ids).size !== ids.length) problems.push(`${name} ids not unique`);
  };
  unique('supplier', network.suppliers.map((s) => s.id));
  unique('site', network.sites.map((s) => s.id));
  unique('part', network.parts.map((p) => p.id));
  unique('sku', network.skus.map((s) => s.id));
  const suppliers = new Set(network.suppliers.map((s) => s.id));
  const sites = new Set(network.sites.map((s) => s.id));
  const skus = new Set(network.skus.map((s) => s.id));
  const parts = new Set(network.parts.map((p) => p.id));
  for (const id of sites) if (skus.has(id)) problems.push(`site id ${id} is a SKU id`);
  for (const s of network.suppliers) if (!/^[A-Z]{2}$/.test(s.country)) problems.push(`country ${s.country}`);
  for (const s of network.suppliers) if (s.ownerSupplierId && !suppliers.has(s.ownerSupplierId)) problems.push(`owner ${s.ownerSupplierId}`);
  for (const s of network.sites) {
    if (!suppliers.has(s.supplierId)) problems.push(`site ${s.id} supplier`);
    if (!(s.lat >= -90 && s.lat <= 90 && s.lon >= -180 && s.lon <= 180)) problems.push(`site ${s.id} location`);
  }
  const sums = new Map<string, number>();
  const upstream = new Map<string, string[]>();
  for (const e of network.supplies) {
    const to = (e.toSiteId ?? e.toSkuId)!;
    if (!sites.has(e.fromSiteId) || !(e.toSiteId ? sites.has(e.toSiteId) : skus.has(e.toSkuId!))) problems.push('edge ref');
    if (!(parts.has(e.partId) || e.partId === e.toSkuId)) problems.push(`edge part ${e.partId}`);
    if (!(e.share > 0 && e.share <= 1) || e.bufferDays < 0 || e.leadTimeDays < 0) problems.push('edge values');
    const key = `${to}|${e.partId}`;
    sums.set(key, (sums.get(key) ?? 0) + e.share);
    upstream.set(to, [...(upstream.get(to) ?? []), e.fromSiteId]);
  }
  for (const [key, sum] of sums) if (sum > 1 + 1e-9) problems.push(`share sum ${key} = ${sum}`);
  const tier = new Map<string, number>(network.skus.map((s) => [s.id, 0]));
  let frontier = network.skus.map((s) => s.id);
  for (let t = 1; frontier.length; t++) {
    const next: string[] = [];
    for (const id of frontier) for (const u of upstream.get(id) ?? []) if (!tier.has(u)) (tier.set(u, t), next.push(u));
    frontier = next;
  }
  return { problems, maxTier: Math.max(...tier.values()), reached: tier.size - network.skus.length };
}

describe('demo network generator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = JSON.stringify(generateNetwork({ size: 'demo', seed: 7 }));
    expect(JSON.stringify(generateNetwork({ size: 'demo', seed: 7 }))).toBe(a);
    expect(JSON.stringify(generateNetwork({ size: 'demo', seed: 8 }))).not.toBe(a);
  });

  it.each(['demo', 'small'] as const)('%s has the documented counts and obeys every import rule', (size) => {
    const network = generateNetwork({ size, seed: 42 });
    const counts = NETWORK_SIZES[size];
    expect(network.suppliers).toHaveLength(counts.suppliers);
    expect(network.sites).toHaveLength(counts.sites);
    expect(network.skus).toHaveLength(counts.skus);
    expect(network.supplies).toHaveLength(counts.edges);
    const { problems, maxTier, reached } = check(network);
    expect(problems).toEqual([]);
    expect(maxTier).toBeGreaterThanOrEqual(4);
    expect(reached / network.sites.length).toBeGreaterThan(0.9);
  });

  it('has multi-sourced and single-sourced inputs, visibility gaps, masked disclosures and all provenances', () => {
    const n = generateNetwork({ size: 'small', seed: 42 });
    const groups = new Map<string, number[]>();
    for (const e of n.supplies) {
      const k = `${e.toSiteId ?? e.toSkuId}|${e.partId}`;
      groups.set(k, [...(groups.get(k) ?? []), e.share]);
    }
    const shapes = [...groups.values()];
    expect(shapes.some((g) => g.length === 1 && g[0] === 1)).toBe(true);
    expect(shapes.some((g) => g.length >= 2)).toBe(true);
    expect(shapes.some((g) => g.reduce((a, b) => a + b, 0) < 0.999)).toBe(true);
    expect(n.suppliers.some((s) => s.visibility === 'masked' && s.ownerSupplierId)).toBe(true);
    expect(new Set(n.supplies.map((e) => e.source))).toEqual(new Set(['buyer', 'supplier', 'inferred']));
  });

  it('adds back edges that close cycles on request, still within the rules', () => {
    const n = generateNetwork({ size: 'demo', seed: 3, cycles: 3 });
    expect(n.supplies.filter((e) => e.partId.startsWith('P-LOOP-'))).toHaveLength(3);
    expect(check(n).problems).toEqual([]);
  });
});
