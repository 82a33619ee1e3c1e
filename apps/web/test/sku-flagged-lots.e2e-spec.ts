jest.setTimeout(240_000);

import type { INestApplication } from '@nestjs/common';
import type { Browser } from 'playwright-core';
import { gs1CheckDigit } from '@tiersight/epcis-formats';
import { RedisStore } from '@tiersight/queues';
import { deleteByPrefix, getJson, postJson, requestJson, RunningApi, startApi, startWorker } from '../../../test/support/api-harness';
import { deleteRedisKeys, obliterateQueues } from '../../../test/support/cleanup';
import { uniquePrefix } from '../../../test/support/test-env';
import { eventually } from '../../../test/support/wait';
import { capture, CaptureStatus, deleteCaptures, epcisDocument } from '../../api/test/epcis-support';
import { horizontalOverflow, launchChromium, signIn, snapshot, watchProblems } from './browser';

/** How long to wait for the worker (a shared, slow machine): a wait, not a timed assertion. */
const WAIT_MS = 90_000;

const withCheckDigit = (body: string) => body + String(gs1CheckDigit(body));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface FeedingLot {
  lot: { lotId: string };
  flags: { cause: { id: string } }[];
  depth: number;
  reaches: string;
}

/**
 * The risk link on the SKU page (DESIGN §11) in real Chromium against the
 * real API, worker, Neo4j and Redis. A lot flow R1 → M1 → F1 → SKU is
 * captured as EPCIS 2.0: ore made into melt at R1, melt into part at M1, the
 * part shipped from M1 with a reefer logger whose readings stay above 8 °C for
 * an hour (the cold-chain rule), then made into two lots of the SKU at F1. A
 * flood at M1 from before the melt arrived flags the lots observed there; the
 * worker flags the part a second time for its own readings, and a warm cold
 * room at F1 flags a lot of the SKU received there. The SKU page lists
 * the flagged lots with each cause, site, window and depth, and links each to
 * its forward trace; a SKU nothing flagged feeds, and one without a GTIN, say so.
 */
