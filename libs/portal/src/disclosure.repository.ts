import { Injectable } from '@nestjs/common';
import neo4j, { ManagedTransaction } from 'neo4j-driver';
import { decodeCursor, encodeCursor, Neo4jService, Page, toPage } from '@tiersight/graph';
import { PORTAL_SITE_FIELDS, PortalSite } from './portal.repository';

/** A sub-tier supplier as its discloser sees it (with its name, whatever its visibility). */
export interface DisclosedSupplier {
  id: string;
  ref: string;
  name: string;
  country: string;
  visibility: 'shared' | 'masked';
  siteCount: number;
}

export type DisclosedSite = PortalSite & { supplierId: string };

export interface DisclosedLink {
  fromSiteId: string;
  toSiteId: string;
  partId: string;
  part: string;
  partName: string | null;
  share: number;
  bufferDays: number;
  leadTimeDays: number;
  confirmedAt: string | null;
}

// Refs of entries the buyer imported (no ref of their own) are their ids.
const OWNER_FACTS = `
CALL () { OPTIONAL MATCH (d:Supplier {ownerSupplierId: $owner}) RETURN collect([coalesce(d.ref, d.id), d.id]) AS suppliers }
CALL () { OPTIONAL MATCH (d:Supplier {ownerSupplierId: $owner})-[:OPERATES]->(s:Site) RETURN collect([coalesce(s.ref, s.id), s.id]) AS sites }
CALL () { OPTIONAL MATCH (p:Part {ownerSupplierId: $owner}) RETURN collect([coalesce(p.ref, p.id), p.id]) AS parts }
CALL () { OPTIONAL MATCH (:Supplier {id: $owner})-[:OPERATES]->(s:Site) WHERE coalesce(s.status, 'active') = 'active' RETURN collect(s.id) AS own }
RETURN suppliers, sites, parts, own`;

const INCOMING = `
UNWIND $toIds AS id
MATCH (a:Site)-[r:SUPPLIES]->(b:Site {id: id}) WHERE r.partId IN $partIds
RETURN a.id AS fromSiteId, b.id AS toSiteId, r.partId AS partId, r.share AS share`;

const UPSERT_SUPPLIERS = `
UNWIND $rows AS row
MERGE (d:Supplier {id: row.id})
ON CREATE SET d.ref = row.ref, d.ownerSupplierId = $owner, d.source = 'supplier'
SET d.name = row.name, d.country = row.country, d.visibility = row.visibility, d.confirmedAt = datetime()`;

const UPSERT_SITES = `
UNWIND $rows AS row
MATCH (d:Supplier {id: row.supplierId})
MERGE (s:Site {id: row.id})
ON CREATE SET s.ref = row.ref, s.status = 'active'
SET s.supplierId = row.supplierId, s.name = row.name, s.kind = row.kind, s.location = point({latitude: row.lat, longitude: row.lon}),
    s.country = row.country, s.ttrDays = row.ttrDays, s.source = 'supplier', s.confirmedAt = datetime()
MERGE (d)-[:OPERATES]->(s)
WITH s, d
OPTIONAL MATCH (previous:Supplier)-[old:OPERATES]->(s) WHERE previous <> d
DELETE old`;

const UPSERT_PARTS = `
UNWIND $rows AS row
MERGE (p:Part {id: row.id})
ON CREATE SET p.ref = row.ref, p.ownerSupplierId = $owner
SET p.name = coalesce(row.name, p.name, row.ref)`;

const UPSERT_LINKS = `
UNWIND $rows AS row
MATCH (a:Site {id: row.fromSiteId})
MATCH (b:Site {id: row.toSiteId})
MERGE (a)-[r:SUPPLIES {partId: row.partId}]->(b)
SET r.share = row.share, r.bufferDays = row.bufferDays, r.leadTimeDays = row.leadTimeDays, r.source = 'supplier', r.confirmedAt = datetime()`;

const SUPPLIER_FIELDS = `{ id: d.id, ref: coalesce(d.ref, d.id), name: d.name, country: d.country, visibility: coalesce(d.visibility, 'shared'),
  siteCount: COUNT { (d)-[:OPERATES]->(:Site) } }`;

const SUPPLIERS = `
MATCH (d:Supplier {ownerSupplierId: $owner}) WHERE $after IS NULL OR d.id > $after
RETURN ${SUPPLIER_FIELDS} AS supplier ORDER BY d.id LIMIT $limit`;

const SUPPLIER = `MATCH (d:Supplier {ownerSupplierId: $owner, id: $id}) RETURN ${SUPPLIER_FIELDS} AS supplier`;

const SITES = `
MATCH (d:Supplier {ownerSupplierId: $owner})-[:OPERATES]->(s:Site)
WHERE ($after IS NULL OR s.id > $after) AND ($supplierId IS NULL OR d.id = $supplierId)
RETURN ${PORTAL_SITE_FIELDS} AS site, coalesce(s.ref, s.id) AS ref, d.id AS supplierId ORDER BY s.id LIMIT $limit`;

