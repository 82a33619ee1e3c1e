/**
 * One side of bench/import, run by bench/import/run.mjs against an empty database:
 *   --mode loop      the baseline write loop: the file's rows as they are, batched `UNWIND $rows … MATCH … CREATE`,
 *                    one transaction per batch, no validation (every entity and property the platform writes)
 *   --mode loadcsv   the baseline LOAD CSV: the same rows as CSV files, `CREATE` for every row, `CALL { … } IN
 *                    TRANSACTIONS OF --batch ROWS`; each plan is checked first (index seeks, no Eager) and printed
 *   --mode platform  the platform's import path in this process (ImportService: every DESIGN §2 rule, one
 *                    transaction), with its phases timed; for profiling (`node --cpu-prof`), the bench itself runs
 *                    the CLI and the API
 * Every mode's clock starts before the file is read. Prints one JSON line: { mode, seconds, edges, phases }.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import neo4j, { Session } from 'neo4j-driver';
import pino from 'pino';
import { chunks } from '@tiersight/contracts';
import { BaseEnv, loadConfig } from '@tiersight/config';
import { ImportService, MigrationRunner, Neo4jService } from '@tiersight/graph';
import { CliModule } from '../../tools/cli/cli.module';

type Row = Record<string, unknown>;
type Network = Record<'suppliers' | 'sites' | 'parts' | 'skus' | 'supplies', Row[]>;

// The write loop: what someone writing these rows by hand would send, with the platform's defaults and property forms
// (point, datetime) so that both end with the same graph. A CASE or nullif inside a CREATE's map makes Neo4j 5 plan an
// Eager; values that need one are SET on the new node instead (both baselines).
const TTR_BY_KIND = (r: string) => `CASE ${r}.kind WHEN 'plant' THEN 60 WHEN 'warehouse' THEN 14 WHEN 'port' THEN 21 ELSE 7 END`;
const LOOP: Array<[string, keyof Network, string, ((r: Row) => boolean)?]> = [
  [
    'suppliers',
    'suppliers',
    `UNWIND $rows AS r CREATE (:Supplier {id: r.id, name: r.name, country: r.country, ownerSupplierId: r.ownerSupplierId,
      visibility: coalesce(r.visibility, 'shared')})`,
  ],
  [
    'sites',
    'sites',
    `UNWIND $rows AS r MATCH (o:Supplier {id: r.supplierId})
    CREATE (o)-[:OPERATES]->(s:Site {id: r.id, supplierId: r.supplierId, name: r.name, kind: r.kind,
      location: point({latitude: r.lat, longitude: r.lon}), country: r.country,
      baselineRisk: coalesce(r.baselineRisk, 0), source: coalesce(r.source, 'buyer'), gln: r.gln,
      confirmedAt: datetime(coalesce(r.confirmedAt, $now))})
    SET s.ttrDays = coalesce(r.ttrDays, ${TTR_BY_KIND('r')})`,
  ],
  ['parts', 'parts', `UNWIND $rows AS r CREATE (:Part {id: r.id, name: r.name, category: r.category, gtin: r.gtin})`],
  ['skus', 'skus', `UNWIND $rows AS r CREATE (:Sku {id: r.id, name: r.name, dailyRevenue: r.dailyRevenue, category: r.category, gtin: r.gtin})`],
  ...(['Site', 'Sku'] as const).map((label): [string, keyof Network, string, (r: Row) => boolean] => [
    `supplies to ${label === 'Site' ? 'sites' : 'SKUs'}`,
    'supplies',
    `UNWIND $rows AS r MATCH (a:Site {id: r.fromSiteId}) MATCH (b:${label} {id: r.${label === 'Site' ? 'toSiteId' : 'toSkuId'}})
    CREATE (a)-[:SUPPLIES {partId: r.partId, share: r.share, bufferDays: r.bufferDays, leadTimeDays: r.leadTimeDays,
      source: coalesce(r.source, 'buyer'), confirmedAt: datetime(coalesce(r.confirmedAt, $now))}]->(b)`,
    (r) => (label === 'Site' ? r.toSiteId !== undefined : r.toSkuId !== undefined),
  ]),
];

// The tuned LOAD CSV: CREATE (the database is empty), index seeks by id, empty cells as absent values.
const csv = (file: string, body: string) => `LOAD CSV WITH HEADERS FROM 'file:///${file}.csv' AS row
CALL (row) { ${body} } IN TRANSACTIONS OF $batch ROWS`;
const cell = (name: string) => `nullif(row.${name}, '')`;
const suppliesCsv = (label: 'Site' | 'Sku', column: string) =>
  csv(
    'supplies',
    `WITH row WHERE ${cell(column)} IS NOT NULL
    MATCH (a:Site {id: row.fromSiteId}) MATCH (b:${label} {id: row.${column}})
    CREATE (a)-[r:SUPPLIES {partId: row.partId, share: toFloat(row.share), bufferDays: toFloat(row.bufferDays),
      leadTimeDays: toFloat(row.leadTimeDays)}]->(b)
    SET r += {source: coalesce(${cell('source')}, 'buyer'), confirmedAt: datetime(coalesce(${cell('confirmedAt')}, $now))}`,
  );
const LOAD_CSV: Array<[string, string]> = [
  [
    'suppliers',
    csv(
      'suppliers',
      `CREATE (s:Supplier {id: row.id, name: row.name, country: row.country})
      SET s += {ownerSupplierId: ${cell('ownerSupplierId')}, visibility: coalesce(${cell('visibility')}, 'shared')}`,
    ),
  ],
  [
    'sites',
    csv(
      'sites',
      `MATCH (o:Supplier {id: row.supplierId})
      CREATE (o)-[:OPERATES]->(s:Site {id: row.id, supplierId: row.supplierId, name: row.name, kind: row.kind,
        location: point({latitude: toFloat(row.lat), longitude: toFloat(row.lon)}), country: row.country})
      SET s += {ttrDays: coalesce(toFloat(${cell('ttrDays')}), ${TTR_BY_KIND('row')}),
        baselineRisk: coalesce(toFloat(${cell('baselineRisk')}), 0.0), source: coalesce(${cell('source')}, 'buyer'),
        gln: ${cell('gln')}, confirmedAt: datetime(coalesce(${cell('confirmedAt')}, $now))}`,
    ),
  ],
  ['parts', csv('parts', `CREATE (p:Part {id: row.id, name: row.name}) SET p += {category: ${cell('category')}, gtin: ${cell('gtin')}}`)],
  [
    'skus',
    csv(
      'skus',
      `CREATE (k:Sku {id: row.id, name: row.name, dailyRevenue: toFloat(row.dailyRevenue)}) SET k += {category: ${cell('category')}, gtin: ${cell('gtin')}}`,
    ),
  ],
  ['supplies to sites', suppliesCsv('Site', 'toSiteId')],
  ['supplies to SKUs', suppliesCsv('Sku', 'toSkuId')],
];

interface PlanNode {
  operatorType: string;
  children: PlanNode[];
}
const operators = (plan: PlanNode): string[] => [plan.operatorType.replace(/@.*$/, ''), ...plan.children.flatMap(operators)];

const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;

async function writeLoop(session: Session, file: string, batch: number, phases: Record<string, number>, started: bigint) {
  const network = JSON.parse(readFileSync(file, 'utf8')) as Network;
  phases.parse = seconds(started);
  const now = new Date().toISOString();
  await checkPlans(
    session,
    LOOP.map(([what, , query]) => [what, query]),
    { rows: [], now },
  );
  for (const [what, entity, query, keep] of LOOP) {
    const t = process.hrtime.bigint();
    const rows = keep ? network[entity].filter(keep) : network[entity];
    for (const part of chunks(rows, batch)) await session.executeWrite((tx) => tx.run(query, { rows: part, now }));
    phases[what] = seconds(t);
  }
}

/** Every MATCH an index seek, nothing Eager (an Eager holds every row of the statement, or of the file, in memory): else a strawman. */
async function checkPlans(session: Session, queries: Array<[string, string]>, params: Record<string, unknown>) {
  for (const [what, query] of queries) {
    const plan = (await session.run(`EXPLAIN ${query}`, params)).summary.plan as unknown as PlanNode;
    const ops = operators(plan);
    process.stderr.write(`  plan of ${what}: ${ops.join(' < ')}\n`);
    const scans = ops.filter((o) => /NodeByLabelScan|AllNodesScan|NodeIndexScan/.test(o));
    if (ops.some((o) => /Eager/.test(o)) || scans.length > 0 || (/MATCH/.test(query) && !ops.some((o) => /IndexSeek/.test(o)))) {
      throw new Error(`the plan of ${what} is not the tuned one: ${ops.join(', ')}`);
    }
  }
}

