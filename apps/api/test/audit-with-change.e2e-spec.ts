jest.setTimeout(180_000);

import type { ManagedTransaction } from 'neo4j-driver';
import { AuditLog } from '@tiersight/audit';
import type { AuditActor } from '@tiersight/audit';
import { CaptureRunner } from '@tiersight/traceability';
import { deleteByPrefix, getJson, postJson, requestJson, RunningApi, startApi } from '../../../test/support/api-harness';
import { obliterateQueues } from '../../../test/support/cleanup';
import { smallNetwork } from '../../../test/support/small-network';
import { uniquePrefix } from '../../../test/support/test-env';
import { deleteCaptures, epcisDocument, postCapture } from './epcis-support';

interface Answer {
  status: number;
  type: string;
}

/** One write path: what it changes (read straight from Neo4j) and the request that changes it. */
interface WritePath {
  action: string;
  setup?: () => Promise<void>;
  state: () => Promise<unknown>;
  write: () => Promise<Answer>;
}

/**
 * ADR 0005: an audit entry commits or rolls back with the change it records.
 * Against the real API and Neo4j, the log's `append` is made to throw after it
 * wrote its entry inside the write's transaction: every write path must then
 * answer an error and leave the graph as it was (no change, no entry). With the
 * log working again, the same request changes the graph and adds one entry,
 * so each state probe is shown to see the change it guards.
 */
