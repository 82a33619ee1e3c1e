jest.setTimeout(90_000);
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { getJson, RunningApi, startApi } from '../../../test/support/api-harness';
import { apiConfig, silentLogger, uniquePrefix } from '../../../test/support/test-env';
import { createApiApp } from '../src/bootstrap';

const ROOT = join(__dirname, '..', '..', '..');

describe('operations: keys, docs, health, metrics, start-up errors (real Neo4j and Redis)', () => {
  const key = 'k'.repeat(24);
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi({ QUEUE_PREFIX: uniquePrefix('ops').slice(0, -1), ADMIN_API_KEY: key });
  });
  afterAll(() => api.close());

  it('closes /v1 without the admin key and opens it with it', async () => {
    const none = await getJson(`${api.url}/v1/skus`);
    expect(none.status).toBe(401);
    expect(none.type).toContain('application/problem+json');
    expect((await getJson(`${api.url}/v1/skus`, { authorization: 'Bearer wrong-key-wrong-key' })).status).toBe(401);
    expect((await getJson(`${api.url}/v1/skus`, { authorization: `Bearer ${key}` })).status).toBe(200);
  });

  it('keeps health and metrics open, serves OpenAPI at /docs', async () => {
    expect((await getJson(`${api.url}/health/live`)).body).toEqual({ status: 'ok' });
    expect((await getJson(`${api.url}/health/ready`)).status).toBe(200);
    await getJson(`${api.url}/v1/skus`, { authorization: `Bearer ${key}` });
    const metrics = await fetch(`${api.url}/metrics`);
    const text = await metrics.text();
    expect(text).toMatch(/tiersight_http_request_duration_seconds_bucket\{.*route="\/v1\/skus".*status="200"/);
    expect(text).toMatch(/process_cpu_user_seconds_total/);
    const openapi = await getJson(`${api.url}/docs/openapi.json`);
    expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(['/v1/graph/import', '/v1/exposures', '/v1/scenarios', '/v1/events/{id}']));
    expect((await fetch(`${api.url}/docs`)).status).toBe(200);
  });

  it('echoes a caller request id and makes one otherwise', async () => {
    const given = await fetch(`${api.url}/health/live`, { headers: { 'x-request-id': 'trace-123' } });
    expect(given.headers.get('x-request-id')).toBe('trace-123');
    const made = await fetch(`${api.url}/health/live`);
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses to start with a clear line when Neo4j is unreachable or refuses the password', async () => {
    await expect(createApiApp(apiConfig({ NEO4J_URI: 'bolt://127.0.0.1:1' }), silentLogger())).rejects.toThrow(
      /^cannot reach Neo4j at bolt:\/\/127\.0\.0\.1:1: /,
    );
    await expect(createApiApp(apiConfig({ NEO4J_PASSWORD: 'not-the-password' }), silentLogger())).rejects.toThrow(/rejected the credentials/);
    await expect(createApiApp(apiConfig({ REDIS_URL: 'redis://127.0.0.1:1', REDIS_CLUSTER_NODES: '' }), silentLogger())).rejects.toThrow(
      /^cannot reach Redis at redis:\/\/127\.0\.0\.1:1: /,
    );
  });

  it('stops with one line listing every bad variable, not a stack trace', () => {
    const res = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, PORT: 'eighty', NEO4J_URI: 'http://nope', TS_NODE_PROJECT: 'tsconfig.json' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(res.status).toBe(1);
    const lines = res.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^tiersight api: invalid configuration: /);
    expect(lines[0]).toMatch(/NEO4J_PASSWORD is required/);
    expect(lines[0]).toMatch(/PORT/);
    expect(lines[0]).toMatch(/NEO4J_URI must look like/);
  });
});
