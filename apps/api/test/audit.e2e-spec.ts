jest.setTimeout(90_000);

import { deleteByPrefix, getJson, postJson, requestJson, RunningApi, startApi } from '../../../test/support/api-harness';
import { smallNetwork } from '../../../test/support/small-network';
import { uniquePrefix } from '../../../test/support/test-env';

interface Entry {
  seq: number;
  at: string;
  actor: { keyId: string; role: string; supplierId: string | null };
  action: string;
  target: string | null;
  change: unknown;
  prevHash: string;
  hash: string;
}

/**
 * The hash-chained audit log against the real Neo4j: concurrent writers on two
 * API processes never fork the chain, every write is recorded with its actor,
 * and an entry edited in the database is named by verify.
 */
describe('audit log (real Neo4j and Redis)', () => {
  const p = uniquePrefix('aud');
  let one: RunningApi;
  let two: RunningApi;
  let supplierKey: string;
  const mine = async (): Promise<Entry[]> => {
    const out: Entry[] = [];
    let cursor: string | null = null;
    // Newest first: our entries are at the top; stop once a page holds none of them.
    do {
      const res = await getJson(`${one.url}/v1/audit?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      const ours = (res.body.items as Entry[]).filter((e) => JSON.stringify(e).includes(p));
      out.push(...ours);
      cursor = ours.length ? res.body.nextCursor : null;
    } while (cursor);
    return out;
  };

  beforeAll(async () => {
    one = await startApi({ QUEUE_PREFIX: p.slice(0, -1) });
    two = await startApi({ QUEUE_PREFIX: p.slice(0, -1), ADMIN_API_KEY: one.adminKey });
    expect((await postJson(`${one.url}/v1/graph/import`, smallNetwork(p))).status).toBe(200);
    const key = await postJson(`${one.url}/v1/keys`, { role: 'supplier', supplierId: `${p}SUP-T2`, name: `${p}portal` });
    expect(key.status).toBe(201);
    supplierKey = key.body.key;
  });
  afterAll(async () => {
    await one.neo4j.run('MATCH (k:ApiKey) WHERE k.name STARTS WITH $p SET k.revokedAt = coalesce(k.revokedAt, datetime())', { p });
    await one.neo4j.run('MATCH (s:Site) WHERE s.supplierId STARTS WITH $p DETACH DELETE s', { p });
    await deleteByPrefix(one.neo4j, p);
    await two.close();
    await one.close();
  });

  it('keeps one unbroken chain under concurrent writes from two API processes', async () => {
    const auth = { authorization: `Bearer ${one.adminKey}` };
    const supplier = { authorization: `Bearer ${supplierKey}` };
    const writes: Promise<{ status: number }>[] = [];
    for (let i = 0; i < 12; i++) {
      const api = i % 2 ? two : one;
      writes.push(
        postJson(
          `${api.url}/v1/events`,
          {
            id: `${p}EV-${i}`,
            type: 'storm',
            title: `Storm ${i}`,
            severity: 0.2,
            expectedDurationDays: 3,
            geometry: { type: 'Point', coordinates: [0, i] },
            radiusKm: 1,
          },
          auth,
        ),
      );
      writes.push(
        postJson(
          `${api.url}/v1/portal/sites`,
          { ref: `${p}r${i}`, name: `Site ${i}`, kind: 'warehouse', lat: 24 + i / 100, lon: 120, country: 'TW' },
          supplier,
        ),
      );
    }
    for (let i = 0; i < 4; i++) writes.push(postJson(`${(i % 2 ? two : one).url}/v1/keys`, { role: 'analyst', name: `${p}k${i}` }, auth));
    const results = await Promise.all(writes);
    expect(results.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);

    const verify = await getJson(`${two.url}/v1/audit/verify`, auth);
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ ok: true, entries: expect.any(Number), headHash: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const entries = await mine();
    const count = (action: string) => entries.filter((e) => e.action === action).length;
    expect([count('event.push'), count('portal.site.create'), count('key.create')]).toEqual([12, 12, 5]);
    expect(count('graph.import')).toBe(0); // the import's entry carries counts and a body hash, not the ids
    expect(new Set(entries.map((e) => e.seq)).size).toBe(entries.length);
    const site = entries.find((e) => e.action === 'portal.site.create')!;
    expect(site.actor).toEqual({ keyId: expect.stringMatching(/^key_/), role: 'supplier', supplierId: `${p}SUP-T2` });
    expect(site.change).toMatchObject({ name: expect.stringMatching(/^Site \d+$/), kind: 'warehouse', country: 'TW' });
    const event = entries.find((e) => e.action === 'event.push')!;
    expect(event.actor).toEqual({ keyId: 'env:ADMIN_API_KEY', role: 'admin', supplierId: null });
    // Each entry carries the hash of the one before it.
    const page = (await getJson(`${one.url}/v1/audit?limit=2&cursor=${event.seq + 1}`)).body.items as Entry[];
    expect(page[0].seq).toBe(event.seq);
    expect(page[0].prevHash).toBe(page[1].hash);
    expect(JSON.stringify(entries)).not.toMatch(/tsk_/);
  });

  it('names an entry edited directly in Neo4j, and verifies again once it is restored', async () => {
    const target = (await mine()).find((e) => e.action === 'event.push')!;
    const original = await one.neo4j.run('MATCH (a:AuditEntry {seq: $seq}) RETURN a.changeJson AS change', { seq: target.seq });
    const changeJson = original.records[0].get('change') as string;
    try {
      await one.neo4j.run('MATCH (a:AuditEntry {seq: $seq}) SET a.changeJson = $forged', {
        seq: target.seq,
        forged: changeJson.replace('"severity":0.2', '"severity":0.9'),
      });
      const broken = await getJson(`${one.url}/v1/audit/verify`);
      expect(broken.status).toBe(200);
      expect(broken.body).toMatchObject({ ok: false, firstBroken: { seq: target.seq, reason: 'content does not match its hash' } });

      // Recomputing the edited entry's own hash does not help: the next entry no longer links to it.
      await one.neo4j.run('MATCH (a:AuditEntry {seq: $seq}) SET a.actorKeyId = $forged', { seq: target.seq, forged: 'key_someoneelse' });
      expect((await getJson(`${one.url}/v1/audit/verify`)).body.firstBroken.seq).toBe(target.seq);
    } finally {
      await one.neo4j.run('MATCH (a:AuditEntry {seq: $seq}) SET a.changeJson = $changeJson, a.actorKeyId = $keyId', {
        seq: target.seq,
        changeJson,
        keyId: target.actor.keyId,
      });
    }
    expect((await getJson(`${one.url}/v1/audit/verify`)).body).toMatchObject({ ok: true });
  });

  it('is for admins only', async () => {
    const analyst = await postJson(`${one.url}/v1/keys`, { role: 'analyst', name: `${p}reader` });
    for (const path of ['/v1/audit', '/v1/audit/verify']) {
      expect((await getJson(one.url + path, { authorization: `Bearer ${analyst.body.key}` })).status).toBe(403);
      expect((await getJson(one.url + path, { authorization: `Bearer ${supplierKey}` })).status).toBe(403);
    }
    expect((await getJson(`${one.url}/v1/audit?cursor=abc`)).status).toBe(400);
    expect((await requestJson('DELETE', `${one.url}/v1/keys/${analyst.body.id}`)).status).toBe(200);
  });
});
