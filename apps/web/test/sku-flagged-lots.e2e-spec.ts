jest.setTimeout(240_000);

import { getJson, postJson } from '../../../test/support/api-harness';
import { uniquePrefix } from '../../../test/support/test-env';
import { eventually } from '../../../test/support/wait';
import { threeTierLotFlow } from '../../api/test/epcis-support';
import { horizontalOverflow, signIn, snapshot, watchProblems } from './browser';
import { useWebStack } from './fixture';

/** How long to wait for the worker (a shared, slow machine): a wait, not a timed assertion. */
const WAIT_MS = 90_000;

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
  const flow = threeTierLotFlow(p, '40986');
  const { LOT, sgln, dl, skuGtin: SKU_GTIN, sensorId, excursionId } = flow;
  const OTHER_GTIN = flow.gtinOf('098');
  const P = { p1: flow.lgtin('099', 'P1'), p2: flow.lgtin('099', 'P2') };
  const ID = { ...flow.ID, p1: dl('099', 'P1'), p2: dl('099', 'P2'), p3: dl('099', 'P3') };
  const NAME = { melt: `GTIN ${flow.gtinOf('022')} · lot ${p}MELT`, part: `GTIN ${flow.gtinOf('033')} · lot ${p}PART`, p3: `GTIN ${SKU_GTIN} · lot ${p}P3` };
  const floodId = flow.flood.id;
  const readingCause = 'reading:temperature:too-warm';

  const reading = (time: string, value: number) => ({ type: 'gs1:Temperature', value, uom: 'CEL', time });
  const warmShipment = {
    type: 'ObjectEvent',
    eventTime: '2023-03-08T07:00:00Z',
    eventTimeZoneOffset: '+00:00',
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    quantityList: [{ epcClass: LOT.part, quantity: 90, uom: 'KGM' }],
    readPoint: { id: sgln('M1') },
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
    const res = await getJson(`${web.api.url}/v1/exposures/${encodeURIComponent(skuId)}/flagged-lots`);
    expect(res.status).toBe(200);
    return res.body as { gtin: string | null; items: FeedingLot[] };
  };

  const web = useWebStack({
    prefix: p,
    analystKeyName: `flagged lots web test ${p}`,
    setUp: async ({ api }) => {
      const imported = await postJson(
        `${api.url}/v1/graph/import`,
        flow.network([
          { id: `${p}SKU-other`, name: 'Dry snack', gtin: OTHER_GTIN },
          { id: `${p}SKU-nogtin`, name: 'Unlabelled tray' },
        ]),
      );
      if (imported.status !== 200) throw new Error(JSON.stringify(imported.body));
      const [melt, part, products] = flow.events([P.p1, P.p2]);
      // A lot of the SKU received at F1 while its cold room runs warm (below).
      const done = await flow.capture(api.url, [melt, part, warmShipment, products, flow.observe('F1', '2023-03-15T01:30:00Z', 'P3')]);
      expect(done.status).toBe('succeeded');
      // Raised after the capture: the event flags the lots already observed at M1 inside its window.
      const flood = await postJson(`${api.url}/v1/events`, flow.flood);
      expect(flood.status).toBe(201);
      expect((await flow.addColdRoomSensor(api.url)).status).toBeLessThan(300);
      expect((await flow.runColdRoomWarm(api.url)).status).toBe(202);
      await eventually(
        'the melt and the part flagged by the flood, the part by its readings too, P3 by the excursion',
        async () => {
          const items = (await feeding(`${p}SKU`)).items;
          const causes = (lotId: string) => items.find((i) => i.lot.lotId === lotId)?.flags.length ?? 0;
          return causes(ID.melt) === 1 && causes(ID.part) === 2 && causes(ID.p3) === 1;
        },
        WAIT_MS,
      );
    },
    cleanUp: ({ api }) => flow.remove(api.neo4j),
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

      const context = await web.browser.newContext({ viewport });
      const page = await context.newPage();
      const problems = watchProblems(page);
      await signIn(page, `${web.api.url}/`, web.analystKey, 'Risk dashboard');
      await page.goto(`${web.api.url}/app/#/skus/${encodeURIComponent(`${p}SKU`)}`);
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
    const context = await web.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await signIn(page, `${web.api.url}/`, web.analystKey, 'Risk dashboard');
    const sectionOf = async (skuId: string) => {
      await page.goto(`${web.api.url}/app/#/skus/${encodeURIComponent(skuId)}`);
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