async function loadCsv(session: Session, batch: number, phases: Record<string, number>) {
  const now = new Date().toISOString();
  await checkPlans(session, LOAD_CSV, { batch: neo4j.int(batch), now });
  for (const [what, query] of LOAD_CSV) {
    const t = process.hrtime.bigint();
    await session.run(query, { batch: neo4j.int(batch), now });
    phases[what] = seconds(t);
  }
}

async function main() {
  const { values } = parseArgs({ options: { mode: { type: 'string' }, json: { type: 'string' }, batch: { type: 'string', default: '10000' } } });
  const config = loadConfig(BaseEnv);
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config, pino({ level: 'warn' })), { logger: false });
  try {
    const graph = app.get(Neo4jService);
    await graph.verify();
    await app.get(MigrationRunner).migrate();
    const batch = Number(values.batch);
    const phases: Record<string, number> = {};
    const session = graph.driver.session({ database: config.NEO4J_DATABASE });
    const started = process.hrtime.bigint();
    try {
      if (values.mode === 'loop') await writeLoop(session, values.json!, batch, phases, started);
      else if (values.mode === 'loadcsv') await loadCsv(session, batch, phases);
      else if (values.mode === 'platform') {
        const payload = JSON.parse(readFileSync(values.json!, 'utf8')) as Network;
        phases.parse = seconds(started);
        let mark = process.hrtime.bigint();
        const lap = (name: string) => {
          phases[name] = seconds(mark);
          mark = process.hrtime.bigint();
        };
        // The import writes the entities in this order: a lap whenever the rows written pass one's last row.
        const toSites = payload.supplies.filter((r) => r.toSiteId !== undefined).length;
        const steps: Array<[string, number]> = [
          ['write suppliers', payload.suppliers.length],
          ['write sites', payload.sites.length],
          ['write parts', payload.parts.length],
          ['write skus', payload.skus.length],
          ['write supplies to sites', toSites],
          ['write supplies to SKUs', payload.supplies.length - toSites],
        ];
        let next = 0;
        let boundary = steps[0][1];
        await app.get(ImportService).import(payload, (p) => {
          if (p.phase === 'validate') lap('shapes');
          else if (p.phase === 'checked') lap('references and share sums (graph read)');
          else {
            while (next < steps.length && p.rowsWritten >= boundary) {
              lap(steps[next][0]);
              next += 1;
              boundary += steps[next]?.[1] ?? 0;
            }
          }
        });
        lap('commit');
      } else throw new Error(`unknown mode ${values.mode}`);
    } finally {
      await session.close();
    }
    const total = seconds(started);
    const edges = (await graph.run('MATCH ()-[r:SUPPLIES]->() RETURN count(r) AS c')).records[0].get('c') as number;
    process.stdout.write(`${JSON.stringify({ mode: values.mode, batch, seconds: total, edges, edgesPerSecond: edges / total, phases })}\n`);
  } finally {
    await app.close();
  }
}

main().catch((error) => {
  process.stderr.write(`import bench: ${(error as Error).stack}\n`);
  process.exit(1);
});
