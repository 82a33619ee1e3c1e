import type { Neo4jService } from '@tiersight/graph';

/**
 * The baseline of bench/propagate: DESIGN §3.2's x and d computed by Cypher
 * queries alone, as a frontier-driven fixed point on node properties:
 *   1. reset: every Site and Sku gets bx = 0, bd = 0 (the least state);
 *   2. seed: the impacted sites get their combined direct impact (dx, dd) and bx, bd;
 *   3. round after round, every receiver of a node changed in the previous round
 *      recomputes x = max(direct, max_p min(1, Σ share·x_u)) and d = max(direct, max g)
 *      over the edges with g = d_u − buffer > 0, until no node changes.
 * Onset is left out (it only adds cost to the baseline).
 */
const RESET = `MATCH (n) WHERE n:Site OR n:Sku CALL (n) { SET n.bx = 0.0, n.bd = 0.0, n.dx = 0.0, n.dd = 0.0, n.round = -1 } IN TRANSACTIONS OF 50000 ROWS`;

const SEED = `
UNWIND $impacts AS i
MATCH (s:Site {id: i.siteId})
SET s.dx = i.x, s.dd = i.days, s.bx = i.x, s.bd = i.days, s.round = 0`;

const ROUND = `
MATCH (u:Site {round: $previous})-[:SUPPLIES]->(r)
WITH DISTINCT r
CALL (r) {
  MATCH (up:Site)-[e:SUPPLIES]->(r)
  WHERE up.bx > 0 AND up.bd - e.bufferDays > 0
  WITH e.partId AS part, sum(e.share * up.bx) AS total, max(up.bd - e.bufferDays) AS days
  RETURN max(CASE WHEN total > 1.0 THEN 1.0 ELSE total END) AS inX, max(days) AS inD
}
WITH r, CASE WHEN inX IS NULL OR r.dx >= inX THEN r.dx ELSE inX END AS x,
        CASE WHEN inD IS NULL THEN r.dd WHEN r.dx > 0 AND r.dd > inD THEN r.dd ELSE inD END AS d
WHERE x > r.bx + 1e-9 OR d > r.bd + 1e-9
SET r.bx = x, r.bd = d, r.round = $previous + 1
RETURN count(r) AS changed`;

const READ_SKUS = `MATCH (k:Sku) WHERE k.bx > 0 RETURN k.id AS id, k.bx AS x, k.bd AS d`;

export async function cypherPropagation(neo4j: Neo4jService, impacts: Array<{ siteId: string; x: number; days: number }>) {
  await neo4j.autoCommit(RESET);
  const started = process.hrtime.bigint();
  await neo4j.run(SEED, { impacts });
  let rounds = 0;
  for (let previous = 0; previous < 1000; previous++) {
    const changed = (await neo4j.run(ROUND, { previous })).records[0].get('changed') as number;
    rounds++;
    if (changed === 0) break;
  }
  const skus = (await neo4j.run(READ_SKUS)).records.map((r) => ({ id: r.get('id') as string, x: r.get('x') as number, d: r.get('d') as number }));
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, rounds, skus };
}
