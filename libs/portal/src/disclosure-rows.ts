import { parse } from 'csv-parse/sync';
import { VISIBILITIES } from '@tiersight/contracts';
import { checkField, FieldRule, ROW_RULES, SHARE_TOLERANCE } from '@tiersight/graph';

/**
 * What a supplier discloses about its own supply base through the portal:
 * sub-tier suppliers, their sites, and SUPPLIES links from those sites to the
 * supplier's own sites (or to other sites it disclosed). Rows name each other
 * by the supplier's own references (`ref`); the platform assigns the ids.
 */
export const DISCLOSURE_ENTITIES = ['suppliers', 'sites', 'links'] as const;
export type DisclosureEntity = (typeof DISCLOSURE_ENTITIES)[number];

export interface DisclosedSupplierRow {
  ref: string;
  name: string;
  country: string;
  visibility: 'shared' | 'masked';
}

export interface DisclosedSiteRow {
  ref: string;
  supplierRef: string;
  name: string;
  kind: 'plant' | 'warehouse' | 'port' | 'office';
  lat: number;
  lon: number;
  country: string;
  ttrDays?: number;
  /** GS1 location id (GLN, SGLN EPC URI or Digital Link). */
  gln?: string;
}

/** A link from a disclosed site (by ref) to one of the caller's sites (by id) or another disclosed site (by ref). */
export interface DisclosedLinkRow {
  fromSiteRef: string;
  toSiteId?: string;
  toSiteRef?: string;
  part: string;
  partName?: string;
  share: number;
  bufferDays: number;
  leadTimeDays: number;
}

export interface Disclosure {
  suppliers: DisclosedSupplierRow[];
  sites: DisclosedSiteRow[];
  links: DisclosedLinkRow[];
}

/** One problem with one row: `index` in the array (0-based), and `line` in a CSV file (the header is line 1). */
export interface DisclosureRowError {
  entity: DisclosureEntity | 'body';
  index: number;
  line?: number;
  field: string;
  message: string;
}

const ref = (required = true): FieldRule => ({ kind: 'id', required });
const SITE = ROW_RULES.sites;

export const DISCLOSURE_RULES: Record<DisclosureEntity, Record<string, FieldRule>> = {
  suppliers: {
    ref: ref(),
    name: ROW_RULES.suppliers.name,
    country: ROW_RULES.suppliers.country,
    visibility: { kind: 'enum', required: true, values: VISIBILITIES },
  },
  sites: {
    ref: ref(),
    supplierRef: ref(),
    name: SITE.name,
    kind: SITE.kind,
    lat: SITE.lat,
    lon: SITE.lon,
    country: SITE.country,
    ttrDays: SITE.ttrDays,
    gln: SITE.gln,
  },
  links: {
    fromSiteRef: ref(),
    toSiteId: ref(false),
    toSiteRef: ref(false),
    part: ref(),
    partName: { kind: 'text', required: false, max: 256 },
    share: ROW_RULES.supplies.share,
    bufferDays: ROW_RULES.supplies.bufferDays,
    leadTimeDays: ROW_RULES.supplies.leadTimeDays,
  },
};

export const MAX_DISCLOSURE_ROWS = 10_000;
export const MAX_REPORTED_ERRORS = 200;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A field as part of a duplicate key: only strings can be valid refs; anything else (a refused row) is never turned into text. */
const keyPart = (value: unknown): string => (typeof value === 'string' ? value : '\u0001');

/**
 * Phase 1, pure: field types and ranges, unknown fields, duplicate refs within
 * the batch and the one-target rule of links. `lines` maps row indexes to CSV
 * lines when the rows came from a file.
 */
export function checkDisclosureShapes(raw: unknown, lines?: Partial<Record<DisclosureEntity, number[]>>): { rows: Disclosure; errors: DisclosureRowError[] } {
  const rows: Disclosure = { suppliers: [], sites: [], links: [] };
  const errors: DisclosureRowError[] = [];
  if (!isPlainObject(raw)) {
    errors.push({ entity: 'body', index: -1, field: '', message: 'the body must be a JSON object' });
    return { rows, errors };
  }
  for (const key of Object.keys(raw)) {
    if (!(DISCLOSURE_ENTITIES as readonly string[]).includes(key)) {
      errors.push({ entity: 'body', index: -1, field: key, message: `unknown entity; expected ${DISCLOSURE_ENTITIES.join(', ')}` });
    }
  }
  let total = 0;
  for (const entity of DISCLOSURE_ENTITIES) {
    const list = raw[entity];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      errors.push({ entity: 'body', index: -1, field: entity, message: 'must be an array' });
      continue;
    }
    total += list.length;
    const rules = DISCLOSURE_RULES[entity];
    const seen = new Map<string, number>();
    list.forEach((row: unknown, index) => {
      const at = (field: string, message: string) => {
        const line = lines?.[entity]?.[index];
        errors.push({ entity, index, ...(line !== undefined ? { line } : {}), field, message });
      };
      if (!isPlainObject(row)) return at('', 'must be an object');
      let ok = true;
      for (const field of Object.keys(row)) {
        if (!Object.hasOwn(rules, field)) {
          at(field, 'unknown field');
          ok = false;
        }
      }
      for (const [field, rule] of Object.entries(rules)) {
        const problem = checkField(rule, row[field]);
        if (problem) {
          at(field, `${field} ${problem}`);
          ok = false;
        }
      }
      if (entity === 'links' && ok && (row.toSiteId === undefined) === (row.toSiteRef === undefined)) {
        at('toSiteId', 'give exactly one of toSiteId and toSiteRef');
        ok = false;
      }
      const key =
        entity === 'links'
          ? `${keyPart(row.fromSiteRef)}\u0000${keyPart(row.toSiteId ?? '')}\u0000${keyPart(row.toSiteRef ?? '')}\u0000${keyPart(row.part)}`
          : keyPart(row.ref);
      if (ok && seen.has(key)) {
        at(
          entity === 'links' ? 'part' : 'ref',
          entity === 'links' ? `duplicate link (same as row ${seen.get(key)})` : `duplicate ref (same as row ${seen.get(key)})`,
        );
        ok = false;
      }
      seen.set(key, index);
      if (ok) (rows[entity] as unknown[]).push(row);
    });
  }
  if (total > MAX_DISCLOSURE_ROWS) errors.unshift({ entity: 'body', index: -1, field: '', message: `at most ${MAX_DISCLOSURE_ROWS} rows per request` });
  return { rows, errors: errors.slice(0, MAX_REPORTED_ERRORS) };
}

