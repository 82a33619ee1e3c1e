import { Injectable } from '@nestjs/common';
import type { ManagedTransaction } from 'neo4j-driver';
import type { SitePlacement, SitePlacementView } from '@tiersight/contracts';
import { Neo4jService } from '@tiersight/graph';

/** A site written from an address, and how its pin was found (null: its coordinates were given by a person). */
export interface PlacementWrite {
  siteId: string;
  placement: SitePlacement | null;
}

// Null removes a property: a site placed by a person keeps no precision nor radius.
const RECORD = `
UNWIND $rows AS row
MATCH (s:Site {id: row.siteId})
SET s.locationPrecision = row.precision, s.locationRadiusKm = row.radiusKm, s.locationToConfirm = row.toConfirm`;

// The supplier placed the pin itself: a point it vouches for, with no precision or radius of a gazetteer.
const MOVED = `
MATCH (:Supplier {id: $supplierId})-[:OPERATES]->(s:Site {id: $id})
SET s.locationPrecision = null, s.locationRadiusKm = null, s.locationToConfirm = false`;

// The supplier says the pin stands where it is: the precision it was found with stays on record.
const CONFIRMED = `
MATCH (:Supplier {id: $supplierId})-[:OPERATES]->(s:Site {id: $id})
SET s.locationToConfirm = false, s.source = 'supplier', s.confirmedAt = datetime()`;

const OF_SITES = `
UNWIND $ids AS id
MATCH (s:Site {id: id})
RETURN s.id AS id, { locationPrecision: s.locationPrecision, locationRadiusKm: s.locationRadiusKm,
  locationToConfirm: coalesce(s.locationToConfirm, false) } AS placement`;

const NONE: SitePlacementView = { locationPrecision: null, locationRadiusKm: null, locationToConfirm: false };

/**
 * The pin of a site placed from an address (issue #18): how it was found
 * (`locationPrecision`, `locationRadiusKm`) and whether it waits for its
 * supplier (`locationToConfirm`). Written with the site by an onboarding
 * confirm (the buyer's, in the import's transaction, or the supplier's own
 * list), cleared when the supplier moves or confirms the pin in the portal;
 * read beside the analysts' site views. Every write runs in its caller's
 * transaction, so it commits with the change and its audit entry or not at all.
 */
@Injectable()
export class SitePlacements {
  constructor(private readonly neo4j: Neo4jService) {}

  async record(tx: ManagedTransaction, writes: readonly PlacementWrite[]): Promise<void> {
    if (writes.length === 0) return;
    const rows = writes.map(({ siteId, placement }) => ({
      siteId,
      precision: placement?.precision ?? null,
      radiusKm: placement?.radiusKm ?? null,
      toConfirm: placement?.toConfirm ?? false,
    }));
    await tx.run(RECORD, { rows });
  }

  /** The supplier moved the pin of one of its sites: placed by a person from now on. */
  async moved(tx: ManagedTransaction, supplierId: string, id: string): Promise<void> {
    await tx.run(MOVED, { supplierId, id });
  }

  /** The supplier confirmed the pin of one of its sites where it stands. */
  async confirmed(tx: ManagedTransaction, supplierId: string, id: string): Promise<void> {
    await tx.run(CONFIRMED, { supplierId, id });
  }

  /** The sites with their placement fields beside the fields they have (a site not found reads as placed by a person). */
  async withPlacements<T extends { id: string }>(sites: readonly T[]): Promise<Array<T & SitePlacementView>> {
    if (sites.length === 0) return [];
    const res = await this.neo4j.read((tx) => tx.run(OF_SITES, { ids: sites.map((s) => s.id) }));
    const byId = new Map(res.records.map((r) => [r.get('id') as string, r.get('placement') as SitePlacementView]));
    return sites.map((s) => ({ ...s, ...(byId.get(s.id) ?? NONE) }));
  }

  async withPlacement<T extends { id: string }>(site: T): Promise<T & SitePlacementView> {
    return (await this.withPlacements([site]))[0];
  }
}
