jest.setTimeout(120_000);

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request as httpRequest, type Server } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { postJson, requestJson, RunningApi, startApi } from '../../../test/support/api-harness';
import { apiConfig, LOCAL_SERVICES, silentLogger, uniquePrefix } from '../../../test/support/test-env';
import { createApiApp, NO_ADMIN_ACCESS } from '../src/bootstrap';

const ROOT = join(__dirname, '..', '..', '..');
const APP_ORIGIN = 'https://app.example.com';

/** One request over node:http, so that Origin and preflight headers go out exactly as given. */
function raw(method: string, url: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = httpRequest(url, { method, headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const basic = (password: string) => `Basic ${Buffer.from(`ops:${password}`).toString('base64')}`;

/** Ms from a finished keep-alive answer until the server closes the idle connection (null: still open after `waitMs`). */
function idleCloseAfter(url: string, waitMs: number): Promise<number | null> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let answered = 0;
    let text = '';
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8');
      if (!answered && text.includes('\r\n\r\n') && text.includes('"status"')) answered = Date.now();
    });
    socket.on('close', () => resolve(answered ? Date.now() - answered : -1));
    socket.write(`GET /health/live HTTP/1.1\r\nHost: ${hostname}\r\nConnection: keep-alive\r\n\r\n`);
    setTimeout(() => {
      if (!socket.destroyed) {
        socket.destroy();
        resolve(null);
      }
    }, waitMs);
  });
}

