import { Injectable } from '@nestjs/common';
import neo4j, { ManagedTransaction } from 'neo4j-driver';
import { decodeCursor, Neo4jService, Page, toPage } from '@tiersight/graph';

/** A supplier's own profile as the portal shows it to that supplier. */
export interface PortalProfile {
  id: string;
  name: string;
  country: string;
  siteCount: number;
}

/** One of the supplier's own sites (never what it supplies: that is the buyer's map). */
export interface PortalSite {
  id: string;
  ref: string | null;
  name: string;
  kind: string;
  lat: number;
  lon: number;
  country: string;
  ttrDays: number | null;
  status: 'active' | 'retired';
  retiredAt: string | null;
  source: string | null;
  confirmedAt: string | null;
}

export interface SiteFields {
  name: string;
  kind: string;
  lat: number;
  lon: number;
  country: string;
  ttrDays: number;
}

export const PORTAL_SITE_FIELDS = `{ id: s.id, ref: s.ref, name: s.name, kind: s.kind, lat: s.location.latitude, lon: s.location.longitude,
  country: s.country, ttrDays: s.ttrDays, status: coalesce(s.status, 'active'), retiredAt: toString(s.retiredAt),
  source: s.source, confirmedAt: toString(s.confirmedAt) }`;

const PROFILE = `
MATCH (sup:Supplier {id: $supplierId})
RETURN { id: sup.id, name: sup.name, country: sup.country, siteCount: COUNT { (sup)-[:OPERATES]->(:Site) } } AS profile`;

const UPDATE_PROFILE = `
MATCH (sup:Supplier {id: $supplierId})
WITH sup, { name: sup.name, country: sup.country } AS before
SET sup.name = coalesce($name, sup.name), sup.country = coalesce($country, sup.country)
RETURN before`;

// Own sites are found through OPERATES from the caller's supplier: an id of anyone else's site matches nothing.
const OWN_SITE = `
MATCH (:Supplier {id: $supplierId})-[:OPERATES]->(s:Site {id: $id})
RETURN ${PORTAL_SITE_FIELDS} AS site`;

const OWN_SITES = `
MATCH (:Supplier {id: $supplierId})-[:OPERATES]->(s:Site)
WHERE ($after IS NULL OR s.id > $after) AND ($status IS NULL OR coalesce(s.status, 'active') = $status)
RETURN ${PORTAL_SITE_FIELDS} AS site ORDER BY s.id LIMIT $limit`;

const REF_TAKEN = `
MATCH (:Supplier {id: $supplierId})-[:OPERATES]->(s:Site {ref: $ref}) WHERE s.id <> $id
RETURN count(s) > 0 AS taken`;

const CREATE_SITE = `
MATCH (sup:Supplier {id: $supplierId})
CREATE (sup)-[:OPERATES]->(s:Site {id: $id, ref: $ref, supplierId: $supplierId, name: $f.name, kind: $f.kind,
  location: point({latitude: $f.lat, longitude: $f.lon}), country: $f.country, ttrDays: $f.ttrDays,
  status: 'active', source: 'supplier', confirmedAt: datetime()})
RETURN ${PORTAL_SITE_FIELDS} AS site`;

const UPDATE_SITE = `
MATCH (:Supplier {id: $supplierId})-[:OPERATES]->(s:Site {id: $id})
SET s.name = $f.name, s.kind = $f.kind, s.location = point({latitude: $f.lat, longitude: $f.lon}),
    s.country = $f.country, s.ttrDays = $f.ttrDays, s.source = 'supplier', s.confirmedAt = datetime()
RETURN ${PORTAL_SITE_FIELDS} AS site`;

// A retired site no longer ships nor receives: its SUPPLIES edges go (they are kept in the audit entry).
const RETIRE_SITE = `
MATCH (:Supplier {id: $supplierId})-[:OPERATES]->(s:Site {id: $id})
SET s.status = 'retired', s.retiredAt = datetime()
WITH s
CALL (s) {
  OPTIONAL MATCH (s)-[r:SUPPLIES]-()
  WITH DISTINCT r WHERE r IS NOT NULL
  WITH r, { fromSiteId: startNode(r).id, toId: endNode(r).id, partId: r.partId, share: r.share, bufferDays: r.bufferDays, leadTimeDays: r.leadTimeDays } AS edge
  DELETE r
  RETURN collect(edge) AS removed
}
RETURN ${PORTAL_SITE_FIELDS} AS site, removed`;

@Injectable()
export class PortalRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  async profile(supplierId: string): Promise<PortalProfile | null> {
    const res = await this.neo4j.read((tx) => tx.run(PROFILE, { supplierId }));
    if (res.records.length === 0) return null;
    const p = res.records[0].get('profile') as PortalProfile;
    return { ...p, siteCount: Number(p.siteCount) };
  }

  async updateProfile(tx: ManagedTransaction, supplierId: string, patch: { name?: string; country?: string }): Promise<{ name: string; country: string } | null> {
    const res = await tx.run(UPDATE_PROFILE, { supplierId, name: patch.name ?? null, country: patch.country ?? null });
    return res.records.length ? (res.records[0].get('before') as { name: string; country: string }) : null;
  }

  async site(supplierId: string, id: string, tx?: ManagedTransaction): Promise<PortalSite | null> {
    const res = tx ? await tx.run(OWN_SITE, { supplierId, id }) : await this.neo4j.read((t) => t.run(OWN_SITE, { supplierId, id }));
    return res.records.length ? (res.records[0].get('site') as PortalSite) : null;
  }

  async sites(supplierId: string, limit: number, cursor: string | undefined, status: string | undefined): Promise<Page<PortalSite>> {
    const res = await this.neo4j.read((tx) =>
      tx.run(OWN_SITES, { supplierId, after: decodeCursor(cursor), limit: neo4j.int(limit + 1), status: status ?? null }),
    );
    return toPage(res.records.map((r) => r.get('site') as PortalSite), limit);
  }

  async refTaken(tx: ManagedTransaction, supplierId: string, ref: string, id: string): Promise<boolean> {
    return (await tx.run(REF_TAKEN, { supplierId, ref, id })).records[0].get('taken') as boolean;
  }

  async createSite(tx: ManagedTransaction, supplierId: string, id: string, ref: string | null, f: SiteFields): Promise<PortalSite> {
    return (await tx.run(CREATE_SITE, { supplierId, id, ref, f })).records[0].get('site') as PortalSite;
  }

  async updateSite(tx: ManagedTransaction, supplierId: string, id: string, f: SiteFields): Promise<PortalSite> {
    return (await tx.run(UPDATE_SITE, { supplierId, id, f })).records[0].get('site') as PortalSite;
  }

  async retireSite(tx: ManagedTransaction, supplierId: string, id: string): Promise<{ site: PortalSite; removed: unknown[] }> {
    const r = (await tx.run(RETIRE_SITE, { supplierId, id })).records[0];
    return { site: r.get('site') as PortalSite, removed: r.get('removed') as unknown[] };
  }
}
