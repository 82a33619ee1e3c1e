import { Injectable } from '@nestjs/common';
import neo4j, { type ManagedTransaction } from 'neo4j-driver';
import { chunks } from '@tiersight/contracts';
import { Neo4jService } from '@tiersight/graph';
import type { ExistingSite } from './review';

/** A placed row as the nearby-sites read takes it. */
export interface NearbyQuery {
  lat: number;
  lon: number;
  country: string | null;
  /** how far around the point to look */
  km: number;
}

/** Points per read transaction, and sites kept per point (the nearest). */
const POINTS_PER_READ = 500;
const SITES_PER_POINT = 50;

// The point index (site_location) serves the distance filter; active sites only, the nearest first.
const SITES_NEAR = `
UNWIND $points AS p
CALL (p) {
  MATCH (s:Site)
  WHERE point.distance(s.location, point({latitude: p.lat, longitude: p.lon})) <= p.km * 1000
    AND coalesce(s.status, 'active') = 'active' AND (p.country IS NULL OR s.country = p.country)
  WITH s ORDER BY point.distance(s.location, point({latitude: p.lat, longitude: p.lon}))
  LIMIT $perPoint
  RETURN s
}
WITH DISTINCT s
OPTIONAL MATCH (op:Supplier)-[:OPERATES]->(s)
RETURN s.id AS id, s.name AS name, s.country AS country, s.location.latitude AS lat, s.location.longitude AS lon,
       coalesce(op.visibility = 'masked', false) AS masked`;

// A supplier's list is compared with that supplier's own active sites alone: no other site is read.
const OWN_SITES_NEAR = `
UNWIND $points AS p
CALL (p) {
  MATCH (:Supplier {id: $owner})-[:OPERATES]->(s:Site)
  WHERE point.distance(s.location, point({latitude: p.lat, longitude: p.lon})) <= p.km * 1000
    AND coalesce(s.status, 'active') = 'active' AND (p.country IS NULL OR s.country = p.country)
  WITH s ORDER BY point.distance(s.location, point({latitude: p.lat, longitude: p.lon}))
  LIMIT $perPoint
  RETURN s
}
WITH DISTINCT s
RETURN s.id AS id, s.name AS name, s.country AS country, s.location.latitude AS lat, s.location.longitude AS lon, false AS masked`;

const REJECTIONS_AMONG = `
MATCH (r:DuplicateRejection) WHERE r.a IN $ids OR r.b IN $ids
RETURN r.a AS a, r.b AS b`;

const RECORD_REJECTIONS = `
UNWIND $pairs AS pair
MERGE (r:DuplicateRejection {key: pair[0] + '|' + pair[1]})
ON CREATE SET r.a = pair[0], r.b = pair[1], r.listId = $listId, r.rejectedBy = $by, r.rejectedAt = datetime()`;

/** What onboarding reads from and adds to the graph: sites near placed rows, and the duplicate pairs people rejected. */
@Injectable()
export class OnboardingRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  /**
   * Active sites within each point's radius (its country's only, when it has one), the nearest
   * SITES_PER_POINT per point; with an `owner`, only the sites that supplier operates (its own
   * names, never masked for it).
   */
  async sitesNear(points: readonly NearbyQuery[], owner: string | null = null): Promise<ExistingSite[]> {
    const found = new Map<string, ExistingSite>();
    const query = owner === null ? SITES_NEAR : OWN_SITES_NEAR;
    for (const batch of chunks([...points], POINTS_PER_READ)) {
      const res = await this.neo4j.read((tx) => tx.run(query, { points: batch, perPoint: neo4j.int(SITES_PER_POINT), owner }));
      for (const r of res.records) {
        const site = r.toObject() as ExistingSite;
        if (typeof site.lat === 'number' && typeof site.lon === 'number') found.set(site.id, { ...site, name: site.name ?? site.id });
      }
    }
    return [...found.values()];
  }

  /** The rejected pairs (by site id) that involve any of these ids. */
  async rejectionsAmong(ids: readonly string[]): Promise<Array<[string, string]>> {
    if (ids.length === 0) return [];
    const res = await this.neo4j.read((tx) => tx.run(REJECTIONS_AMONG, { ids }));
    return res.records.map((r) => [r.get('a') as string, r.get('b') as string]);
  }

  /** Records rejected pairs (each ordered) in the caller's transaction, so they commit with the confirm's import or not at all. */
  async recordRejections(tx: ManagedTransaction, listId: string, by: string, pairs: ReadonlyArray<readonly [string, string]>): Promise<void> {
    if (pairs.length === 0) return;
    await tx.run(RECORD_REJECTIONS, { pairs, listId, by });
  }
}
