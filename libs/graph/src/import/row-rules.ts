import { isISO31661Alpha2, isISO8601 } from 'class-validator';
import {
  ENTITY_ID_PATTERN,
  ENTITY_ID_RULE,
  MAX_DAYS,
  MAX_ENTITY_ID_LENGTH,
  PROVENANCES,
  SITE_KINDS,
  VISIBILITIES,
  type ImportEntity,
} from '@tiersight/contracts';
import { canonicalGln, canonicalGtin } from './gs1-keys';

/** Longest GLN or GTIN accepted in any of its forms (a Digital Link on a long domain). */
const MAX_GS1_KEY_LENGTH = 256;

/**
 * Declarative field rules per import entity (DESIGN §2). A table rather than
 * decorated classes because the import checks up to millions of rows and the
 * rules must stay cheap per row; the leaf checks are class-validator's.
 */
export type FieldRule =
  | { kind: 'id'; required: boolean; nullable?: boolean }
  | { kind: 'text'; required: boolean; max: number }
  | { kind: 'number'; required: boolean; min?: number; max?: number; minExclusive?: boolean }
  | { kind: 'enum'; required: boolean; values: readonly string[] }
  | { kind: 'country'; required: boolean }
  | { kind: 'datetime'; required: boolean }
  | { kind: 'gln'; required: boolean }
  | { kind: 'gtin'; required: boolean };

const id = (required = true, nullable = false): FieldRule => ({ kind: 'id', required, nullable });
const text = (required: boolean, max = 256): FieldRule => ({ kind: 'text', required, max });
const num = (required: boolean, min?: number, max?: number, minExclusive = false): FieldRule => ({
  kind: 'number',
  required,
  min,
  max,
  minExclusive,
});
const provenance: FieldRule = { kind: 'enum', required: false, values: PROVENANCES };
const confirmedAt: FieldRule = { kind: 'datetime', required: false };

export const ROW_RULES: Record<ImportEntity, Record<string, FieldRule>> = {
  suppliers: {
    id: id(),
    name: text(true),
    country: { kind: 'country', required: true },
    ownerSupplierId: id(false, true),
    visibility: { kind: 'enum', required: false, values: VISIBILITIES },
  },
  sites: {
    id: id(),
    supplierId: id(),
    name: text(true),
    kind: { kind: 'enum', required: true, values: SITE_KINDS },
    lat: num(true, -90, 90),
    lon: num(true, -180, 180),
    country: { kind: 'country', required: true },
    ttrDays: num(false, 0, MAX_DAYS),
    baselineRisk: num(false, 0, 1),
    source: provenance,
    confirmedAt,
    gln: { kind: 'gln', required: false },
  },
  parts: { id: id(), name: text(true), category: text(false, 128), gtin: { kind: 'gtin', required: false } },
  skus: { id: id(), name: text(true), dailyRevenue: num(true, 0, 1e12), category: text(false, 128), gtin: { kind: 'gtin', required: false } },
  supplies: {
    fromSiteId: id(),
    toSiteId: id(false),
    toSkuId: id(false),
    partId: id(),
    share: num(true, 0, 1, true),
    bufferDays: num(true, 0, MAX_DAYS),
    leadTimeDays: num(true, 0, MAX_DAYS),
    source: provenance,
    confirmedAt,
  },
};

/** Returns the reason a value breaks its rule, or null when it is fine. */
export function checkField(rule: FieldRule, value: unknown): string | null {
  if (value === undefined || (value === null && rule.kind === 'id' && rule.nullable)) {
    return rule.required ? 'is required' : null;
  }
  switch (rule.kind) {
    case 'id':
      if (typeof value !== 'string') return 'must be a string id';
      if (value.length === 0 || value.length > MAX_ENTITY_ID_LENGTH) return `must be 1 to ${MAX_ENTITY_ID_LENGTH} characters`;
      return ENTITY_ID_PATTERN.test(value) ? null : ENTITY_ID_RULE;
    case 'text':
      if (typeof value !== 'string') return 'must be a string';
      if (value.trim().length === 0 && rule.required) return 'must not be empty';
      return value.length > rule.max ? `must be at most ${rule.max} characters` : null;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a finite number';
      if (rule.min !== undefined && (rule.minExclusive ? value <= rule.min : value < rule.min)) {
        return rule.minExclusive ? `must be greater than ${rule.min}` : `must be at least ${rule.min}`;
      }
      return rule.max !== undefined && value > rule.max ? `must be at most ${rule.max}` : null;
    case 'enum':
      return typeof value === 'string' && rule.values.includes(value) ? null : `must be one of ${rule.values.join(', ')}`;
    case 'country':
      return typeof value === 'string' && /^[A-Z]{2}$/.test(value) && isISO31661Alpha2(value) ? null : 'must be an ISO 3166-1 alpha-2 country code';
    case 'datetime':
      return typeof value === 'string' && isISO8601(value, { strict: true }) && !Number.isNaN(Date.parse(value)) ? null : 'must be an ISO 8601 date-time';
    case 'gln':
    case 'gtin': {
      if (typeof value !== 'string' || value.length > MAX_GS1_KEY_LENGTH) return `must be a string of at most ${MAX_GS1_KEY_LENGTH} characters`;
      const read = rule.kind === 'gln' ? canonicalGln(value) : canonicalGtin(value);
      return read.ok ? null : read.reason;
    }
  }
}

/** Recovery time by site kind when the row gives none (days). */
export const DEFAULT_TTR_DAYS: Record<string, number> = { plant: 60, warehouse: 14, port: 21, office: 7 };