// Links out of the owner's disclosed sites into its own or its disclosed sites: nothing of anyone else.
const LINKS = `
MATCH (d:Supplier {ownerSupplierId: $owner})-[:OPERATES]->(a:Site)-[r:SUPPLIES]->(b:Site)<-[:OPERATES]-(o:Supplier)
WHERE (o.id = $owner OR o.ownerSupplierId = $owner)
WITH a, r, b, a.id + '\u0000' + b.id + '\u0000' + r.partId AS key
WHERE $after IS NULL OR key > $after
OPTIONAL MATCH (p:Part {id: r.partId})
RETURN key, { fromSiteId: a.id, toSiteId: b.id, partId: r.partId, part: coalesce(p.ref, r.partId), partName: p.name, share: r.share,
  bufferDays: r.bufferDays, leadTimeDays: r.leadTimeDays, confirmedAt: toString(r.confirmedAt) } AS link
ORDER BY key LIMIT $limit`;

export interface OwnerFacts {
  suppliers: Map<string, string>;
  sites: Map<string, string>;
  parts: Map<string, string>;
  own: string[];
}

@Injectable()
export class DisclosureRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  async ownerFacts(tx: ManagedTransaction, owner: string): Promise<OwnerFacts> {
    const r = (await tx.run(OWNER_FACTS, { owner })).records[0];
    const map = (key: string) => new Map((r.get(key) as [string, string][]).filter(([, id]) => id !== null));
    return { suppliers: map('suppliers'), sites: map('sites'), parts: map('parts'), own: r.get('own') as string[] };
  }

  async incoming(tx: ManagedTransaction, toIds: string[], partIds: string[]): Promise<{ fromSiteId: string; toSiteId: string; partId: string; share: number }[]> {
    if (toIds.length === 0 || partIds.length === 0) return [];
    const res = await tx.run(INCOMING, { toIds, partIds });
    return res.records.map((r) => r.toObject() as { fromSiteId: string; toSiteId: string; partId: string; share: number });
  }

  async write(
    tx: ManagedTransaction,
    owner: string,
    rows: { suppliers: object[]; sites: object[]; parts: object[]; links: object[] },
  ): Promise<{ nodesCreated: number; relationshipsCreated: number }> {
    let nodesCreated = 0;
    let relationshipsCreated = 0;
    for (const [query, list] of [
      [UPSERT_SUPPLIERS, rows.suppliers],
      [UPSERT_SITES, rows.sites],
      [UPSERT_PARTS, rows.parts],
      [UPSERT_LINKS, rows.links],
    ] as const) {
      if (list.length === 0) continue;
      const c = (await tx.run(query, { rows: list, owner })).summary.counters.updates();
      nodesCreated += c.nodesCreated;
      relationshipsCreated += c.relationshipsCreated;
    }
    return { nodesCreated, relationshipsCreated };
  }

  async suppliers(owner: string, limit: number, cursor?: string): Promise<Page<DisclosedSupplier>> {
    const res = await this.neo4j.read((tx) => tx.run(SUPPLIERS, { owner, after: decodeCursor(cursor), limit: neo4j.int(limit + 1) }));
    return toPage(res.records.map((r) => toSupplier(r.get('supplier'))), limit);
  }

  async supplier(owner: string, id: string): Promise<DisclosedSupplier | null> {
    const res = await this.neo4j.read((tx) => tx.run(SUPPLIER, { owner, id }));
    return res.records.length ? toSupplier(res.records[0].get('supplier')) : null;
  }

  async sites(owner: string, limit: number, cursor?: string, supplierId?: string): Promise<Page<DisclosedSite>> {
    const res = await this.neo4j.read((tx) =>
      tx.run(SITES, { owner, after: decodeCursor(cursor), limit: neo4j.int(limit + 1), supplierId: supplierId ?? null }),
    );
    return toPage(res.records.map((r) => ({ ...(r.get('site') as PortalSite), ref: r.get('ref') as string, supplierId: r.get('supplierId') as string })), limit);
  }

  async links(owner: string, limit: number, cursor?: string): Promise<Page<DisclosedLink>> {
    const res = await this.neo4j.read((tx) => tx.run(LINKS, { owner, after: decodeCursor(cursor), limit: neo4j.int(limit + 1) }));
    const rows = res.records.map((r) => ({ key: r.get('key') as string, link: r.get('link') as DisclosedLink }));
    const items = rows.slice(0, limit);
    return { items: items.map((r) => r.link), nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1].key) : null };
  }
}

function toSupplier(raw: unknown): DisclosedSupplier {
  const s = raw as DisclosedSupplier;
  return { ...s, siteCount: Number(s.siteCount) };
}
