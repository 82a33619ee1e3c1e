import type { RowError } from '../graph.errors';
import { IMPORT_ENTITIES, ImportEntity, PartRow, SkuRow, SupplierRow, SiteRow, SupplyRow } from '@tiersight/contracts';
import { canonicalGln, canonicalGtin } from './gs1-keys';
import { checkField, DEFAULT_TTR_DAYS, FieldRule, ROW_RULES } from './row-rules';

/** Rows with every default filled in, ready to write. */
export interface NormalizedImport {
  suppliers: NormalizedSupplier[];
  sites: NormalizedSite[];
  parts: NormalizedPart[];
  skus: NormalizedSku[];
  supplies: NormalizedSupply[];
}
export type NormalizedSupplier = Required<Omit<SupplierRow, 'ownerSupplierId'>> & { ownerSupplierId: string | null };
export type NormalizedSite = Required<Omit<SiteRow, 'confirmedAt' | 'gln'>> & { confirmedAt: string | null; gln: string | null };
export type NormalizedPart = Omit<PartRow, 'category' | 'gtin'> & { category: string | null; gtin: string | null };
export type NormalizedSku = Omit<SkuRow, 'category' | 'gtin'> & { category: string | null; gtin: string | null };
export type NormalizedSupply = Omit<Required<SupplyRow>, 'toSiteId' | 'toSkuId' | 'confirmedAt'> & {
  toSiteId: string | null;
  toSkuId: string | null;
  confirmedAt: string | null;
};

export const SHARE_TOLERANCE = 1e-9;

/** What the graph already holds that the batch refers to (filled by one read before any write). */
export interface GraphFacts {
  suppliers: ReadonlySet<string>;
  sites: ReadonlySet<string>;
  skus: ReadonlySet<string>;
  parts: ReadonlySet<string>;
  /** Existing SUPPLIES edges into the receivers the batch touches. */
  incoming: ReadonlyArray<{ fromSiteId: string; toId: string; partId: string; share: number }>;
  /** Who holds the GS1 keys the batch names (canonical key → id of the site, SKU or part that has it). */
  keyOwners?: { glns: ReadonlyMap<string, string>; skuGtins: ReadonlyMap<string, string>; partGtins: ReadonlyMap<string, string> };
}

/** Ids the batch defines or refers to, and the receivers whose share sums it changes. */
export interface ReferenceQuery {
  supplierIds: string[];
  siteIds: string[];
  skuIds: string[];
  partIds: string[];
  receiverIds: string[];
  /** Canonical GLNs and GTINs the batch gives, to find who holds them already. */
  glns: string[];
  skuGtins: string[];
  partGtins: string[];
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/**
 * A field as part of a duplicate key. Only strings can be valid ids; anything
 * else (a row already refused) is not turned into text, which for an array
 * nested thousands deep would overflow the stack.
 */
const keyPart = (value: unknown): string => (typeof value === 'string' ? value : '\u0001');

const RULE_LISTS = Object.fromEntries(IMPORT_ENTITIES.map((entity) => [entity, Object.entries(ROW_RULES[entity])])) as Record<
  ImportEntity,
  Array<[string, FieldRule]>
>;

/** Phase 1: types, ranges, unknown fields and in-batch duplicates. Pure. */
export function checkShapes(raw: unknown): { rows: NormalizedImport; errors: RowError[] } {
  const rows: NormalizedImport = { suppliers: [], sites: [], parts: [], skus: [], supplies: [] };
  const errors: RowError[] = [];
  if (!isPlainObject(raw)) {
    errors.push({ entity: 'body', index: -1, field: '', message: 'the body must be a JSON object' });
    return { rows, errors };
  }
  for (const key of Object.keys(raw)) {
    if (!(IMPORT_ENTITIES as readonly string[]).includes(key)) {
      errors.push({ entity: 'body', index: -1, field: key, message: `unknown entity; expected ${IMPORT_ENTITIES.join(', ')}` });
    }
  }
  for (const entity of IMPORT_ENTITIES) {
    const list = raw[entity];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      errors.push({ entity, index: -1, field: '', message: 'must be an array' });
      continue;
    }
    const rules = ROW_RULES[entity];
    const ruleList = RULE_LISTS[entity];
    const seen = new Set<string>();
    list.forEach((row: unknown, index: number) => {
      if (!isPlainObject(row)) {
        errors.push({ entity, index, field: '', message: 'each row must be an object' });
        return;
      }
      let bad = false;
      for (const field of Object.keys(row)) {
        // Own keys only: `constructor` or `__proto__` are fields nobody declared, not the rule table's inherited members.
        if (!Object.hasOwn(rules, field)) {
          errors.push({ entity, index, field, message: 'unknown field' });
          bad = true;
        }
      }
      for (const [field, rule] of ruleList) {
        const reason = checkField(rule, row[field]);
        if (reason) {
          errors.push({ entity, index, field, message: `${field} ${reason}` });
          bad = true;
        }
      }
      if (entity === 'supplies' && !bad && (row.toSiteId === undefined) === (row.toSkuId === undefined)) {
        errors.push({ entity, index, field: 'toSiteId', message: 'exactly one of toSiteId and toSkuId is required' });
        bad = true;
      }
      const key =
        entity === 'supplies' ? `${keyPart(row.fromSiteId)}\u0000${keyPart(row.toSiteId ?? row.toSkuId)}\u0000${keyPart(row.partId)}` : keyPart(row.id);
      if (!bad && seen.has(key)) {
        const what = entity === 'supplies' ? 'edge (fromSiteId, target, partId)' : 'id';
        errors.push({ entity, index, field: entity === 'supplies' ? 'partId' : 'id', message: `duplicate ${what} in this import` });
        bad = true;
      }
      seen.add(key);
      if (!bad) (rows[entity] as unknown[]).push(normalize(entity, row, index));
    });
  }
  errors.push(...duplicateKeys('sites', 'gln', rows.sites), ...duplicateKeys('parts', 'gtin', rows.parts), ...duplicateKeys('skus', 'gtin', rows.skus));
  return { rows, errors };
}

