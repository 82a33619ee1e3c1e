import { Injectable } from '@nestjs/common';
import type { ManagedTransaction } from 'neo4j-driver';
import { Neo4jService } from '../neo4j.service';
import { GraphFacts, NormalizedImport, ReferenceQuery } from './validate-import';

/** Rows per UNWIND statement: large enough to amortise round trips, small enough for steady memory. */
export const IMPORT_BATCH_ROWS = 10_000;

export interface ImportCounts {
  suppliers: number;
  sites: number;
  parts: number;
  skus: number;
  supplies: number;
  nodesCreated: number;
  relationshipsCreated: number;
  relationshipsDeleted: number;
  graphVersion: number;
}

const UPSERT_SUPPLIERS = `
UNWIND $rows AS row
MERGE (s:Supplier {id: row.id})
SET s.name = row.name, s.country = row.country, s.ownerSupplierId = row.ownerSupplierId, s.visibility = row.visibility`;

const UPSERT_SITES = `
UNWIND $rows AS row
MERGE (s:Site {id: row.id})
ON CREATE SET s.confirmedAt = datetime(coalesce(row.confirmedAt, $now))
SET s.supplierId = row.supplierId, s.name = row.name, s.kind = row.kind,
    s.location = point({latitude: row.lat, longitude: row.lon}), s.country = row.country,
    s.ttrDays = row.ttrDays, s.baselineRisk = row.baselineRisk, s.source = row.source,
    s.confirmedAt = CASE WHEN row.confirmedAt IS NULL THEN s.confirmedAt ELSE datetime(row.confirmedAt) END
WITH s, row
MATCH (owner:Supplier {id: row.supplierId})
MERGE (owner)-[:OPERATES]->(s)
WITH s, owner
OPTIONAL MATCH (previous:Supplier)-[old:OPERATES]->(s) WHERE previous <> owner
DELETE old`;

const UPSERT_PARTS = `
UNWIND $rows AS row
MERGE (p:Part {id: row.id})
SET p.name = row.name, p.category = row.category`;

const UPSERT_SKUS = `
UNWIND $rows AS row
MERGE (k:Sku {id: row.id})
SET k.name = row.name, k.dailyRevenue = row.dailyRevenue, k.category = row.category`;

const SUPPLY_PROPS = `
ON CREATE SET r.confirmedAt = datetime(coalesce(row.confirmedAt, $now))
SET r.share = row.share, r.bufferDays = row.bufferDays, r.leadTimeDays = row.leadTimeDays, r.source = row.source,
    r.confirmedAt = CASE WHEN row.confirmedAt IS NULL THEN r.confirmedAt ELSE datetime(row.confirmedAt) END`;

const UPSERT_SUPPLIES_TO_SITES = `
UNWIND $rows AS row
MATCH (a:Site {id: row.fromSiteId})
MATCH (b:Site {id: row.toSiteId})
MERGE (a)-[r:SUPPLIES {partId: row.partId}]->(b)${SUPPLY_PROPS}`;

const UPSERT_SUPPLIES_TO_SKUS = `
UNWIND $rows AS row
MATCH (a:Site {id: row.fromSiteId})
MATCH (b:Sku {id: row.toSkuId})
MERGE (a)-[r:SUPPLIES {partId: row.partId}]->(b)${SUPPLY_PROPS}`;

const BUMP_GRAPH_VERSION = `
MERGE (m:GraphMeta {id: 'graph'})
SET m.version = coalesce(m.version, 0) + 1, m.updatedAt = datetime()
RETURN m.version AS version`;

const FACTS = `
CALL () { UNWIND $q.supplierIds AS id MATCH (n:Supplier {id: id}) RETURN collect(n.id) AS suppliers }
CALL () { UNWIND $q.siteIds AS id MATCH (n:Site {id: id}) RETURN collect(n.id) AS sites }
CALL () { UNWIND $q.skuIds AS id MATCH (n:Sku {id: id}) RETURN collect(n.id) AS skus }
CALL () { UNWIND $q.partIds AS id MATCH (n:Part {id: id}) RETURN collect(n.id) AS parts }
RETURN suppliers, sites, skus, parts`;