describe('HTTP hardening: the closed queue board, headers, body limits, CORS, timeouts (real Neo4j and Redis)', () => {
  const p = uniquePrefix('hard');
  const envKey = `env-admin-${randomBytes(16).toString('hex')}`;
  const asEnvAdmin = { authorization: `Bearer ${envKey}` };
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi({ QUEUE_PREFIX: p.slice(0, -1), ADMIN_API_KEY: envKey });
  });
  afterAll(async () => {
    await api.neo4j.run('MATCH (k:ApiKey) WHERE k.name STARTS WITH $p SET k.revokedAt = coalesce(k.revokedAt, datetime())', { p });
    await api.close();
  });

  describe('a production start', () => {
    const production = (extra: Record<string, string> = {}) => apiConfig({ QUEUE_PREFIX: p.slice(0, -1), NODE_ENV: 'production', ADMIN_API_KEY: '', ...extra });
    const activeAdminKeys = async () =>
      (await api.neo4j.run("MATCH (k:ApiKey {role: 'admin'}) WHERE k.revokedAt IS NULL RETURN collect(k.id) AS ids")).records[0].get('ids') as string[];

    it('stops with one line when no admin could sign in', async () => {
      // First in this file: no admin key of this run exists yet, and every other test revokes its own.
      expect(await activeAdminKeys()).toEqual([]);
      const { NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, REDIS_URL } = { ...LOCAL_SERVICES, ...process.env };
      const res = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          TS_NODE_PROJECT: 'tsconfig.json',
          NODE_ENV: 'production',
          NEO4J_URI,
          NEO4J_USER,
          NEO4J_PASSWORD,
          REDIS_URL,
          QUEUE_PREFIX: p.slice(0, -1),
          PORT: '0',
          LOG_LEVEL: 'silent',
        },
        encoding: 'utf8',
        timeout: 90_000,
      });
      expect(res.status).toBe(1);
      expect(res.stderr.trim().split('\n')).toEqual([`tiersight api: ${NO_ADMIN_ACCESS}`]);
    });

    it('starts with ADMIN_API_KEY or once an active admin key is stored, and stops again when it is revoked', async () => {
      await expect(createApiApp(production(), silentLogger())).rejects.toThrow(NO_ADMIN_ACCESS);
      const withEnvKey = await createApiApp(production({ ADMIN_API_KEY: envKey }), silentLogger());
      await withEnvKey.close();

      const created = await postJson(`${api.url}/v1/keys`, { role: 'admin', name: `${p}first-admin` }, asEnvAdmin);
      expect(created.status).toBe(201);
      const withStoredKey = await createApiApp(production(), silentLogger());
      await withStoredKey.close();

      // An analyst key is no way in for an admin.
      const analyst = await postJson(`${api.url}/v1/keys`, { role: 'analyst', name: `${p}not-admin` }, asEnvAdmin);
      expect((await requestJson('DELETE', `${api.url}/v1/keys/${created.body.id}`, undefined, asEnvAdmin)).status).toBe(200);
      expect((await requestJson('DELETE', `${api.url}/v1/keys/${analyst.body.id}`, undefined, asEnvAdmin)).status).toBe(200);
      await expect(createApiApp(production(), silentLogger())).rejects.toThrow(NO_ADMIN_ACCESS);
    });
  });

  describe('the queue board', () => {
    const tokens: Record<'admin' | 'analyst' | 'revoked', string> = { admin: '', analyst: '', revoked: '' };

    beforeAll(async () => {
      for (const [who, role] of [
        ['admin', 'admin'],
        ['analyst', 'analyst'],
        ['revoked', 'admin'],
      ] as const) {
        const res = await postJson(`${api.url}/v1/keys`, { role, name: `${p}board-${who}` }, asEnvAdmin);
        expect(res.status).toBe(201);
        tokens[who] = res.body.key;
        if (who === 'revoked') expect((await requestJson('DELETE', `${api.url}/v1/keys/${res.body.id}`, undefined, asEnvAdmin)).status).toBe(200);
      }
    });

    it('answers 401 with a Basic challenge without a key, and with an unknown or revoked one', async () => {
      for (const headers of [
        {} as Record<string, string>,
        { authorization: basic(tokens.revoked) },
        { authorization: `Bearer ${tokens.revoked}` },
        { authorization: basic('tsk_unknown-key-0123456789') },
      ]) {
        const res = await raw('GET', `${api.url}/admin/queues`, headers);
        expect(res.status).toBe(401);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/);
        expect(JSON.parse(res.body)).toMatchObject({ status: 401, instance: '/admin/queues' });
      }
    });

    it('answers 403 to an analyst key', async () => {
      for (const authorization of [basic(tokens.analyst), `Bearer ${tokens.analyst}`]) {
        const res = await raw('GET', `${api.url}/admin/queues`, { authorization });
        expect(res.status).toBe(403);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(JSON.parse(res.body).detail).toMatch(/admin keys/);
      }
    });

    it('opens to a stored admin key by Basic and to ADMIN_API_KEY by Bearer, board API included', async () => {
      const page = await raw('GET', `${api.url}/admin/queues`, { authorization: basic(tokens.admin) });
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect((await raw('GET', `${api.url}/admin/queues`, asEnvAdmin)).status).toBe(200);

      const queues = await raw('GET', `${api.url}/admin/queues/api/queues`, { authorization: basic(tokens.admin) });
      expect(queues.status).toBe(200);
      expect(JSON.parse(queues.body).queues.length).toBeGreaterThan(0);
      // The board's API and its assets are behind the same guard as its page.
      expect((await raw('GET', `${api.url}/admin/queues/api/queues`)).status).toBe(401);
      expect((await raw('GET', `${api.url}/admin/queues/api/queues`, { authorization: basic(tokens.analyst) })).status).toBe(403);
      expect((await raw('PUT', `${api.url}/admin/queues/api/queues/${p}none/pause`)).status).toBe(401);
      // And behind the API's body limit, answered as problem+json.
      const json = { authorization: basic(tokens.admin), 'content-type': 'application/json' };
      const tooBig = await raw('PUT', `${api.url}/admin/queues/api/queues/${p}none/pause`, json, JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }));
      expect(tooBig.status).toBe(413);
      expect(tooBig.headers['content-type']).toContain('application/problem+json');
      const malformed = await raw('PUT', `${api.url}/admin/queues/api/queues/${p}none/pause`, json, '{"pad": ');
      expect(malformed.status).toBe(400);
      expect(malformed.headers['content-type']).toContain('application/problem+json');
    });
  });

  it('sends security headers on every answer, and the stricter policy on the web pages', async () => {
    for (const path of ['/health/live', '/v1/skus', '/docs', '/docs/openapi.json']) {
      const res = await raw('GET', `${api.url}${path}`);
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'.*script-src 'self'.*frame-ancestors 'none'/);
      expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
    const web = await raw('GET', `${api.url}/app/`);
    expect(web.headers['content-security-policy']).toContain("style-src 'self';");
    expect(web.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(web.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('limits the body of every route: 1 MiB by default, IMPORT_MAX_BODY_MB on the bulk routes', async () => {
    const big = 'x'.repeat(1024 * 1024 + 1);
    const event = JSON.stringify({
      id: `${p}EV`,
      type: 'flood',
      title: big,
      severity: 0.5,
      expectedDurationDays: 3,
      geometry: { type: 'Point', coordinates: [0, 0] },
      radiusKm: 1,
    });
    for (const [method, path] of [
      ['POST', '/v1/events'],
      ['POST', '/v1/scenarios'],
      ['PATCH', '/v1/webhooks/whatever'],
      ['PUT', '/v1/sensors/whatever'],
      ['POST', '/v1/keys'],
    ]) {
      const res = await raw(method, `${api.url}${path}`, { ...asEnvAdmin, 'content-type': 'application/json' }, event);
      expect([path, res.status]).toEqual([path, 413]);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(JSON.parse(res.body)).toMatchObject({ type: 'https://tiersight.dev/problems/body-too-large', status: 413 });
    }
    // Unauthenticated callers meet the same limit before anything else.
    expect((await raw('POST', `${api.url}/v1/events`, { 'content-type': 'application/json' }, event)).status).toBe(413);
    // The import reads the same body and judges its content instead.
    const importBody = JSON.stringify({ parts: [{ id: `${p}P`, name: big }] });
    const imported = await raw('POST', `${api.url}/v1/graph/import`, { ...asEnvAdmin, 'content-type': 'application/json' }, importBody);
    expect(imported.status).toBe(422);
    // Just under the default limit is read (and judged by its content).
    const small = await postJson(`${api.url}/v1/scenarios`, { impacts: [], pad: 'x'.repeat(1000 * 1000) }, asEnvAdmin);
    expect(small.status).toBe(400);
  });

  it('sends no CORS headers unless origins are configured', async () => {
    const simple = await raw('GET', `${api.url}/health/live`, { origin: APP_ORIGIN });
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await raw('OPTIONS', `${api.url}/v1/skus`, {
      origin: APP_ORIGIN,
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'authorization',
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-headers']).toBeUndefined();
  });

  it('sets the server timeouts from the configuration', async () => {
    const server = api.app.getHttpServer() as Server;
    expect([server.requestTimeout, server.headersTimeout, server.keepAliveTimeout]).toEqual([120_000, 20_000, 5_000]);
    // The default keep-alive keeps an idle connection past a second.
    expect(await idleCloseAfter(api.url, 1_500)).toBeNull();
  });

  describe('with CORS_ORIGINS, BODY_MAX_KB and the timeouts configured', () => {
    let tuned: RunningApi;

    beforeAll(async () => {
      tuned = await startApi({
        QUEUE_PREFIX: p.slice(0, -1),
        ADMIN_API_KEY: envKey,
        CORS_ORIGINS: `${APP_ORIGIN},http://localhost:5173`,
        BODY_MAX_KB: '4',
        HTTP_REQUEST_TIMEOUT_MS: '30000',
        HTTP_HEADERS_TIMEOUT_MS: '5000',
        HTTP_KEEP_ALIVE_TIMEOUT_MS: '1000',
      });
    });
    afterAll(() => tuned?.close());

    it('answers the configured origins only', async () => {
      const allowed = await raw('GET', `${tuned.url}/v1/skus?limit=1`, { origin: APP_ORIGIN, ...asEnvAdmin });
      expect(allowed.status).toBe(200);
      expect(allowed.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
      expect(allowed.headers['access-control-expose-headers']).toContain('x-request-id');
      expect(allowed.headers['access-control-allow-credentials']).toBeUndefined();

      const preflight = await raw('OPTIONS', `${tuned.url}/v1/skus`, {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      expect(preflight.headers['access-control-allow-headers']).toMatch(/authorization/);
      expect(preflight.headers['access-control-allow-methods']).toMatch(/POST/);

      const other = await raw('GET', `${tuned.url}/v1/skus?limit=1`, { origin: 'https://evil.example', ...asEnvAdmin });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      const otherPreflight = await raw('OPTIONS', `${tuned.url}/v1/skus`, { origin: 'https://evil.example', 'access-control-request-method': 'GET' });
      expect(otherPreflight.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('applies BODY_MAX_KB to ordinary routes and leaves the import its own limit', async () => {
      const body = { impacts: [], pad: 'x'.repeat(5 * 1024) };
      const tooBig = await postJson(`${tuned.url}/v1/scenarios`, body, asEnvAdmin);
      expect(tooBig.status).toBe(413);
      expect(tooBig.type).toContain('application/problem+json');
      const imported = await postJson(`${tuned.url}/v1/graph/import`, { parts: [{ id: `${p}P`, name: 'x'.repeat(5 * 1024) }] }, asEnvAdmin);
      expect(imported.status).toBe(422);
    });

    it('uses the configured timeouts, and closes an idle keep-alive connection after HTTP_KEEP_ALIVE_TIMEOUT_MS', async () => {
      const server = tuned.app.getHttpServer() as Server;
      expect([server.requestTimeout, server.headersTimeout, server.keepAliveTimeout]).toEqual([30_000, 5_000, 1_000]);
      const closedAfter = await idleCloseAfter(tuned.url, 5_000);
      expect(closedAfter).not.toBeNull();
      expect(closedAfter!).toBeGreaterThanOrEqual(800);
      expect(closedAfter!).toBeLessThan(3_000);
    });
  });

  it('gives the board the request id of every other route', async () => {
    const res = await raw('GET', `${api.url}/admin/queues`, { 'x-request-id': `${p}board` });
    expect(res.status).toBe(401);
    expect(res.headers['x-request-id']).toBe(`${p}board`);
    expect(JSON.parse(res.body).requestId).toBe(`${p}board`);
    const page = await raw('GET', `${api.url}/admin/queues`, asEnvAdmin);
    expect(page.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
