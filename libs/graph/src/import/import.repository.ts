import { Injectable } from '@nestjs/common';
import type { ManagedTransaction } from 'neo4j-driver';
import { chunks } from '@tiersight/contracts';
import { Neo4jService } from '../neo4j.service';
import { operatedOnlyBy, SupplyNetworkWriter } from '../supply-network.writer';
import { GraphFacts, NormalizedImport, ReferenceQuery, referenceQuery } from './validate-import';

/** Rows per UNWIND statement: large enough to amortise round trips, small enough for steady memory. */
export const IMPORT_BATCH_ROWS = 10_000;

export interface ImportCounts {
  suppliers: number;
  sites: number;
  parts: number;
  skus: number;
  supplies: number;
  nodesCreated: number;
  relationshipsCreated: number;
  relationshipsDeleted: number;
  graphVersion: number;
}

const UPSERT_SUPPLIERS = `
UNWIND $rows AS row
MERGE (s:Supplier {id: row.id})
SET s.name = row.name, s.country = row.country, s.ownerSupplierId = row.ownerSupplierId, s.visibility = row.visibility`;

const UPSERT_SITES = `
UNWIND $rows AS row
MERGE (s:Site {id: row.id})
ON CREATE SET s.confirmedAt = datetime(coalesce(row.confirmedAt, $now))
WITH s, row, s.location <> point({latitude: row.lat, longitude: row.lon}) AS moved
SET s.supplierId = row.supplierId, s.name = row.name, s.kind = row.kind,
    s.location = point({latitude: row.lat, longitude: row.lon}), s.country = row.country,
    s.ttrDays = row.ttrDays, s.baselineRisk = row.baselineRisk, s.source = row.source, s.gln = row.gln,
    s.confirmedAt = CASE WHEN row.confirmedAt IS NULL THEN s.confirmedAt ELSE datetime(row.confirmedAt) END
// Coordinates given anew replace a pin placed from an address: how that pin was found no longer applies.
FOREACH (_ IN CASE WHEN moved THEN [1] ELSE [] END | REMOVE s.locationPrecision, s.locationRadiusKm, s.locationToConfirm)
WITH s, row
MATCH (owner:Supplier {id: row.supplierId})
${operatedOnlyBy('owner')}`;

const UPSERT_PARTS = `
UNWIND $rows AS row
MERGE (p:Part {id: row.id})
SET p.name = row.name, p.category = row.category, p.gtin = row.gtin`;

const UPSERT_SKUS = `
UNWIND $rows AS row
MERGE (k:Sku {id: row.id})
SET k.name = row.name, k.dailyRevenue = row.dailyRevenue, k.category = row.category, k.gtin = row.gtin`;

/**
 * A statement fed with rows as lists of values in `columns` order: a list of values packs and unpacks
 * in about half the time of a map (no key strings per row), which is most of what a bulk write ships.
 */
interface TupleStatement {
  cypher: string;
  columns: readonly string[];
}

/** Writes `cypher` with `col.name` standing for the row's value of that column (`row[i]`). */
function tupleStatement<K extends string>(columns: readonly K[], cypher: (col: Record<K, string>) => string): TupleStatement {
  const col = Object.fromEntries(columns.map((name, i) => [name, `row[${i}]`])) as Record<K, string>;
  return { cypher: cypher(col), columns };
}

const asTuples = (rows: readonly object[], columns: readonly string[]): unknown[][] =>
  rows.map((row) => columns.map((name) => (row as Record<string, unknown>)[name] ?? null));

// Rows the validation read found absent: CREATE, no MERGE lookup (the import holds the graph lock).
const CREATE_SUPPLIERS = tupleStatement(
  ['id', 'name', 'country', 'ownerSupplierId', 'visibility'],
  (r) => `
UNWIND $rows AS row
CREATE (:Supplier {id: ${r.id}, name: ${r.name}, country: ${r.country}, ownerSupplierId: ${r.ownerSupplierId}, visibility: ${r.visibility}})`,
);

