jest.setTimeout(90_000);

import { deleteByPrefix, getJson, postJson, requestJson, RunningApi, startApi } from '../../../test/support/api-harness';
import { smallNetwork } from '../../../test/support/small-network';
import { uniquePrefix } from '../../../test/support/test-env';

type Who = 'none' | 'revoked' | 'admin' | 'analyst' | 'supplierA' | 'supplierB';
type Role = 'admin' | 'analyst' | 'supplier';

/**
 * Who may call what, written out here rather than read from the code: a new
 * route is probed automatically (it comes from the OpenAPI document) and must
 * fit one of these rules, or the test fails until someone decides.
 */
function allowedRoles(method: string, path: string): Role[] | 'public' {
  if (path.startsWith('/health') || path === '/metrics') return 'public';
  if (path === '/v1/me') return ['admin', 'analyst', 'supplier'];
  if (path.startsWith('/v1/portal/')) return ['supplier'];
  if (/^\/v1\/(admin\/|keys|audit)/.test(path)) return ['admin'];
  if (path === '/v1/dead-letters' || (method === 'post' && path === '/v1/feeds/{id}/pull')) return ['admin'];
  // EPCIS: a supplier captures at its own sites and reads what happened there; analysts read; unmapped locations and traces are the buyer's.
  if (path === '/v1/epcis/unmapped-locations') return ['admin'];
  if (method === 'post' && path === '/v1/epcis/capture') return ['admin', 'supplier'];
  if (path.startsWith('/v1/epcis/')) return ['admin', 'analyst', 'supplier'];
  // The risk link: a supplier lists the lots flagged at its own sites.
  if (path === '/v1/trace/flagged') return ['admin', 'analyst', 'supplier'];
  return ['admin', 'analyst'];
}

const roleOf = (who: Who): Role | null => (who === 'admin' ? 'admin' : who === 'analyst' ? 'analyst' : who.startsWith('supplier') ? 'supplier' : null);

