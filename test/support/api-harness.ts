import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { createWorkerApp } from '../../apps/worker/src/bootstrap';
import { Neo4jService } from '@tiersight/graph';
import { apiConfig, silentLogger, workerConfig } from './test-env';

export interface RunningApi {
  app: INestApplication;
  url: string;
  neo4j: Neo4jService;
  close(): Promise<void>;
}

/** Boots the real API on a free port against the real Neo4j and Redis. */
export async function startApi(overrides: Record<string, string> = {}): Promise<RunningApi> {
  const app = await createApiApp(apiConfig(overrides), silentLogger());
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, neo4j: app.get(Neo4jService), close: () => app.close() };
}

export async function startWorker(overrides: Record<string, string> = {}): Promise<INestApplication> {
  const app = await createWorkerApp(workerConfig(overrides), silentLogger());
  await app.init();
  return app;
}

/** Deletes every node whose id starts with the prefix (a test's own data). */
export async function deleteByPrefix(neo4j: Neo4jService, prefix: string): Promise<void> {
  await neo4j.run('MATCH (n) WHERE n.id STARTS WITH $prefix DETACH DELETE n', { prefix });
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? safeJson(text) : null };
}

export async function getJson(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? safeJson(text) : null };
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
