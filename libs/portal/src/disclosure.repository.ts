import { Injectable } from '@nestjs/common';
import neo4j from 'neo4j-driver';
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

/** What a supplier disclosed, as it reads it back; disclosures are written by SupplyNetworkWriter (libs/graph). */
@Injectable()
export class DisclosureRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  async suppliers(owner: string, limit: number, cursor?: string): Promise<Page<DisclosedSupplier>> {
    const res = await this.neo4j.read((tx) => tx.run(SUPPLIERS, { owner, after: decodeCursor(cursor), limit: neo4j.int(limit + 1) }));
    return toPage(
      res.records.map((r) => toSupplier(r.get('supplier'))),
      limit,
    );
  }

  async supplier(owner: string, id: string): Promise<DisclosedSupplier | null> {
    const res = await this.neo4j.read((tx) => tx.run(SUPPLIER, { owner, id }));
    return res.records.length ? toSupplier(res.records[0].get('supplier')) : null;
  }

  async sites(owner: string, limit: number, cursor?: string, supplierId?: string): Promise<Page<DisclosedSite>> {
    const res = await this.neo4j.read((tx) =>
      tx.run(SITES, { owner, after: decodeCursor(cursor), limit: neo4j.int(limit + 1), supplierId: supplierId ?? null }),
    );
    return toPage(
      res.records.map((r) => ({ ...(r.get('site') as PortalSite), ref: r.get('ref') as string, supplierId: r.get('supplierId') as string })),
      limit,
    );
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
