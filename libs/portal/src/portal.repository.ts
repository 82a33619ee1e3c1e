import { Injectable } from '@nestjs/common';
import neo4j, { ManagedTransaction } from 'neo4j-driver';
import type { SitePlacementView } from '@tiersight/contracts';
import { decodeCursor, Neo4jService, Page, SupplierSiteFields, toPage } from '@tiersight/graph';

/** A supplier's own profile as the portal shows it to that supplier. */
export interface PortalProfile {
  id: string;
  name: string;
  country: string;
  siteCount: number;
}

/** One of the supplier's own sites (never what it supplies: that is the buyer's map), with how its pin was found. */
export interface PortalSite extends SitePlacementView {
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
  /** GS1 location id, canonical Digital Link. */
  gln: string | null;
}

export type SiteFields = SupplierSiteFields;

/** Which of its sites a supplier lists: by status, and those whose pin waits for it (or not). */
export interface SiteFilter {
  status?: 'active' | 'retired';
  locationToConfirm?: boolean;
}

export const PORTAL_SITE_FIELDS = `{ id: s.id, ref: s.ref, name: s.name, kind: s.kind, lat: s.location.latitude, lon: s.location.longitude,
  country: s.country, ttrDays: s.ttrDays, status: coalesce(s.status, 'active'), retiredAt: toString(s.retiredAt),
  source: s.source, confirmedAt: toString(s.confirmedAt), gln: s.gln, locationPrecision: s.locationPrecision,
  locationRadiusKm: s.locationRadiusKm, locationToConfirm: coalesce(s.locationToConfirm, false) }`;

const PROFILE = `
MATCH (sup:Supplier {id: $supplierId})
RETURN { id: sup.id, name: sup.name, country: sup.country, siteCount: COUNT { (sup)-[:OPERATES]->(:Site) } } AS profile`;

// Own sites are found through OPERATES from the caller's supplier: an id of anyone else's site matches nothing.
const OWN_SITE = `
MATCH (:Supplier {id: $supplierId})-[:OPERATES]->(s:Site {id: $id})
RETURN ${PORTAL_SITE_FIELDS} AS site`;

const OWN_SITES = `
MATCH (:Supplier {id: $supplierId})-[:OPERATES]->(s:Site)
WHERE ($after IS NULL OR s.id > $after) AND ($status IS NULL OR coalesce(s.status, 'active') = $status)
  AND ($toConfirm IS NULL OR coalesce(s.locationToConfirm, false) = $toConfirm)
RETURN ${PORTAL_SITE_FIELDS} AS site ORDER BY s.id LIMIT $limit`;

const OWN_SITES_AMONG = `
MATCH (:Supplier {id: $supplierId})-[:OPERATES]->(s:Site) WHERE s.id IN $ids
RETURN ${PORTAL_SITE_FIELDS} AS site`;

/** The portal's views of a supplier and its sites; what the portal writes goes through SupplyNetworkWriter (libs/graph). */
@Injectable()
export class PortalRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  async profile(supplierId: string): Promise<PortalProfile | null> {
    const res = await this.neo4j.read((tx) => tx.run(PROFILE, { supplierId }));
    if (res.records.length === 0) return null;
    const p = res.records[0].get('profile') as PortalProfile;
    return { ...p, siteCount: Number(p.siteCount) };
  }

  async site(supplierId: string, id: string, tx?: ManagedTransaction): Promise<PortalSite | null> {
    const res = tx ? await tx.run(OWN_SITE, { supplierId, id }) : await this.neo4j.read((t) => t.run(OWN_SITE, { supplierId, id }));
    return res.records.length ? (res.records[0].get('site') as PortalSite) : null;
  }

  async sites(supplierId: string, limit: number, cursor: string | undefined, filter: SiteFilter = {}): Promise<Page<PortalSite>> {
    const res = await this.neo4j.read((tx) =>
      tx.run(OWN_SITES, {
        supplierId,
        after: decodeCursor(cursor),
        limit: neo4j.int(limit + 1),
        status: filter.status ?? null,
        toConfirm: filter.locationToConfirm ?? null,
      }),
    );
    return toPage(
      res.records.map((r) => r.get('site') as PortalSite),
      limit,
    );
  }

  /** Those of the ids that are sites of the supplier, read in the caller's transaction. */
  async sitesAmong(tx: ManagedTransaction, supplierId: string, ids: readonly string[]): Promise<PortalSite[]> {
    if (ids.length === 0) return [];
    const res = await tx.run(OWN_SITES_AMONG, { supplierId, ids });
    return res.records.map((r) => r.get('site') as PortalSite);
  }
}
