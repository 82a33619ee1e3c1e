import { isISO31661Alpha2 } from 'class-validator';
import type { ImportPayload } from '@tiersight/contracts';

export interface RulesReport {
  /** Every broken DESIGN §2 rule, one line each (capped at 50). */
  problems: string[];
  /** Derived tier of every site reachable from a SKU (DESIGN §2: 1 + the smallest tier among the nodes it supplies). */
  tiers: Map<string, number>;
  /** Whether the site-to-site SUPPLIES edges contain a cycle. */
  cyclic: boolean;
}

const KINDS = new Set(['plant', 'warehouse', 'port', 'office']);
const SOURCES = new Set(['buyer', 'supplier', 'inferred']);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * An independent checker of the import rules of DESIGN §2, written from the
 * design text and not from the generator or the graph library, for tests.
 */
export function checkImportRules(network: Required<ImportPayload>): RulesReport {
  const problems: string[] = [];
  const fail = (message: string) => problems.length < 50 && problems.push(message);
  const ids = (label: string, rows: { id: string }[]) => {
    const set = new Set<string>();
    for (const r of rows) {
      if (typeof r.id !== 'string' || r.id.length === 0) fail(`${label} without an id`);
      if (set.has(r.id)) fail(`${label} id ${r.id} is not unique`);
      set.add(r.id);
    }
    return set;
  };
  const suppliers = ids('supplier', network.suppliers);
  const sites = ids('site', network.sites);
  const parts = ids('part', network.parts);
  const skus = ids('SKU', network.skus);
  for (const id of sites) if (skus.has(id)) fail(`${id} is both a site and a SKU`);

  for (const s of network.suppliers) {
    if (!isISO31661Alpha2(s.country)) fail(`supplier ${s.id}: country ${s.country}`);
    if (s.ownerSupplierId != null && (!suppliers.has(s.ownerSupplierId) || s.ownerSupplierId === s.id)) fail(`supplier ${s.id}: owner ${s.ownerSupplierId}`);
    if (s.visibility !== undefined && s.visibility !== 'shared' && s.visibility !== 'masked') fail(`supplier ${s.id}: visibility`);
  }
  for (const s of network.sites) {
    if (!suppliers.has(s.supplierId)) fail(`site ${s.id}: supplier ${s.supplierId} does not exist`);
    if (!isISO31661Alpha2(s.country)) fail(`site ${s.id}: country ${s.country}`);
    if (!KINDS.has(s.kind)) fail(`site ${s.id}: kind ${s.kind}`);
    if (!(isNumber(s.lat) && s.lat >= -90 && s.lat <= 90 && isNumber(s.lon) && s.lon >= -180 && s.lon <= 180)) fail(`site ${s.id}: location`);
    if (s.ttrDays !== undefined && !(isNumber(s.ttrDays) && s.ttrDays >= 0)) fail(`site ${s.id}: ttrDays`);
    if (s.baselineRisk !== undefined && !(isNumber(s.baselineRisk) && s.baselineRisk >= 0 && s.baselineRisk <= 1)) fail(`site ${s.id}: baselineRisk`);
    if (s.source !== undefined && !SOURCES.has(s.source)) fail(`site ${s.id}: source`);
    if (s.confirmedAt !== undefined && Number.isNaN(Date.parse(s.confirmedAt))) fail(`site ${s.id}: confirmedAt`);
  }
  for (const k of network.skus) if (!(isNumber(k.dailyRevenue) && k.dailyRevenue >= 0)) fail(`SKU ${k.id}: dailyRevenue`);

  const sums = new Map<string, number>();
  const edgeKeys = new Set<string>();
  const suppliersOf = new Map<string, string[]>(); // receiver → the sites that ship to it
  const indegree = new Map<string, number>();
  const siteEdges: [string, string][] = [];
  network.supplies.forEach((e, i) => {
    const at = `supplies[${i}]`;
    if (!sites.has(e.fromSiteId)) fail(`${at}: from ${e.fromSiteId} does not exist`);
    if ((e.toSiteId === undefined) === (e.toSkuId === undefined)) fail(`${at}: needs exactly one of toSiteId, toSkuId`);
    const to = (e.toSiteId ?? e.toSkuId) as string;
    if (e.toSiteId !== undefined && !sites.has(e.toSiteId)) fail(`${at}: site ${e.toSiteId} does not exist`);
    if (e.toSkuId !== undefined && !skus.has(e.toSkuId)) fail(`${at}: SKU ${e.toSkuId} does not exist`);
    if (!parts.has(e.partId) && e.partId !== e.toSkuId) fail(`${at}: part ${e.partId} does not exist`);
    if (to === e.fromSiteId) fail(`${at}: a site supplies itself`);
    if (!(isNumber(e.share) && e.share > 0 && e.share <= 1)) fail(`${at}: share ${e.share}`);
    if (!(isNumber(e.bufferDays) && e.bufferDays >= 0)) fail(`${at}: bufferDays ${e.bufferDays}`);
    if (!(isNumber(e.leadTimeDays) && e.leadTimeDays >= 0)) fail(`${at}: leadTimeDays ${e.leadTimeDays}`);
    if (e.source !== undefined && !SOURCES.has(e.source)) fail(`${at}: source`);
    const key = `${e.fromSiteId}|${to}|${e.partId}`;
    if (edgeKeys.has(key)) fail(`${at}: duplicate edge ${key}`);
    edgeKeys.add(key);
    const group = `${to}|${e.partId}`;
    sums.set(group, (sums.get(group) ?? 0) + e.share);
    const list = suppliersOf.get(to);
    if (list) list.push(e.fromSiteId);
    else suppliersOf.set(to, [e.fromSiteId]);
    if (e.toSiteId !== undefined) {
      siteEdges.push([e.fromSiteId, e.toSiteId]);
      indegree.set(e.toSiteId, (indegree.get(e.toSiteId) ?? 0) + 1);
    }
  });
  for (const [group, sum] of sums) if (sum > 1 + 1e-9) fail(`shares into ${group} sum to ${sum}`);

  // Derived tiers: breadth-first from the SKUs (tier 0) against the flow.
  const tiers = new Map<string, number>();
  let frontier = network.skus.map((k) => k.id);
  for (let tier = 1; frontier.length > 0; tier++) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const site of suppliersOf.get(id) ?? []) {
        if (!tiers.has(site)) {
          tiers.set(site, tier);
          next.push(site);
        }
      }
    }
    frontier = next;
  }

  // Kahn's algorithm over the site graph: a cycle leaves edges unvisited.
  const out = new Map<string, string[]>();
  for (const [from, to] of siteEdges) {
    const list = out.get(from);
    if (list) list.push(to);
    else out.set(from, [to]);
  }
  const queue = [...sites].filter((id) => !indegree.get(id));
  let removed = 0;
  while (queue.length) {
    const id = queue.pop()!;
    for (const to of out.get(id) ?? []) {
      removed++;
      const d = indegree.get(to)! - 1;
      indegree.set(to, d);
      if (d === 0) queue.push(to);
    }
  }
  return { problems, tiers, cyclic: removed < siteEdges.length };
}