describe('access: keys, roles, rate limits (real Neo4j and Redis)', () => {
  const p = uniquePrefix('acc');
  let api: RunningApi;
  const tokens = {} as Record<Who, string>;
  const keyIds = {} as Record<Who, string>;
  const bearer = (who: Who) => (who === 'none' ? { authorization: '' } : { authorization: `Bearer ${tokens[who]}` });

  beforeAll(async () => {
    api = await startApi({ QUEUE_PREFIX: p.slice(0, -1) });
    expect((await postJson(`${api.url}/v1/graph/import`, smallNetwork(p))).status).toBe(200);
    const specs: [Who, object][] = [
      ['admin', { role: 'admin', name: `${p}admin` }],
      ['analyst', { role: 'analyst', name: `${p}analyst` }],
      ['supplierA', { role: 'supplier', supplierId: `${p}SUP-T2`, name: `${p}castings` }],
      ['supplierB', { role: 'supplier', supplierId: `${p}SUP-M`, name: `${p}assembler` }],
      ['revoked', { role: 'admin', name: `${p}revoked` }],
    ];
    for (const [who, body] of specs) {
      const res = await postJson(`${api.url}/v1/admin/keys`, body);
      expect(res.status).toBe(201);
      tokens[who] = res.body.key;
      keyIds[who] = res.body.id;
    }
    expect((await requestJson('DELETE', `${api.url}/v1/admin/keys/${keyIds.revoked}`)).status).toBe(200);
  });
  afterAll(async () => {
    for (const who of ['admin', 'analyst', 'supplierA', 'supplierB'] as Who[]) await requestJson('DELETE', `${api.url}/v1/admin/keys/${keyIds[who]}`);
    await api.neo4j.run(
      `MATCH (d) WHERE (d:Supplier OR d:Part) AND d.ownerSupplierId STARTS WITH $p OPTIONAL MATCH (d)-[:OPERATES]->(s:Site) DETACH DELETE d, s`,
      { p },
    );
    await api.neo4j.run('MATCH (sv:Survey) WHERE sv.eventId STARTS WITH $p DETACH DELETE sv', { p });
    await deleteByPrefix(api.neo4j, p);
    await api.close();
  });

  it('creates keys shown once, stores only their SHA-256, lists them with last use and revokes them', async () => {
    const created = await postJson(`${api.url}/v1/keys`, { role: 'analyst', name: `${p}once` }); // the DESIGN §7.1 path
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.stringMatching(/^key_/), key: expect.stringMatching(/^tsk_/), role: 'analyst', supplierId: null });
    const stored = await api.neo4j.run('MATCH (k:ApiKey {id: $id}) RETURN properties(k) AS k', { id: created.body.id });
    const props = stored.records[0].get('k') as Record<string, unknown>;
    expect(JSON.stringify(props)).not.toContain(created.body.key);
    expect(props.hash).toMatch(/^[0-9a-f]{64}$/);

    expect((await getJson(`${api.url}/v1/skus`, { authorization: `Bearer ${created.body.key}` })).status).toBe(200);
    const listed = await getJson(`${api.url}/v1/admin/keys?limit=500`);
    const mine = listed.body.items.find((k: { id: string }) => k.id === created.body.id);
    expect(mine).toMatchObject({ role: 'analyst', name: `${p}once`, revokedAt: null });
    expect(Date.parse(mine.lastUsedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(JSON.stringify(listed.body)).not.toMatch(/tsk_|"hash"/);

    expect((await requestJson('DELETE', `${api.url}/v1/keys/${created.body.id}`)).body.revokedAt).toEqual(expect.any(String));
    const after = await getJson(`${api.url}/v1/skus`, { authorization: `Bearer ${created.body.key}` });
    expect(after.status).toBe(401);
    expect(after.type).toContain('application/problem+json');
    expect((await getJson(`${api.url}/v1/admin/keys?limit=500`)).body.items.some((k: { id: string }) => k.id === created.body.id)).toBe(false);
    expect((await requestJson('DELETE', `${api.url}/v1/admin/keys/key_doesnotexist`)).status).toBe(404);
  });

  it('tells each key who it stands for at /v1/me', async () => {
    const me = async (who: Who) => (await getJson(`${api.url}/v1/me`, bearer(who))).body;
    expect(await me('analyst')).toEqual({ keyId: keyIds.analyst, role: 'analyst', supplierId: null });
    expect(await me('admin')).toEqual({ keyId: keyIds.admin, role: 'admin', supplierId: null });
    expect(await me('supplierA')).toEqual({ keyId: keyIds.supplierA, role: 'supplier', supplierId: `${p}SUP-T2` });
    expect(await me('supplierB')).toEqual({ keyId: keyIds.supplierB, role: 'supplier', supplierId: `${p}SUP-M` });
    expect((await getJson(`${api.url}/v1/me`, bearer('revoked'))).status).toBe(401);
  });

  it('refuses bad key requests with a 422 problem', async () => {
    const cases = [
      { role: 'supplier' },
      { role: 'supplier', supplierId: `${p}NOPE` },
      { role: 'analyst', supplierId: `${p}SUP-T2` },
      { role: 'root' },
      { role: 'admin', extra: 1 },
    ];
    for (const body of cases) {
      const res = await postJson(`${api.url}/v1/admin/keys`, body);
      expect([400, 422]).toContain(res.status);
      expect(res.type).toContain('application/problem+json');
    }
  });

  it('answers 401 for no key, an unknown key and a malformed header, all as problem+json with WWW-Authenticate', async () => {
    for (const authorization of ['', 'Bearer tsk_unknown', 'Basic abc', 'Bearer']) {
      const res = await fetch(`${api.url}/v1/exposures`, { headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('gives every role exactly the routes of the access table (routes from the OpenAPI document)', async () => {
    const doc = (await getJson(`${api.url}/docs/openapi.json`)).body as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method, path })));
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.some((r) => r.path.startsWith('/v1/portal/'))).toBe(true);
    const failures: string[] = [];
    for (const { method, path } of routes) {
      // Placeholder ids that exist nowhere: an allowed call may answer 404 or 422, never touch real data.
      const url = api.url + path.replace(/\{[^}]+\}/g, 'no-such-id-x');
      const allowed = allowedRoles(method, path);
      for (const who of ['none', 'revoked', 'admin', 'analyst', 'supplierA', 'supplierB'] as Who[]) {
        const res = await requestJson(method.toUpperCase(), url, method === 'get' || method === 'delete' ? undefined : {}, bearer(who));
        const role = roleOf(who);
        let expected: string;
        if (allowed === 'public') expected = 'not 401/403';
        else if (who === 'none' || who === 'revoked') expected = '401';
        else expected = allowed.includes(role!) ? 'not 401/403' : '403';
        const ok = expected === 'not 401/403' ? res.status !== 401 && res.status !== 403 && res.status < 500 : res.status === Number(expected);
        if (!ok) failures.push(`${method.toUpperCase()} ${path} as ${who}: ${res.status}, expected ${expected}`);
        if (res.status >= 400 && !res.type.includes('application/problem+json')) failures.push(`${method.toUpperCase()} ${path} as ${who}: ${res.type}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('never shows a supplier anything of another supplier, in any route, field or error', async () => {
    // Supplier B's data: its record, its site, a sub-tier it disclosed, and a survey on its site.
    const keyB = bearer('supplierB');
    const disclosed = await postJson(
      `${api.url}/v1/portal/subtier`,
      {
        suppliers: [{ ref: 'b-sub', name: 'Bravo Hidden Metals', country: 'MX', visibility: 'masked' }],
        sites: [{ ref: 'b-sub-site', supplierRef: 'b-sub', name: 'Bravo Hidden Foundry', kind: 'plant', lat: 25.7, lon: -100.2, country: 'MX' }],
        links: [{ fromSiteRef: 'b-sub-site', toSiteId: `${p}M1`, part: 'b-part', share: 0.1, bufferDays: 1, leadTimeDays: 1 }],
      },
      keyB,
    );
    expect(disclosed.status).toBe(200);
    const event = await postJson(`${api.url}/v1/events`, {
      id: `${p}EV-at-M1`,
      type: 'fire',
      title: 'Fire',
      severity: 0.5,
      expectedDurationDays: 5,
      geometry: { type: 'Point', coordinates: [-100.31, 25.67] },
      radiusKm: 3,
    });
    expect(event.status).toBe(201);
    const surveysB = await getJson(`${api.url}/v1/portal/surveys`, keyB);
    const surveyB = surveysB.body.items.find((s: { site: { id: string } }) => s.site.id === `${p}M1`);
    expect(surveyB).toBeDefined();

    const foreignIds = [
      `${p}SUP-M`,
      `${p}M1`,
      disclosed.body.ids.suppliers['b-sub'],
      disclosed.body.ids.sites['b-sub-site'],
      disclosed.body.ids.parts['b-part'],
      surveyB.id,
    ];
    const secrets = [...foreignIds, 'Assembler', 'M1 works', 'Bravo Hidden Metals', 'Bravo Hidden Foundry', `${p}EV-at-M1`];
    const doc = (await getJson(`${api.url}/docs/openapi.json`)).body as { paths: Record<string, Record<string, unknown>> };
    const leaks: string[] = [];
    const keyA = bearer('supplierA');
    for (const [path, ops] of Object.entries(doc.paths)) {
      const placeholders = path.includes('{') ? foreignIds : ['none'];
      for (const method of Object.keys(ops)) {
        for (const id of placeholders) {
          const url = api.url + path.replace(/\{[^}]+\}/g, encodeURIComponent(id));
          const body = method === 'get' || method === 'delete' ? undefined : path.endsWith('.csv') ? 'ref,name,country,visibility\n' : {};
          const headers = path.endsWith('.csv') ? { ...keyA, 'content-type': 'text/csv' } : keyA;
          const res = await requestJson(method.toUpperCase(), url, body, headers);
          // An error may echo what the caller sent (`instance` is the request path); anything else is a leak.
          const { instance: _echo, ...rest } = typeof res.body === 'object' && res.body ? res.body : { instance: null };
          const text = JSON.stringify(rest).split(id).join('<sent>');
          for (const secret of secrets) if (text.includes(secret)) leaks.push(`${method.toUpperCase()} ${path} (${id}) shows ${secret}`);
          if (path.includes('{') && res.status >= 200 && res.status < 300) leaks.push(`${method.toUpperCase()} ${path} (${id}) answered ${res.status}`);
          if (res.status >= 500) leaks.push(`${method.toUpperCase()} ${path} (${id}) answered ${res.status}`);
        }
      }
    }
    // Writes naming B's site as a target: refused as if the site did not exist.
    const aimed = await postJson(
      `${api.url}/v1/portal/subtier`,
      {
        suppliers: [{ ref: 'a-sub', name: 'Alpha Sub', country: 'TW', visibility: 'shared' }],
        sites: [{ ref: 'a-sub-site', supplierRef: 'a-sub', name: 'Alpha Sub Plant', kind: 'plant', lat: 24, lon: 120.5, country: 'TW' }],
        links: [{ fromSiteRef: 'a-sub-site', toSiteId: `${p}M1`, part: 'x', share: 0.1, bufferDays: 1, leadTimeDays: 1 }],
      },
      keyA,
    );
    expect(aimed.status).toBe(422);
    expect(aimed.body.errors).toEqual([{ entity: 'links', index: 0, field: 'toSiteId', message: 'site does not exist' }]);
    const nowhere = await postJson(
      `${api.url}/v1/portal/subtier`,
      {
        ...JSON.parse(JSON.stringify({ suppliers: [], sites: [], links: [] })),
        links: [{ fromSiteRef: 'nope', toSiteId: `${p}NOWHERE`, part: 'x', share: 0.1, bufferDays: 1, leadTimeDays: 1 }],
      },
      keyA,
    );
    expect(nowhere.body.errors.find((e: { field: string }) => e.field === 'toSiteId')).toEqual(aimed.body.errors[0]);
    for (const path of [
      `/v1/portal/sites/${p}M1`,
      `/v1/portal/subtier/suppliers/${disclosed.body.ids.suppliers['b-sub']}`,
      `/v1/portal/surveys/${surveyB.id}`,
    ]) {
      const foreign = await getJson(api.url + path, keyA);
      const absent = await getJson(
        api.url + path.replace(/[^/]+$/, 'no-such-id-x').replace('/surveys/no-such-id-x', `/surveys/sv_${Buffer.from('x\ny').toString('base64url')}`),
        keyA,
      );
      expect([foreign.status, foreign.body.detail]).toEqual([404, absent.body.detail]);
    }
    // A's own lists hold A's data (the search above is not vacuous).
    expect((await getJson(`${api.url}/v1/portal/sites`, keyA)).body.items.map((s: { id: string }) => s.id).sort()).toEqual([`${p}T2a`, `${p}T2b`]);
    expect((await getJson(`${api.url}/v1/portal/subtier/suppliers`, keyA)).body.items).toEqual([
      expect.objectContaining({ id: `${p}SUP-C`, name: 'Loop Partners', visibility: 'masked' }),
    ]);
    expect(leaks).toEqual([]);
  });

  it('limits requests per key with 429 and Retry-After, counted in Redis across API processes', async () => {
    const limited = uniquePrefix('rate').slice(0, -1);
    const one = await startApi({ QUEUE_PREFIX: limited, RATE_LIMIT_PER_MINUTE: '3' });
    const two = await startApi({ QUEUE_PREFIX: limited, RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const key = { authorization: `Bearer ${tokens.analyst}` };
      expect((await getJson(`${one.url}/v1/skus?limit=1`, key)).status).toBe(200);
      expect((await getJson(`${two.url}/v1/skus?limit=1`, key)).status).toBe(200);
      expect((await getJson(`${one.url}/v1/skus?limit=1`, key)).status).toBe(200);
      const res = await fetch(`${two.url}/v1/skus?limit=1`, { headers: key });
      expect(res.status).toBe(429);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      // Another key has its own budget; health is never limited.
      expect((await getJson(`${one.url}/v1/skus?limit=1`, { authorization: `Bearer ${tokens.admin}` })).status).toBe(200);
      for (let i = 0; i < 5; i++) expect((await getJson(`${one.url}/health/live`)).status).toBe(200);
    } finally {
      await one.close();
      await two.close();
    }
  });
});
