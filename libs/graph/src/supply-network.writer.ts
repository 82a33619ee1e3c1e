import { Injectable } from '@nestjs/common';
import type { ManagedTransaction } from 'neo4j-driver';
import type { SupplyTerms, Visibility } from '@tiersight/contracts';
import { Neo4jService } from './neo4j.service';

/** What a write made of the graph: its result and whether it changed anything (no change, no new graph version). */
export interface NetworkChange<T> {
  result: T;
  changed: boolean;
}

/** The fields of a site its supplier maintains. */
export interface SupplierSiteFields {
  name: string;
  kind: string;
  lat: number;
  lon: number;
  country: string;
  ttrDays: number;
  /** GS1 location id in canonical form (see `canonicalGln`); absent or null: none. */
  gln?: string | null;
}

/** What the graph holds for a disclosing supplier: refs → ids of what it disclosed, and its own active sites. */
export interface DisclosureOwnerFacts {
  suppliers: Map<string, string>;
  sites: Map<string, string>;
  parts: Map<string, string>;
  own: string[];
}

export interface IncomingSupply {
  fromSiteId: string;
  toSiteId: string;
  partId: string;
  share: number;
}

/** A SUPPLIES edge removed with a retired site (kept in the audit entry). */
export interface RemovedSupply extends SupplyTerms {
  fromSiteId: string;
  toId: string;
}

/** Rows a supplier discloses, with the ids the platform gave them. */
export interface DisclosureWrite {
  suppliers: { id: string; ref: string; name: string; country: string; visibility: Visibility }[];
  sites: ({ id: string; ref: string; supplierId: string } & SupplierSiteFields)[];
  parts: { id: string; ref: string; name: string | null }[];
  links: ({ fromSiteId: string; toSiteId: string } & SupplyTerms)[];
}

/**
 * The end of a site upsert: the supplier bound to `operator` operates site `s`,
 * and the supplier that operated it before (if another) no longer does.
 */
export const operatedOnlyBy = (operator: string) => `MERGE (${operator})-[:OPERATES]->(s)
WITH s, ${operator}
OPTIONAL MATCH (previous:Supplier)-[old:OPERATES]->(s) WHERE previous <> ${operator}
DELETE old`;

// One lock and one version counter for every writer of the supply network: a portal write and an
// import never interleave, and workers reload the projection at the new version.
const LOCK_GRAPH = `MERGE (m:GraphMeta {id: 'graph'}) SET m.importStartedAt = datetime()`;

const BUMP_GRAPH_VERSION = `
MERGE (m:GraphMeta {id: 'graph'})
SET m.version = coalesce(m.version, 0) + 1, m.updatedAt = datetime()
RETURN m.version AS version`;

const UPDATE_SUPPLIER_PROFILE = `
MATCH (sup:Supplier {id: $supplierId})
WITH sup, { name: sup.name, country: sup.country } AS before
SET sup.name = coalesce($name, sup.name), sup.country = coalesce($country, sup.country)
RETURN before`;

const SITE_REF_TAKEN = `
MATCH (:Supplier {id: $supplierId})-[:OPERATES]->(s:Site {ref: $ref}) WHERE s.id <> $id
RETURN count(s) > 0 AS taken`;

const CREATE_SITE = `
MATCH (sup:Supplier {id: $supplierId})
CREATE (sup)-[:OPERATES]->(s:Site {id: $id, ref: $ref, supplierId: $supplierId, name: $f.name, kind: $f.kind,
  location: point({latitude: $f.lat, longitude: $f.lon}), country: $f.country, ttrDays: $f.ttrDays, gln: $f.gln,
  status: 'active', source: 'supplier', confirmedAt: datetime()})
RETURN s.id AS id`;

const UPDATE_SITE = `
MATCH (:Supplier {id: $supplierId})-[:OPERATES]->(s:Site {id: $id})
SET s.name = $f.name, s.kind = $f.kind, s.location = point({latitude: $f.lat, longitude: $f.lon}),
    s.country = $f.country, s.ttrDays = $f.ttrDays, s.gln = $f.gln, s.source = 'supplier', s.confirmedAt = datetime()`;

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
RETURN removed`;

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

const UPSERT_DISCLOSED_SUPPLIERS = `
UNWIND $rows AS row
MERGE (d:Supplier {id: row.id})
ON CREATE SET d.ref = row.ref, d.ownerSupplierId = $owner, d.source = 'supplier'
SET d.name = row.name, d.country = row.country, d.visibility = row.visibility, d.confirmedAt = datetime()`;

const UPSERT_DISCLOSED_SITES = `
UNWIND $rows AS row
MATCH (d:Supplier {id: row.supplierId})
MERGE (s:Site {id: row.id})
ON CREATE SET s.ref = row.ref, s.status = 'active'
SET s.supplierId = row.supplierId, s.name = row.name, s.kind = row.kind, s.location = point({latitude: row.lat, longitude: row.lon}),
    s.country = row.country, s.ttrDays = row.ttrDays, s.gln = row.gln, s.source = 'supplier', s.confirmedAt = datetime()
