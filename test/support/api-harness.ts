import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { randomBytes } from 'node:crypto';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { createWorkerApp } from '../../apps/worker/src/bootstrap';
import { Neo4jService } from '@tiersight/graph';
import { apiConfig, silentLogger, workerConfig } from './test-env';

export { deleteByPrefix } from './cleanup';

export interface RunningApi {
  app: INestApplication;
  url: string;
  neo4j: Neo4jService;
  /** The admin key this API accepts (ADMIN_API_KEY). */
  adminKey: string;
  close(): Promise<void>;
}

/** The admin key postJson/getJson send to each API started here (by origin), unless the caller sends its own. */
const defaultKeys = new Map<string, string>();

/**
 * Boots the real API on a free port against the real Neo4j and Redis. Unless
 * the test sets ADMIN_API_KEY itself, the API gets a random one and postJson /
 * getJson send it by default (`adminKey` holds it). A test that manages keys
 * itself (sets ADMIN_API_KEY) gets no default.
 */
export async function startApi(overrides: Record<string, string> = {}, logger: Logger = silentLogger()): Promise<RunningApi> {
  const own = overrides.ADMIN_API_KEY;
  const adminKey = own ?? process.env.ADMIN_API_KEY ?? `test-admin-${randomBytes(16).toString('hex')}`;
  const app = await createApiApp(apiConfig({ ...overrides, ADMIN_API_KEY: adminKey }), logger);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  if (own === undefined) defaultKeys.set(url, adminKey);
  return {
    app,
    url,
    neo4j: app.get(Neo4jService),
    adminKey,
    close: async () => {
      defaultKeys.delete(url);
      await app.close();
    },
  };
}

/** Adds the default key of the API at `url` unless an authorization header is given (an empty one sends none). */
function withDefaultKey(url: string, headers: Record<string, string>): Record<string, string> {
  const given = Object.keys(headers).find((h) => h.toLowerCase() === 'authorization');
  if (given !== undefined) {
    if (headers[given] !== '') return headers;
    const { [given]: _dropped, ...rest } = headers;
    return rest;
  }
  const key = defaultKeys.get(new URL(url).origin);
  return key ? { ...headers, authorization: `Bearer ${key}` } : headers;
}

export async function startWorker(overrides: Record<string, string> = {}, logger: Logger = silentLogger()): Promise<INestApplication> {
  const app = await createWorkerApp(workerConfig(overrides), logger);
  await app.init();
  return app;
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: withDefaultKey(url, { 'content-type': 'application/json', ...headers }),
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? safeJson(text) : null };
}

export async function getJson(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers: withDefaultKey(url, headers) });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? safeJson(text) : null };
}

/** The body of a 200 answer, null for any other status: what `eventually` polls while the worker catches up. */
export async function getFound(url: string, headers: Record<string, string> = {}) {
  const res = await getJson(url, headers);
  return res.status === 200 ? res.body : null;
}

/** Any method (PATCH, PUT, DELETE, …) with an optional JSON or text body; same defaults as postJson. */
export async function requestJson(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const withBody = body !== undefined;
  const res = await fetch(url, {
    method,
    headers: withDefaultKey(url, withBody ? { 'content-type': 'application/json', ...headers } : headers),
    body: !withBody ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', headers: res.headers, body: text ? safeJson(text) : null };
}

/** The body as `JSON.parse` types it (tests read whichever fields they assert), or the text when it is not JSON. */
function safeJson(text: string): ReturnType<typeof JSON.parse> {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
