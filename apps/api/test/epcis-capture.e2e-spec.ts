jest.setTimeout(180_000);

import type { INestApplication } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { verifyReceipt } from '@tiersight/traceability';
import { deleteByPrefix, getJson, postJson, requestJson, RunningApi, startApi, startWorker } from '../../../test/support/api-harness';
import { obliterateQueues } from '../../../test/support/cleanup';
import { uniquePrefix } from '../../../test/support/test-env';
import {
  capture,
  CaptureStatus,
  deleteCaptures,
  epcisDocument,
  eventUrl,
  fixtureFiles,
  fixtureLines,
  postCapture,
  readFixture,
  settled,
} from './epcis-support';

const MAX_EVENTS = 50;
const MAX_BYTES = 200_000;

// Sites by GLN: A1 is supplier A's (the openepcis sample's readPoint 0614141.07346.1234 lies within its GLN), B1 supplier B's.
const GLN_A1 = 'urn:epc:id:sgln:0614141.07346.0';
const GLN_B1 = 'urn:epc:id:sgln:4012345.00005.0';
const UNMAPPED = 'urn:epc:id:sgln:4012345.00009.0';

const observe = (readPoint: string, serial: string, over: object = {}) => ({
  type: 'ObjectEvent',
  eventTime: '2024-05-01T10:00:00+02:00',
  eventTimeZoneOffset: '+02:00',
  action: 'OBSERVE',
  bizStep: 'receiving',
  epcList: [`urn:epc:id:sgtin:4012345.011111.${serial}`],
  readPoint: { id: readPoint },
  ...over,
});

