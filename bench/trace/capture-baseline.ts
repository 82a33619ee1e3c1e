/**
 * The capture baseline: the same events stored the way a competent engineer would write them
 * without the platform — one transaction per document, a few batched UNWIND statements (events,
 * lots by MERGE on a uniquely constrained id, the event → lot links, the lot → lot edges of
 * transformations) — and no validation, no event hash, no audit chain. Own labels, dropped after.
 */
import type { Neo4jService } from '@tiersight/graph';

type Json = Record<string, unknown>;

const SCHEMA = 'CREATE CONSTRAINT bench_baseline_lot IF NOT EXISTS FOR (n:BaselineLot) REQUIRE n.id IS UNIQUE';

const WRITE_EVENTS = `
UNWIND $events AS e
CREATE (ev:BaselineEvent {type: e.type, eventTime: e.eventTime, bizStep: e.bizStep, readPoint: e.readPoint, rawJson: e.rawJson})
WITH ev, e
UNWIND e.lots AS l
MERGE (lot:BaselineLot {id: l.id})
CREATE (ev)-[:NAMES {role: l.role, quantity: l.quantity}]->(lot)`;

const WRITE_WENT_INTO = `
UNWIND $pairs AS p
MATCH (a:BaselineLot {id: p.input})
MATCH (b:BaselineLot {id: p.output})
CREATE (a)-[:BASELINE_WENT_INTO]->(b)`;

const list = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

let ready = false;

export async function captureBaseline(neo4j: Neo4jService, doc: { epcisBody: { eventList: Json[] } }): Promise<void> {
  if (!ready) {
    await neo4j.autoCommit(SCHEMA);
    await neo4j.autoCommit('CALL db.awaitIndexes(300)');
    ready = true;
  }
  const pairs: { input: string; output: string }[] = [];
  const events = doc.epcisBody.eventList.map((e) => {
    const lots = [
      ...list(e.quantityList).map((q) => ({ id: q.epcClass, role: 'observed', quantity: q.quantity })),
      ...list(e.childQuantityList).map((q) => ({ id: q.epcClass, role: 'child', quantity: q.quantity })),
      ...list(e.inputQuantityList).map((q) => ({ id: q.epcClass, role: 'input', quantity: q.quantity })),
      ...list(e.outputQuantityList).map((q) => ({ id: q.epcClass, role: 'output', quantity: q.quantity })),
      ...(typeof e.parentID === 'string' ? [{ id: e.parentID, role: 'parent', quantity: null }] : []),
      ...list(e.epcList).map((id) => ({ id, role: 'observed', quantity: null })),
    ];
    for (const i of list(e.inputQuantityList))
      for (const o of list(e.outputQuantityList)) pairs.push({ input: i.epcClass as string, output: o.epcClass as string });
    return {
      type: e.type,
      eventTime: e.eventTime,
      bizStep: e.bizStep ?? null,
      readPoint: (e.readPoint as Json | undefined)?.id ?? null,
      rawJson: JSON.stringify(e),
      lots,
    };
  });
  await neo4j.write(async (tx) => {
    await tx.run(WRITE_EVENTS, { events });
    await tx.run(WRITE_WENT_INTO, { pairs });
  });
}

/** Removes what the baseline wrote, in batches. */
export async function dropBaseline(neo4j: Neo4jService): Promise<void> {
  for (const label of ['BaselineEvent', 'BaselineLot']) {
    await neo4j.autoCommit(`MATCH (n:${label}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS`);
  }
  await neo4j.autoCommit('DROP CONSTRAINT bench_baseline_lot IF EXISTS');
  ready = false;
}