/** A GLN or GTIN given to two rows of one entity in one import (compared in canonical form). */
function duplicateKeys(
  entity: ImportEntity,
  field: 'gln' | 'gtin',
  list: ReadonlyArray<{ id: string; gln?: string | null; gtin?: string | null }>,
): RowError[] {
  const first = new Map<string, string>();
  const errors: RowError[] = [];
  for (const row of list) {
    const key = row[field];
    if (key === null || key === undefined) continue;
    const holder = first.get(key);
    if (holder === undefined) first.set(key, row.id);
    else errors.push({ entity, index: rowIndex(row), field, message: `${field} ${key} is also given to ${holder} in this import` });
  }
  return errors;
}

const canonical = (read: (raw: string) => { ok: true; value: string } | { ok: false }, raw: unknown): string | null => {
  if (typeof raw !== 'string') return null;
  const r = read(raw);
  return r.ok ? r.value : null;
};

/**
 * The row's position in the request, kept through normalisation for error reports under a symbol:
 * the driver sends a row's own string keys only, so the index never travels to Neo4j.
 */
const ROW_INDEX = Symbol('rowIndex');

// Built as literals of one shape per entity (no spread): the import normalises up to millions of rows.
function normalize(entity: ImportEntity, row: Record<string, unknown>, index: number): object {
  const r = row as never as Record<string, never>;
  switch (entity) {
    case 'suppliers':
      return {
        [ROW_INDEX]: index,
        id: r.id,
        name: r.name,
        country: r.country,
        ownerSupplierId: r.ownerSupplierId ?? null,
        visibility: r.visibility ?? 'shared',
      };
    case 'sites':
      return {
        [ROW_INDEX]: index,
        id: r.id,
        supplierId: r.supplierId,
        name: r.name,
        kind: r.kind,
        lat: r.lat,
        lon: r.lon,
        country: r.country,
        ttrDays: r.ttrDays ?? DEFAULT_TTR_DAYS[r.kind as string],
        baselineRisk: r.baselineRisk ?? 0,
        source: r.source ?? 'buyer',
        confirmedAt: r.confirmedAt ?? null,
        gln: r.gln === undefined ? null : canonical(canonicalGln, r.gln),
      };
    case 'parts':
      return { [ROW_INDEX]: index, id: r.id, name: r.name, category: r.category ?? null, gtin: r.gtin === undefined ? null : canonical(canonicalGtin, r.gtin) };
    case 'skus':
      return {
        [ROW_INDEX]: index,
        id: r.id,
        name: r.name,
        dailyRevenue: r.dailyRevenue,
        category: r.category ?? null,
        gtin: r.gtin === undefined ? null : canonical(canonicalGtin, r.gtin),
      };
    case 'supplies':
      return {
        [ROW_INDEX]: index,
        fromSiteId: r.fromSiteId,
        toSiteId: r.toSiteId ?? null,
        toSkuId: r.toSkuId ?? null,
        partId: r.partId,
        share: r.share,
        bufferDays: r.bufferDays,
        leadTimeDays: r.leadTimeDays,
        source: r.source ?? 'buyer',
        confirmedAt: r.confirmedAt ?? null,
      };
  }
}

