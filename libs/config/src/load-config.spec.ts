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

  describe('HTTP hardening and admin access rules', () => {
    const problemsOf = (env: Record<string, string>): string[] => {
      try {
        loadConfig(ApiEnv, { NEO4J_PASSWORD: 'pw', ...env });
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };

    it('has small, closed defaults: 1 MiB bodies, bounded timeouts, no CORS', () => {
      const config = loadConfig(ApiEnv, { NEO4J_PASSWORD: 'pw' });
      expect(config.BODY_MAX_KB).toBe(1024);
      expect(config.HTTP_REQUEST_TIMEOUT_MS).toBe(120_000);
      expect(config.HTTP_HEADERS_TIMEOUT_MS).toBe(20_000);
      expect(config.HTTP_KEEP_ALIVE_TIMEOUT_MS).toBe(5_000);
      expect(config.CORS_ORIGINS).toEqual([]);
      expect(config.AUTH_DISABLED).toBe(false);
    });

    it('refuses AUTH_DISABLED=true in production only', () => {
      expect(problemsOf({ NODE_ENV: 'production', AUTH_DISABLED: 'true' })).toEqual([
        expect.stringMatching(/^AUTH_DISABLED=true is refused with NODE_ENV=production/),
      ]);
      expect(problemsOf({ NODE_ENV: 'production', AUTH_DISABLED: 'false' })).toEqual([]);
      expect(problemsOf({ NODE_ENV: 'development', AUTH_DISABLED: 'true' })).toEqual([]);
      expect(problemsOf({ AUTH_DISABLED: 'true' })).toEqual([]);
    });

    it('reads CORS_ORIGINS as a list of bare origins', () => {
      const config = loadConfig(ApiEnv, { NEO4J_PASSWORD: 'pw', CORS_ORIGINS: ' https://app.example.com, http://localhost:5173,http://[::1]:8080 ' });
      expect(config.CORS_ORIGINS).toEqual(['https://app.example.com', 'http://localhost:5173', 'http://[::1]:8080']);
      for (const bad of [
        '*',
        'app.example.com',
        'https://app.example.com/',
        'https://app.example.com/path',
        'ftp://files.example.com',
        'https://a.example.com,null',
      ]) {
        expect(problemsOf({ CORS_ORIGINS: bad })).toEqual([expect.stringMatching(/^CORS_ORIGINS must be comma-separated origins/)]);
      }
    });

    it('keeps the headers timeout within the request timeout and every limit in range', () => {
      expect(problemsOf({ HTTP_REQUEST_TIMEOUT_MS: '10000', HTTP_HEADERS_TIMEOUT_MS: '10000' })).toEqual([]);
      expect(problemsOf({ HTTP_REQUEST_TIMEOUT_MS: '10000', HTTP_HEADERS_TIMEOUT_MS: '10001' })).toEqual([
        expect.stringMatching(/^HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS/),
      ]);
      expect(problemsOf({ BODY_MAX_KB: '0' }).join()).toMatch(/BODY_MAX_KB/);
      expect(problemsOf({ BODY_MAX_KB: 'lots' }).join()).toMatch(/BODY_MAX_KB/);
      expect(problemsOf({ HTTP_KEEP_ALIVE_TIMEOUT_MS: '10' }).join()).toMatch(/HTTP_KEEP_ALIVE_TIMEOUT_MS/);
      expect(problemsOf({ HTTP_REQUEST_TIMEOUT_MS: '999' }).join()).toMatch(/HTTP_REQUEST_TIMEOUT_MS/);
    });
  });
});
