import { Injectable } from '@nestjs/common';
import { checkMigrations, MIGRATIONS, Migration } from './migrations';
import { Neo4jService } from './neo4j.service';

@Injectable()
export class MigrationRunner {
  constructor(private readonly neo4j: Neo4jService) {}

  /** Applies the migrations not yet recorded; returns the versions it applied. */
  async migrate(migrations: Migration[] = MIGRATIONS): Promise<number[]> {
    checkMigrations(migrations);
    // Read on the leader, where the migrations are written: a follower a moment behind would run one again.
    const done = await this.neo4j.run<{ version: number }>('MATCH (m:SchemaMigration) RETURN m.version AS version');
    const applied = new Set(done.records.map((r) => r.get('version')));
    const ran: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.statements) await this.applyStatement(statement);
      await this.neo4j.run('MERGE (m:SchemaMigration {version: $version}) ON CREATE SET m.description = $description, m.appliedAt = datetime()', {
        version: migration.version,
        description: migration.description,
      });
      ran.push(migration.version);
    }
    await this.neo4j.run('CALL db.awaitIndexes(300)');
    return ran;
  }

  /** Two processes migrating a new database at once race on IF NOT EXISTS; the loser's "already exists" is success. */
  private async applyStatement(statement: string): Promise<void> {
    try {
      // A data change over many rows commits in batches, which only an implicit transaction may do.
      if (/\bIN TRANSACTIONS\b/.test(statement)) await this.neo4j.autoCommit(statement);
      else await this.neo4j.run(statement);
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (
        code === 'Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists' ||
        code === 'Neo.ClientError.Schema.ConstraintAlreadyExists' ||
        code === 'Neo.ClientError.Schema.IndexAlreadyExists'
      )
        return;
      throw error;
    }
  }
}
