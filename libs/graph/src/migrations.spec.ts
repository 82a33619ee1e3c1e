import { checkMigrations, MIGRATIONS } from './migrations';

describe('schema migrations', () => {
  it('have distinct versions, listed in ascending order', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(() => checkMigrations(MIGRATIONS)).not.toThrow();
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  it('create every constraint and index idempotently, each name once', () => {
    const schema = MIGRATIONS.flatMap((m) => m.statements).filter((s) => /^CREATE\b.*\b(CONSTRAINT|INDEX)\b/.test(s));
    for (const statement of schema) expect(statement).toContain(' IF NOT EXISTS ');
    const names = schema.map((s) => /(?:CONSTRAINT|INDEX) (\w+) IF NOT EXISTS/.exec(s)?.[1]);
    expect(names).not.toContain(undefined);
    expect(new Set(names).size).toBe(names.length);
  });

  it('hold the schema of the webhook subscriptions', () => {
    const statements = MIGRATIONS.flatMap((m) => m.statements);
    expect(statements).toEqual(expect.arrayContaining([expect.stringContaining('FOR (n:WebhookSubscription) REQUIRE n.id IS UNIQUE')]));
  });

  it('refuses a version given twice or not a positive integer', () => {
    expect(() => checkMigrations([...MIGRATIONS, { ...MIGRATIONS[0], description: 'again' }])).toThrow(/declared twice/);
    expect(() => checkMigrations([{ version: 0, description: 'zero', statements: [] }])).toThrow(/positive integer/);
  });
});
