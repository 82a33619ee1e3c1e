jest.setTimeout(240_000);
import type { INestApplication } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { Workbook } from 'exceljs';
import { RedisStore } from '@tiersight/queues';
import { deleteByPrefix, getJson, postJson, RunningApi, startApi, startWorker } from '../../../test/support/api-harness';
import { deleteRedisKeys, obliterateQueues } from '../../../test/support/cleanup';
import { uniquePrefix } from '../../../test/support/test-env';
import { eventually } from '../../../test/support/wait';

/**
 * Onboarding through the real stack (API, worker, Neo4j, Redis) on Open
 * Supply Hub's own lists: upload, review in the worker, decisions, confirm
 * through the normal import with its audit entry; refused confirms write
 * nothing; a rejected duplicate pair is not proposed again.
 */

const OSH_RAW = join(__dirname, '..', '..', '..', 'fixtures', 'open-supply-hub', 'facility_lists_raw');
const MAX_BYTES = 200_000;
const MAX_ROWS = 400;
// Two bad rows after list 3's own: a country nobody has, and an address that is only a country.
const BAD_ROWS = 'Narnia,Acme Textiles,"Road 1, Springfield",Apparel\nVietnam,Saigon Garments,Vietnam.,Apparel\n';

interface Row {
  row: number;
  status: 'ok' | 'to-confirm' | 'blocked';
  name: string | null;
  site: { id: string; exists: boolean } | null;
  supplier: { id: string } | null;
  location: { lat: number; lon: number; precision: string; radiusKm: number; how: string[] } | null;
  issues: Array<{ code: string; message: string; blocking: boolean }>;
  duplicates: Array<{ id: string; a: { row?: number; siteId?: string }; b: { row?: number; siteId?: string }; score: number; decision: string | null }>;
}

