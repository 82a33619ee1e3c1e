/**
 * One side of bench/import, run by bench/import/run.mjs against an empty database:
 *   --mode platform  the platform's import path (validation of every DESIGN §2 rule, then one transaction)
 *   --mode baseline  Neo4j's own LOAD CSV … CALL { … } IN TRANSACTIONS over the same data as CSV files
 * Prints one JSON line: { mode, seconds, edges, edgesPerSecond }.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { BaseEnv, loadConfig } from '@tiersight/config';
import { ImportService, MigrationRunner, Neo4jService } from '@tiersight/graph';
import { CliModule } from '../../tools/cli/cli.module';

/** The SUPPLIES rows into sites or into SKUs: the same upsert, the receiver matched by its label and column. */
const suppliesTo = (label: 'Site' | 'Sku', column: 'toSiteId' | 'toSkuId') => `LOAD CSV WITH HEADERS FROM 'file:///supplies.csv' AS row
    WITH row WHERE row.${column} <> ''
    CALL (row) { MATCH (a:Site {id: row.fromSiteId}) MATCH (b:${label} {id: row.${column}})
      MERGE (a)-[r:SUPPLIES {partId: row.partId}]->(b)
      SET r.share = toFloat(row.share), r.bufferDays = toFloat(row.bufferDays), r.leadTimeDays = toFloat(row.leadTimeDays),
          r.source = coalesce(nullif(row.source, ''), 'buyer'), r.confirmedAt = datetime(coalesce(nullif(row.confirmedAt, ''), toString(datetime()))) } IN TRANSACTIONS OF 10000 ROWS`;

// The baseline's queries: the same upserts (MERGE by id, points, OPERATES, SUPPLIES keyed by part) as the platform writes.
const LOAD_CSV: Array<[string, string]> = [
  [
    'suppliers',
    `LOAD CSV WITH HEADERS FROM 'file:///suppliers.csv' AS row
    CALL (row) { MERGE (s:Supplier {id: row.id}) SET s.name = row.name, s.country = row.country,
      s.ownerSupplierId = nullif(row.ownerSupplierId, ''), s.visibility = coalesce(nullif(row.visibility, ''), 'shared') } IN TRANSACTIONS OF 10000 ROWS`,
  ],
  [
    'sites',
    `LOAD CSV WITH HEADERS FROM 'file:///sites.csv' AS row
    CALL (row) { MERGE (s:Site {id: row.id})
      SET s.supplierId = row.supplierId, s.name = row.name, s.kind = row.kind,
          s.location = point({latitude: toFloat(row.lat), longitude: toFloat(row.lon)}), s.country = row.country,
          s.ttrDays = toFloat(row.ttrDays), s.baselineRisk = coalesce(toFloat(nullif(row.baselineRisk, '')), 0.0),
          s.source = coalesce(nullif(row.source, ''), 'buyer'), s.confirmedAt = datetime(coalesce(nullif(row.confirmedAt, ''), toString(datetime())))
      WITH s, row MATCH (o:Supplier {id: row.supplierId}) MERGE (o)-[:OPERATES]->(s) } IN TRANSACTIONS OF 10000 ROWS`,
  ],
  [
    'parts',
    `LOAD CSV WITH HEADERS FROM 'file:///parts.csv' AS row
    CALL (row) { MERGE (p:Part {id: row.id}) SET p.name = row.name, p.category = nullif(row.category, '') } IN TRANSACTIONS OF 10000 ROWS`,
  ],
  [
    'skus',
    `LOAD CSV WITH HEADERS FROM 'file:///skus.csv' AS row
    CALL (row) { MERGE (k:Sku {id: row.id}) SET k.name = row.name, k.dailyRevenue = toFloat(row.dailyRevenue), k.category = nullif(row.category, '') } IN TRANSACTIONS OF 10000 ROWS`,
  ],
  ['supplies to sites', suppliesTo('Site', 'toSiteId')],
  ['supplies to SKUs', suppliesTo('Sku', 'toSkuId')],
];

async function main() {
  const { values } = parseArgs({ options: { mode: { type: 'string' }, json: { type: 'string' } } });
  const config = loadConfig(BaseEnv);
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config, pino({ level: 'warn' })), { logger: false });
  try {
    const neo4j = app.get(Neo4jService);
    await neo4j.verify();
    await app.get(MigrationRunner).migrate();
    const started = process.hrtime.bigint();
    let edges: number;
    if (values.mode === 'baseline') {
      for (const [what, query] of LOAD_CSV) {
        const t = Date.now();
        await neo4j.autoCommit(query);
        process.stderr.write(`  baseline ${what}: ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
      }
      edges = (await neo4j.run('MATCH ()-[r:SUPPLIES]->() RETURN count(r) AS c')).records[0].get('c') as number;
    } else {
      const payload = JSON.parse(readFileSync(values.json!, 'utf8'));
      let last = 0;
      const counts = await app.get(ImportService).import(payload, (p) => {
        if (p.phase === 'write' && p.rowsWritten - last >= 200_000) {
          last = p.rowsWritten;
          process.stderr.write(`  platform: ${p.rowsWritten.toLocaleString()} / ${p.rowsTotal.toLocaleString()} rows written\n`);
        }
      });
      edges = counts.supplies;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    process.stdout.write(`${JSON.stringify({ mode: values.mode, seconds, edges, edgesPerSecond: edges / seconds })}\n`);
  } finally {
    await app.close();
  }
}

main().catch((error) => {
  process.stderr.write(`import bench: ${(error as Error).stack}\n`);
  process.exit(1);
});