const INCOMING = `
UNWIND $receiverIds AS id
CALL (id) { MATCH (b:Site {id: id}) RETURN b UNION MATCH (b:Sku {id: id}) RETURN b }
MATCH (a:Site)-[r:SUPPLIES]->(b)
RETURN a.id AS fromSiteId, b.id AS toId, r.partId AS partId, r.share AS share`;

@Injectable()
export class ImportRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  /** Reads what the batch refers to, in one read transaction. */
  async facts(query: ReferenceQuery): Promise<GraphFacts> {
    return this.neo4j.read(async (tx) => {
      const found = (await tx.run(FACTS, { q: query })).records[0];
      const incoming = await runInBatches(tx, INCOMING, query.receiverIds, 'receiverIds');
      return {
        suppliers: new Set(found.get('suppliers') as string[]),
        sites: new Set(found.get('sites') as string[]),
        skus: new Set(found.get('skus') as string[]),
        parts: new Set(found.get('parts') as string[]),
        incoming: incoming.map((r) => ({
          fromSiteId: r.get('fromSiteId') as string,
          toId: r.get('toId') as string,
          partId: r.get('partId') as string,
          share: r.get('share') as number,
        })),
      };
    });
  }

  /** Writes a validated batch in ONE transaction: a failure half-way leaves the graph as it was. */
  async write(rows: NormalizedImport, onProgress?: (rowsWritten: number) => void): Promise<ImportCounts> {
    const now = new Date().toISOString();
    let written = 0;
    const counts = { nodesCreated: 0, relationshipsCreated: 0, relationshipsDeleted: 0 };
    const step = async (tx: ManagedTransaction, query: string, list: object[]) => {
      for (let i = 0; i < list.length; i += IMPORT_BATCH_ROWS) {
        const batch = list.slice(i, i + IMPORT_BATCH_ROWS);
        const summary = (await tx.run(query, { rows: batch, now })).summary.counters.updates();
        counts.nodesCreated += summary.nodesCreated;
        counts.relationshipsCreated += summary.relationshipsCreated;
        counts.relationshipsDeleted += summary.relationshipsDeleted;
        written += batch.length;
        onProgress?.(written);
      }
    };
    const graphVersion = await this.neo4j.write(async (tx) => {
      written = 0;
      Object.assign(counts, { nodesCreated: 0, relationshipsCreated: 0, relationshipsDeleted: 0 });
      await step(tx, UPSERT_SUPPLIERS, rows.suppliers);
      await step(tx, UPSERT_SITES, rows.sites);
      await step(tx, UPSERT_PARTS, rows.parts);
      await step(tx, UPSERT_SKUS, rows.skus);
      await step(tx, UPSERT_SUPPLIES_TO_SITES, rows.supplies.filter((e) => e.toSiteId !== null));
      await step(tx, UPSERT_SUPPLIES_TO_SKUS, rows.supplies.filter((e) => e.toSkuId !== null));
      const version = await tx.run(BUMP_GRAPH_VERSION);
      return version.records[0].get('version') as number;
    });
    return {
      suppliers: rows.suppliers.length,
      sites: rows.sites.length,
      parts: rows.parts.length,
      skus: rows.skus.length,
      supplies: rows.supplies.length,
      ...counts,
      graphVersion,
    };
  }
}

async function runInBatches(tx: ManagedTransaction, query: string, ids: string[], param: string) {
  const out = [];
  for (let i = 0; i < ids.length; i += IMPORT_BATCH_ROWS) {
    out.push(...(await tx.run(query, { [param]: ids.slice(i, i + IMPORT_BATCH_ROWS) })).records);
  }
  return out;
}
