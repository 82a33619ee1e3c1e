import { Injectable } from '@nestjs/common';
import type { SupplyTerms } from '@tiersight/contracts';
import { Neo4jService } from '../neo4j.service';

export interface NetworkSupplier {
  id: string;
  country: string;
}
export interface NetworkSite {
  id: string;
  supplierId: string;
  country: string;
  lat: number;
  lon: number;
  ttrDays: number;
  source: string;
  confirmedAt: number | null;
}
export interface NetworkSku {
  id: string;
  dailyRevenue: number;
  category: string | null;
}
export interface NetworkEdge extends SupplyTerms {
  fromId: string;
  toId: string;
  source: string;
  confirmedAt: number | null;
}

export interface GraphStamp {
  databaseId: string;
  version: number;
}

/** Receives the network row by row, so no caller ever holds one giant result. */
export interface SupplyNetworkVisitor {
  supplier(row: NetworkSupplier): void;
  site(row: NetworkSite): void;
  sku(row: NetworkSku): void;
  edge(row: NetworkEdge): void;
}

const GRAPH_VERSION = `OPTIONAL MATCH (m:GraphMeta {id: 'graph'}) RETURN coalesce(m.version, 0) AS version`;
// A new database starts its versions afresh: its id tells its version 3 from the old one's.
const GRAPH_STAMP = `
CALL db.info() YIELD id
OPTIONAL MATCH (m:GraphMeta {id: 'graph'})
RETURN id AS databaseId, coalesce(m.version, 0) AS version`;
const SUPPLIERS = `MATCH (s:Supplier) RETURN s.id AS id, s.country AS country`;
const SITES = `
MATCH (s:Site)
RETURN s.id AS id, s.supplierId AS supplierId, s.country AS country, s.location.latitude AS lat,
       s.location.longitude AS lon, s.ttrDays AS ttrDays, s.source AS source,
       s.confirmedAt.epochMillis AS confirmedAt`;
const SKUS = `MATCH (k:Sku) RETURN k.id AS id, k.dailyRevenue AS dailyRevenue, k.category AS category`;
const EDGES = `
MATCH (a:Site)-[r:SUPPLIES]->(b)
RETURN a.id AS fromId, b.id AS toId, r.partId AS partId, r.share AS share, r.bufferDays AS bufferDays,
       r.leadTimeDays AS leadTimeDays, r.source AS source, r.confirmedAt.epochMillis AS confirmedAt`;

/** Streams the whole supply network out of Neo4j in one read transaction (a consistent snapshot). */
@Injectable()
export class SupplyNetworkReader {
  constructor(private readonly neo4j: Neo4jService) {}

  /** Which state of which database the graph is in: the database's id (see Neo4jService.databaseId) and the graph version. */
  async graphStamp(): Promise<GraphStamp> {
    const res = await this.neo4j.query<{ databaseId: string; version: number }>(GRAPH_STAMP);
    return { databaseId: String(res.records[0].get('databaseId')), version: res.records[0].get('version') };
  }

  /** Visits suppliers, sites, SKUs, then edges; returns the graph version the snapshot belongs to. */
  async read(visitor: SupplyNetworkVisitor): Promise<number> {
    return this.neo4j.read(async (tx) => {
      const version = (await tx.run(GRAPH_VERSION)).records[0].get('version') as number;
      for await (const r of tx.run(SUPPLIERS)) visitor.supplier(r.toObject() as NetworkSupplier);
      for await (const r of tx.run(SITES)) visitor.site(r.toObject() as NetworkSite);
      for await (const r of tx.run(SKUS)) visitor.sku(r.toObject() as NetworkSku);
      for await (const r of tx.run(EDGES)) visitor.edge(r.toObject() as NetworkEdge);
      return version;
    });
  }
}