/** The row's position in the request, kept through normalisation for error reports. */
export const rowIndex = (row: object): number => (row as { [ROW_INDEX]?: number })[ROW_INDEX] ?? -1;

/** Phase 2 input: what to ask the graph before checking references. */
export function referenceQuery(rows: NormalizedImport): ReferenceQuery {
  const supplierIds = new Set<string>();
  const siteIds = new Set<string>();
  const skuIds = new Set<string>();
  const partIds = new Set<string>();
  // The batch's own ids too: which of them exist decides between CREATE and MERGE when writing.
  for (const s of rows.suppliers) supplierIds.add(s.id);
  for (const s of rows.sites) siteIds.add(s.id);
  for (const p of rows.parts) partIds.add(p.id);
  for (const k of rows.skus) skuIds.add(k.id);
  for (const s of rows.suppliers) if (s.ownerSupplierId) supplierIds.add(s.ownerSupplierId);
  for (const s of rows.sites) {
    supplierIds.add(s.supplierId);
    skuIds.add(s.id); // a new site id must not collide with an existing SKU
  }
  for (const k of rows.skus) siteIds.add(k.id); // and the other way round
  for (const e of rows.supplies) {
    siteIds.add(e.fromSiteId);
    if (e.toSiteId) siteIds.add(e.toSiteId);
    if (e.toSkuId) skuIds.add(e.toSkuId);
    partIds.add(e.partId);
  }
  const receivers = new Set(rows.supplies.map((e) => (e.toSiteId ?? e.toSkuId) as string));
  const keys = (list: ReadonlyArray<{ gln?: string | null; gtin?: string | null }>, field: 'gln' | 'gtin') => [
    ...new Set(list.flatMap((row) => (row[field] ? [row[field] as string] : []))),
  ];
  return {
    supplierIds: [...supplierIds],
    siteIds: [...siteIds],
    skuIds: [...skuIds],
    partIds: [...partIds],
    receiverIds: [...receivers],
    glns: keys(rows.sites, 'gln'),
    skuGtins: keys(rows.skus, 'gtin'),
    partGtins: keys(rows.parts, 'gtin'),
  };
}

