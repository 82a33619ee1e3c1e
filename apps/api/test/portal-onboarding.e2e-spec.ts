jest.setTimeout(240_000);
import type { INestApplication } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RedisStore } from '@tiersight/queues';
import { deleteByPrefix, getJson, postJson, requestJson, RunningApi, startApi, startWorker } from '../../../test/support/api-harness';
import { deleteRedisKeys, obliterateQueues } from '../../../test/support/cleanup';
import { uniquePrefix } from '../../../test/support/test-env';
import { eventually } from '../../../test/support/wait';

/**
 * A supplier's list of its own sites through the real stack (API, worker,
 * Neo4j, Redis): uploaded in the portal, reviewed against the supplier's own
 * sites only, decided and confirmed through the portal's write path; coarse
 * pins wait for the supplier, who moves or confirms them; another supplier
 * never sees the list nor is named in it.
 */

const LIST = readFileSync(join(__dirname, '..', '..', '..', 'fixtures', 'onboarding', 'portal-own-sites.csv'));
/** Row 6 of the fixture gives only a country: placed at its centre, a pin to confirm. */
const COARSE_ROW = 6;
const PRECISIONS = ['city', 'admin1', 'country'];

interface Pair {
  id: string;
  a: { row?: number; siteId?: string; name?: string | null };
  b: { row?: number; siteId?: string; name?: string | null };
  decision: string | null;
}
interface Row {
  row: number;
  name: string | null;
  status: 'ok' | 'to-confirm' | 'blocked';
  site: { id: string | null; exists: boolean } | null;
  location: { lat: number; lon: number; precision: string; radiusKm: number } | null;
  duplicates: Pair[];
}
interface Site {
  id: string;
  name: string;
  lat: number;
  lon: number;
  source: string;
  locationPrecision: string | null;
  locationRadiusKm: number | null;
  locationToConfirm: boolean;
}