/** Parses one CSV file of an entity (header = field names) into rows and their line numbers; empty cells are absent. */
export function disclosureCsvRows(entity: DisclosureEntity, text: string): { rows: Record<string, unknown>[]; lines: number[]; errors: DisclosureRowError[] } {
  const rules = DISCLOSURE_RULES[entity];
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true, info: true, max_record_size: 65_536 }) as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    return {
      rows: [],
      lines: [],
      errors: [{ entity, index: -1, ...(line ? { line } : {}), field: '', message: `not a valid CSV file: ${(error as Error).message}` }],
    };
  }
  const rows = records.map(({ record }) => {
    const row: Record<string, unknown> = {};
    for (const [field, cell] of Object.entries(record)) {
      if (cell === '') continue;
      const rule = rules[field];
      row[field] = rule?.kind === 'number' && Number.isFinite(Number(cell)) ? Number(cell) : cell;
    }
    return row;
  });
  return { rows, lines: records.map((r) => r.info.lines), errors: [] };
}

/** What the graph holds for the disclosing supplier (read under the graph lock). */
export interface DisclosureFacts {
  /** Disclosed suppliers of this owner by ref → id. */
  suppliers: ReadonlyMap<string, string>;
  /** Disclosed sites of this owner by ref → id. */
  sites: ReadonlyMap<string, string>;
  /** Parts of this owner by ref → id. */
  parts: ReadonlyMap<string, string>;
  /** Ids of the sites links may point to: the owner's own active sites and its disclosed sites. */
  targets: ReadonlySet<string>;
  /** Stored SUPPLIES edges into those targets. */
  incoming: ReadonlyArray<{ fromSiteId: string; toSiteId: string; partId: string; share: number }>;
}

/**
 * Phase 2, pure: every reference resolves within the batch or to the owner's
 * own data (anything else reads "does not exist", whether it belongs to
 * someone else or to no one), and the shares into each (site, part) sum to at
 * most 1 counting stored edges the batch does not replace. `ids` gives the id
 * each new ref will get.
 */
export function checkDisclosureReferences(
  rows: Disclosure,
  facts: DisclosureFacts,
  ids: { suppliers: ReadonlyMap<string, string>; sites: ReadonlyMap<string, string>; parts: ReadonlyMap<string, string> },
): DisclosureRowError[] {
  const errors: DisclosureRowError[] = [];
  const supplierRefs = new Set([...facts.suppliers.keys(), ...rows.suppliers.map((s) => s.ref)]);
  rows.sites.forEach((s, index) => {
    if (!supplierRefs.has(s.supplierRef)) errors.push({ entity: 'sites', index, field: 'supplierRef', message: 'no disclosed supplier has this ref' });
  });
  const siteRefs = new Set([...facts.sites.keys(), ...rows.sites.map((s) => s.ref)]);
  const sums = new Map<string, { stored: Map<string, number>; batch: number; rows: number[] }>();
  rows.links.forEach((l, index) => {
    let bad = false;
    if (!siteRefs.has(l.fromSiteRef)) {
      errors.push({ entity: 'links', index, field: 'fromSiteRef', message: 'no disclosed site has this ref' });
      bad = true;
    }
    if (l.toSiteRef !== undefined && !siteRefs.has(l.toSiteRef)) {
      errors.push({ entity: 'links', index, field: 'toSiteRef', message: 'no disclosed site has this ref' });
      bad = true;
    }
    if (l.toSiteId !== undefined && !facts.targets.has(l.toSiteId)) {
      errors.push({ entity: 'links', index, field: 'toSiteId', message: 'site does not exist' });
      bad = true;
    }
    if (bad) return;
    const from = ids.sites.get(l.fromSiteRef)!;
    const to = l.toSiteId ?? ids.sites.get(l.toSiteRef!)!;
    if (from === to) {
      errors.push({ entity: 'links', index, field: 'fromSiteRef', message: 'a site cannot supply itself' });
      return;
    }
    const partId = ids.parts.get(l.part)!;
    const key = `${to}\u0000${partId}`;
    let sum = sums.get(key);
    if (!sum) {
      sum = { stored: new Map(facts.incoming.filter((e) => e.toSiteId === to && e.partId === partId).map((e) => [e.fromSiteId, e.share])), batch: 0, rows: [] };
      sums.set(key, sum);
    }
    sum.stored.delete(from);
    sum.batch += l.share;
    sum.rows.push(index);
  });
  for (const sum of sums.values()) {
    const total = sum.batch + [...sum.stored.values()].reduce((a, b) => a + b, 0);
    if (total > 1 + SHARE_TOLERANCE) {
      for (const index of sum.rows) {
        errors.push({
          entity: 'links',
          index,
          field: 'share',
          message: `the shares of this part into this site would sum to ${Number(total.toFixed(6))}, more than 1`,
        });
      }
    }
  }
  return errors.slice(0, MAX_REPORTED_ERRORS);
}
