/** Cypher of the read side. Labels and types are fixed here; every value is a parameter. */

// Tier (DESIGN §2): the length of the shortest SUPPLIES path from a site to any SKU.
const SITE_TIER = `OPTIONAL MATCH tp = SHORTEST 1 (s)-[:SUPPLIES]->+(:Sku)`;

export const SITE_FIELDS = `{ id: s.id, supplierId: s.supplierId, name: s.name, kind: s.kind,
  lat: s.location.latitude, lon: s.location.longitude, country: s.country, ttrDays: s.ttrDays,
  baselineRisk: s.baselineRisk, source: s.source, confirmedAt: toString(s.confirmedAt), gln: s.gln }`;

export const GET_SITE = `
MATCH (s:Site {id: $id})
${SITE_TIER}
RETURN ${SITE_FIELDS} AS site, length(tp) AS tier`;

export const LIST_SITES = `
MATCH (s:Site) WHERE $after IS NULL OR s.id > $after
WITH s ORDER BY s.id LIMIT $limit
${SITE_TIER}
RETURN ${SITE_FIELDS} AS site, length(tp) AS tier`;

const SUPPLIER_FIELDS = `{ id: sup.id, name: sup.name, country: sup.country,
  ownerSupplierId: sup.ownerSupplierId, visibility: sup.visibility }`;

const SUPPLIER_TIER = `
CALL (sup) {
  OPTIONAL MATCH (sup)-[:OPERATES]->(s:Site)
  ${SITE_TIER}
  RETURN min(length(tp)) AS tier, count(DISTINCT s) AS siteCount
}`;

export const GET_SUPPLIER = `
MATCH (sup:Supplier {id: $id})
${SUPPLIER_TIER}
RETURN ${SUPPLIER_FIELDS} AS supplier, tier, siteCount`;

export const LIST_SUPPLIERS = `
MATCH (sup:Supplier) WHERE $after IS NULL OR sup.id > $after
WITH sup ORDER BY sup.id LIMIT $limit
${SUPPLIER_TIER}
RETURN ${SUPPLIER_FIELDS} AS supplier, tier, siteCount`;

const SKU_FIELDS = `{ id: k.id, name: k.name, dailyRevenue: k.dailyRevenue, category: k.category, gtin: k.gtin }`;

export const GET_SKU = `MATCH (k:Sku {id: $id}) RETURN ${SKU_FIELDS} AS sku`;

export const LIST_SKUS = `
MATCH (k:Sku) WHERE $after IS NULL OR k.id > $after
RETURN ${SKU_FIELDS} AS sku ORDER BY k.id LIMIT $limit`;

/** Edges into the given nodes (one tier of an upstream tree). */
export const INCOMING_EDGES = `
UNWIND $ids AS id
CALL (id) { MATCH (b:Site {id: id}) RETURN b UNION MATCH (b:Sku {id: id}) RETURN b }
MATCH (a:Site)-[r:SUPPLIES]->(b)
RETURN a.id AS fromSiteId, a.supplierId AS supplierId, a.country AS country, b.id AS toId,
       r.partId AS partId, r.share AS share, r.bufferDays AS bufferDays, r.leadTimeDays AS leadTimeDays,
       r.source AS source, toString(r.confirmedAt) AS confirmedAt
ORDER BY toId, partId, fromSiteId`;

/** Edges out of the given sites (one step downstream). */
export const OUTGOING_EDGES = `
UNWIND $ids AS id
MATCH (a:Site {id: id})-[r:SUPPLIES]->(b)
RETURN a.id AS fromId, b.id AS toId, b:Sku AS toSku, r.share AS share`;

export const SUPPLIER_SITE_IDS = `MATCH (:Supplier {id: $id})-[:OPERATES]->(s:Site) RETURN s.id AS id ORDER BY id`;

export const SKUS_BY_ID = `
UNWIND $ids AS id MATCH (k:Sku {id: id}) RETURN ${SKU_FIELDS} AS sku`;