describe("a supplier's own address list in the portal (real API, worker, Neo4j and Redis)", () => {
  const p = uniquePrefix('pob');
  const queuePrefix = p.slice(0, -1);
  let api: RunningApi;
  let worker: INestApplication;
  const keys = {} as Record<'owner' | 'other' | 'analyst', Record<string, string>>;
  const lists: string[] = [];
  const own = `${p}SUP-OWN`;
  // A site of the owner at the fixture's Vénissieux address, and another supplier's at its Stuttgart one, both with the list's names.
  const ownSite = `${p}OWN-VEN`;
  const otherSite = `${p}OTH-STG`;

  const upload = async (bytes: Uint8Array, fileName: string, auth: Record<string, string>, path = '/v1/portal/onboarding/lists', mapping?: object) => {
    const form = new FormData();
    form.append('file', new Blob([Buffer.from(bytes)]), fileName);
    if (mapping) form.append('mapping', JSON.stringify(mapping));
    const res = await fetch(`${api.url}${path}`, { method: 'POST', body: form, headers: auth });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', location: res.headers.get('location'), body: text ? JSON.parse(text) : null };
  };
  const listOf = (id: string, auth = keys.owner) => getJson(`${api.url}/v1/portal/onboarding/lists/${id}?limit=100`, auth);
  const reviewed = async (id: string, auth = keys.owner, path = '/v1/portal/onboarding/lists') =>
    eventually(
      'the review',
      async () => {
        const list = await getJson(`${api.url}${path}/${id}?limit=100`, auth);
        if (list.body?.status === 'failed') throw new Error(list.body.error);
        return list.body?.status === 'ready' ? list.body : null;
      },
      90_000,
    );
  const decide = (id: string, body: object, auth = keys.owner) => postJson(`${api.url}/v1/portal/onboarding/lists/${id}/decisions`, body, auth);
  const confirm = (id: string, auth = keys.owner) => postJson(`${api.url}/v1/portal/onboarding/lists/${id}/confirm`, {}, auth);
  const ownSites = async (query = '') => (await getJson(`${api.url}/v1/portal/sites?limit=200${query}`, keys.owner)).body.items as Site[];
  const audit = async () =>
    (await getJson(`${api.url}/v1/audit?limit=100`)).body.items as Array<{ seq: number; action: string; target: string; change: Record<string, unknown> }>;
  const expectProblem = (res: { status: number; type: string }, status: number) => {
    expect({ status: res.status, problem: res.type.startsWith('application/problem+json') }).toEqual({ status, problem: true });
  };

  let first: { id: string; rows: Row[]; confirmed: Array<{ row: number; action: string; siteId?: string }> };
  let buyerListId: string;
  /** what the buyer's confirm wrote (ids derived from the rows, not the run's prefix) */
  const buyerWritten: string[] = [];

  beforeAll(async () => {
    api = await startApi({ QUEUE_PREFIX: queuePrefix });
    worker = await startWorker({ QUEUE_PREFIX: queuePrefix });
    const imported = await postJson(`${api.url}/v1/graph/import`, {
      suppliers: [
        { id: own, name: 'Castings Ltd', country: 'TW' },
        { id: `${p}SUP-OTH`, name: 'Feuerbach Metall GmbH', country: 'DE' },
      ],
      sites: [
        { id: ownSite, supplierId: own, name: 'Usine de Vénissieux', kind: 'plant', lat: 45.6975, lon: 4.8861, country: 'FR' },
        { id: otherSite, supplierId: `${p}SUP-OTH`, name: 'Werk Stuttgart-Feuerbach', kind: 'plant', lat: 48.8102, lon: 9.1613, country: 'DE' },
      ],
    });
    expect(imported.status).toBe(200);
    for (const [who, body] of [
      ['owner', { role: 'supplier', supplierId: own, name: `${p}owner` }],
      ['other', { role: 'supplier', supplierId: `${p}SUP-OTH`, name: `${p}other` }],
      ['analyst', { role: 'analyst', name: `${p}analyst` }],
    ] as const) {
      const key = await postJson(`${api.url}/v1/keys`, body);
      expect(key.status).toBe(201);
      keys[who] = { authorization: `Bearer ${key.body.key}` };
    }
  });

  afterAll(async () => {
    await worker?.close();
    if (!api) return;
    await obliterateQueues(api.app);
    await deleteRedisKeys(api.app.get(RedisStore).client, queuePrefix);
    await api.neo4j.run('MATCH (k:ApiKey) WHERE k.name STARTS WITH $p SET k.revokedAt = coalesce(k.revokedAt, datetime())', { p });
    await api.neo4j.run('MATCH (r:DuplicateRejection) WHERE r.listId IN $lists DELETE r', { lists });
    await api.neo4j.run('MATCH (s:Site) WHERE s.supplierId STARTS WITH $p DETACH DELETE s', { p });
    await api.neo4j.run('MATCH (n) WHERE n.id IN $ids DETACH DELETE n', { ids: buyerWritten });
    await deleteByPrefix(api.neo4j, p);
    await api.close();
  });

  it('answers bad input with a 4xx problem+json', async () => {
    const form = new FormData();
    form.append('mapping', '{}');
    const noFile = await fetch(`${api.url}/v1/portal/onboarding/lists`, { method: 'POST', body: form, headers: keys.owner });
    expectProblem({ status: noFile.status, type: noFile.headers.get('content-type') ?? '' }, 422);
    expectProblem(await postJson(`${api.url}/v1/portal/onboarding/lists`, { name: 'x' }, keys.owner), 415);
    expectProblem(await upload(Buffer.from('%PDF-1.7\n1 0 obj\n'), 'sites.pdf', keys.owner), 415);
    expectProblem(await upload(Buffer.from('address,country\nRoad 1,DE\n'), 'sites.csv', keys.owner), 422);
    // A supplier's own list holds at most 2,000 sites, whatever a buyer's list may hold.
    const long = await upload(Buffer.from(['Site name', ...Array.from({ length: 2001 }, (_, i) => `Plant ${i}`)].join('\n')), 'long.csv', keys.owner);
    expectProblem(long, 413);
    expect(long.body.type).toMatch(/list-too-many-rows$/);
    expectProblem(await listOf('list_doesnotexist'), 404);
    expectProblem(await listOf('..%2Fx'), 400);
    expectProblem(await decide('list_doesnotexist', { rows: [] }), 404);
    expectProblem(await confirm('list_doesnotexist'), 404);
    // The portal's routes are for supplier keys, the buyer's for buyer keys.
    expectProblem(await upload(LIST, 'sites.csv', keys.analyst), 403);
    expectProblem(await upload(LIST, 'sites.csv', keys.owner, '/v1/onboarding/lists'), 403);
  });

  it('reviews the list against the supplier’s own sites only: every row a site of its own, placed with a precision', async () => {
    const res = await upload(LIST, 'our-sites.csv', keys.owner);
    expect(res.status).toBe(202);
    expect(res.location).toBe(`/v1/portal/onboarding/lists/${res.body.id}`);
    expect(res.body).toMatchObject({
      status: 'queued',
      progress: { done: 0, total: 5 },
      links: { confirm: `/v1/portal/onboarding/lists/${res.body.id}/confirm` },
    });
    // The site column names the sites; the supplier column beside it is left out.
    expect(res.body.file.columns).toMatchObject({ name: 'Site name', address: 'Street address', country: 'Country' });
    expect(res.body.file.unmappedColumns).toEqual(['Supplier']);
    lists.push(res.body.id);

    const list = await reviewed(res.body.id);
    expect(list.summary).toMatchObject({ rows: 5, blocked: 0 });
    const rows = list.rows.items as Row[];
    expect(rows.map((r) => r.name)).toEqual([
      'Taichung Die-Casting Plant',
      'Werk Stuttgart-Feuerbach',
      'Usine de Vénissieux',
      'Planta Escobedo',
      'Northern assembly line',
    ]);
    for (const r of rows) {
      expect(r).not.toHaveProperty('supplier');
      expect(r.site).toMatchObject({ id: null, exists: false });
      expect(PRECISIONS).toContain(r.location?.precision);
      expect(r.location!.radiusKm).toBeGreaterThan(0);
    }
    const coarse = rows.find((r) => r.row === COARSE_ROW)!;
    expect(coarse).toMatchObject({ status: 'to-confirm', location: { precision: 'country' } });

    // Its own same-named site is proposed (the comparison works) …
    const venissieux = rows.find((r) => r.name === 'Usine de Vénissieux')!;
    const sides = venissieux.duplicates.flatMap((d) => [d.a, d.b]);
    expect(sides).toContainEqual(expect.objectContaining({ siteId: ownSite, name: 'Usine de Vénissieux' }));
    // … another supplier's same-named site next door never is, not even by id.
    expect(JSON.stringify(list)).not.toContain(otherSite);
    expect(rows.find((r) => r.name === 'Werk Stuttgart-Feuerbach')!.duplicates).toEqual([]);
    // The buyer's review of the same file (names from the same column) does propose it: what keeps it out of the supplier's is the scope.
    const buyers = await upload(LIST, 'our-sites.csv', { authorization: `Bearer ${api.adminKey}` }, '/v1/onboarding/lists', { name: 'Site name' });
    expect(buyers.status).toBe(202);
    lists.push(buyers.body.id);
    const buyerList = await reviewed(buyers.body.id, { authorization: `Bearer ${api.adminKey}` }, '/v1/onboarding/lists');
    expect(JSON.stringify(buyerList.rows.items)).toContain(otherSite);
    buyerListId = buyerList.id;

    first = { id: res.body.id, rows, confirmed: [] };
  });

  it('keeps the list to its supplier: another supplier and the buyer’s routes read it as absent', async () => {
    const { id } = first;
    expectProblem(await listOf(id, keys.other), 404);
    expectProblem(await decide(id, { rows: [{ row: 2, action: 'reject' }] }, keys.other), 404);
    expectProblem(await confirm(id, keys.other), 404);
    expectProblem(await getJson(`${api.url}/v1/onboarding/lists/${id}`), 404);
    expectProblem(await postJson(`${api.url}/v1/onboarding/lists/${id}/confirm`, {}), 404);
    // Nothing was decided by the other supplier.
    expect((await listOf(id)).body.rows.items.every((r: { decision: unknown }) => r.decision === null)).toBe(true);
  });

  it('confirms after the pins to confirm and the proposals are decided, writing every row as a site of the supplier with its placement', async () => {
    const { id, rows } = first;
    const before = (await ownSites()).length;
    const refused = await confirm(id);
    expectProblem(refused, 409);
    expect(refused.body.errors).toContainEqual(expect.objectContaining({ row: COARSE_ROW }));
    expect((await ownSites()).length).toBe(before);

    const pairs = rows.flatMap((r) => r.duplicates.map((d) => ({ id: d.id, action: 'confirm' })));
    const decided = await decide(id, { rows: rows.filter((r) => r.status === 'to-confirm').map((r) => ({ row: r.row, action: 'accept' })), pairs });
    expect(decided.status).toBe(200);
    const done = await confirm(id);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ id, status: 'confirmed', confirmation: { suppliers: 0, sites: 4, merged: 1, rejected: 0 } });
    const venissieuxRow = rows.find((r) => r.name === 'Usine de Vénissieux')!.row;
    expect(done.body.rows).toContainEqual({ row: venissieuxRow, action: 'merge', siteId: ownSite, into: 'site' });
    const written = (done.body.rows as Array<{ row: number; action: string; siteId: string; supplierId?: string }>).filter((o) => o.action === 'write');
    expect(written).toHaveLength(4);
    for (const o of written) expect(o).toMatchObject({ siteId: expect.stringMatching(/^S-/), supplierId: own });

    const sites = new Map((await ownSites()).map((s) => [s.id, s]));
    expect(sites.size).toBe(before + 4);
    for (const o of written) {
      const row = rows.find((r) => r.row === o.row)!;
      expect(sites.get(o.siteId)).toMatchObject({
        name: row.name,
        lat: row.location!.lat,
        lon: row.location!.lon,
        source: 'supplier',
        locationPrecision: row.location!.precision,
        locationRadiusKm: row.location!.radiusKm,
        locationToConfirm: row.status === 'to-confirm',
      });
    }
    const coarseId = written.find((o) => o.row === COARSE_ROW)!.siteId;
    expect(sites.get(coarseId)).toMatchObject({ locationPrecision: 'country', locationToConfirm: true });
    // The site imported with coordinates, into which a row merged, was placed by a person: no flag.
    expect(sites.get(ownSite)).toMatchObject({ locationPrecision: null, locationRadiusKm: null, locationToConfirm: false });
    const waiting = (await ownSites('&locationToConfirm=true')).map((s) => s.id).sort();
    expect(waiting).toEqual(
      written
        .filter((o) => rows.find((r) => r.row === o.row)!.status === 'to-confirm')
        .map((o) => o.siteId)
        .sort(),
    );
    expect(waiting).toContain(coarseId);

    // Analysts see the flag on the same site.
    const analystView = await getJson(`${api.url}/v1/sites/${coarseId}`, keys.analyst);
    expect(analystView.body).toMatchObject({ supplierId: own, locationPrecision: 'country', locationToConfirm: true });
    expect((await getJson(`${api.url}/v1/sites/${otherSite}`, keys.analyst)).body).toMatchObject({ locationPrecision: null, locationToConfirm: false });

    const entry = (await audit()).find((e) => e.action === 'portal.sites.list' && (e.change as { listId?: string }).listId === id);
    expect(entry).toMatchObject({ target: own });
    expect(entry!.change.created).toHaveLength(4);
    expect((await listOf(id)).body).toMatchObject({ status: 'confirmed', confirmation: { sites: 4 } });
    expectProblem(await confirm(id), 409);
    expectProblem(await decide(id, { rows: [{ row: 2, action: 'reject' }] }), 409);
    first.confirmed = written;
  });

  it('clears the flag when the supplier moves the pin (audited), and not when an edit repeats the coordinates', async () => {
    const coarseId = first.confirmed.find((o) => o.row === COARSE_ROW)!.siteId!;
    const site = (await getJson(`${api.url}/v1/portal/sites/${coarseId}`, keys.owner)).body as Site;
    expect(site.locationToConfirm).toBe(true);
    expectProblem(await getJson(`${api.url}/v1/portal/sites/${coarseId}`, keys.other), 404);
    expectProblem(await requestJson('PATCH', `${api.url}/v1/portal/sites/${coarseId}`, { lat: 21.03 }, keys.other), 404);

    const same = await requestJson(
      'PATCH',
      `${api.url}/v1/portal/sites/${coarseId}`,
      { name: 'Northern assembly line (Hanoi)', lat: site.lat, lon: site.lon },
      keys.owner,
    );
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ name: 'Northern assembly line (Hanoi)', locationToConfirm: true, locationPrecision: 'country' });

    const moved = await requestJson('PATCH', `${api.url}/v1/portal/sites/${coarseId}`, { lat: 21.03, lon: 105.85 }, keys.owner);
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      lat: 21.03,
      lon: 105.85,
      locationPrecision: null,
      locationRadiusKm: null,
      locationToConfirm: false,
      source: 'supplier',
    });
    expect((await getJson(`${api.url}/v1/sites/${coarseId}`, keys.analyst)).body).toMatchObject({ lat: 21.03, locationToConfirm: false });
    const entry = (await audit()).find((e) => e.action === 'portal.site.update' && e.target === coarseId && 'locationToConfirm' in e.change);
    expect(entry!.change).toMatchObject({
      lat: { to: 21.03 },
      lon: { to: 105.85 },
      locationToConfirm: { from: true, to: false },
      locationPrecision: { from: 'country', to: null },
    });
  });

  it('confirms a pin where it stands: the flag goes, the precision stays, audited once', async () => {
    const res = await upload(Buffer.from('Site name,Address,Country\nSouthern warehouse,,Viet Nam\n'), 'one-more.csv', keys.owner);
    expect(res.status).toBe(202);
    lists.push(res.body.id);
    const list = await reviewed(res.body.id);
    const [row] = list.rows.items as Row[];
    expect(row).toMatchObject({ status: 'to-confirm', location: { precision: 'country' } });
    expect((await decide(res.body.id, { rows: [{ row: row.row, action: 'accept' }] })).status).toBe(200);
    const done = await confirm(res.body.id);
    expect(done.status).toBe(200);
    const siteId = done.body.rows[0].siteId as string;
    expectProblem(await postJson(`${api.url}/v1/portal/sites/${siteId}/confirm-location`, {}, keys.other), 404);

    const confirmed = await postJson(`${api.url}/v1/portal/sites/${siteId}/confirm-location`, {}, keys.owner);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({
      id: siteId,
      lat: row.location!.lat,
      lon: row.location!.lon,
      locationPrecision: 'country',
      locationToConfirm: false,
    });
    const entries = (await audit()).filter((e) => e.action === 'portal.site.confirm-location' && e.target === siteId);
    expect(entries).toHaveLength(1);
    expect(entries[0].change).toMatchObject({ locationToConfirm: { from: true, to: false }, locationPrecision: 'country' });
    // Again: nothing waits, nothing is written.
    const head = (await audit())[0].seq;
    expect((await postJson(`${api.url}/v1/portal/sites/${siteId}/confirm-location`, {}, keys.owner)).body).toMatchObject({ locationToConfirm: false });
    expect((await audit())[0].seq).toBe(head);
    expect((await ownSites('&locationToConfirm=true')).map((s) => s.id)).not.toContain(siteId);
  });

  it("flags the coarse pins of a buyer's list confirmed through the import the same way", async () => {
    const admin = { authorization: `Bearer ${api.adminKey}` };
    const rows = (await getJson(`${api.url}/v1/onboarding/lists/${buyerListId}?limit=100`, admin)).body.rows.items as Row[];
    const pairs = [...new Set(rows.flatMap((r) => r.duplicates.map((d) => d.id)))].map((id) => ({ id, action: 'reject' }));
    const toConfirm = rows.filter((r) => r.status === 'to-confirm').map((r) => ({ row: r.row, action: 'accept' }));
    expect((await postJson(`${api.url}/v1/onboarding/lists/${buyerListId}/decisions`, { rows: toConfirm, pairs }, admin)).status).toBe(200);
    const done = await postJson(`${api.url}/v1/onboarding/lists/${buyerListId}/confirm`, {}, admin);
    expect(done.status).toBe(200);
    const written = done.body.rows as Array<{ row: number; action: string; siteId: string; supplierId: string }>;
    for (const o of written) buyerWritten.push(o.siteId, o.supplierId);
    expect(written.map((o) => o.action)).toEqual(['write', 'write', 'write', 'write', 'write']);
    for (const o of written) {
      const row = rows.find((r) => r.row === o.row)!;
      const site = await getJson(`${api.url}/v1/sites/${o.siteId}`, keys.analyst);
      expect(site.body).toMatchObject({
        locationPrecision: row.location!.precision,
        locationRadiusKm: row.location!.radiusKm,
        locationToConfirm: row.status === 'to-confirm',
      });
    }
    expect(written.find((o) => o.row === COARSE_ROW)).toBeDefined();
    const listed = (await getJson(`${api.url}/v1/sites?limit=500`, keys.analyst)).body.items as Site[];
    expect(listed.find((s) => s.id === written.find((o) => o.row === COARSE_ROW)!.siteId)).toMatchObject({ locationToConfirm: true });
    expect(listed.find((s) => s.id === otherSite)).toMatchObject({ locationPrecision: null, locationToConfirm: false });

    // An import that gives the flagged site coordinates of its own replaces the pin: the flag and how it was found go;
    // one that repeats them keeps both.
    const coarse = written.find((o) => o.row === COARSE_ROW)!;
    const before = (await getJson(`${api.url}/v1/sites/${coarse.siteId}`, keys.analyst)).body;
    const reimport = (lat: number, lon: number) =>
      postJson(
        `${api.url}/v1/graph/import`,
        { sites: [{ id: coarse.siteId, supplierId: coarse.supplierId, name: before.name, kind: before.kind, lat, lon, country: before.country }] },
        admin,
      );
    expect((await reimport(before.lat, before.lon)).status).toBe(200);
    expect((await getJson(`${api.url}/v1/sites/${coarse.siteId}`, keys.analyst)).body).toMatchObject({
      locationToConfirm: true,
      locationPrecision: before.locationPrecision,
    });
    expect((await reimport(before.lat + 0.01, before.lon)).status).toBe(200);
    expect((await getJson(`${api.url}/v1/sites/${coarse.siteId}`, keys.analyst)).body).toMatchObject({
      locationToConfirm: false,
      locationPrecision: null,
      locationRadiusKm: null,
    });
  });
});