${operatedOnlyBy('d')}`;

const UPSERT_OWNED_PARTS = `
UNWIND $rows AS row
MERGE (p:Part {id: row.id})
ON CREATE SET p.ref = row.ref, p.ownerSupplierId = $owner
SET p.name = coalesce(row.name, p.name, row.ref)`;

const UPSERT_DISCLOSED_LINKS = `
UNWIND $rows AS row
MATCH (a:Site {id: row.fromSiteId})
MATCH (b:Site {id: row.toSiteId})
MERGE (a)-[r:SUPPLIES {partId: row.partId}]->(b)
SET r.share = row.share, r.bufferDays = row.bufferDays, r.leadTimeDays = row.leadTimeDays, r.source = 'supplier', r.confirmedAt = datetime()`;

/**
 * The one writer of the supply network (suppliers, sites, parts, SUPPLIES):
 * every change runs in one write transaction under the graph lock, bumps the
 * graph version when it changed something, and lets the caller add its own
 * records (an audit entry) to that same transaction. The bulk import runs its
 * batches through `change` too; the supplier portal uses the methods below.
 */
@Injectable()
export class SupplyNetworkWriter {
  constructor(private readonly neo4j: Neo4jService) {}

  /**
   * Runs `work` under the graph lock; when it reports a change, bumps the graph
   * version and runs `onChanged` in the same transaction, so what it writes
   * commits with the change or not at all. `graphVersion` is null when nothing changed.
   */
  change<T>(
    work: (tx: ManagedTransaction) => Promise<NetworkChange<T>>,
    onChanged?: (tx: ManagedTransaction, result: T, graphVersion: number) => Promise<void>,
  ): Promise<{ result: T; graphVersion: number | null }> {
    return this.neo4j.write(async (tx) => {
      await tx.run(LOCK_GRAPH);
      const { result, changed } = await work(tx);
      if (!changed) return { result, graphVersion: null };
      const graphVersion = Number((await tx.run(BUMP_GRAPH_VERSION)).records[0].get('version'));
      await onChanged?.(tx, result, graphVersion);
      return { result, graphVersion };
    });
  }

  /** Sets a supplier's name and country (absent fields keep their value); returns them as they were, or null when there is no such supplier. */
  async updateSupplierProfile(
    tx: ManagedTransaction,
    supplierId: string,
    patch: { name?: string; country?: string },
  ): Promise<{ name: string; country: string } | null> {
    const res = await tx.run(UPDATE_SUPPLIER_PROFILE, { supplierId, name: patch.name ?? null, country: patch.country ?? null });
    return res.records.length ? (res.records[0].get('before') as { name: string; country: string }) : null;
  }

  /** Whether another site of the supplier than `exceptId` has this ref. */
  async siteRefTaken(tx: ManagedTransaction, supplierId: string, ref: string, exceptId: string): Promise<boolean> {
    return (await tx.run(SITE_REF_TAKEN, { supplierId, ref, id: exceptId })).records[0].get('taken') as boolean;
  }

  /** Creates an active site the supplier operates (source `supplier`); false when there is no such supplier. */
  async createSupplierSite(tx: ManagedTransaction, supplierId: string, id: string, ref: string | null, fields: SupplierSiteFields): Promise<boolean> {
    return (await tx.run(CREATE_SITE, { supplierId, id, ref, f: { ...fields, gln: fields.gln ?? null } })).records.length > 0;
  }

  /** Replaces the fields of a site the supplier operates and marks it confirmed by the supplier now. */
  async updateSupplierSite(tx: ManagedTransaction, supplierId: string, id: string, fields: SupplierSiteFields): Promise<void> {
    await tx.run(UPDATE_SITE, { supplierId, id, f: { ...fields, gln: fields.gln ?? null } });
  }

  /** Retires a site the supplier operates and removes its SUPPLIES edges; returns the removed edges. */
  async retireSupplierSite(tx: ManagedTransaction, supplierId: string, id: string): Promise<RemovedSupply[]> {
    const res = await tx.run(RETIRE_SITE, { supplierId, id });
    return res.records.length ? (res.records[0].get('removed') as RemovedSupply[]) : [];
  }

  /** What the owner disclosed so far and its own active sites (read under the lock, before a disclosure is checked). */
  async disclosureOwnerFacts(tx: ManagedTransaction, owner: string): Promise<DisclosureOwnerFacts> {
    const r = (await tx.run(OWNER_FACTS, { owner })).records[0];
    const map = (key: string) => new Map((r.get(key) as [string, string][]).filter(([, id]) => id !== null));
    return { suppliers: map('suppliers'), sites: map('sites'), parts: map('parts'), own: r.get('own') as string[] };
  }

  /** Stored SUPPLIES edges into these sites for these parts. */
  async incomingSupplies(tx: ManagedTransaction, toIds: string[], partIds: string[]): Promise<IncomingSupply[]> {
    if (toIds.length === 0 || partIds.length === 0) return [];
    const res = await tx.run(INCOMING, { toIds, partIds });
    return res.records.map((r) => r.toObject() as IncomingSupply);
  }

  /** Upserts a supplier's disclosed suppliers, their sites, the parts it names and the links (source `supplier`). */
  async writeDisclosure(tx: ManagedTransaction, owner: string, rows: DisclosureWrite): Promise<{ nodesCreated: number; relationshipsCreated: number }> {
    let nodesCreated = 0;
    let relationshipsCreated = 0;
    for (const [query, list] of [
      [UPSERT_DISCLOSED_SUPPLIERS, rows.suppliers],
      [UPSERT_DISCLOSED_SITES, rows.sites],
      [UPSERT_OWNED_PARTS, rows.parts],
      [UPSERT_DISCLOSED_LINKS, rows.links],
    ] as const) {
      if (list.length === 0) continue;
      const c = (await tx.run(query, { rows: list, owner })).summary.counters.updates();
      nodesCreated += c.nodesCreated;
      relationshipsCreated += c.relationshipsCreated;
    }
    return { nodesCreated, relationshipsCreated };
  }
}
