jest.setTimeout(120_000);

import { deleteByPrefix, getJson, postJson, requestJson, RunningApi, startApi } from '../support/api-harness';
import { smallNetwork } from '../support/small-network';
import { uniquePrefix } from '../support/test-env';
import { CALLERS, Caller, Resource, ROUTE_MATRIX, RouteRow } from './route-matrix.table';

type ApiDocument = { paths: Record<string, Record<string, unknown>> };
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/**
 * Every route of the OpenAPI document × every kind of caller, against the
 * expected statuses of route-matrix.table.ts (issue #13). Every answer is
 * scanned for the names of a masked supplier and its sites: only its owner
 * and admins may ever see them.
 */
describe('role × route matrix (routes from the OpenAPI document, real Neo4j and Redis)', () => {
  const p = uniquePrefix('mtx');
  // Every masked name carries this marker; no id or other text does.
  const MASKED = `${p}masked`;
  let api: RunningApi;
  let document: ApiDocument;
  const tokens = {} as Record<Exclude<Caller, 'none'>, string>;
  const keyIds: string[] = [];
  const resources = {} as Record<Resource, string>;

  const network = () => {
    const n = smallNetwork(p);
    for (const s of n.suppliers ?? []) if (s.id === `${p}SUP-C`) s.name = `${MASKED} Loop Partners`;
    for (const s of n.sites ?? []) if (s.supplierId === `${p}SUP-C`) s.name = `${MASKED} ${s.name}`;
    return n;
  };

  beforeAll(async () => {
    api = await startApi({ QUEUE_PREFIX: p.slice(0, -1), RATE_LIMIT_PER_MINUTE: '100000', WEBHOOK_ALLOWED_TARGETS: '127.0.0.1/32' });
    expect((await postJson(`${api.url}/v1/graph/import`, network())).status).toBe(200);
    const keys: Array<[Exclude<Caller, 'none'>, object]> = [
      ['admin', { role: 'admin', name: `${p}admin` }],
      ['analyst', { role: 'analyst', name: `${p}analyst` }],
      ['owner', { role: 'supplier', supplierId: `${p}SUP-T2`, name: `${p}owner` }],
      ['other', { role: 'supplier', supplierId: `${p}SUP-M`, name: `${p}other` }],
      ['revoked', { role: 'admin', name: `${p}revoked` }],
    ];
    for (const [who, body] of keys) {
      const res = await postJson(`${api.url}/v1/admin/keys`, body);
      expect(res.status).toBe(201);
      tokens[who] = res.body.key;
      keyIds.push(res.body.id);
    }
    expect((await requestJson('DELETE', `${api.url}/v1/admin/keys/${keyIds[keyIds.length - 1]}`)).status).toBe(200);

    // An event over the owner's site T2a: it opens a survey addressed to the owner.
    const event = await postJson(`${api.url}/v1/events`, {
      id: `${p}EV-T2a`,
      type: 'fire',
      title: 'Fire at T2a',
      severity: 0.5,
      expectedDurationDays: 5,
      geometry: { type: 'Point', coordinates: [120.67, 24.15] },
      radiusKm: 2,
    });
    expect(event.status).toBe(201);
    const surveys = await getJson(`${api.url}/v1/portal/surveys`, { authorization: `Bearer ${tokens.owner}` });
    const survey = surveys.body.items.find((s: { site: { id: string } }) => s.site.id === `${p}T2a`);
    expect(survey).toBeDefined();
    const webhook = await postJson(`${api.url}/v1/webhooks`, { url: 'http://127.0.0.1:9/hook', enabled: false });
    expect(webhook.status).toBe(201);

    Object.assign(resources, {
      missing: `${p}no-such-id`,
      missingKey: 'key_nosuchkey',
      missingWebhook: 'wh_nosuchsubscription',
      missingDelivery: 'msg_nosuchdelivery',
      missingFeed: 'no-such-feed',
      missingList: 'list_nosuchlist',
      missingLot: 'urn:epc:class:lgtin:4012345.099999.no-such-lot',
      maskedSupplier: `${p}SUP-C`,
      maskedSite: `${p}C1`,
      sku: `${p}SKU-A`,
      event: `${p}EV-T2a`,
      ownerSupplier: `${p}SUP-T2`,
      ownerSite: `${p}T2a`,
      retiredSite: `${p}T2b`,
      survey: survey.id,
      webhook: webhook.body.id,
    } satisfies Record<Resource, string>);
    document = (await getJson(`${api.url}/docs/openapi.json`)).body as ApiDocument;
  });

  afterAll(async () => {
    if (!api) return;
    for (const id of keyIds) await requestJson('DELETE', `${api.url}/v1/admin/keys/${id}`);
    if (resources.webhook) await requestJson('DELETE', `${api.url}/v1/webhooks/${resources.webhook}`);
    await api.neo4j.run(
      `MATCH (d) WHERE (d:Supplier OR d:Part) AND d.ownerSupplierId STARTS WITH $p OPTIONAL MATCH (d)-[:OPERATES]->(s:Site) DETACH DELETE d, s`,
      { p },
    );
    await api.neo4j.run('MATCH (sv:Survey) WHERE sv.eventId STARTS WITH $p DETACH DELETE sv', { p });
    await deleteByPrefix(api.neo4j, p);
    await api.close();
  });

  const routes = () => Object.entries(document.paths).flatMap(([path, ops]) => METHODS.filter((m) => m in ops).map((m) => `${m.toUpperCase()} ${path}`));

  it('has a row for every route of the document, and a route for every row', () => {
    const listed = routes();
    expect(listed.length).toBeGreaterThan(50);
    expect(listed.filter((route) => !(route in ROUTE_MATRIX))).toEqual([]);
    expect(Object.keys(ROUTE_MATRIX).filter((route) => !listed.includes(route))).toEqual([]);
  });

  it('answers every route × caller with the status of the table, and shows a masked name to its owner and admins alone', async () => {
    const mismatches: string[] = [];
    const leaks: string[] = [];
    const observed: string[] = [];
    const seenBy = new Set<Caller>();
    for (const route of routes()) {
      const row = ROUTE_MATRIX[route];
      if (!row) continue; // reported by the test above
      const [method, path] = route.split(' ');
      const statuses: number[] = [];
      for (const [i, who] of CALLERS.entries()) {
        const res = await call(method, path, row, who);
        statuses.push(res.status);
        if (res.status !== row.expect[i]) mismatches.push(`${route} as ${who}: ${res.status}, expected ${row.expect[i]} ${excerpt(res.text)}`);
        if (res.status >= 400 && !res.type.startsWith('application/problem+json')) mismatches.push(`${route} as ${who}: ${res.status} as ${res.type}`);
        if (res.text.includes(MASKED)) {
          seenBy.add(who);
          if (who !== 'owner' && who !== 'admin') leaks.push(`${route} as ${who} shows a masked name: ${excerpt(res.text)}`);
        }
      }
      observed.push(`  '${route}': [${statuses.join(', ')}],`);
    }
    if (mismatches.length) process.stdout.write(`observed statuses (${CALLERS.join(', ')}):\n${observed.join('\n')}\n`);
    expect(mismatches).toEqual([]);
    expect(leaks).toEqual([]);
    // The scan is not vacuous: the owner reads the names it disclosed.
    expect(seenBy.has('owner')).toBe(true);
  });

  async function call(method: string, path: string, row: RouteRow, who: Caller) {
    const url = api.url + path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(resources[row.params?.[name] ?? 'missing']));
    const headers: Record<string, string> = { authorization: who === 'none' ? '' : `Bearer ${tokens[who]}` };
    let body: string | undefined;
    if (row.csv !== undefined) {
      headers['content-type'] = 'text/csv';
      body = row.csv;
    } else if (row.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(withResources(row.body));
    }
    const res = await fetch(url, { method, headers: Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== '')), body });
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  }

  /** The body with resource names (`maskedSupplier`) replaced by the fixture's ids. */
  function withResources(value: unknown): unknown {
    if (typeof value === 'string') return value in resources ? resources[value as Resource] : value;
    if (Array.isArray(value)) return value.map(withResources);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withResources(v)]));
    return value;
  }
});

const excerpt = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}…` : text);
