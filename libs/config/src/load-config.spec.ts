import { ApiEnv, ConfigError, loadConfig, WorkerEnv } from './index';

describe('loadConfig', () => {
  it('applies documented defaults and coerces numbers and booleans', () => {
    const config = loadConfig(ApiEnv, { NEO4J_PASSWORD: 'pw', PORT: '4100', LOG_PRETTY: 'true' });
    expect(config.PORT).toBe(4100);
    expect(config.LOG_PRETTY).toBe(true);
    expect(config.NEO4J_URI).toBe('bolt://127.0.0.1:7687');
    expect(config.IMPORT_MAX_BODY_MB).toBe(20);
    expect(config.ADMIN_API_KEY).toBeUndefined();
  });

  it('lists every failing variable in one message and hides secrets', () => {
    let error: unknown;
    try {
      loadConfig(ApiEnv, { PORT: 'eighty', NEO4J_URI: 'http://x', ADMIN_API_KEY: 'short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/NEO4J_PASSWORD is required/);
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/NEO4J_URI must look like/);
    expect(problems).toMatch(/ADMIN_API_KEY must be at least 16/);
    expect(problems).not.toMatch(/short/);
    expect((error as ConfigError).problems).toHaveLength(4);
  });

  it('reads optional variables that have no default', () => {
    const config = loadConfig(ApiEnv, { NEO4J_PASSWORD: 'pw', ADMIN_API_KEY: 'a'.repeat(20), NEO4J_DATABASE: 'neo4j' });
    expect(config.ADMIN_API_KEY).toBe('a'.repeat(20));
    expect(config.NEO4J_DATABASE).toBe('neo4j');
  });

  it('validates worker variables on the shared base', () => {
    expect(() => loadConfig(WorkerEnv, { NEO4J_PASSWORD: 'pw', WEBHOOK_CONCURRENCY: '0' })).toThrow(/WEBHOOK_CONCURRENCY/);
    expect(loadConfig(WorkerEnv, { NEO4J_PASSWORD: 'pw' }).WORKER_HEALTH_PORT).toBe(3001);
  });
});