describe('audit entries commit with their change (real API and Neo4j)', () => {
  const p = uniquePrefix('awc');
  const tag = p.slice(1, 9).toLowerCase();
  let api: RunningApi;
  let supplier: Record<string, string>;
  let refuse = false;
  const captures: string[] = [];

  const one = async (query: string, params: Record<string, unknown> = {}) => {
    const res = await api.neo4j.run(query, params);
    return res.records.map((r) => r.toObject());
  };
  const head = async () => (await one(`OPTIONAL MATCH (h:AuditHead {id: 'audit'}) RETURN h.seq AS seq, h.hash AS hash`))[0];
  const graphVersion = async () => (await one(`OPTIONAL MATCH (m:GraphMeta {id: 'graph'}) RETURN m.version AS v`))[0].v;

  let closable = '';
  let revocable = '';
  let surveyId = '';
  let webhookId = '';

  const paths: WritePath[] = [
    {
      action: 'event.push',
      state: () => one('MATCH (e:Event {id: $id}) OPTIONAL MATCH (e)-[h:HITS]->() RETURN e.status AS status, count(h) AS hits', { id: `${p}EV-new` }),
      write: () =>
        postJson(`${api.url}/v1/events`, {
          id: `${p}EV-new`,
          type: 'storm',
          title: 'Storm over T2a',
          severity: 0.5,
          expectedDurationDays: 3,
          geometry: { type: 'Point', coordinates: [120.67, 24.15] },
          radiusKm: 5,
        }),
    },
    {
      action: 'event.close',
      setup: async () => {
        closable = `${p}EV-open`;
        const storm = {
          id: closable,
          type: 'storm',
          title: 'Open storm',
          severity: 0.3,
          expectedDurationDays: 2,
          geometry: { type: 'Point', coordinates: [0, 0] },
        };
        expect((await postJson(`${api.url}/v1/events`, { ...storm, radiusKm: 1 })).status).toBe(201);
      },
      state: () => one('MATCH (e:Event {id: $id}) RETURN e.status AS status', { id: closable }),
      write: () => postJson(`${api.url}/v1/events/${closable}/close`, {}),
    },
    {
      action: 'graph.import',
      state: async () => ({
        version: await graphVersion(),
        suppliers: await one('MATCH (s:Supplier {id: $id}) RETURN s.name AS name', { id: `${p}SUP-NEW` }),
      }),
      write: () => postJson(`${api.url}/v1/graph/import`, { suppliers: [{ id: `${p}SUP-NEW`, name: 'New Co', country: 'FR' }] }),
    },
    {
      action: 'key.create',
      state: () => one('MATCH (k:ApiKey {name: $name}) RETURN k.id AS id', { name: `${p}created` }),
      write: () => postJson(`${api.url}/v1/keys`, { role: 'analyst', name: `${p}created` }),
    },
    {
      action: 'key.revoke',
      setup: async () => {
        const key = await postJson(`${api.url}/v1/keys`, { role: 'analyst', name: `${p}revocable` });
        expect(key.status).toBe(201);
        revocable = key.body.id;
      },
      state: () => one('MATCH (k:ApiKey {id: $id}) RETURN k.revokedAt IS NOT NULL AS revoked', { id: revocable }),
      write: () => requestJson('DELETE', `${api.url}/v1/keys/${revocable}`),
    },
    {
      action: 'portal.site.create',
      state: async () => ({
        version: await graphVersion(),
        sites: await one('MATCH (s:Site {supplierId: $s}) RETURN s.id AS id ORDER BY id', { s: `${p}SUP-T2` }),
      }),
      write: () =>
        postJson(`${api.url}/v1/portal/sites`, { ref: 'new-hub', name: 'New hub', kind: 'warehouse', lat: 24.2, lon: 120.7, country: 'TW' }, supplier),
    },
    {
      action: 'survey.answer',
      setup: async () => {
        const storm = {
          id: `${p}EV-storm`,
          type: 'storm',
          title: 'Typhoon',
          severity: 0.8,
          expectedDurationDays: 10,
          geometry: { type: 'Point', coordinates: [120.3, 22.63] },
        };
        expect((await postJson(`${api.url}/v1/events`, { ...storm, radiusKm: 5 })).status).toBe(201);
        const open = (await getJson(`${api.url}/v1/portal/surveys`, supplier)).body.items as Array<{ id: string; event: { id: string } }>;
        surveyId = open.find((s) => s.event.id === `${p}EV-storm`)!.id;
      },
      state: async () => (await getJson(`${api.url}/v1/portal/surveys/${surveyId}`, supplier)).body.state,
      write: () => postJson(`${api.url}/v1/portal/surveys/${surveyId}/answer`, { status: 'confirmed', capacityLoss: 0.4, recoveryDays: 12 }, supplier),
    },
    {
      action: 'webhook.create',
      state: () =>
        one('MATCH (w:WebhookSubscription {deployment: $d}) WHERE w.url = $url RETURN w.id AS id', { d: p.slice(0, -1), url: `http://127.0.0.1:9/${tag}/new` }),
      write: () => postJson(`${api.url}/v1/webhooks`, { url: `http://127.0.0.1:9/${tag}/new` }),
    },
    {
      action: 'webhook.update',
      setup: async () => {
        const created = await postJson(`${api.url}/v1/webhooks`, { url: `http://127.0.0.1:9/${tag}/kept`, description: 'before' });
        expect(created.status).toBe(201);
        webhookId = created.body.id;
      },
      state: () => one('MATCH (w:WebhookSubscription {id: $id}) RETURN w.description AS description, w.status AS status', { id: webhookId }),
      write: () => requestJson('PATCH', `${api.url}/v1/webhooks/${webhookId}`, { description: 'after', enabled: false }),
    },
    {
      action: 'webhook.secret.rotate',
      state: () => one('MATCH (w:WebhookSubscription {id: $id}) RETURN w.secret AS secret', { id: webhookId }),
      write: () => postJson(`${api.url}/v1/webhooks/${webhookId}/rotate-secret`, {}),
    },
    {
      action: 'webhook.delete',
      state: () => one('MATCH (w:WebhookSubscription {id: $id}) RETURN w.id AS id', { id: webhookId }),
      write: () => requestJson('DELETE', `${api.url}/v1/webhooks/${webhookId}`),
    },
    {
      action: 'sensor.register',
      state: () => one('MATCH (s:Sensor {id: $id}) RETURN s.siteId AS siteId, s.metric AS metric', { id: `${p}temp-1` }),
      write: () => requestJson('PUT', `${api.url}/v1/sensors/${p}temp-1`, { siteId: `${p}T2a`, metric: 'temperature', unit: 'Cel' }),
    },
  ];

  beforeAll(async () => {
    api = await startApi({ QUEUE_PREFIX: p.slice(0, -1), WEBHOOK_ALLOWED_TARGETS: '127.0.0.0/8' });
    expect((await postJson(`${api.url}/v1/graph/import`, smallNetwork(p))).status).toBe(200);
    const key = await postJson(`${api.url}/v1/keys`, { role: 'supplier', supplierId: `${p}SUP-T2`, name: `${p}portal` });
    expect(key.status).toBe(201);
    supplier = { authorization: `Bearer ${key.body.key}` };
    // Every write path holds the one AuditLog of the app: its entry is written in the caller's transaction, then refused.
    const audit = api.app.get(AuditLog);
    const append = audit.append.bind(audit);
    jest.spyOn(audit, 'append').mockImplementation(async (tx: ManagedTransaction, actor: AuditActor, record: Parameters<AuditLog['append']>[2]) => {
      const entry = await append(tx, actor, record);
      if (refuse) throw new Error(`audit entry ${entry.seq} (${record.action}) refused by the test`);
      return entry;
    });
  });

  afterAll(async () => {
    refuse = false;
    jest.restoreAllMocks();
    await deleteCaptures(api.neo4j, captures);
    await one('MATCH (k:ApiKey) WHERE k.name STARTS WITH $p SET k.revokedAt = coalesce(k.revokedAt, datetime())', { p });
    await one('MATCH (w:WebhookSubscription {deployment: $d}) DETACH DELETE w', { d: p.slice(0, -1) });
    await one('MATCH (s:Site) WHERE s.supplierId STARTS WITH $p DETACH DELETE s', { p });
    await one('MATCH (s:Survey) WHERE s.eventId STARTS WITH $p DETACH DELETE s', { p });
    await deleteByPrefix(api.neo4j, p);
    await obliterateQueues(api.app);
    await api.close();
  });

  it.each(paths.map((path) => [path.action, path] as const))('%s: a refused entry takes the change back with it', async (action, path) => {
    await path.setup?.();
    const before = { state: await path.state(), head: await head() };

    refuse = true;
    let answer: Answer;
    try {
      answer = await path.write();
    } finally {
      refuse = false;
    }
    // A fault of the server, answered as one problem; never a half write.
    expect(answer.status).toBe(500);
    expect(answer.type).toContain('application/problem+json');
    expect(await path.state()).toEqual(before.state);
    expect(await head()).toEqual(before.head);

    const retried = await path.write();
    expect(retried.status).toBeGreaterThanOrEqual(200);
    expect(retried.status).toBeLessThan(300);
    expect(await path.state()).not.toEqual(before.state);
    const after = await head();
    expect(after.seq).toBe(before.head.seq + 1);
    const [entry] = (await getJson(`${api.url}/v1/audit?limit=1`)).body.items;
    expect(entry).toMatchObject({ seq: after.seq, action });
  });

  it('epcis.capture: a refused entry takes the captured events back with it', async () => {
    const serial = (n: number) => `urn:epc:id:sgtin:4012345.011111.${tag}${n}`;
    const observe = (n: number) => ({
      type: 'ObjectEvent',
      eventTime: '2024-05-01T10:00:00+02:00',
      eventTimeZoneOffset: '+02:00',
      action: 'OBSERVE',
      bizStep: 'receiving',
      epcList: [serial(n)],
      readPoint: { id: 'urn:epc:id:sgln:4012345.00009.0' },
    });
    const posted = await postCapture(api.url, epcisDocument([observe(1), observe(2)]));
    expect(posted.status).toBe(202);
    const captureId: string = posted.body.captureId;
    captures.push(captureId);
    const stored = () => one('MATCH (e:EpcisEvent {captureId: $id}) RETURN count(e) AS n', { id: captureId });
    const before = await head();

    // No worker serves this run's queues: the capture job is run here, by the API process's own runner.
    refuse = true;
    try {
      await expect(api.app.get(CaptureRunner).run(captureId)).rejects.toThrow(/refused by the test/);
    } finally {
      refuse = false;
    }
    expect(await stored()).toEqual([{ n: 0 }]);
    expect(await head()).toEqual(before);
    expect((await getJson(`${api.url}/v1/epcis/capture/${captureId}`)).body.status).not.toBe('succeeded');
  });

  it('leaves one verifiable chain behind', async () => {
    const verify = await getJson(`${api.url}/v1/audit/verify`);
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ ok: true });
  });
});