const CREATE_SITES = tupleStatement(
  ['id', 'supplierId', 'name', 'kind', 'lat', 'lon', 'country', 'ttrDays', 'baselineRisk', 'source', 'gln', 'confirmedAt'],
  (r) => `
UNWIND $rows AS row
MATCH (owner:Supplier {id: ${r.supplierId}})
CREATE (owner)-[:OPERATES]->(:Site {id: ${r.id}, supplierId: ${r.supplierId}, name: ${r.name}, kind: ${r.kind},
  location: point({latitude: ${r.lat}, longitude: ${r.lon}}), country: ${r.country}, ttrDays: ${r.ttrDays},
  baselineRisk: ${r.baselineRisk}, source: ${r.source}, gln: ${r.gln}, confirmedAt: datetime(coalesce(${r.confirmedAt}, $now))})`,
);

const CREATE_PARTS = tupleStatement(
  ['id', 'name', 'category', 'gtin'],
  (r) => `UNWIND $rows AS row CREATE (:Part {id: ${r.id}, name: ${r.name}, category: ${r.category}, gtin: ${r.gtin}})`,
);

const CREATE_SKUS = tupleStatement(
  ['id', 'name', 'dailyRevenue', 'category', 'gtin'],
  (r) => `UNWIND $rows AS row CREATE (:Sku {id: ${r.id}, name: ${r.name}, dailyRevenue: ${r.dailyRevenue}, category: ${r.category}, gtin: ${r.gtin}})`,
);

const createSupplies = (to: 'Site' | 'Sku', toColumn: 'toSiteId' | 'toSkuId') =>
  tupleStatement(
    ['fromSiteId', toColumn, 'partId', 'share', 'bufferDays', 'leadTimeDays', 'source', 'confirmedAt'],
    (r) => `
UNWIND $rows AS row
MATCH (a:Site {id: ${r.fromSiteId}})
MATCH (b:${to} {id: ${r[toColumn]}})
CREATE (a)-[:SUPPLIES {partId: ${r.partId}, share: ${r.share}, bufferDays: ${r.bufferDays}, leadTimeDays: ${r.leadTimeDays},
  source: ${r.source}, confirmedAt: datetime(coalesce(${r.confirmedAt}, $now))}]->(b)`,
  );

const CREATE_SUPPLIES_TO_SITES = createSupplies('Site', 'toSiteId');
const CREATE_SUPPLIES_TO_SKUS = createSupplies('Sku', 'toSkuId');

const SUPPLY_PROPS = `
ON CREATE SET r.confirmedAt = datetime(coalesce(row.confirmedAt, $now))
SET r.share = row.share, r.bufferDays = row.bufferDays, r.leadTimeDays = row.leadTimeDays, r.source = row.source,
    r.confirmedAt = CASE WHEN row.confirmedAt IS NULL THEN r.confirmedAt ELSE datetime(row.confirmedAt) END`;

const UPSERT_SUPPLIES_TO_SITES = `
UNWIND $rows AS row
MATCH (a:Site {id: row.fromSiteId})
MATCH (b:Site {id: row.toSiteId})
MERGE (a)-[r:SUPPLIES {partId: row.partId}]->(b)${SUPPLY_PROPS}`;

const UPSERT_SUPPLIES_TO_SKUS = `
UNWIND $rows AS row
MATCH (a:Site {id: row.fromSiteId})
MATCH (b:Sku {id: row.toSkuId})
MERGE (a)-[r:SUPPLIES {partId: row.partId}]->(b)${SUPPLY_PROPS}`;

// How many of each the graph holds: from the count store, without touching a node.
const STORED = `
CALL () { MATCH (n:Supplier) RETURN count(n) AS suppliers }
CALL () { MATCH (n:Site) RETURN count(n) AS sites }
CALL () { MATCH (n:Sku) RETURN count(n) AS skus }
CALL () { MATCH (n:Part) RETURN count(n) AS parts }
CALL () { MATCH ()-[r:SUPPLIES]->() RETURN count(r) AS supplies }
RETURN suppliers, sites, skus, parts, supplies`;

// Which of the given ids exist: one index seek per id.
const SEEK_IDS = (label: string) => `UNWIND $ids AS id MATCH (n:${label} {id: id}) RETURN collect(n.id) AS found`;

