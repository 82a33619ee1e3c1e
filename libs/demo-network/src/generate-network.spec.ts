import type { ImportPayload } from '@tiersight/contracts';
import { generateNetworkBatches } from './generate-network';
import { generateNetwork, NETWORK_SIZES, planNetwork } from './index';
import { CONFIRMED_BEFORE } from './network-rows';
import { checkImportRules } from './testing/check-import-rules';

type Network = Required<ImportPayload>;
const networks = new Map<string, Network>();
const network = (size: 'demo' | 'small', seed = 42): Network => {
  const key = `${size}/${seed}`;
  if (!networks.has(key)) networks.set(key, generateNetwork({ size, seed }));
  return networks.get(key)!;
};
const groupsOf = (n: Network) => {
  const groups = new Map<string, number[]>();
  for (const e of n.supplies) {
    const key = `${e.toSiteId ?? e.toSkuId}|${e.partId}`;
    groups.set(key, [...(groups.get(key) ?? []), e.share]);
  }
  return [...groups.values()];
};

describe('demo network generator', () => {
  it('gives byte-identical output for a seed, and another network for another seed', () => {
    const a = JSON.stringify(network('demo', 7));
    expect(JSON.stringify(generateNetwork({ size: 'demo', seed: 7 }))).toBe(a);
    expect(JSON.stringify(network('demo', 8))).not.toBe(a);
  });

  it('streams the same rows in batches, suppliers to supplies', () => {
    const rows: Record<string, unknown[]> = { suppliers: [], sites: [], parts: [], skus: [], supplies: [] };
    const order: string[] = [];
    for (const batch of generateNetworkBatches({ size: 'demo', seed: 42 }, 128)) {
      expect(batch.rows.length).toBeLessThanOrEqual(128);
      if (order[order.length - 1] !== batch.entity) order.push(batch.entity);
      rows[batch.entity].push(...batch.rows);
    }
    expect(order).toEqual(['suppliers', 'sites', 'parts', 'skus', 'supplies']);
    expect(rows).toEqual(network('demo'));
  });

  it.each(['demo', 'small'] as const)('%s has exactly the documented counts and obeys every import rule of DESIGN §2', (size) => {
    const n = network(size);
    const counts = NETWORK_SIZES[size];
    expect([n.suppliers.length, n.sites.length, n.skus.length, n.supplies.length]).toEqual([counts.suppliers, counts.sites, counts.skus, counts.edges]);
    const report = checkImportRules(n);
    expect(report.problems).toEqual([]);
    expect(report.cyclic).toBe(false);
    const tiers = new Set(report.tiers.values());
    for (const t of [1, 2, 3, 4]) expect(tiers.has(t)).toBe(true);
    expect(report.tiers.size / n.sites.length).toBeGreaterThan(0.95);
  });

  it.each(['medium', 'large'] as const)('plans %s with exactly the documented counts, shares within the rules', (size) => {
    const plan = planNetwork({ size, seed: 42 });
    const counts = NETWORK_SIZES[size];
    const { totals, edges } = plan;
    expect([totals.suppliers, totals.sites, totals.skus, totals.supplies, edges.length]).toEqual([
      counts.suppliers,
      counts.sites,
      counts.skus,
      counts.edges,
      counts.edges,
    ]);
    let bad = 0;
    for (let i = 0; i < edges.length; i++) {
      const [from, to, part, share] = [edges.from[i], edges.to[i], edges.part[i], edges.share[i]];
      if (from < 0 || from >= totals.sites || to >= totals.sites || -to > totals.skus || from === to || part >= totals.parts || share < 1 || share > 20) bad++;
    }
    expect(bad).toBe(0);
    // Incoming edges per receiver (counting sort), then share sums per part of each receiver, in twentieths.
    const receivers = totals.sites + totals.skus;
    const start = new Int32Array(receivers + 1);
    for (let i = 0; i < edges.length; i++) start[edges.to[i] + totals.skus + 1]++;
    for (let r = 0; r < receivers; r++) start[r + 1] += start[r];
    const incoming = new Int32Array(edges.length);
    const next = start.slice(0, receivers);
    for (let i = 0; i < edges.length; i++) incoming[next[edges.to[i] + totals.skus]++] = i;
    let worst = 0;
    for (let r = 0; r < receivers; r++) {
      const sums = new Map<number, number>();
      for (let k = start[r]; k < start[r + 1]; k++) {
        const i = incoming[k];
        const sum = (sums.get(edges.part[i]) ?? 0) + edges.share[i];
        sums.set(edges.part[i], sum);
        worst = Math.max(worst, sum);
      }
    }
    expect(worst).toBeLessThanOrEqual(20);
  });

  it('mixes single-sourced inputs, multi-sourced ones and visibility gaps', () => {
    const groups = groupsOf(network('small'));
    const sum = (g: number[]) => g.reduce((a, b) => a + b, 0);
    const single = groups.filter((g) => g.length === 1 && g[0] === 1).length;
    const multi = groups.filter((g) => g.length >= 2).length;
    const gaps = groups.filter((g) => sum(g) < 0.999).length;
    expect(single / groups.length).toBeGreaterThan(0.2);
    expect(multi / groups.length).toBeGreaterThan(0.2);
    expect(groups.some((g) => g.length === 3)).toBe(true);
    expect(gaps / groups.length).toBeGreaterThan(0.05);
    expect(gaps / groups.length).toBeLessThan(0.4);
  });

  it('has hidden chokepoints: tier-3 sites that alone feed a part to many tier-2 sites', () => {
    for (const size of ['demo', 'small'] as const) {
      const n = network(size);
      const { tiers } = checkImportRules(n);
      const single = new Map<string, Set<string>>(); // from site → tier-2 receivers it feeds with share 1
      for (const e of n.supplies) {
        if (e.share === 1 && e.toSiteId && tiers.get(e.fromSiteId) === 3 && tiers.get(e.toSiteId) === 2) {
          single.set(e.fromSiteId, (single.get(e.fromSiteId) ?? new Set()).add(e.toSiteId));
        }
      }
      const fanOuts = [...single.values()].map((s) => s.size).sort((a, b) => b - a);
      expect(fanOuts[1]).toBeGreaterThanOrEqual(6);
    }
  });

  it('spreads over real manufacturing countries, with plausible values', () => {
    const n = network('small');
    const byCountry = new Map<string, number>();
    for (const s of n.suppliers) byCountry.set(s.country, (byCountry.get(s.country) ?? 0) + 1);
    expect(byCountry.size).toBeGreaterThanOrEqual(30);
    const top = [...byCountry]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([c]) => c);
    expect(top[0]).toBe('CN');
    expect(top).toEqual(expect.arrayContaining(['US', 'DE']));
    expect(new Set(n.sites.map((s) => s.kind))).toEqual(new Set(['plant', 'warehouse', 'port', 'office']));
    const revenues = n.skus.map((k) => k.dailyRevenue).sort((a, b) => a - b);
    expect(revenues[0]).toBeGreaterThanOrEqual(1_000);
    expect(revenues[revenues.length - 1]).toBeLessThanOrEqual(500_000);
    expect(revenues[revenues.length - 1] / revenues[0]).toBeGreaterThan(50);
    expect(Math.max(...n.supplies.map((e) => e.bufferDays))).toBeLessThanOrEqual(30);
    expect(Math.max(...n.supplies.map((e) => e.leadTimeDays))).toBeLessThanOrEqual(45);
    expect(n.suppliers.some((s) => s.name.includes(','))).toBe(true);
  });

  it('records provenance: mostly the buyer, confirmed within the two years before a fixed date', () => {
    const n = network('small');
    const sources = new Map<string, number>();
    for (const e of n.supplies) sources.set(e.source!, (sources.get(e.source!) ?? 0) + 1);
    expect(new Set(sources.keys())).toEqual(new Set(['buyer', 'supplier', 'inferred']));
    expect(sources.get('buyer')! / n.supplies.length).toBeGreaterThan(0.5);
    const end = Date.parse(CONFIRMED_BEFORE);
    const outside = [...n.sites, ...n.supplies].filter((row) => {
      const at = Date.parse(row.confirmedAt!);
      return !(at < end && at >= end - 731 * 86_400_000);
    });
    expect(outside).toEqual([]);
    const disclosed = n.suppliers.filter((s) => s.ownerSupplierId);
    expect(new Set(disclosed.map((s) => s.visibility))).toEqual(new Set(['shared', 'masked']));
  });

  it('numbers ids with zero padding so that lexical order is numeric order', () => {
    const n = network('demo');
    for (const [rows, pattern] of [
      [n.suppliers, /^SUP-\d{6}$/],
      [n.sites, /^SITE-\d{7}$/],
      [n.parts, /^P-\d{6}$/],
      [n.skus, /^SKU-\d{6}$/],
    ] as const) {
      const ids = rows.map((r) => r.id);
      expect(ids.every((id) => pattern.test(id))).toBe(true);
      expect([...ids].sort()).toEqual(ids);
    }
  });

  it('closes the requested cycles with back edges, keeping the edge count and every rule', () => {
    const n = generateNetwork({ size: 'demo', seed: 3, cycles: 3 });
    expect(n.supplies).toHaveLength(NETWORK_SIZES.demo.edges);
    const report = checkImportRules(n);
    expect(report.problems).toEqual([]);
    expect(report.cyclic).toBe(true);
    const returnables = new Set(n.parts.filter((p) => p.category === 'returnables').map((p) => p.id));
    const back = n.supplies.filter((e) => returnables.has(e.partId));
    expect(back).toHaveLength(3);
    for (const e of back) expect(n.supplies.some((f) => f.fromSiteId === e.toSiteId && f.toSiteId === e.fromSiteId)).toBe(true);
  });

  it('honours count overrides and rejects impossible options with a message naming the option', () => {
    const n = generateNetwork({ size: 'demo', counts: { suppliers: 30, sites: 60, skus: 5, edges: 150, tiers: 6 } });
    expect([n.suppliers.length, n.sites.length, n.skus.length, n.supplies.length]).toEqual([30, 60, 5, 150]);
    expect(checkImportRules(n).problems).toEqual([]);
    expect(() => generateNetwork({ seed: -1 })).toThrow(/seed/);
    expect(() => generateNetwork({ size: 'huge' as never })).toThrow(/size/);
    expect(() => generateNetwork({ counts: { suppliers: 500, sites: 100 } })).toThrow(/sites/);
    expect(() => generateNetwork({ counts: { edges: 10 } })).toThrow(/edges/);
  });
});
