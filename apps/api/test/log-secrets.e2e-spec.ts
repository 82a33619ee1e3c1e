jest.setTimeout(120_000);

import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { createLogger, MIN_SECRET_LENGTH, secretsOf } from '@tiersight/observability';
import { RedisStore } from '@tiersight/queues';
import { deleteByPrefix, getJson, postJson, requestJson, RunningApi, startApi, startWorker } from '../../../test/support/api-harness';
import { deleteRedisKeys, obliterateQueues } from '../../../test/support/cleanup';
import { quakeAtT3, smallNetwork } from '../../../test/support/small-network';
import { apiConfig, uniquePrefix, workerConfig } from '../../../test/support/test-env';
import { eventually } from '../../../test/support/wait';
import { Receivers } from '../../worker/test/webhooks-receivers';

type Stream = NodeJS.WriteStream;

/**
 * A whole run through the real API, worker, Neo4j, Redis and a real webhook
 * receiver, with both processes logging at `trace` the way they log in
 * production (the same logger, built from their configuration). Everything
 * logged, printed or written to the console is kept, and no key, webhook
 * secret or password may appear in it.
 */
describe('no secret in the logs of a full run', () => {
  const p = uniquePrefix('logs');
  const queuePrefix = p.slice(0, -1);
  const envKey = `env-admin-${randomBytes(18).toString('base64url')}`;
  const env = { QUEUE_PREFIX: queuePrefix, ADMIN_API_KEY: envKey, WEBHOOK_ALLOWED_TARGETS: '127.0.0.1/32', WEBHOOK_SECRET_GRACE_S: '3600' };
  const receivers = new Receivers();
  const captured: string[] = [];
  const restore: Array<() => void> = [];
  const secrets: Record<string, string> = {};
  let api: RunningApi;
  let worker: INestApplication | undefined;
  let subscriptionId = '';

  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  const basic = (key: string) => ({ authorization: `Basic ${Buffer.from(`ops:${key}`).toString('base64')}` });

  /** Keeps what a stream is given, and still writes it. */
  const tap = (stream: Stream) => {
    const original = stream.write;
    const write = original.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return write(chunk, ...rest);
    }) as Stream['write'];
    restore.push(() => {
      stream.write = original;
    });
  };

  beforeAll(async () => {
    tap(process.stdout);
    tap(process.stderr);
    for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
      const spy = jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        captured.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
      });
      restore.push(() => spy.mockRestore());
    }
    const destination = { write: (line: string) => void captured.push(line) };
    const apiConfigured = apiConfig(env);
    const workerConfigured = workerConfig(env);
    secrets.adminApiKey = envKey;
    // A password shorter than MIN_SECRET_LENGTH is kept out by field only (by value it would hide ordinary words).
    if (apiConfigured.NEO4J_PASSWORD.length >= MIN_SECRET_LENGTH) secrets.neo4jPassword = apiConfigured.NEO4J_PASSWORD;
    const apiLogger = createLogger({ name: 'api', level: 'trace', pretty: false, secrets: secretsOf(apiConfigured), destination });
    const workerLogger = createLogger({ name: 'worker', level: 'trace', pretty: false, secrets: secretsOf(workerConfigured), destination });

    receivers.on('/hook', (_q, res) => res.end('ok'));
    await receivers.start();
    api = await startApi(env, apiLogger);
    worker = await startWorker(env, workerLogger);
  });

  afterAll(async () => {
    await worker?.close();
    if (api) {
      if (subscriptionId) await requestJson('DELETE', `${api.url}/v1/webhooks/${subscriptionId}`, undefined, bearer(envKey));
      await api.neo4j.run('MATCH (k:ApiKey) WHERE k.name STARTS WITH $p SET k.revokedAt = coalesce(k.revokedAt, datetime())', { p });
      await obliterateQueues(api.app);
      await deleteRedisKeys(api.app.get(RedisStore).client, queuePrefix);
      await deleteByPrefix(api.neo4j, p);
      await api.close();
    }
    await receivers.close();
    for (const undo of restore.reverse()) undo();
  });

  it('keeps keys, webhook secrets and passwords out of everything logged', async () => {
    const admin = bearer(envKey);
    expect((await postJson(`${api.url}/v1/graph/import`, smallNetwork(p), admin)).status).toBe(200);

    // Keys of every role, one of them revoked.
    for (const [name, body] of [
      ['analystKey', { role: 'analyst', name: `${p}analyst` }],
      ['supplierKey', { role: 'supplier', supplierId: `${p}SUP-T2`, name: `${p}supplier` }],
      ['adminKey', { role: 'admin', name: `${p}admin` }],
      ['revokedKey', { role: 'admin', name: `${p}revoked` }],
    ] as const) {
      const created = await postJson(`${api.url}/v1/keys`, body, admin);
      expect(created.status).toBe(201);
      secrets[name] = created.body.key;
      if (name === 'revokedKey') expect((await requestJson('DELETE', `${api.url}/v1/keys/${created.body.id}`, undefined, admin)).status).toBe(200);
    }
    const analyst = bearer(secrets.analystKey);

    // A subscription, its secret rotated: deliveries are signed with both.
    const sub = await postJson(`${api.url}/v1/webhooks`, { url: `${receivers.base}/hook`, filters: { skuIds: [`${p}SKU-A`, `${p}SKU-B`] } }, analyst);
    expect(sub.status).toBe(201);
    subscriptionId = sub.body.id;
    secrets.webhookSecret = sub.body.secret;
    const rotated = await postJson(`${api.url}/v1/webhooks/${subscriptionId}/rotate-secret`, {}, analyst);
    expect(rotated.status).toBe(200);
    secrets.rotatedWebhookSecret = rotated.body.secret;
    receivers.secret('/hook', secrets.rotatedWebhookSecret, secrets.webhookSecret);

    // An event: matched, propagated by the worker, alerted to the receiver, then closed.
    expect((await postJson(`${api.url}/v1/events`, quakeAtT3(p), analyst)).status).toBe(201);
    const created = await eventually('exposure.created delivered', async () => receivers.at('/hook')[0], 45_000);
    expect(created.verified).toBe(true);
    expect(created.signature.split(' ')).toHaveLength(2);
    expect((await postJson(`${api.url}/v1/events/${p}EV-quake/close`, {}, analyst)).status).toBe(200);
    await eventually('exposure.resolved delivered', async () => receivers.at('/hook')[1], 45_000);

    // Every other way a secret could reach a log line: refused keys, keys in the URL, in a body, in Basic auth.
    expect((await getJson(`${api.url}/v1/skus`, bearer(secrets.revokedKey))).status).toBe(401);
    expect((await getJson(`${api.url}/v1/skus`, bearer(`tsk_${randomBytes(32).toString('base64url')}`))).status).toBe(401);
    expect((await getJson(`${api.url}/v1/keys`, analyst)).status).toBe(403);
    expect((await getJson(`${api.url}/v1/skus?api_key=${secrets.analystKey}`, { authorization: '' })).status).toBe(401);
    expect((await getJson(`${api.url}/v1/portal/profile`, bearer(secrets.supplierKey))).status).toBe(200);
    expect((await getJson(`${api.url}/v1/me`, bearer(secrets.adminKey))).status).toBe(200);
    expect((await getJson(`${api.url}/admin/queues`, basic(secrets.adminKey))).status).toBe(200);
    expect((await getJson(`${api.url}/admin/queues`, basic(secrets.analystKey))).status).toBe(403);
    expect((await getJson(`${api.url}/admin/queues`, basic(secrets.revokedKey))).status).toBe(401);
    // A board path its router leaves to the API: one request, one log line.
    expect((await postJson(`${api.url}/admin/queues/${p}nothing-here`, {}, basic(secrets.adminKey))).status).toBe(404);
    secrets.bodyPassword = `pw-${randomBytes(12).toString('hex')}`;
    expect((await postJson(`${api.url}/v1/keys`, { role: 'admin', password: secrets.bodyPassword }, admin)).status).toBe(400);
    expect((await postJson(`${api.url}/v1/webhooks`, { url: `${receivers.base}/hook`, secret: secrets.webhookSecret }, analyst)).status).toBe(400);
    expect((await postJson(`${api.url}/v1/events`, `{"title": "${secrets.analystKey}"`, analyst)).status).toBe(400);

    await worker!.close();
    worker = undefined;
    const text = captured.join('\n');

    // The capture saw the run: request lines of both outcomes, the worker's own lines.
    expect(text).toMatch(/"statusCode":200/);
    expect(text).toMatch(/"statusCode":401/);
    expect(text).toMatch(/"url":"\/v1\/skus\?api_key=\[redacted\]"/);
    expect(text).toMatch(/"service":"worker"/);
    expect(text).toContain('"url":"/admin/queues"');
    expect(text.match(new RegExp(`"url":"/admin/queues/${p}nothing-here"`, 'g'))).toHaveLength(1);

    const forms = Object.entries(secrets).flatMap(([name, value]) => {
      const material = value.replace(/^(tsk_|whsec_)/, '');
      return [
        [name, value],
        [`${name} without its prefix`, material],
        [`${name} in Basic auth`, Buffer.from(`ops:${value}`).toString('base64')],
      ];
    });
    expect(forms.length).toBeGreaterThanOrEqual(24);
    for (const [name, value] of forms) {
      expect(value.length).toBeGreaterThanOrEqual(8);
      if (text.includes(value)) throw new Error(`${name} appears in the logs: ${text.split('\n').find((line) => line.includes(value))}`);
    }
  });
});
