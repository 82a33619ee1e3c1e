/**
 * npm run keys:create -- --role admin|analyst|supplier [--supplier <id>] [--name <label>]
 * npm run keys:revoke -- <key id>
 * npm run keys:list
 *
 * Manages API keys straight against Neo4j, for the first admin key of a
 * deployment (or when no admin key is at hand). The token is printed once on
 * stdout; only its SHA-256 is stored. Every change is audited as actor `cli`.
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { AccessError, ApiKeyService, CLI_KEY_ID, KeysModule, ROLES, Role } from '@tiersight/access';
import { BaseEnv, ConfigModule, loadConfig } from '@tiersight/config';
import { GraphError, GraphModule, MigrationRunner, Neo4jService } from '@tiersight/graph';
import { Metrics, ObservabilityModule } from '@tiersight/observability';
import { runCli } from './run-cli';

const USAGE = `usage:
  npm run keys:create -- --role admin|analyst|supplier [--supplier <supplier id>] [--name <label>]
  npm run keys:revoke -- <key id>
  npm run keys:list [-- --all]
`;

const actor = { keyId: CLI_KEY_ID, role: 'admin', supplierId: null };

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { role: { type: 'string' }, supplier: { type: 'string' }, name: { type: 'string' }, all: { type: 'boolean' } },
  });
  if (!['create', 'revoke', 'list'].includes(command ?? '')) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (command === 'create' && !ROLES.includes(values.role as Role)) {
    process.stderr.write(`--role must be one of ${ROLES.join(', ')}\n${USAGE}`);
    return 2;
  }
  if (command === 'revoke' && positionals.length !== 1) {
    process.stderr.write(USAGE);
    return 2;
  }
  const config = loadConfig(BaseEnv);
  const logger = pino({ level: 'warn' });

  @Module({ imports: [ConfigModule.forRoot(config), ObservabilityModule.forRoot(logger, new Metrics('cli')), GraphModule, KeysModule] })
  class KeysCliModule {}

  const app = await NestFactory.createApplicationContext(KeysCliModule, { logger: false, abortOnError: false });
  try {
    await app.get(Neo4jService).verify();
    await app.get(MigrationRunner).migrate();
    const keys = app.get(ApiKeyService);
    if (command === 'create') {
      const created = await keys.create(actor, { role: values.role as Role, supplierId: values.supplier, name: values.name });
      process.stderr.write(
        `created ${created.role} key ${created.id}${created.supplierId ? ` for supplier ${created.supplierId}` : ''}; the key is shown this once:\n`,
      );
      process.stdout.write(`${created.key}\n`);
    } else if (command === 'revoke') {
      const revoked = await keys.revoke(actor, positionals[0]);
      process.stderr.write(`revoked ${revoked.id} at ${revoked.revokedAt}\n`);
    } else {
      let cursor: string | undefined;
      do {
        const page = await keys.list(500, cursor, { revoked: values.all ?? false });
        for (const k of page.items) process.stdout.write(`${JSON.stringify(k)}\n`);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }
    return 0;
  } catch (error) {
    const status = (error as { getStatus?: () => number }).getStatus?.();
    if (error instanceof AccessError || error instanceof GraphError || (status !== undefined && status < 500)) {
      process.stderr.write(`keys: ${(error as Error).message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await app.close();
  }
}

runCli('keys', main);