describe('EPCIS capture, identity and receipts (real API, worker, Neo4j and Redis)', () => {
  const p = uniquePrefix('epc');
  const queuePrefix = p.slice(0, -1);
  let api: RunningApi;
  let worker: INestApplication;
  const keys = { supplierA: '', supplierB: '', analyst: '' };
  const captures: string[] = [];
  const track = (c: CaptureStatus) => {
    captures.push(c.captureId);
    return c;
  };

  beforeAll(async () => {
    api = await startApi({ QUEUE_PREFIX: queuePrefix, EPCIS_MAX_EVENTS: String(MAX_EVENTS), EPCIS_MAX_BYTES: String(MAX_BYTES) });
    worker = await startWorker({ QUEUE_PREFIX: queuePrefix });
    const site = (id: string, supplierId: string, gln?: string) => ({
      id: p + id,
      supplierId: p + supplierId,
      name: id,
      kind: 'plant',
      lat: 10,
      lon: 10,
      country: 'DE',
      ...(gln ? { gln } : {}),
    });
    const imported = await postJson(`${api.url}/v1/graph/import`, {
      suppliers: [
        { id: p + 'SUP-A', name: 'Alpha', country: 'DE' },
        { id: p + 'SUP-B', name: 'Bravo', country: 'DE' },
      ],
      sites: [site('A1', 'SUP-A', GLN_A1), site('B1', 'SUP-B', GLN_B1), site('B2', 'SUP-B')],
    });
    expect(imported.status).toBe(200);
    for (const [who, body] of [
      ['supplierA', { role: 'supplier', supplierId: p + 'SUP-A' }],
      ['supplierB', { role: 'supplier', supplierId: p + 'SUP-B' }],
      ['analyst', { role: 'analyst' }],
    ] as const) {
      const res = await postJson(`${api.url}/v1/admin/keys`, body);
      expect(res.status).toBe(201);
      keys[who] = `Bearer ${res.body.key}`;
    }
  });

  afterAll(async () => {
    await worker.close();
    await obliterateQueues(api.app);
    await deleteCaptures(api.neo4j, captures);
    // Sites added through the portal get platform ids; they are found by their supplier.
    await api.neo4j.run('MATCH (s:Site) WHERE s.supplierId STARTS WITH $p DETACH DELETE s', { p });
    await deleteByPrefix(api.neo4j, p);
    await api.close();
  });

  it('reads a site GLN in any form into its canonical Digital Link, and refuses a bad one by row', async () => {
    const site = await getJson(`${api.url}/v1/sites/${p}A1`);
    expect(site.body.gln).toBe('https://id.gs1.org/414/0614141073467');
    const bad = await postJson(`${api.url}/v1/graph/import`, {
      sites: [{ id: p + 'X1', supplierId: p + 'SUP-A', name: 'x', kind: 'plant', lat: 1, lon: 1, country: 'DE', gln: '0614141073468' }],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([{ entity: 'sites', index: 0, field: 'gln', message: expect.stringContaining('check digit') }]);
    const taken = await postJson(`${api.url}/v1/graph/import`, {
      sites: [{ id: p + 'X2', supplierId: p + 'SUP-A', name: 'x', kind: 'plant', lat: 1, lon: 1, country: 'DE', gln: '4012345000054' }],
    });
    expect(taken.status).toBe(422);
    expect(taken.body.errors[0]).toMatchObject({ field: 'gln', message: expect.stringContaining(`${p}B1`) });
  });

  it('lets a supplier give its own site a GLN through the portal, then capture there; a GLN another site holds is refused', async () => {
    const created = await requestJson(
      'POST',
      `${api.url}/v1/portal/sites`,
      { name: 'Dock', kind: 'warehouse', lat: 1, lon: 1, country: 'DE', gln: 'urn:epc:id:sgln:4012345.00003.0' },
      { authorization: keys.supplierA },
    );
    expect(created.status).toBe(201);
    expect(created.body.gln).toBe('https://id.gs1.org/414/4012345000030');
    const dock = created.body.id as string;
    const done = track(await capture(api.url, epcisDocument([observe('https://id.gs1.org/414/4012345000030/254/2', '401')]), keys.supplierA));
    expect(done.status).toBe('succeeded');
    const at = await api.neo4j.run('MATCH (e:EpcisEvent {captureId: $id})-[:AT]->(s:Site) RETURN s.id AS site', { id: done.captureId });
    expect(at.records.map((r) => r.get('site'))).toEqual([dock]);

    const edit = (gln: unknown) => requestJson('PATCH', `${api.url}/v1/portal/sites/${dock}`, { gln }, { authorization: keys.supplierA });
    expect((await edit('4012345000030')).body.gln).toBe('https://id.gs1.org/414/4012345000030');
    expect((await edit('4012345000054')).status).toBe(409);
    const bad = await edit('4012345000031');
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([{ field: 'gln', message: expect.stringContaining('check digit') }]);
    const renamed = await requestJson('PATCH', `${api.url}/v1/portal/sites/${dock}`, { name: 'Dock 2' }, { authorization: keys.supplierA });
    expect(renamed.body).toMatchObject({ name: 'Dock 2', gln: 'https://id.gs1.org/414/4012345000030' });
    const cleared = await edit(null);
    expect(cleared.status).toBe(200);
    expect(cleared.body.gln).toBeNull();

    // A sub-tier site the supplier discloses carries its GLN too; it is not the supplier's own site to capture at.
    const disclosed = await requestJson(
      'POST',
      `${api.url}/v1/portal/subtier`,
      {
        suppliers: [{ ref: 'sub', name: 'Sub Co', country: 'DE', visibility: 'shared' }],
        sites: [{ ref: 'sub-1', supplierRef: 'sub', name: 'Sub plant', kind: 'plant', lat: 1, lon: 1, country: 'DE', gln: 'urn:epc:id:sgln:4012345.00004.0' }],
        links: [],
      },
      { authorization: keys.supplierA },
    );
    expect(disclosed.status).toBe(200);
    const subSite = await getJson(`${api.url}/v1/sites/${disclosed.body.ids.sites['sub-1']}`);
    expect(subSite.body.gln).toBe('https://id.gs1.org/414/4012345000047');
    const notOwn = await postCapture(api.url, epcisDocument([observe('urn:epc:id:sgln:4012345.00004.0', '402')]), keys.supplierA);
    expect(notOwn.status).toBe(403);
    await api.neo4j.run('MATCH (d:Supplier {ownerSupplierId: $owner}) OPTIONAL MATCH (d)-[:OPERATES]->(s:Site) DETACH DELETE d, s', { owner: p + 'SUP-A' });
  });

  it('captures a valid document posted as JSON-LD: 202 with a capture to poll, every event once, tied to its site by GLN', async () => {
    const sample = readFixture('openepcis/valid/ObjectEvent_with_userExtensions.json');
    const accepted = await postCapture(api.url, sample, keys.supplierA);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ captureId: expect.stringMatching(/^cap_/), status: 'pending', eventCount: 2, links: { self: expect.any(String) } });
    expect(accepted.headers.get('location')).toBe(`/v1/epcis/capture/${accepted.body.captureId}`);
    const done = track(await settled(api.url, accepted.body.captureId, keys.supplierA));
    expect(done).toMatchObject({ status: 'succeeded', counts: { events: 2, captured: 2, duplicates: 0, flagged: 0 }, errors: [] });
    expect(done.merkleRoot).toMatch(/^[0-9a-f]{64}$/);

    const stored = await api.neo4j.run(
      'MATCH (e:EpcisEvent {captureId: $id}) WITH e ORDER BY e.seq RETURN e.eventHash AS hash, [(e)-[:AT]->(s:Site) | s.id] AS sites',
      { id: done.captureId },
    );
    expect(stored.records.map((r) => r.get('sites'))).toEqual([[`${p}A1`], [`${p}A1`]]);
    const hash = stored.records[0].get('hash') as string;
    const one = await getJson(eventUrl(api.url, hash), { authorization: keys.supplierA });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      eventId: hash,
      eventHash: hash,
      declaredEventId: null,
      captureId: done.captureId,
      sites: [{ siteId: `${p}A1`, via: 'readPoint' }],
    });
    expect(one.body.event).toMatchObject({ type: 'ObjectEvent', eventID: hash, recordTime: expect.any(String) });

    // The same document again: nothing new is stored, both events are counted as duplicates.
    const again = track(await capture(api.url, sample));
    expect(again).toMatchObject({ status: 'succeeded', counts: { captured: 0, duplicates: 2 } });
    const count = await api.neo4j.run('MATCH (e:EpcisEvent) WHERE e.eventHash IN $hashes RETURN count(e) AS n', {
      hashes: stored.records.map((r) => r.get('hash') as string),
    });
    expect(count.records[0].get('n')).toBe(2);
  });

  it('refuses every invalid openepcis sample with 400 problem+json locating each problem by JSON pointer, and stores nothing', async () => {
    const before = (await api.neo4j.run('MATCH (c:EpcisCapture) RETURN count(c) AS n')).records[0].get('n') as number;
    const files = fixtureFiles('openepcis/invalid', '.json');
    expect(files).toHaveLength(15);
    for (const file of files) {
      const res = await postCapture(api.url, readFixture(`openepcis/invalid/${file}`), undefined, 'application/json');
      expect({ file, status: res.status, type: res.type }).toEqual({ file, status: 400, type: expect.stringContaining('application/problem+json') });
      expect(res.body.type).toBe('https://tiersight.dev/problems/epcis-invalid-document');
      expect(res.body.errors.length).toBeGreaterThan(0);
      for (const error of res.body.errors)
        expect(error).toEqual(expect.objectContaining({ pointer: expect.stringMatching(/^(\/|$)/), message: expect.any(String) }));
    }
    const action = await postCapture(api.url, readFixture('openepcis/invalid/ObjectEvent_with_invalid_action.json'));
    expect(action.body.errors.map((e: { pointer: string }) => e.pointer)).toContain('/epcisBody/eventList/0/action');
    expect((await api.neo4j.run('MATCH (c:EpcisCapture) RETURN count(c) AS n')).records[0].get('n')).toBe(before);
  });

  it('captures every EPCISDocument of the event-hash vectors under the published hashes, and flags a declared hash that differs', async () => {
    const documents = fixtureFiles('eventhash', '.jsonld').filter((f) => readFixture(`eventhash/${f}`).type === 'EPCISDocument');
    expect(documents.length).toBeGreaterThanOrEqual(12);
    for (const file of documents) {
      const done = track(await capture(api.url, readFixture(`eventhash/${file}`)));
      expect({ file, status: done.status }).toEqual({ file, status: 'succeeded' });
      if (file.includes('IgnoreFields')) expect(done.counts.flagged).toBe(1);
      // Every published hash but the ignore-fields vector's first event (it carries repository fields the vectors leave out) is found.
      const hashes = fixtureLines(`eventhash/${file.replace('.jsonld', '.hashes')}`);
      for (const hash of new Set(hashes)) {
        const res = await getJson(eventUrl(api.url, hash));
        expect({ file, hash, status: res.status, eventHash: res.body.eventHash }).toEqual({ file, hash, status: 200, eventHash: hash });
      }
    }
    const flagged = await getJson(eventUrl(api.url, 'ni:///sha-256;b3d481c5590757ab8361a6cb0e924820feb3b61eb568e7d7703f21a96f76f51d?ver=CBV2.0'));
    expect(flagged.body.declaredHashDiffers).toBe(false);
    const sensor = await api.neo4j.run(`MATCH (e:EpcisEvent) WHERE e.sensorReadingsJson CONTAINS '"Speed"' RETURN e.eventHash AS h LIMIT 1`);
    const withReadings = await getJson(eventUrl(api.url, sensor.records[0].get('h') as string));
    expect(withReadings.body.sensorReadings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'Speed', value: 160, uom: 'KMH', normalisedValue: expect.closeTo(44.444, 2), normalisedUom: 'MTS' }),
      ]),
    );
  });

  it('answers 413 above EPCIS_MAX_EVENTS or EPCIS_MAX_BYTES and 415 for another media type, as problem+json', async () => {
    const many = epcisDocument(Array.from({ length: MAX_EVENTS + 1 }, (_, i) => observe(GLN_A1, `9${i}`)));
    const tooMany = await postCapture(api.url, many);
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.type).toBe('https://tiersight.dev/problems/epcis-too-many-events');
    const big = epcisDocument([observe(GLN_A1, '1', { 'example:note': 'x'.repeat(MAX_BYTES) })]);
    const tooBig = await postCapture(api.url, big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.type).toContain('application/problem+json');
    const text = await postCapture(api.url, epcisDocument([observe(GLN_A1, '1')]), undefined, 'text/plain');
    expect(text.status).toBe(415);
    const malformed = await postCapture(api.url, '{"type": "EPCISDocument",');
    expect(malformed.status).toBe(400);
    expect(malformed.type).toContain('application/problem+json');
  });

  it('lets a supplier key capture only at its own sites (403 naming the location); an admin capture at an unknown location is kept and listed', async () => {
    const atB = epcisDocument([observe(GLN_A1, '501'), observe(GLN_B1, '502')]);
    const refused = await postCapture(api.url, atB, keys.supplierA);
    expect(refused.status).toBe(403);
    expect(refused.type).toContain('application/problem+json');
    expect(refused.body.detail).toContain(GLN_B1);
    expect(refused.body.errors).toEqual([
      { eventIndex: 1, pointer: '/epcisBody/eventList/1/readPoint/id', message: expect.stringContaining('another supplier') },
    ]);
    const unknown = await postCapture(api.url, epcisDocument([observe(UNMAPPED, '503')]), keys.supplierB);
    expect(unknown.status).toBe(403);
    expect(unknown.body.detail).toContain(UNMAPPED);
    expect((await postCapture(api.url, epcisDocument([observe(GLN_A1, '504')]), keys.analyst)).status).toBe(403);

    const own = track(
      await capture(api.url, epcisDocument([observe(GLN_B1, '505', { bizLocation: { id: 'https://id.gs1.org/414/4012345000054' } })]), keys.supplierB),
    );
    expect(own).toMatchObject({ status: 'succeeded', counts: { captured: 1 } });

    const kept = track(await capture(api.url, epcisDocument([observe(UNMAPPED, '506'), observe(UNMAPPED, '507')])));
    expect(kept).toMatchObject({ status: 'succeeded', counts: { captured: 2 } });
    const unmapped = await getJson(`${api.url}/v1/epcis/unmapped-locations?limit=500`);
    expect(unmapped.status).toBe(200);
    expect(unmapped.body.items).toEqual(
      expect.arrayContaining([
        {
          location: 'https://id.gs1.org/414/4012345000092',
          glnBase: 'https://id.gs1.org/414/4012345000092',
          eventCount: 2,
          firstSeen: expect.any(String),
          lastSeen: expect.any(String),
        },
      ]),
    );
    expect(unmapped.body.items.map((l: { location: string }) => l.location)).not.toContain('https://id.gs1.org/414/4012345000054');
    expect((await getJson(`${api.url}/v1/epcis/unmapped-locations`, { authorization: keys.analyst })).status).toBe(403);

    // Once a site takes that GLN, the location is no longer unmapped.
    await postJson(`${api.url}/v1/graph/import`, {
      sites: [{ id: p + 'B2', supplierId: p + 'SUP-B', name: 'B2', kind: 'plant', lat: 10, lon: 10, country: 'DE', gln: '4012345000092' }],
    });
    const after = await getJson(`${api.url}/v1/epcis/unmapped-locations?limit=500`);
    expect(after.body.items.map((l: { location: string }) => l.location)).not.toContain('https://id.gs1.org/414/4012345000092');
  });

  it('shows a supplier only the events at its own sites and only its own captures', async () => {
    const mine = track(await capture(api.url, epcisDocument([observe(GLN_A1, '601', { eventID: `urn:uuid:${p}601` })]), keys.supplierA));
    const theirs = track(await capture(api.url, epcisDocument([observe(GLN_B1, '602', { eventID: `urn:uuid:${p}602` })]), keys.supplierB));
    expect((await getJson(eventUrl(api.url, `urn:uuid:${p}601`), { authorization: keys.supplierA })).status).toBe(200);
    const hidden = await getJson(eventUrl(api.url, `urn:uuid:${p}602`), { authorization: keys.supplierA });
    expect(hidden.status).toBe(404);
    expect(hidden.type).toContain('application/problem+json');
    expect((await getJson(`${eventUrl(api.url, `urn:uuid:${p}602`)}/receipt`, { authorization: keys.supplierA })).status).toBe(404);
    expect((await getJson(eventUrl(api.url, `urn:uuid:${p}602`), { authorization: keys.analyst })).status).toBe(200);
    expect((await getJson(`${api.url}/v1/epcis/capture/${theirs.captureId}`, { authorization: keys.supplierA })).status).toBe(404);
    expect((await getJson(`${api.url}/v1/epcis/capture/${mine.captureId}`, { authorization: keys.supplierA })).status).toBe(200);

    const listed = await getJson(`${api.url}/v1/epcis/events?limit=500`, { authorization: keys.supplierA });
    expect(listed.status).toBe(200);
    const ids = listed.body.epcisBody.queryResults.resultsBody.eventList.map((e: { eventID: string }) => e.eventID);
    expect(ids).toContain(`urn:uuid:${p}601`);
    expect(ids).not.toContain(`urn:uuid:${p}602`);
  });

  it('adds an error declaration carried by a repeat of a stored event (its hash leaves the declaration out)', async () => {
    const event = observe(GLN_A1, '901', { eventID: `urn:uuid:${p}901` });
    const first = track(await capture(api.url, epcisDocument([event])));
    const declared = { ...event, errorDeclaration: { declarationTime: '2024-05-02T00:00:00Z', reason: 'incorrect_data' } };
    const repeat = track(await capture(api.url, epcisDocument([declared])));
    expect(repeat).toMatchObject({ status: 'succeeded', counts: { captured: 0, duplicates: 1 } });
    const one = await getJson(eventUrl(api.url, `urn:uuid:${p}901`));
    expect(one.body).toMatchObject({ captureId: first.captureId, event: { errorDeclaration: { reason: 'incorrect_data' } } });
  });

  it('refuses a whole later document when an eventID it declares already names a different event, with that event’s error', async () => {
    const first = track(await capture(api.url, epcisDocument([observe(GLN_A1, '701', { eventID: `urn:uuid:${p}701` })])));
    expect(first.status).toBe('succeeded');
    const clash = epcisDocument([observe(GLN_A1, '702'), observe(GLN_A1, '703', { eventID: `urn:uuid:${p}701` })]);
    const refused = track(await capture(api.url, clash));
    expect(refused).toMatchObject({
      status: 'failed',
      counts: { events: 2, captured: 0 },
      errors: [{ eventIndex: 1, pointer: '/epcisBody/eventList/1/eventID', message: expect.stringContaining(`urn:uuid:${p}701`) }],
    });
    // All or nothing: the document's other, new event was not stored either.
    const stored = await api.neo4j.run('MATCH (l:Lot {id: $id}) RETURN count(l) AS n', { id: 'https://id.gs1.org/01/04012345111118/21/702' });
    expect(stored.records[0].get('n')).toBe(0);
  });

  it('gives receipts that verify offline, and fail once a stored event is edited in place', async () => {
    const events = [observe(GLN_A1, '801'), observe(GLN_A1, '802'), observe(GLN_A1, '803', { eventID: `urn:uuid:${p}803` })];
    const done = track(await capture(api.url, epcisDocument(events), keys.supplierA));
    const res = await getJson(`${eventUrl(api.url, `urn:uuid:${p}803`)}/receipt`, { authorization: keys.supplierA });
    expect(res.status).toBe(200);
    const receipt = res.body;
    expect(receipt).toMatchObject({ eventId: `urn:uuid:${p}803`, captureId: done.captureId, leafIndex: 2, treeSize: 3, root: done.merkleRoot });
    expect(receipt.auditEntry).toMatchObject({ seq: done.auditSeq, action: 'epcis.capture', change: { merkleRoot: done.merkleRoot, treeSize: 3 } });
    expect(verifyReceipt(receipt)).toMatchObject({ ok: true });
    // The audit chain the root is recorded in still holds.
    expect((await getJson(`${api.url}/v1/audit/verify`)).body.ok).toBe(true);

    const dir = mkdtempSync(join(tmpdir(), 'receipt-'));
    writeFileSync(join(dir, 'good.json'), JSON.stringify(receipt));
    const cli = (file: string) =>
      promisify(execFile)(process.execPath, ['scripts/run-tool.mjs', 'tools/cli/verify-receipt.ts', join(dir, file)], {
        cwd: join(__dirname, '..', '..', '..'),
      }).then(
        (out) => ({ code: 0, stdout: out.stdout }),
        (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
      );
    expect(await cli('good.json')).toEqual({ code: 0, stdout: expect.stringContaining('receipt verified') });

    // Someone with database access edits the stored event: its receipt no longer verifies.
    await api.neo4j.run(`MATCH (e:EpcisEvent {eventHash: $hash}) SET e.rawJson = replace(e.rawJson, '"receiving"', '"shipping"')`, { hash: receipt.eventHash });
    const edited = (await getJson(`${eventUrl(api.url, `urn:uuid:${p}803`)}/receipt`, { authorization: keys.supplierA })).body;
    expect(edited.event.bizStep).toBe('shipping');
    expect(verifyReceipt(edited)).toMatchObject({ ok: false, checks: expect.arrayContaining([expect.objectContaining({ check: 'event hash', ok: false })]) });
    writeFileSync(join(dir, 'edited.json'), JSON.stringify(edited));
    expect(await cli('edited.json')).toEqual({ code: 1, stdout: expect.stringMatching(/FAIL {2}event hash[\s\S]*receipt NOT verified/) });

    // … and rewriting the stored hash as well moves the leaf off the recorded root.
    const forged = await requestJson('GET', `${eventUrl(api.url, `urn:uuid:${p}803`)}/receipt`);
    const rehashed = { ...forged.body, eventHash: `ni:///sha-256;${'0'.repeat(64)}?ver=CBV2.0` };
    expect(verifyReceipt(rehashed).checks.find((c) => c.check === 'inclusion proof')?.ok).toBe(false);
  });
});