/** Phase 3: references resolve, ids do not collide across labels, share sums stay ≤ 1. Pure. */
export function checkReferences(rows: NormalizedImport, facts: GraphFacts): RowError[] {
  const errors: RowError[] = [];
  const suppliers = union(facts.suppliers, rows.suppliers);
  const sites = union(facts.sites, rows.sites);
  const skus = union(facts.skus, rows.skus);
  const parts = union(facts.parts, rows.parts);
  const batchSites = new Set(rows.sites.map((s) => s.id));

  for (const s of rows.suppliers) {
    if (s.ownerSupplierId && !suppliers.has(s.ownerSupplierId)) {
      errors.push({ entity: 'suppliers', index: rowIndex(s), field: 'ownerSupplierId', message: `supplier ${s.ownerSupplierId} does not exist` });
    }
  }
  for (const s of rows.sites) {
    if (!suppliers.has(s.supplierId)) {
      errors.push({ entity: 'sites', index: rowIndex(s), field: 'supplierId', message: `supplier ${s.supplierId} does not exist` });
    }
    if (skus.has(s.id)) errors.push({ entity: 'sites', index: rowIndex(s), field: 'id', message: `${s.id} is already a SKU id` });
  }
  for (const k of rows.skus) {
    if (facts.sites.has(k.id) && !batchSites.has(k.id)) {
      errors.push({ entity: 'skus', index: rowIndex(k), field: 'id', message: `${k.id} is already a site id` });
    }
  }
  for (const e of rows.supplies) {
    const index = rowIndex(e);
    if (!sites.has(e.fromSiteId)) errors.push({ entity: 'supplies', index, field: 'fromSiteId', message: `site ${e.fromSiteId} does not exist` });
    if (e.toSiteId && !sites.has(e.toSiteId)) errors.push({ entity: 'supplies', index, field: 'toSiteId', message: `site ${e.toSiteId} does not exist` });
    if (e.toSkuId && !skus.has(e.toSkuId)) errors.push({ entity: 'supplies', index, field: 'toSkuId', message: `SKU ${e.toSkuId} does not exist` });
    if (!parts.has(e.partId) && e.partId !== e.toSkuId) {
      errors.push({ entity: 'supplies', index, field: 'partId', message: `part ${e.partId} does not exist` });
    }
    if (e.toSiteId && e.toSiteId === e.fromSiteId) {
      errors.push({ entity: 'supplies', index, field: 'toSiteId', message: 'a site cannot supply itself' });
    }
  }
  errors.push(...checkShareSums(rows.supplies, facts.incoming));
  if (facts.keyOwners) {
    errors.push(
      ...keyTaken('sites', 'gln', rows.sites, facts.keyOwners.glns),
      ...keyTaken('skus', 'gtin', rows.skus, facts.keyOwners.skuGtins),
      ...keyTaken('parts', 'gtin', rows.parts, facts.keyOwners.partGtins),
    );
  }
  return errors;
}

/** A GLN or GTIN held by another stored row, unless the batch gives that row another key (or none) at the same time. */
function keyTaken(
  entity: ImportEntity,
  field: 'gln' | 'gtin',
  list: ReadonlyArray<{ id: string; gln?: string | null; gtin?: string | null }>,
  owners: ReadonlyMap<string, string>,
): RowError[] {
  const batchKey = new Map(list.map((row) => [row.id, row[field] ?? null]));
  return list.flatMap((row) => {
    const key = row[field];
    const owner = key ? owners.get(key) : undefined;
    if (!key || owner === undefined || owner === row.id) return [];
    if (batchKey.has(owner) && batchKey.get(owner) !== key) return [];
    return [{ entity, index: rowIndex(row), field, message: `${field} ${key} is already the ${field} of ${owner}` }];
  });
}

/** For every receiver and part, existing edges (unless replaced by the batch) plus batch edges sum to ≤ 1. */
function checkShareSums(supplies: NormalizedSupply[], existing: GraphFacts['incoming']): RowError[] {
  const key = (from: string, to: string, part: string) => `${from}\u0000${to}\u0000${part}`;
  const groups = new Map<string, { sum: number; rows: NormalizedSupply[] }>();
  const replaced = new Set(supplies.map((e) => key(e.fromSiteId, (e.toSiteId ?? e.toSkuId) as string, e.partId)));
  const group = (to: string, part: string) => {
    const k = `${to}\u0000${part}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { sum: 0, rows: [] }));
    return g;
  };
  for (const e of existing) {
    if (!replaced.has(key(e.fromSiteId, e.toId, e.partId))) group(e.toId, e.partId).sum += e.share;
  }
  for (const e of supplies) {
    const g = group((e.toSiteId ?? e.toSkuId) as string, e.partId);
    g.sum += e.share;
    g.rows.push(e);
  }
  const errors: RowError[] = [];
  for (const [k, g] of groups) {
    if (g.sum <= 1 + SHARE_TOLERANCE) continue;
    const [to, part] = k.split('\u0000');
    for (const e of g.rows) {
      errors.push({
        entity: 'supplies',
        index: rowIndex(e),
        field: 'share',
        message: `shares of part ${part} into ${to} sum to ${+g.sum.toFixed(9)}, more than 1`,
      });
    }
  }
  return errors;
}

function union(existing: ReadonlySet<string>, batch: ReadonlyArray<{ id: string }>): Set<string> {
  const all = new Set(existing);
  for (const row of batch) all.add(row.id);
  return all;
}
