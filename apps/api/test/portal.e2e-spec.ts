jest.setTimeout(90_000);

import type { INestApplication } from '@nestjs/common';
import { deleteByPrefix, getFound, getJson, postJson, requestJson, RunningApi, startApi, startWorker } from '../../../test/support/api-harness';
import { obliterateQueues } from '../../../test/support/cleanup';
import { smallNetwork } from '../../../test/support/small-network';
import { uniquePrefix } from '../../../test/support/test-env';
import { eventually } from '../../../test/support/wait';

/**
 * The supplier portal through the real stack (API + worker, real Neo4j and
 * Redis): own sites, sub-tier disclosures as JSON and CSV, the survey flow
 * into the risk engine, and masked names never reaching analysts.
 */
describe('supplier portal (real Neo4j, Redis and worker)', () => {
  const p = uniquePrefix('ptl');
  const queuePrefix = p.slice(0, -1);
  let api: RunningApi;
  let worker: INestApplication;
  let supplier: Record<string, string>;
  let analyst: Record<string, string>;
  const masked: { supplierIds: string[]; siteIds: string[] } = { supplierIds: [], siteIds: [] };
  const exposure = (sku: string) => getFound(`${api.url}/v1/exposures/${p}${sku}`, analyst);
  const csv = (path: string, text: string) => requestJson('POST', `${api.url}${path}`, text, { ...supplier, 'content-type': 'text/csv' });

  beforeAll(async () => {
    api = await startApi({ QUEUE_PREFIX: queuePrefix });
    worker = await startWorker({ QUEUE_PREFIX: queuePrefix });
    expect((await postJson(`${api.url}/v1/graph/import`, smallNetwork(p))).status).toBe(200);
    const s = await postJson(`${api.url}/v1/keys`, { role: 'supplier', supplierId: `${p}SUP-T2`, name: `${p}castings` });
    const a = await postJson(`${api.url}/v1/keys`, { role: 'analyst', name: `${p}analyst` });
    supplier = { authorization: `Bearer ${s.body.key}` };
    analyst = { authorization: `Bearer ${a.body.key}` };
  });
  afterAll(async () => {
    await worker?.close();
    await obliterateQueues(api.app);
    await api.neo4j.run('MATCH (k:ApiKey) WHERE k.name STARTS WITH $p SET k.revokedAt = coalesce(k.revokedAt, datetime())', { p });
    await api.neo4j.run(
      'MATCH (d) WHERE (d:Supplier OR d:Part) AND d.ownerSupplierId STARTS WITH $p OPTIONAL MATCH (d)-[:OPERATES]->(s:Site) DETACH DELETE d, s',
      { p },
    );
    await api.neo4j.run('MATCH (s:Site) WHERE s.supplierId STARTS WITH $p DETACH DELETE s', { p });
    await api.neo4j.run('MATCH (sv:Survey) WHERE sv.eventId STARTS WITH $p DETACH DELETE sv', { p });
    await deleteByPrefix(api.neo4j, p);
    await api.close();
  });

  it('shows the supplier its profile and sites, and lets it add, edit and retire a site with validation', async () => {
    expect((await getJson(`${api.url}/v1/portal/profile`, supplier)).body).toEqual({ id: `${p}SUP-T2`, name: 'Castings Ltd', country: 'TW', siteCount: 2 });
    const added = await postJson(
      `${api.url}/v1/portal/sites`,
      { ref: 'hsinchu', name: 'Hsinchu warehouse', kind: 'warehouse', lat: 24.8, lon: 120.97, country: 'TW' },
      supplier,
    );
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ id: expect.stringMatching(/^S-/), ref: 'hsinchu', ttrDays: 14, status: 'active', source: 'supplier' });
    const id = added.body.id;
    expect(
      (await postJson(`${api.url}/v1/portal/sites`, { ref: 'hsinchu', name: 'Again', kind: 'plant', lat: 1, lon: 1, country: 'TW' }, supplier)).status,
    ).toBe(409);
    for (const bad of [{ lat: 91 }, { country: 'tw' }, { country: 'XX' }, { kind: 'castle' }, { ttrDays: -1 }, { colour: 'red' }]) {
      const res = await requestJson('PATCH', `${api.url}/v1/portal/sites/${id}`, bad, supplier);
      expect([res.status, res.type]).toEqual([400, expect.stringContaining('application/problem+json')]);
    }
    const edited = await requestJson('PATCH', `${api.url}/v1/portal/sites/${id}`, { name: 'Hsinchu hub', lat: 24.81 }, supplier);
    expect(edited.body).toMatchObject({ id, name: 'Hsinchu hub', lat: 24.81, lon: 120.97, kind: 'warehouse' });
    expect((await getJson(`${api.url}/v1/sites/${id}`, analyst)).body).toMatchObject({ supplierId: `${p}SUP-T2`, name: 'Hsinchu hub', source: 'supplier' });

    // Retiring T2b removes its SUPPLIES edges (kept in the audit entry); a retired site cannot be edited.
    const retired = await postJson(`${api.url}/v1/portal/sites/${p}T2b/retire`, {}, supplier);
    expect(retired.body).toMatchObject({ id: `${p}T2b`, status: 'retired', retiredAt: expect.any(String) });
    const left = await api.neo4j.run('MATCH (:Site {id: $id})-[r:SUPPLIES]-() RETURN count(r) AS n', { id: `${p}T2b` });
    expect(Number(left.records[0].get('n'))).toBe(0);
    expect((await requestJson('PATCH', `${api.url}/v1/portal/sites/${p}T2b`, { name: 'x' }, supplier)).status).toBe(409);
    const audit = (await getJson(`${api.url}/v1/audit?limit=20`)).body.items.find(
      (e: { action: string; target: string }) => e.action === 'portal.site.retire' && e.target === `${p}T2b`,
    );
    expect(audit.change.removedEdges).toHaveLength(2);
    expect((await getJson(`${api.url}/v1/portal/sites?status=retired`, supplier)).body.items.map((s: { id: string }) => s.id)).toEqual([`${p}T2b`]);
    // Put T2b back as it was for the survey flow below.
    await api.neo4j.run('MATCH (s:Site {id: $id}) SET s.status = "active", s.retiredAt = null', { id: `${p}T2b` });
    expect((await postJson(`${api.url}/v1/graph/import`, { supplies: smallNetwork(p).supplies!.filter((e) => e.fromSiteId === `${p}T2b`) })).status).toBe(200);
  });

  it('takes sub-tier disclosures as JSON and CSV, all or nothing, with a row-level report', async () => {
    const json = await postJson(
      `${api.url}/v1/portal/subtier`,
      {
        suppliers: [{ ref: 'secret', name: 'Secret Metals GmbH', country: 'DE', visibility: 'masked' }],
        sites: [{ ref: 'secret-foundry', supplierRef: 'secret', name: 'Secret Metals Foundry', kind: 'plant', lat: 24.16, lon: 120.68, country: 'TW' }],
        links: [{ fromSiteRef: 'secret-foundry', toSiteId: `${p}T2a`, part: 'ingot', partName: 'Aluminium ingot', share: 0.6, bufferDays: 2, leadTimeDays: 5 }],
      },
      supplier,
    );
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({
      suppliers: 1,
      sites: 1,
      links: 1,
      ids: { suppliers: { secret: expect.stringMatching(/^SUP-/) }, sites: { 'secret-foundry': expect.stringMatching(/^S-/) } },
    });
    masked.supplierIds.push(json.body.ids.suppliers.secret);
    masked.siteIds.push(json.body.ids.sites['secret-foundry']);

    expect(
      (await csv('/v1/portal/subtier/suppliers.csv', 'ref,name,country,visibility\nhidden,Hidden Alloys,CN,masked\nopen,Open Wire Co,VN,shared\n')).status,
    ).toBe(200);
    const badSites = await csv(
      '/v1/portal/subtier/sites.csv',
      'ref,supplierRef,name,kind,lat,lon,country\nh1,hidden,Hidden Alloys Plant,plant,31.2,121.5,CN\nh2,nobody,X,plant,95,121.5,CN\no1,open,Open Wire Works,castle,10.8,106.6,VN\n',
    );
    expect(badSites.status).toBe(422);
    expect(badSites.type).toContain('application/problem+json');
    expect(badSites.body.errors).toEqual([
      { entity: 'sites', index: 1, line: 3, field: 'lat', message: 'lat must be at most 90' },
      { entity: 'sites', index: 2, line: 4, field: 'kind', message: 'kind must be one of plant, warehouse, port, office' },
    ]);
    const dangling = await csv(
      '/v1/portal/subtier/sites.csv',
      'ref,supplierRef,name,kind,lat,lon,country\nh1,hidden,Hidden Alloys Plant,plant,31.2,121.5,CN\nh2,nobody,X,plant,30,121.5,CN\n',
    );
    expect(dangling.body.errors).toEqual([{ entity: 'sites', index: 1, line: 3, field: 'supplierRef', message: 'no disclosed supplier has this ref' }]);
    expect((await getJson(`${api.url}/v1/portal/subtier/sites`, supplier)).body.items.map((s: { ref: string }) => s.ref).sort()).toEqual(
      ['C1', 'C2', 'secret-foundry'].map((r) => (r.length === 2 ? `${p}${r}` : r)).sort(),
    );
    const sites = await csv(
      '/v1/portal/subtier/sites.csv',
      'ref,supplierRef,name,kind,lat,lon,country\nh1,hidden,Hidden Alloys Plant,plant,31.2,121.5,CN\no1,open,Open Wire Works,plant,10.8,106.6,VN\n',
    );
    expect(sites.status).toBe(200);
    masked.siteIds.push(sites.body.ids.sites.h1);
    const over = await csv('/v1/portal/subtier/links.csv', `fromSiteRef,toSiteId,part,share,bufferDays,leadTimeDays\nh1,${p}T2a,ingot,0.5,1,1\n`);
    expect(over.body.errors).toEqual([
      { entity: 'links', index: 0, line: 2, field: 'share', message: 'the shares of this part into this site would sum to 1.1, more than 1' },
    ]);
    expect((await csv('/v1/portal/subtier/links.csv', `fromSiteRef,toSiteRef,part,share,bufferDays,leadTimeDays\nh1,secret-foundry,ore,1,3,7\n`)).status).toBe(
      200,
    );
    expect((await csv('/v1/portal/subtier/links.csv', 'not,a,header\n"broken')).status).toBe(422);
    expect((await requestJson('POST', `${api.url}/v1/portal/subtier/links.csv`, 'a,b\n', { ...supplier, 'content-type': 'text/plain' })).status).toBe(415);

    const listed = (await getJson(`${api.url}/v1/portal/subtier/suppliers`, supplier)).body.items;
    masked.supplierIds.push(listed.find((s: { ref: string }) => s.ref === 'hidden').id);
    expect(listed.map((s: { name: string; visibility: string }) => `${s.name}:${s.visibility}`).sort()).toEqual([
      'Hidden Alloys:masked',
      'Loop Partners:masked',
      'Open Wire Co:shared',
      'Secret Metals GmbH:masked',
    ]);
    const links = (await getJson(`${api.url}/v1/portal/subtier/links`, supplier)).body.items;
    expect(links).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ fromSiteId: masked.siteIds[0], toSiteId: `${p}T2a`, part: 'ingot', partName: 'Aluminium ingot', share: 0.6 }),
        expect.objectContaining({ fromSiteId: masked.siteIds[1], toSiteId: masked.siteIds[0], part: 'ore', share: 1 }),
      ]),
    );
    expect(JSON.stringify(links)).not.toContain(`${p}M1`); // C2 → M1 leads into another supplier's site
    // Disclosed data is in the graph the analysts read, with supplier provenance, and in the risk projection.
    const upstream = (await getJson(`${api.url}/v1/skus/${p}SKU-A/upstream?depth=5`, analyst)).body;
    expect(JSON.stringify(upstream)).toContain(masked.siteIds[1]);
  });

  it('asks the supplier about an event at its site, and the answer is what the engine uses', async () => {
    const storm = {
      id: `${p}EV-storm`,
      type: 'storm',
      title: 'Typhoon at Kaohsiung',
      severity: 0.8,
      expectedDurationDays: 10,
      geometry: { type: 'Point', coordinates: [120.3, 22.63] },
      radiusKm: 5,
    };
    expect((await postJson(`${api.url}/v1/events`, storm, analyst)).status).toBe(201);
    // Estimate: T2b (0.8, 10) → SKU-B over a 5-day buffer: x 0.8, days 5.
    expect(await eventually('SKU-B exposed on the estimate', async () => ((await exposure('SKU-B'))?.x === 0.8 ? exposure('SKU-B') : null))).toMatchObject({
      x: 0.8,
      days: 5,
    });

    const open = (await getJson(`${api.url}/v1/portal/surveys`, supplier)).body.items;
    expect(open).toEqual([
      expect.objectContaining({
        state: 'potential',
        site: { id: `${p}T2b`, name: 'T2b works' },
        estimate: { x: 0.8, days: 10 },
        impact: { x: 0.8, days: 10 },
        answer: null,
      }),
    ]);
    expect(open[0].event).toMatchObject({ id: `${p}EV-storm`, title: 'Typhoon at Kaohsiung' });
    // Other runs' copies of the same network may sit in the same area: only this run's sites count.
    const ours = <T extends { site: { id: string } }>(items: T[]) => items.filter((s) => s.site.id.startsWith(p));
    const forAnalysts = ours((await getJson(`${api.url}/v1/surveys?eventId=${p}EV-storm&limit=500`, analyst)).body.items);
    expect(forAnalysts).toEqual([
      expect.objectContaining({ id: open[0].id, state: 'potential', supplier: { id: `${p}SUP-T2`, name: 'Castings Ltd' }, ageDays: expect.any(Number) }),
    ]);
    expect((forAnalysts[0] as unknown as { ageDays: number }).ageDays).toBeLessThan(1);

    const id = open[0].id;
    expect((await postJson(`${api.url}/v1/portal/surveys/${id}/answer`, { status: 'restored' }, supplier)).status).toBe(409);
    expect((await postJson(`${api.url}/v1/portal/surveys/${id}/answer`, { status: 'confirmed', capacityLoss: 0.3 }, supplier)).status).toBe(422);
    expect((await postJson(`${api.url}/v1/portal/surveys/${id}/answer`, { status: 'confirmed', capacityLoss: 1.5, recoveryDays: 5 }, supplier)).status).toBe(
      422,
    );
    const answered = await postJson(`${api.url}/v1/portal/surveys/${id}/answer`, { status: 'confirmed', capacityLoss: 0.3, recoveryDays: 20 }, supplier);
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({
      state: 'confirmed',
      answer: { capacityLoss: 0.3, recoveryDays: 20 },
      impact: { x: 0.3, days: 20 },
      answeredAt: expect.any(String),
    });
    // Answer: T2b (0.3, 20) → SKU-B: x 0.3, days 15.
    expect(await eventually('SKU-B recomputed with the answer', async () => ((await exposure('SKU-B'))?.x === 0.3 ? exposure('SKU-B') : null))).toMatchObject({
      x: 0.3,
      days: 15,
      revenueAtRisk: 5000 * 0.3 * 15,
    });
    expect((await getJson(`${api.url}/v1/portal/surveys`, supplier)).body.items).toEqual([]);
    expect((await getJson(`${api.url}/v1/portal/surveys?state=confirmed`, supplier)).body.items.map((s: { id: string }) => s.id)).toEqual([id]);
    expect(ours((await getJson(`${api.url}/v1/surveys?eventId=${p}EV-storm&limit=500`, analyst)).body.items)).toEqual([]);
    const entry = (await getJson(`${api.url}/v1/audit?limit=50`)).body.items.find(
      (e: { action: string; target: string }) => e.action === 'survey.answer' && e.target === id,
    );
    expect(entry.change).toMatchObject({ from: { state: 'potential' }, to: { state: 'confirmed', capacityLoss: 0.3, recoveryDays: 20 } });

    expect((await postJson(`${api.url}/v1/portal/surveys/${id}/answer`, { status: 'restored' }, supplier)).body.impact).toEqual({ x: 0, days: 0 });
    await eventually('SKU-B recovered', async () => (await exposure('SKU-B')) === null);

    // An update of the event reopens the survey: the estimate stands again.
    expect((await postJson(`${api.url}/v1/events`, { ...storm, title: 'Typhoon at Kaohsiung (upgraded)' }, analyst)).status).toBe(201);
    expect((await getJson(`${api.url}/v1/portal/surveys/${id}`, supplier)).body).toMatchObject({ state: 'potential', impact: { x: 0.8, days: 10 } });
    expect(await eventually('SKU-B back on the estimate', async () => ((await exposure('SKU-B'))?.x === 0.8 ? exposure('SKU-B') : null))).toMatchObject({
      days: 5,
    });
    expect((await postJson(`${api.url}/v1/portal/surveys/${id}/answer`, { status: 'no-impact' }, supplier)).body.state).toBe('no-impact');
    await eventually('SKU-B cleared by no-impact', async () => (await exposure('SKU-B')) === null);
  });

  it('never shows analysts the name of a masked supplier or its sites, in any GET endpoint', async () => {
    // An event over T2a and the masked foundry next to it: surveys, hits and exposures that involve masked sites.
    const fire = {
      id: `${p}EV-fire`,
      type: 'fire',
      title: 'Industrial fire in Taichung',
      severity: 1,
      expectedDurationDays: 30,
      geometry: { type: 'Point', coordinates: [120.675, 24.155] },
      radiusKm: 5,
    };
    const pushed = await postJson(`${api.url}/v1/events`, fire, analyst);
    expect(pushed.body.hits.map((h: { siteId: string }) => h.siteId)).toEqual(expect.arrayContaining([`${p}T2a`, masked.siteIds[0]]));
    await eventually('SKU-A exposed by the fire', () => exposure('SKU-A'));

    const names = ['Secret Metals', 'Hidden Alloys', 'Loop Partners', 'C1 works', 'C2 works'];
    const maskedSurvey = (await getJson(`${api.url}/v1/surveys?eventId=${p}EV-fire&limit=500`, analyst)).body.items.find(
      (s: { site: { id: string } }) => s.site.id === masked.siteIds[0],
    );
    expect(maskedSurvey).toMatchObject({ supplier: { id: masked.supplierIds[0], name: null, masked: true }, site: { id: masked.siteIds[0], name: null } });
    const ids: Record<string, string[]> = {
      supplier: [...masked.supplierIds, `${p}SUP-C`, `${p}SUP-T2`],
      site: [...masked.siteIds, `${p}C1`, `${p}C2`],
      sku: [`${p}SKU-A`, `${p}SKU-B`],
      event: [`${p}EV-fire`, `${p}EV-storm`],
    };
    const doc = (await getJson(`${api.url}/docs/openapi.json`)).body as { paths: Record<string, Record<string, unknown>> };
    const seen: string[] = [];
    const leaks: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (
        !('get' in ops) ||
        /^\/(v1\/portal|health|metrics|docs)/.test(path) ||
        path.startsWith('/v1/admin') ||
        path.startsWith('/v1/keys') ||
        path.startsWith('/v1/audit')
      )
        continue;
      const param = /\{[^}]+\}/.exec(path);
      const kind = path.startsWith('/v1/suppliers')
        ? 'supplier'
        : path.startsWith('/v1/sites')
          ? 'site'
          : path.startsWith('/v1/skus') || path.startsWith('/v1/exposures')
            ? 'sku'
            : path.startsWith('/v1/events')
              ? 'event'
              : 'site';
      const urls = param ? (ids[kind] ?? []).map((id) => path.replace(param[0], encodeURIComponent(id))) : [path];
      for (const u of urls) {
        let cursor: string | null = null;
        let pages = 0;
        do {
          const sep = u.includes('?') ? '&' : '?';
          const res = await getJson(`${api.url}${u}${param ? '' : `${sep}limit=500${cursor ? `&cursor=${cursor}` : ''}`}`, analyst);
          if (res.status === 400 && !param && pages === 0) {
            // A list without paging: ask once more without the paging parameters.
            const plain = await getJson(`${api.url}${u}`, analyst);
            check(u, plain.body);
            break;
          }
          check(u, res.body);
          cursor = res.body && typeof res.body === 'object' && 'nextCursor' in res.body ? res.body.nextCursor : null;
          pages++;
        } while (cursor && pages < 50);
      }
    }
    function check(url: string, body: unknown) {
      const text = JSON.stringify(body);
      seen.push(url);
      for (const name of names) if (text.includes(name)) leaks.push(`${url} shows ${name}`);
    }
    expect(seen.length).toBeGreaterThan(15);
    expect(leaks).toEqual([]);
    // Masked, not hidden: the id, country, tier and locations are there.
    const one = (await getJson(`${api.url}/v1/suppliers/${masked.supplierIds[0]}`, analyst)).body;
    expect(one).toMatchObject({ id: masked.supplierIds[0], name: null, masked: true, country: 'DE', visibility: 'masked', tier: 3 });
    expect((await getJson(`${api.url}/v1/sites/${masked.siteIds[0]}`, analyst)).body).toMatchObject({ name: null, lat: 24.16, lon: 120.68, country: 'TW' });
    // The discloser itself still sees the names it gave.
    expect((await getJson(`${api.url}/v1/portal/subtier/suppliers/${masked.supplierIds[0]}`, supplier)).body.name).toBe('Secret Metals GmbH');
  });
});