describe('the SKU page lists the flagged lots feeding it (real API, worker, Neo4j, Redis, Chromium)', () => {
  // Short: a lot (GS1 AI 10) has at most 20 characters, the prefix included.
  const p = uniquePrefix('sfl');
  const queuePrefix = p.slice(0, -1);
  // Keys of this run only: a GLN or GTIN is unique across the graph.
  const digits = String(Date.now() % 1e5).padStart(5, '0');
  const company = `40986${digits}`;
  const GLN = { R1: withCheckDigit(`${company}01`), M1: withCheckDigit(`${company}02`), F1: withCheckDigit(`${company}03`) };
  const gtinOf = (item: string) => withCheckDigit(`${item[0]}${company}${item.slice(1)}`);
  const SKU_GTIN = gtinOf('099');
  const OTHER_GTIN = gtinOf('098');
  const sgln = (gln: string) => `urn:epc:id:sgln:${company}.${gln.slice(10, 12)}.0`;
  const lgtin = (item: string, lot: string) => `urn:epc:class:lgtin:${company}.${item}.${p}${lot}`;
  const dl = (item: string, lot: string) => `https://id.gs1.org/01/${gtinOf(item)}/10/${p}${lot}`;
  const LOT = {
    ore: lgtin('011', 'ORE'),
    melt: lgtin('022', 'MELT'),
    part: lgtin('033', 'PART'),
    p1: lgtin('099', 'P1'),
    p2: lgtin('099', 'P2'),
    p3: lgtin('099', 'P3'),
  };
  const ID = { melt: dl('022', 'MELT'), part: dl('033', 'PART'), p1: dl('099', 'P1'), p2: dl('099', 'P2'), p3: dl('099', 'P3') };
  const NAME = { melt: `GTIN ${gtinOf('022')} · lot ${p}MELT`, part: `GTIN ${gtinOf('033')} · lot ${p}PART`, p3: `GTIN ${SKU_GTIN} · lot ${p}P3` };
  const floodId = `${p}EV-flood`;
  const readingCause = 'reading:temperature:too-warm';
  const sensorId = `${p}fridge`;
  const excursionId = `sensor:${sensorId}:too-warm`;
  const captures: CaptureStatus[] = [];
  let api: RunningApi;
  let worker: INestApplication;
  let browser: Browser;
  let analystKey: string;

  const transform = (site: keyof typeof GLN, time: string, inputs: string[], outputs: string[]) => ({
    type: 'TransformationEvent',
    eventTime: time,
    eventTimeZoneOffset: '+00:00',
    inputQuantityList: inputs.map((epcClass) => ({ epcClass, quantity: 100, uom: 'KGM' })),
    outputQuantityList: outputs.map((epcClass) => ({ epcClass, quantity: 90, uom: 'KGM' })),
    bizStep: 'commissioning',
    readPoint: { id: sgln(GLN[site]) },
  });
  const reading = (time: string, value: number) => ({ type: 'gs1:Temperature', value, uom: 'CEL', time });
  const warmShipment = {
    type: 'ObjectEvent',
    eventTime: '2023-03-08T07:00:00Z',
    eventTimeZoneOffset: '+00:00',
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    quantityList: [{ epcClass: LOT.part, quantity: 90, uom: 'KGM' }],
    readPoint: { id: sgln(GLN.M1) },
    sensorElementList: [
      {
        sensorMetadata: { deviceID: 'urn:epc:id:giai:4000001.777' },
        sensorReport: [
          reading('2023-03-08T05:30:00Z', 5.5),
          reading('2023-03-08T06:00:00Z', 9.5),
          reading('2023-03-08T06:30:00Z', 10.5),
          reading('2023-03-08T07:00:00Z', 11),
        ],
      },
    ],
  };
  const feeding = async (skuId: string) => {
    const res = await getJson(`${api.url}/v1/exposures/${encodeURIComponent(skuId)}/flagged-lots`);
    expect(res.status).toBe(200);
    return res.body as { gtin: string | null; items: FeedingLot[] };
  };

  beforeAll(async () => {
    api = await startApi({ QUEUE_PREFIX: queuePrefix });
    worker = await startWorker({ QUEUE_PREFIX: queuePrefix });
    const site = (id: keyof typeof GLN, lat: number) => ({
      id: p + id,
      supplierId: `${p}SUP-${id[0]}`,
      name: id,
      kind: 'plant',
      lat,
      lon: 30,
      country: 'DE',
      gln: GLN[id],
    });
    const imported = await postJson(`${api.url}/v1/graph/import`, {
      suppliers: ['R', 'M', 'F'].map((s) => ({ id: `${p}SUP-${s}`, name: s, country: 'DE' })),
      sites: [site('R1', -40), site('M1', 0), site('F1', 40)],
      parts: [
        { id: `${p}P-melt`, name: 'Melt' },
        { id: `${p}P-part`, name: 'Part' },
      ],
      skus: [
        { id: `${p}SKU`, name: 'Chilled meal', dailyRevenue: 100, category: 'food', gtin: SKU_GTIN },
        { id: `${p}SKU-other`, name: 'Dry snack', dailyRevenue: 100, category: 'food', gtin: OTHER_GTIN },
        { id: `${p}SKU-nogtin`, name: 'Unlabelled tray', dailyRevenue: 100, category: 'food' },
      ],
      supplies: [
        { fromSiteId: `${p}R1`, toSiteId: `${p}M1`, partId: `${p}P-melt`, share: 1, bufferDays: 0, leadTimeDays: 0 },
        { fromSiteId: `${p}M1`, toSiteId: `${p}F1`, partId: `${p}P-part`, share: 1, bufferDays: 0, leadTimeDays: 0 },
        ...['SKU', 'SKU-other', 'SKU-nogtin'].map((sku) => ({
          fromSiteId: `${p}F1`,
          toSkuId: p + sku,
          partId: p + sku,
          share: 1,
          bufferDays: 0,
          leadTimeDays: 0,
        })),
      ],
    });
    if (imported.status !== 200) throw new Error(JSON.stringify(imported.body));
    const done = await capture(
      api.url,
      epcisDocument([
        transform('R1', '2023-03-01T08:00:00Z', [LOT.ore], [LOT.melt]),
        transform('M1', '2023-03-05T08:00:00Z', [LOT.melt], [LOT.part]),
        warmShipment,
        transform('F1', '2023-03-10T08:00:00Z', [LOT.part], [LOT.p1, LOT.p2]),
        // A lot of the SKU received at F1 while its cold room runs warm (below).
        {
          type: 'ObjectEvent',
          eventTime: '2023-03-15T01:30:00Z',
          eventTimeZoneOffset: '+00:00',
          action: 'OBSERVE',
          bizStep: 'receiving',
          quantityList: [{ epcClass: LOT.p3, quantity: 5, uom: 'KGM' }],
          readPoint: { id: sgln(GLN.F1) },
        },
      ]),
    );
    captures.push(done);
    expect(done.status).toBe('succeeded');
    // Raised after the capture: the event flags the lots already observed at M1 inside its window.
    const flood = await postJson(`${api.url}/v1/events`, {
      id: floodId,
      type: 'flood',
      title: 'River flood at M1',
      severity: 0.6,
      expectedDurationDays: 20,
      geometry: { type: 'Point', coordinates: [30, 0] },
      radiusKm: 20,
      startsAt: '2023-03-04T00:00:00Z',
    });
    expect(flood.status).toBe(201);
    // F1's cold-room sensor above 8 °C from 00:00 until 02:00: the rule fires at 01:01 and clears at 02:00.
    const fridge = await requestJson('PUT', `${api.url}/v1/sensors/${encodeURIComponent(sensorId)}`, { siteId: `${p}F1`, metric: 'temperature', unit: 'Cel' });
    expect(fridge.status).toBeLessThan(300);
    const readings = [
      ['00:00', 12],
      ['00:30', 12],
      ['01:01', 12],
      ['02:00', 5],
    ].map(([hhmm, v]) => ({ n: sensorId, u: 'Cel', v, t: Date.parse(`2023-03-15T${hhmm}:00Z`) / 1000 }));
    expect((await postJson(`${api.url}/v1/telemetry`, readings, { 'content-type': 'application/senml+json' })).status).toBe(202);
    await eventually(
      'the melt and the part flagged by the flood, the part by its readings too, P3 by the excursion',
      async () => {
        const items = (await feeding(`${p}SKU`)).items;
        const causes = (lotId: string) => items.find((i) => i.lot.lotId === lotId)?.flags.length ?? 0;
        return causes(ID.melt) === 1 && causes(ID.part) === 2 && causes(ID.p3) === 1;
      },
      WAIT_MS,
    );
    const key = await postJson(`${api.url}/v1/admin/keys`, { role: 'analyst', name: `flagged lots web test ${p}` });
    expect(key.status).toBe(201);
    analystKey = key.body.key;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    if (api) {
      await obliterateQueues(api.app);
      await deleteRedisKeys(api.app.get(RedisStore).client, queuePrefix);
      await api.neo4j.run('MATCH (k:ApiKey) WHERE k.name = $name DETACH DELETE k', { name: `flagged lots web test ${p}` });
      await api.neo4j.run('MATCH (f:LotFlag) WHERE f.lotId CONTAINS $p DETACH DELETE f', { p });
      await api.neo4j.run('MATCH (e:Event) WHERE e.sensorId = $sensorId DETACH DELETE e', { sensorId });
      await deleteCaptures(
        api.neo4j,
        captures.map((c) => c.captureId),
      );
      await deleteByPrefix(api.neo4j, p);
      await api.close();
    }
  });

  for (const [device, viewport] of [
    ['laptop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    it(`lists the flagged lots with cause, site, window and depth, each linked to its forward trace (${device})`, async () => {
      // Each lot at its nearest lot of the SKU (the part and the melt each reach both P1 and P2).
      const listed = await feeding(`${p}SKU`);
      const depth = new Map<string, number>();
      for (const i of listed.items) depth.set(i.lot.lotId, Math.min(i.depth, depth.get(i.lot.lotId) ?? Infinity));
      expect(depth).toEqual(
        new Map([
          [ID.melt, 2],
          [ID.part, 1],
          [ID.p3, 0],
        ]),
      );
      const part = listed.items.find((i) => i.lot.lotId === ID.part)!;
      expect([ID.p1, ID.p2]).toContain(part.reaches);
      expect(part.flags.map((f) => f.cause.id).sort()).toEqual([floodId, readingCause].sort());

      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      const problems = watchProblems(page);
      await signIn(page, `${api.url}/`, analystKey, 'Risk dashboard');
      await page.goto(`${api.url}/app/#/skus/${encodeURIComponent(`${p}SKU`)}`);
      const section = page.getByRole('region', { name: 'Flagged lots', exact: true });
      const table = section.getByRole('table');
      await table.waitFor();
      const intro = (await section.locator('p').first().innerText()).replace(/\s+/g, ' ');
      expect(intro).toContain(`3 flagged lots feed this SKU (GTIN ${SKU_GTIN})`);
      // Headers name every column: a screen reader announces them with each cell.
      expect(await table.getByRole('columnheader').allInnerTexts()).toEqual(['Lot', 'Cause', 'Site', 'Window', 'Depth', 'Recall scope']);

      // The part: one row per cause (the flood, then its own readings), the lot, its depth and its link spanning both.
      const rowsOf = (name: string) => table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${escape(name)}`) }) });
      const partRow = rowsOf(NAME.part);
      await expect(partRow.count()).resolves.toBe(1);
      const partText = (await partRow.innerText()).replace(/\s+/g, ' ');
      const partNext = (await partRow.locator('xpath=following-sibling::tr[1]').innerText()).replace(/\s+/g, ' ');
      const partCauses = [partText, partNext].join(' | ');
      expect(partCauses).toContain('Disruption (flood): River flood at M1');
      expect(partCauses).toContain('from 2023-03-04 00:00 UTC (still open)');
      expect(partCauses).toContain('Its own sensor readings: temperature broke rule too-warm');
      expect(partCauses).toContain('device urn:epc:id:giai:4000001.777');
      // The rule fired an hour after the first warm reading, at the shipment.
      expect(partCauses).toContain('from 2023-03-08 07:00 UTC (still open)');
      expect(partCauses.match(new RegExp(`${escape(p)}M1`, 'g'))).toHaveLength(2);
      expect(partText).toMatch(new RegExp(`1 transformation, into lot ${escape(p)}P[12]`));
      const meltText = (await rowsOf(NAME.melt).innerText()).replace(/\s+/g, ' ');
      expect(meltText).toContain('Disruption (flood): River flood at M1');
      expect(meltText).toContain(`${p}M1`);
      expect(meltText).toContain('lot seen there 2023-03-05 08:00 UTC');
      expect(meltText).toContain(`2 transformations, into lot ${p}P`);
      expect(meltText).not.toContain('own sensor readings');
      expect(listed.items.find((i) => i.lot.lotId === ID.p3)!.flags.map((f) => f.cause.id)).toEqual([excursionId]);
      const p3Text = (await rowsOf(NAME.p3).innerText()).replace(/\s+/g, ' ');
      expect(p3Text).toContain(`Sensor excursion: sensor ${sensorId} broke rule too-warm at the site`);
      expect(p3Text).toContain(`${p}F1`);
      expect(p3Text).toContain('from 2023-03-15 01:01 UTC until 2023-03-15 02:00 UTC');
      expect(p3Text).toContain('itself a lot of this SKU');
      if (device === 'phone') expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await snapshot(page, `sku-flagged-lots-${device}`);

      // The link opens the part's forward trace: the recall scope, reaching both lots of the SKU.
      const link = section.getByRole('link', { name: `Forward trace of ${NAME.part}` });
      await link.click();
      await page.getByRole('heading', { level: 2, name: `Forward: what ${NAME.part} went into (recall scope)` }).waitFor();
      expect(decodeURIComponent(new URL(page.url()).hash)).toBe(`#/trace/${ID.part}?direction=forward`);
      const traced = await page.locator('[role="treeitem"][data-lot-id]').evaluateAll((items) => items.map((i) => i.getAttribute('data-lot-id')));
      expect(traced).toEqual(expect.arrayContaining([ID.part, ID.p1, ID.p2]));
      expect(traced).not.toContain(ID.melt);
      expect(problems).toEqual([]);
      await context.close();
    });
  }

  it('says in words when no flagged lot feeds a SKU, and when a SKU has no GTIN to trace lots by', async () => {
    await expect(feeding(`${p}SKU-other`)).resolves.toMatchObject({ gtin: OTHER_GTIN, items: [] });
    await expect(feeding(`${p}SKU-nogtin`)).resolves.toMatchObject({ gtin: null, items: [] });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await signIn(page, `${api.url}/`, analystKey, 'Risk dashboard');
    const sectionOf = async (skuId: string) => {
      await page.goto(`${api.url}/app/#/skus/${encodeURIComponent(skuId)}`);
      const section = page.getByRole('region', { name: 'Flagged lots', exact: true });
      await section.locator('.flagged-empty').waitFor();
      expect(await section.getByRole('table').count()).toBe(0);
      return (await section.innerText()).replace(/\s+/g, ' ');
    };
    expect(await sectionOf(`${p}SKU-other`)).toContain(`No flagged lot feeds this SKU: no lot flagged so far went into a lot of its GTIN ${OTHER_GTIN}.`);
    expect(await sectionOf(`${p}SKU-nogtin`)).toContain('This SKU has no GTIN, so no captured lot can be traced to it.');
    expect(problems).toEqual([]);
    await context.close();
  });
});
