import type { Neo4jService } from '../neo4j.service';

/**
 * What the stored exposure answers are read from, in one statement: the stamp
 * of the last risk run that wrote exposures, the graph version (SKU names and
 * categories, the projection RXI ranks) and the database's id (a new database
 * starts its versions afresh).
 */
const EXPOSURE_READ_VERSION = `
CALL db.info() YIELD id
OPTIONAL MATCH (g:GraphMeta {id: 'graph'})
OPTIONAL MATCH (m:ExposureMeta {id: 'exposures'})
RETURN id AS databaseId, coalesce(g.version, 0) AS graphVersion, m.stamp AS exposureStamp`;

export interface ExposureReadVersion {
  databaseId: string;
  graphVersion: number;
  /** null before the first run that wrote exposures. */
  exposureStamp: string | null;
}

/** The version of what the exposure reads answer from, in one round trip. */
export async function readExposureVersion(neo4j: Neo4jService): Promise<ExposureReadVersion> {
  const res = await neo4j.query(EXPOSURE_READ_VERSION);
  const r = res.records[0];
  return {
    databaseId: String(r.get('databaseId')),
    graphVersion: Number(r.get('graphVersion')),
    exposureStamp: (r.get('exposureStamp') as string | null) ?? null,
  };
}