const KEY_OWNERS = `
CALL () { UNWIND $q.glns AS key MATCH (n:Site {gln: key}) RETURN collect([key, n.id]) AS glns }
CALL () { UNWIND $q.skuGtins AS key MATCH (n:Sku {gtin: key}) RETURN collect([key, n.id]) AS skuGtins }
CALL () { UNWIND $q.partGtins AS key MATCH (n:Part {gtin: key}) RETURN collect([key, n.id]) AS partGtins }
RETURN glns, skuGtins, partGtins`;

const INCOMING = `
UNWIND $receiverIds AS id
CALL (id) { MATCH (b:Site {id: id}) RETURN b UNION MATCH (b:Sku {id: id}) RETURN b }
MATCH (a:Site)-[r:SUPPLIES]->(b)
RETURN a.id AS fromSiteId, b.id AS toId, r.partId AS partId, r.share AS share`;

/**
 * Work of the caller inside the import's transaction, under the graph lock:
 * `beforeWrite` may refuse the batch (throw) before the shared checks run;
 * `afterWrite` adds its own records (an audit entry) that commit with the rows.
 */
export interface ImportHooks {
  beforeWrite?: (tx: ManagedTransaction, rows: NormalizedImport) => Promise<void>;
  afterWrite?: (tx: ManagedTransaction, counts: ImportCounts) => Promise<void>;
}

@Injectable()
export class ImportRepository {
  constructor(
    private readonly neo4j: Neo4jService,
    private readonly writer: SupplyNetworkWriter,
  ) {}

  /** Reads what the batch refers to, in one read transaction (dry runs). */
  async facts(query: ReferenceQuery): Promise<GraphFacts> {
    return this.neo4j.read((tx) => readFacts(tx, query));
  }

  /**
   * Validates against the graph and writes in ONE transaction holding the graph
   * lock (SupplyNetworkWriter.change): a failure half-way leaves the graph as it
   * was, and no other writer can change the facts between the check and the
   * write. Rows the check found absent are CREATEd; existing ones are MERGEd and
   * updated. The facts read after the lock stay true until the transaction ends.
   */
  async writeChecked(
    rows: NormalizedImport,
    check: (facts: GraphFacts) => void,
    onProgress?: (rowsWritten: number) => void,
    hooks: ImportHooks = {},
  ): Promise<ImportCounts> {
    const now = new Date().toISOString();
    let written = 0;
    const counts = { nodesCreated: 0, relationshipsCreated: 0, relationshipsDeleted: 0 };
    // Two statements in flight: the driver packs the next batch while Neo4j runs the one before
    // (packing is most of this process's time in a write; Neo4j works on the other core meanwhile).
    const step = async (tx: ManagedTransaction, statement: string | TupleStatement, list: object[]) => {
      // Upserts read their rows as maps; the CREATE statements as lists of values.
      const cypher = typeof statement === 'string' ? statement : statement.cypher;
      const rowsOf = (batch: object[]) => (typeof statement === 'string' ? batch : asTuples(batch, statement.columns));
      let previous: Promise<void> | null = null;
      for (const batch of chunks(list, IMPORT_BATCH_ROWS)) {
        const done = tx
          .run(cypher, { rows: rowsOf(batch), now })
          .summary()
          .then((summary) => {
            const updates = summary.counters.updates();
            counts.nodesCreated += updates.nodesCreated;
            counts.relationshipsCreated += updates.relationshipsCreated;
            counts.relationshipsDeleted += updates.relationshipsDeleted;
            written += batch.length;
            onProgress?.(written);
          });
        done.catch(() => undefined); // awaited below; a failure rolls the whole transaction back
        if (previous) await previous;
        previous = done;
      }
      if (previous) await previous;
    };
    const both = async (tx: ManagedTransaction, create: TupleStatement, upsert: string, list: { id: string }[], known: ReadonlySet<string>) => {
      await step(
        tx,
        create,
        list.filter((r) => !known.has(r.id)),
      );
      await step(
        tx,
        upsert,
        list.filter((r) => known.has(r.id)),
      );
    };
    const work = async (tx: ManagedTransaction) => {
      written = 0;
      Object.assign(counts, { nodesCreated: 0, relationshipsCreated: 0, relationshipsDeleted: 0 });
      await hooks.beforeWrite?.(tx, rows);
      const facts = await readFacts(tx, referenceQuery(rows));
      check(facts);
      await both(tx, CREATE_SUPPLIERS, UPSERT_SUPPLIERS, rows.suppliers, facts.suppliers);
      await both(tx, CREATE_SITES, UPSERT_SITES, rows.sites, facts.sites);
      await both(tx, CREATE_PARTS, UPSERT_PARTS, rows.parts, facts.parts);
      await both(tx, CREATE_SKUS, UPSERT_SKUS, rows.skus, facts.skus);
      const stored = new Set(facts.incoming.map((e) => `${e.fromSiteId}\u0000${e.toId}\u0000${e.partId}`));
      const isStored = (e: NormalizedImport['supplies'][number]) => stored.has(`${e.fromSiteId}\u0000${e.toSiteId ?? e.toSkuId}\u0000${e.partId}`);
      const toSites = rows.supplies.filter((e) => e.toSiteId !== null);
      const toSkus = rows.supplies.filter((e) => e.toSkuId !== null);
      await step(
        tx,
        CREATE_SUPPLIES_TO_SITES,
        toSites.filter((e) => !isStored(e)),
      );
      await step(tx, UPSERT_SUPPLIES_TO_SITES, toSites.filter(isStored));
      await step(
        tx,
        CREATE_SUPPLIES_TO_SKUS,
        toSkus.filter((e) => !isStored(e)),
      );
      await step(tx, UPSERT_SUPPLIES_TO_SKUS, toSkus.filter(isStored));
      return { result: null, changed: true };
    };
    let graphVersion = 0; // set by the attempt that commits: an import always makes a new version
    await this.writer.change(work, async (tx, _result, version) => {
      graphVersion = version;
      await hooks.afterWrite?.(tx, { ...rowCounts(rows), ...counts, graphVersion: version });
    });
    return {
      suppliers: rows.suppliers.length,
      sites: rows.sites.length,
      parts: rows.parts.length,
      skus: rows.skus.length,
      supplies: rows.supplies.length,
      ...counts,
      graphVersion,
    };
  }
}

