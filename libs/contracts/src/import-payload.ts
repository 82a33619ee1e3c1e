import type { Provenance, SiteKind, Visibility } from './enums';

/**
 * The bulk import format of DESIGN §7.1 (`POST /v1/graph/import`, `npm run import`).
 * Every array is optional; ids are strings; site ids and SKU ids never collide.
 */

export interface SupplierRow {
  id: string;
  name: string;
  country: string; // ISO 3166-1 alpha-2
  ownerSupplierId?: string | null;
  visibility?: Visibility;
}

export interface SiteRow {
  id: string;
  supplierId: string;
  name: string;
  kind: SiteKind;
  lat: number;
  lon: number;
  country: string;
  ttrDays?: number;
  baselineRisk?: number;
  source?: Provenance;
  confirmedAt?: string; // ISO 8601
  /** GS1 location id: a GLN, an SGLN EPC URI or a GS1 Digital Link; stored as the canonical Digital Link. */
  gln?: string;
}

export interface PartRow {
  id: string;
  name: string;
  category?: string;
  /** GTIN (8, 12, 13 or 14 digits, or a Digital Link), check digit verified; stored as 14 digits. */
  gtin?: string;
}

export interface SkuRow {
  id: string;
  name: string;
  dailyRevenue: number;
  category?: string;
  /** GTIN (8, 12, 13 or 14 digits, or a Digital Link), check digit verified; stored as 14 digits. */
  gtin?: string;
}

/** One SUPPLIES edge: exactly one of `toSiteId` / `toSkuId`. */
export interface SupplyRow {
  fromSiteId: string;
  toSiteId?: string;
  toSkuId?: string;
  partId: string;
  share: number;
  bufferDays: number;
  leadTimeDays: number;
  source?: Provenance;
  confirmedAt?: string;
}

export interface ImportPayload {
  suppliers?: SupplierRow[];
  sites?: SiteRow[];
  parts?: PartRow[];
  skus?: SkuRow[];
  supplies?: SupplyRow[];
}

export const IMPORT_ENTITIES = ['suppliers', 'sites', 'parts', 'skus', 'supplies'] as const;
export type ImportEntity = (typeof IMPORT_ENTITIES)[number];