describe('onboarding a supplier list (real API, worker, Neo4j and Redis)', () => {
  const p = uniquePrefix('onb');
  const queuePrefix = p.slice(0, -1);
  let api: RunningApi;
  let worker: INestApplication;
  const lists: string[] = [];
  const written = new Set<string>();

  const upload = async (bytes: Uint8Array, fileName: string, fields: Record<string, string> = {}) => {
    const form = new FormData();
    form.append('file', new Blob([Buffer.from(bytes)]), fileName);
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    const res = await fetch(`${api.url}/v1/onboarding/lists`, { method: 'POST', body: form, headers: { authorization: `Bearer ${api.adminKey}` } });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', location: res.headers.get('location'), body: text ? JSON.parse(text) : null };
  };
  const reviewed = async (bytes: Uint8Array, fileName: string) => {
    const res = await upload(bytes, fileName);
    expect(res.status).toBe(202);
    lists.push(res.body.id);
    return eventually('the review', async () => {
      const list = await getJson(`${api.url}/v1/onboarding/lists/${res.body.id}`);
      if (list.body?.status === 'failed') throw new Error(list.body.error);
      return list.body?.status === 'ready' ? list.body : null;
    });
  };
  const allRows = async (id: string): Promise<Row[]> => {
    const out: Row[] = [];
    let cursor: string | null = null;
    do {
      const res = await getJson(`${api.url}/v1/onboarding/lists/${id}?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      out.push(...res.body.rows.items);
      cursor = res.body.rows.nextCursor;
    } while (cursor);
    for (const r of out) for (const id of [r.site?.id, r.supplier?.id]) if (id) written.add(id);
    return out;
  };
  const decide = (id: string, body: object) => postJson(`${api.url}/v1/onboarding/lists/${id}/decisions`, body);
  const confirm = (id: string) => postJson(`${api.url}/v1/onboarding/lists/${id}/confirm`, {});
  const siteCount = async () => Number((await api.neo4j.run("MATCH (s:Site) WHERE s.id STARTS WITH 'SITE-OB-' RETURN count(s) AS n")).records[0].get('n'));
  const rejectionsOf = async (listId: string) =>
    (await api.neo4j.run('MATCH (r:DuplicateRejection {listId: $listId}) RETURN r.a AS a, r.b AS b', { listId })).records.map((r) => [r.get('a'), r.get('b')]);
  const auditOf = async (listId: string) => {
    const res = await getJson(`${api.url}/v1/audit?limit=100`);
    return (res.body.items as Array<{ action: string; change: { origin?: { onboardingListId?: string }; counts?: { sites: number } } }>).filter(
      (e) => e.change.origin?.onboardingListId === listId,
    );
  };
  /** Every decision a list needs: blocked rows rejected, pins accepted, proposals as `pairAction` says. */
  const decideAll = async (id: string, rows: Row[], pairAction: (pair: Row['duplicates'][number]) => 'confirm' | 'reject') => {
    const pairs = new Map(rows.flatMap((r) => r.duplicates.map((d) => [d.id, pairAction(d)] as const)));
    const res = await decide(id, {
      rows: rows.filter((r) => r.status !== 'ok').map((r) => ({ row: r.row, action: r.status === 'blocked' ? 'reject' : 'accept' })),
      pairs: [...pairs].map(([pairId, action]) => ({ id: pairId, action })),
    });
    expect(res.status).toBe(200);
  };

  const list3 = new Uint8Array(Buffer.concat([readFileSync(join(OSH_RAW, '3.csv')), Buffer.from(BAD_ROWS)]));
  let first: { id: string; rows: Row[] };

  beforeAll(async () => {
    api = await startApi({ QUEUE_PREFIX: queuePrefix, ONBOARDING_MAX_BYTES: String(MAX_BYTES), ONBOARDING_MAX_ROWS: String(MAX_ROWS) });
    worker = await startWorker({ QUEUE_PREFIX: queuePrefix });
  });

  afterAll(async () => {
    await worker?.close();
    if (!api) return;
    await obliterateQueues(api.app);
    await deleteRedisKeys(api.app.get(RedisStore).client, queuePrefix);
    await api.neo4j.run('MATCH (r:DuplicateRejection) WHERE r.listId IN $lists DELETE r', { lists });
    await api.neo4j.run('MATCH (n) WHERE n.id IN $ids DETACH DELETE n', { ids: [...written] });
    await deleteByPrefix(api.neo4j, p);
    await api.close();
  });

  it('answers a file it cannot read with a 4xx problem+json', async () => {
    const problem = (res: { status: number; type: string; body: { type: string } }, status: number, slug: string) => {
      expect({ status: res.status, slug: res.body?.type?.split('/').pop() }).toEqual({ status, slug });
      expect(res.type).toContain('application/problem+json');
    };
    problem(await upload(Buffer.from('%PDF-1.7\n1 0 obj\n'), 'list.pdf'), 415, 'unsupported-list-format');
    problem(await upload(Buffer.from('address,country\nRoad 1,DE\n'), 'list.csv'), 422, 'unreadable-list');
    problem(await upload(Buffer.from('name,address\n"Acme,Road 1\nOther,"x"y\n'), 'list.csv'), 422, 'unreadable-list');
    problem(await upload(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'list.xlsx'), 422, 'unreadable-list');
    problem(await upload(Buffer.from('name\nAcme\n'), 'list.csv', { mapping: '{"name": ' }), 422, 'invalid-column-mapping');
    problem(await upload(Buffer.from('name\nAcme\n'), 'list.csv', { mapping: '{"name": "Fabrik"}' }), 422, 'invalid-column-mapping');
    problem(await upload(Buffer.alloc(MAX_BYTES + 1, 'a'), 'big.csv'), 413, 'payload-too-large');
    problem(
      await upload(Buffer.from(['name', ...Array.from({ length: MAX_ROWS + 1 }, (_, i) => `Plant ${i}`)].join('\n')), 'long.csv'),
      413,
      'list-too-many-rows',
    );
    const form = new FormData();
    form.append('mapping', '{}');
    const noFile = await fetch(`${api.url}/v1/onboarding/lists`, { method: 'POST', body: form, headers: { authorization: `Bearer ${api.adminKey}` } });
    expect(noFile.status).toBe(422);
    problem({ ...(await postJson(`${api.url}/v1/onboarding/lists`, { name: 'x' })) }, 415, 'unsupported-media-type');
    problem(await getJson(`${api.url}/v1/onboarding/lists/list_doesnotexist`), 404, 'not-found');
    problem(await getJson(`${api.url}/v1/onboarding/lists/..%2Fx`), 400, 'bad-request');
  });

  it('reviews a real list in the worker: every row with its proposed supplier and site, where it landed, how sure, and why not', async () => {
    const res = await upload(list3, 'open-supply-hub-3.csv');
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'queued', progress: { done: 0, total: 21 }, file: { format: 'csv', encoding: 'utf-8', delimiter: ',' } });
    expect(res.body.file.columns).toEqual({ country: 'country', name: 'name', address: 'address', sector: 'sector' });
    expect(res.location).toBe(`/v1/onboarding/lists/${res.body.id}`);
    lists.push(res.body.id);
    const list = await eventually('the review', async () => {
      const body = (await getJson(`${api.url}/v1/onboarding/lists/${res.body.id}`)).body;
      return body?.status === 'ready' ? body : null;
    });
    expect(list.progress).toEqual({ done: 21, total: 21, fraction: 1 });
    expect(list.summary).toMatchObject({ rows: 21, blocked: 1 });
    expect(list.attribution).toMatch(/GeoNames/);
    const rows = await allRows(list.id);
    expect(rows.map((r) => r.row)).toEqual(Array.from({ length: 21 }, (_, i) => i + 2));
    const regina = rows.find((r) => r.row === 5)!;
    expect(regina).toMatchObject({ name: 'Regina Miracle Intimate Apparel (Shenzhen) Ltd.', status: 'ok' });
    expect(regina.site!.id).toMatch(/^SITE-OB-[0-9a-f]{16}$/);
    expect(regina.location).toMatchObject({ precision: 'city' });
    expect(regina.location!.how.length).toBeGreaterThan(0);
    const narnia = rows.find((r) => r.row === 21)!;
    expect(narnia).toMatchObject({ status: 'blocked', site: null, location: null });
    expect(narnia.issues).toContainEqual(expect.objectContaining({ code: 'country-unknown', blocking: true }));
    const saigon = rows.find((r) => r.row === 22)!;
    expect(saigon).toMatchObject({ status: 'to-confirm', location: { precision: 'country' } });
    // Nothing is in the graph before the confirm.
    expect((await getJson(`${api.url}/v1/sites/${regina.site!.id}`)).status).toBe(404);
    first = { id: list.id, rows };
  });

  it('takes decisions, refuses a confirm while some are missing, then writes through the normal import with its audit entry', async () => {
    const { id, rows } = first;
    const before = await siteCount();
    expect((await decide(id, { rows: [{ row: 999, action: 'accept' }] })).status).toBe(422);
    expect((await decide(id, { rows: [{ row: 22, action: 'edit', lat: 10.8 }] })).status).toBe(422);
    expect((await decide(id, { rows: [{ row: 22, action: 'edit', lat: 95, lon: 106 }] })).status).toBe(400);
    expect((await decide(id, { pairs: [{ id: 'd999', action: 'reject' }] })).status).toBe(422);

    const refused = await confirm(id);
    expect(refused.status).toBe(409);
    expect(refused.type).toContain('application/problem+json');
    expect(refused.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ row: 21, message: expect.stringContaining('Narnia') }), expect.objectContaining({ row: 22 })]),
    );
    expect(await siteCount()).toBe(before);

    await decideAll(id, rows, () => 'reject');
    expect((await decide(id, { rows: [{ row: 22, action: 'edit', lat: 10.78, lon: 106.7 }] })).status).toBe(200);
    const done = await confirm(id);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ id, status: 'confirmed', confirmation: { sites: 20, rejected: 1 } });
    expect(await siteCount()).toBe(before + 20);

    const regina = rows.find((r) => r.row === 5)!;
    const site = await getJson(`${api.url}/v1/sites/${regina.site!.id}`);
    expect(site.status).toBe(200);
    expect(site.body).toMatchObject({ supplierId: regina.supplier!.id, name: regina.name, country: 'CN', kind: 'plant' });
    expect(site.body.lat).toBeCloseTo(regina.location!.lat, 6);
    const edited = await getJson(`${api.url}/v1/sites/${rows.find((r) => r.row === 22)!.site!.id}`);
    expect(edited.body).toMatchObject({ lat: 10.78, lon: 106.7, country: 'VN' });
    expect((await getJson(`${api.url}/v1/suppliers/${regina.supplier!.id}`)).status).toBe(200);

    const audit = await auditOf(id);
    expect(audit).toEqual([
      expect.objectContaining({ action: 'graph.import', change: expect.objectContaining({ counts: expect.objectContaining({ sites: 20 }) }) }),
    ]);
    const again = await getJson(`${api.url}/v1/onboarding/lists/${id}`);
    expect(again.body).toMatchObject({ status: 'confirmed', confirmation: { sites: 20 } });
    expect((await confirm(id)).status).toBe(409);
    expect((await decide(id, { rows: [{ row: 5, action: 'reject' }] })).status).toBe(409);
  });

  it('proposes a facility of a later list (XLSX) against the confirmed sites; a refused import writes nothing; a rejected pair is not proposed again', async () => {
    const reginaSite = first.rows.find((r) => r.row === 5)!.site!.id;
    const records = parse(readFileSync(join(OSH_RAW, '7.csv')), { bom: true }) as string[][];
    const wb = new Workbook();
    const sheet = wb.addWorksheet('Facilities');
    for (const record of records) sheet.addRow(record);
    const xlsx = new Uint8Array(await wb.xlsx.writeBuffer());

    const list = await reviewed(xlsx, 'open-supply-hub-7.xlsx');
    expect(list.file).toMatchObject({ format: 'xlsx', sheet: 'Facilities' });
    const rows = await allRows(list.id);
    // Row 8 is list 3's Regina Miracle written another way.
    const pair = rows.find((r) => r.row === 8)!.duplicates.find((d) => d.a.siteId === reginaSite || d.b.siteId === reginaSite);
    expect(pair).toBeDefined();
    expect(pair!.score).toBeGreaterThanOrEqual(0.8);

    await decideAll(list.id, rows, () => 'reject');
    // An existing SKU with the id of a proposed site: the import's own rule (site and SKU ids never collide) refuses the whole confirm.
    const clash = rows.find((r) => r.status !== 'blocked' && r.row !== 8)!.site!.id;
    expect((await postJson(`${api.url}/v1/graph/import`, { skus: [{ id: clash, name: `${p}clash`, dailyRevenue: 1 }] })).status).toBe(200);
    written.add(clash);
    const before = await siteCount();
    const refused = await confirm(list.id);
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toContainEqual(expect.objectContaining({ entity: 'sites', field: 'id' }));
    expect(await siteCount()).toBe(before);
    expect(await rejectionsOf(list.id)).toEqual([]);
    expect(await auditOf(list.id)).toEqual([]);
    expect((await getJson(`${api.url}/v1/onboarding/lists/${list.id}`)).body.status).toBe('ready');

    await api.neo4j.run('MATCH (k:Sku {id: $id}) DETACH DELETE k', { id: clash });
    const done = await confirm(list.id);
    expect(done.status).toBe(200);
    const row8Site = rows.find((r) => r.row === 8)!.site!.id;
    expect(await rejectionsOf(list.id)).toContainEqual([reginaSite, row8Site].sort());
    expect(await auditOf(list.id)).toHaveLength(1);

    // The same list again: its sites are the ones just written (an update), and the rejected pair is not proposed.
    const again = await reviewed(new Uint8Array(readFileSync(join(OSH_RAW, '7.csv'))), 'open-supply-hub-7.csv');
    const rowsAgain = await allRows(again.id);
    const row8 = rowsAgain.find((r) => r.row === 8)!;
    expect(row8.site).toMatchObject({ id: row8Site, exists: true });
    expect(row8.duplicates.some((d) => d.a.siteId === reginaSite || d.b.siteId === reginaSite)).toBe(false);
    expect(new Set(rowsAgain.filter((r) => r.site?.exists).map((r) => r.site!.id)).size).toBe(done.body.confirmation.sites);
  });
});