const rowCounts = (rows: NormalizedImport) => ({
  suppliers: rows.suppliers.length,
  sites: rows.sites.length,
  parts: rows.parts.length,
  skus: rows.skus.length,
  supplies: rows.supplies.length,
});

/**
 * What the graph holds of the batch's ids, keys and receivers. Labels the graph does not hold are not
 * asked about, and the stored inputs are read only for receivers that exist: a new node has no edges yet.
 */
async function readFacts(tx: ManagedTransaction, query: ReferenceQuery): Promise<GraphFacts> {
  const stored = (await tx.run(STORED)).records[0];
  const existing = async (label: string, key: string, ids: string[]): Promise<Set<string>> => {
    if ((stored.get(key) as number) === 0 || ids.length === 0) return new Set();
    return new Set((await tx.run(SEEK_IDS(label), { ids })).records[0].get('found') as string[]);
  };
  const suppliers = await existing('Supplier', 'suppliers', query.supplierIds);
  const sites = await existing('Site', 'sites', query.siteIds);
  const skus = await existing('Sku', 'skus', query.skuIds);
  const parts = await existing('Part', 'parts', query.partIds);
  const keys = query.glns.length + query.skuGtins.length + query.partGtins.length > 0 ? (await tx.run(KEY_OWNERS, { q: query })).records[0] : null;
  const receivers = (stored.get('supplies') as number) === 0 ? [] : query.receiverIds.filter((id) => sites.has(id) || skus.has(id));
  const incoming = await runInBatches(tx, INCOMING, receivers, 'receiverIds');
  const owners = (name: string) => new Map((keys?.get(name) ?? []) as [string, string][]);
  return {
    suppliers,
    sites,
    skus,
    parts,
    keyOwners: { glns: owners('glns'), skuGtins: owners('skuGtins'), partGtins: owners('partGtins') },
    incoming: incoming.map((r) => ({
      fromSiteId: r.get('fromSiteId') as string,
      toId: r.get('toId') as string,
      partId: r.get('partId') as string,
      share: r.get('share') as number,
    })),
  };
}

async function runInBatches(tx: ManagedTransaction, query: string, ids: string[], param: string) {
  const out = [];
  for (const batch of chunks(ids, IMPORT_BATCH_ROWS)) out.push(...(await tx.run(query, { [param]: batch })).records);
  return out;
}
