/**
 * npm run import -- <file.json | csv-directory> [--dry-run]
 *
 * Loads a supply network through the same validated, all-or-nothing import path
 * as POST /v1/graph/import, with a progress bar, then tells the workers. The
 * import is audited as actor `cli`, in the transaction that writes it.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { SingleBar } from 'cli-progress';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { CLI_KEY_ID } from '@tiersight/access';
import { AuditLog } from '@tiersight/audit';
import { BaseEnv, loadConfig } from '@tiersight/config';
import { csvLine, GraphError, ImportService, Neo4jService, MigrationRunner } from '@tiersight/graph';
import { QueueProducer, verifyRedis } from '@tiersight/queues';
import { CliModule } from './cli.module';
import { loadImportFiles } from './load-import-files';
import { runCli } from './run-cli';

const CLI_ACTOR = { keyId: CLI_KEY_ID, role: 'admin', supplierId: null };

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'dry-run': { type: 'boolean' } } });
  if (positionals.length !== 1) {
    process.stderr.write('usage: npm run import -- <file.json | directory of CSV files> [--dry-run]\n');
    return 2;
  }
  const config = loadConfig(BaseEnv);
  const reading = Date.now();
  const loaded = loadImportFiles(positionals[0]);
  const readSeconds = (Date.now() - reading) / 1000;
  const total = Object.values(loaded.payload).reduce((n, rows) => n + (Array.isArray(rows) ? rows.length : 0), 0);
  process.stderr.write(`read ${total.toLocaleString()} rows from ${loaded.files.join(', ')}\n`);

  await verifyRedis(config);
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config, pino({ level: 'warn' })), { logger: false, abortOnError: false });
  try {
    await app.get(Neo4jService).verify();
    await app.get(MigrationRunner).migrate();
    const imports = app.get(ImportService);
    if (values['dry-run']) {
      await imports.validate(loaded.payload);
      process.stderr.write('valid: nothing written (dry run)\n');
      return 0;
    }
    const bar = new SingleBar({ format: '{phase} [{bar}] {percentage}% | {value}/{total} rows | {eta_formatted} left', stream: process.stderr });
    bar.start(total, 0, { phase: 'validating' });
    const started = Date.now();
    const audit = app.get(AuditLog);
    const counts = await imports.import(
      loaded.payload,
      (p) => bar.update(p.rowsWritten, { phase: p.phase === 'write' ? 'writing   ' : 'validating' }),
      // Counts, not rows (an import may hold millions), as for an import through the API.
      {
        afterWrite: (tx, c) =>
          audit.append(tx, CLI_ACTOR, { action: 'graph.import', target: null, change: { counts: c, format: loaded.format } }).then(() => undefined),
      },
    );
    bar.stop();
    // Reading the file and importing it; the start of the process, Redis and Neo4j checks and migrations left out.
    const seconds = readSeconds + (Date.now() - started) / 1000;
    // No job id from the version: Redis outlives a database reset, and version 1 of a new database
    // would be taken for the old one's (BullMQ keeps finished jobs) and never handled.
    await app.get(QueueProducer).enqueue('graph.changed', { v: 1, graphVersion: counts.graphVersion, cause: 'import' });
    process.stdout.write(`${JSON.stringify({ ...counts, seconds })}\n`);
    process.stderr.write(
      `imported ${counts.supplies.toLocaleString()} edges in ${seconds.toFixed(1)} s (${Math.round(counts.supplies / seconds).toLocaleString()} edges/s)\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof GraphError && error.details?.errors) {
      process.stderr.write(`\n${error.message}\n`);
      for (const e of error.details.errors.slice(0, 50)) {
        const where = loaded.format === 'csv' ? `${e.entity}.csv line ${csvLine(e.index)}` : `${e.entity}[${e.index}]`;
        process.stderr.write(`  ${where} ${e.field}: ${e.message}\n`);
      }
      return 1;
    }
    throw error;
  } finally {
    await app.close();
  }
}

runCli('import', main);
