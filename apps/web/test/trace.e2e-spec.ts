jest.setTimeout(240_000);

import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { BrowserContext, Page } from 'playwright-core';
import { getJson, postJson, requestJson } from '../../../test/support/api-harness';
import { uniquePrefix } from '../../../test/support/test-env';
import { capture, CaptureStatus, deleteCaptures, epcisDocument } from '../../api/test/epcis-support';
import { horizontalOverflow, signIn, snapshot, tabTo, watchProblems } from './browser';
import { useWebStack } from './fixture';

/**
 * The lot trace page (DESIGN §11) in real headless Chromium against the real
 * API, worker, Neo4j and Redis. A small lot flow is captured as EPCIS 2.0
 * over three tiers: ore L0 is made into melt L1 at R1 (tier 3); melt and a
 * side input S1 into part L2 at M1 (tier 2); the part into two lots of the
 * finished good, L3 and L4, at F1 (tier 1), whose GTIN is the SKU's. The page
 * must show the API's trace grouped by tier, backward and forward, open and
 * close by keyboard, offer the API's recall scope CSV, and show the API's
 * problem detail for a lot id it refuses.
 */
const GLN = { R1: '4012345000016', M1: '4012345000023', F1: '4012345000030' };
const SKU_GTIN = '04012345123456';
const sgln = (gln: string) => `urn:epc:id:sgln:${gln.slice(0, 7)}.${gln.slice(7, 12)}.0`;
const lgtin = (item: string, lot: string) => `urn:epc:class:lgtin:4012345.${item}.${lot}`;
const dl = (gtin: string, lot: string) => `https://id.gs1.org/01/${gtin}/10/${lot}`;

interface Focused {
  role: string | null;
  key: string | null;
  expanded: string | null;
  text: string;
}

/** The focused element: its role, tree key, open state and text. */
const focused = (page: Page) =>
  page.evaluate<Focused>(
    `(() => { const a = document.activeElement; return { role: a.getAttribute('role'), key: a.getAttribute('data-key'), expanded: a.getAttribute('aria-expanded'), text: (a.textContent || '').trim() }; })()`,
  );

/** The tree as the page shows it: each tier branch's label and the lot ids of its visible lot items, in order. */
const treeShown = (page: Page) =>
  page.locator('[role="tree"] > [role="treeitem"]').evaluateAll((branches) =>
    branches.map((b) => ({
      label: (b.querySelector('.trace-branch-row strong')?.textContent ?? '').trim(),
      expanded: b.getAttribute('aria-expanded'),
      lots: [...b.querySelectorAll('[role="group"]:not([hidden]) > [role="treeitem"][data-lot-id]')].map((l) => l.getAttribute('data-lot-id')),
      skus: [...b.querySelectorAll('[role="group"]:not([hidden]) > [role="treeitem"][data-sku-id]')].map((l) => l.getAttribute('data-sku-id')),
    })),
  );

/** The values of a summary fact (its dd elements), by its term. */
const fact = async (page: Page, term: string) =>
  (
    await page
      .locator('.trace-summary > div')
      .filter({ has: page.locator('dt', { hasText: new RegExp(`^${term}$`) }) })
      .locator('dd.big')
      .innerText()
  ).trim();

/** The file as an independent RFC 4180 reader (csv-parse) reads it: records of the header's columns. */
const readCsv = (text: string) => parse(text, { columns: true, record_delimiter: '\r\n' }) as Record<string, string>[];

describe('the lot trace page in Chromium (real API, worker, Neo4j and Redis)', () => {
  // Short: a lot (GS1 AI 10) has at most 20 characters, the prefix included.
  const p = uniquePrefix('trw');
  const lot = (name: string) => `${p}${name}`;
  const URN = {
    ore: lgtin('011111', lot('L0')),
    melt: lgtin('022222', lot('L1')),
    side: lgtin('033333', lot('S1')),
    part: lgtin('044444', lot('L2')),
    product: lgtin('012345', lot('L3')),
    product2: lgtin('012345', lot('L4')),
  };
  // The canonical ids the API answers with (GS1 Digital Link).
  const ID = {
    ore: dl('04012345111118', lot('L0')),
    melt: dl('04012345222227', lot('L1')),
    side: dl('04012345333336', lot('S1')),
    part: dl('04012345444445', lot('L2')),
    product: dl(SKU_GTIN, lot('L3')),
    product2: dl(SKU_GTIN, lot('L4')),
  };
  const captures: CaptureStatus[] = [];

  const transform = (site: keyof typeof GLN, day: number, inputs: string[], outputs: string[]) => ({
    type: 'TransformationEvent',
    eventTime: `2023-03-${String(day).padStart(2, '0')}T08:00:00+01:00`,
    eventTimeZoneOffset: '+01:00',
    inputQuantityList: inputs.map((epcClass) => ({ epcClass, quantity: 100, uom: 'KGM' })),
    outputQuantityList: outputs.map((epcClass) => ({ epcClass, quantity: 90, uom: 'KGM' })),
    bizStep: 'commissioning',
    readPoint: { id: sgln(GLN[site]) },
  });

  const web = useWebStack({
    prefix: p,
    analystKeyName: `trace web test ${p}`,
    setUp: async ({ api }) => {
      const site = (id: keyof typeof GLN, supplierId: string) => ({
        id: p + id,
        supplierId: p + supplierId,
        name: id,
        kind: 'plant',
        lat: 1,
        lon: 1,
        country: 'DE',
        gln: GLN[id],
      });
      const imported = await postJson(`${api.url}/v1/graph/import`, {
        suppliers: ['R', 'M', 'F'].map((s) => ({ id: `${p}SUP-${s}`, name: s, country: 'DE' })),
        sites: [site('R1', 'SUP-R'), site('M1', 'SUP-M'), site('F1', 'SUP-F')],
        parts: [
          { id: p + 'P-melt', name: 'Melt' },
          { id: p + 'P-part', name: 'Part' },
        ],
        skus: [{ id: p + 'SKU', name: 'Widget', dailyRevenue: 100, gtin: SKU_GTIN }],
        supplies: [
          { fromSiteId: p + 'R1', toSiteId: p + 'M1', partId: p + 'P-melt', share: 1, bufferDays: 0, leadTimeDays: 0 },
          { fromSiteId: p + 'M1', toSiteId: p + 'F1', partId: p + 'P-part', share: 1, bufferDays: 0, leadTimeDays: 0 },
          { fromSiteId: p + 'F1', toSkuId: p + 'SKU', partId: p + 'SKU', share: 1, bufferDays: 0, leadTimeDays: 0 },
        ],
      });
      if (imported.status !== 200) throw new Error(JSON.stringify(imported.body));
      const commissioned = {
        type: 'ObjectEvent',
        eventTime: '2023-02-27T08:00:00+01:00',
        eventTimeZoneOffset: '+01:00',
        action: 'ADD',
        bizStep: 'commissioning',
        quantityList: [{ epcClass: URN.ore, quantity: 100, uom: 'KGM' }],
        readPoint: { id: sgln(GLN.R1) },
      };
      const documents = [
        [commissioned, transform('R1', 1, [URN.ore], [URN.melt])],
        [transform('M1', 5, [URN.melt, URN.side], [URN.part])],
        [transform('F1', 10, [URN.part], [URN.product, URN.product2])],
      ];
      for (const events of documents) {
        const done = await capture(api.url, epcisDocument(events));
        expect(done.status).toBe('succeeded');
        captures.push(done);
      }
    },
    cleanUp: async ({ api }) => {
      await deleteCaptures(
        api.neo4j,
        captures.map((c) => c.captureId),
      );
    },
  });

  const apiTrace = async (id: string, direction: 'backward' | 'forward') => {
    const res = await getJson(`${web.api.url}/v1/trace/${encodeURIComponent(id)}?direction=${direction}&depth=10`);
    expect(res.status).toBe(200);
    return res.body as { lot: { origin: { eventHash: string } }; lots: { lotId: string; event: { eventHash: string } }[] };
  };

  async function laptopPage(): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await web.browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.api.url });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await signIn(page, `${web.api.url}/`, web.analystKey, 'Risk dashboard');
    return { context, page, problems };
  }

  it('traces a lot backward from the form, as a tree by tier, and opens and closes it by keyboard', async () => {
    const { context, page, problems } = await laptopPage();
    // To the page through the main navigation, by keyboard.
    await tabTo(page, (el) => el.tag === 'A' && el.text === 'Lot trace');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Lot trace' }).waitFor();
    await page.getByLabel('Lot or item').fill(URN.product);
    await expect(page.getByLabel('Backward: what went into it').isChecked()).resolves.toBe(true);
    await page.getByLabel(/^Depth/).fill('10');
    await page.getByRole('button', { name: 'Trace' }).click();
    const tree = page.getByRole('tree');
    await tree.waitFor();
    expect(decodeURIComponent(new URL(page.url()).hash)).toBe(`#/trace/${URN.product}?direction=backward&depth=10`);
    await page.getByRole('heading', { level: 2, name: `Backward: what went into GTIN ${SKU_GTIN} · lot ${lot('L3')}` }).waitFor();

    // Tier 1: the traced lot (made at F1) and the part consumed there; tier 2: melt and side input (consumed at M1); tier 3: the ore.
    expect(await treeShown(page)).toEqual([
      { label: 'Tier 1', expanded: 'true', lots: [ID.product, ID.part], skus: [] },
      { label: 'Tier 2', expanded: 'true', lots: [ID.melt, ID.side].sort(), skus: [] },
      { label: 'Tier 3', expanded: 'true', lots: [ID.ore], skus: [] },
    ]);
    await expect(fact(page, 'Lots')).resolves.toBe('5');
    await expect(fact(page, 'Sites')).resolves.toBe('3');
    await expect(fact(page, 'Tiers')).resolves.toBe('3');
    expect(await page.getByText('Download the recall scope').count()).toBe(0); // backward: no recall scope
    const partItem = page.locator(`[role="treeitem"][data-lot-id="${ID.part}"]`);
    const partText = (await partItem.innerText()).replace(/\s+/g, ' ');
    expect(partText).toContain(`Site ${p}F1 · supplier ${p}SUP-F · tier 1 · 2023-03-10 08:00:00 +01:00`);
    expect(partText).toContain(`went into GTIN ${SKU_GTIN} · lot ${lot('L3')} by TransformationEvent (commissioning)`);
    const traced = await apiTrace(URN.product, 'backward');
    const partHash = traced.lots.find((l) => l.lotId === ID.part)!.event.eventHash;
    await expect(partItem.locator('code').getAttribute('title')).resolves.toBe(partHash);
    await expect(partItem.locator('code').innerText()).resolves.toBe(`sha-256 ${partHash.slice(14, 24)}…${partHash.slice(74, 78)}`);

    // The tree is one tab stop; arrows move, Left and Right close and open a tier, Home and End jump.
    await tabTo(page, (el) => el.tag === 'LI');
    await expect(focused(page)).resolves.toMatchObject({ role: 'treeitem', key: 'tier-1', expanded: 'true' });
    await page.keyboard.press('ArrowLeft');
    await expect(focused(page)).resolves.toMatchObject({ key: 'tier-1', expanded: 'false' });
    expect((await treeShown(page))[0]).toEqual({ label: 'Tier 1', expanded: 'false', lots: [], skus: [] });
    await expect(partItem.isVisible()).resolves.toBe(false);
    await page.keyboard.press('ArrowDown'); // past the closed tier's lots
    await expect(focused(page)).resolves.toMatchObject({ key: 'tier-2' });
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowRight');
    await expect(focused(page)).resolves.toMatchObject({ key: 'tier-1', expanded: 'true' });
    await expect(partItem.isVisible()).resolves.toBe(true);
    await page.keyboard.press('ArrowRight'); // into the tier: its first lot, the traced one
    expect((await focused(page)).text).toContain('traced lot');
    await page.keyboard.press('ArrowDown');
    expect((await focused(page)).text).toContain(`GTIN 04012345444445 · lot ${lot('L2')}`);
    await page.keyboard.press('ArrowLeft'); // from a lot to its tier
    await expect(focused(page)).resolves.toMatchObject({ key: 'tier-1', expanded: 'true' });
    await page.keyboard.press('End');
    expect((await focused(page)).text).toContain(`lot ${lot('L0')}`);
    await page.keyboard.press('Home');
    await expect(focused(page)).resolves.toMatchObject({ key: 'tier-1' });
    await page.keyboard.press('Enter');
    await expect(focused(page)).resolves.toMatchObject({ key: 'tier-1', expanded: 'false' });
    await page.keyboard.press('Space');
    await expect(focused(page)).resolves.toMatchObject({ key: 'tier-1', expanded: 'true' });

    // The part's copy button is the next tab stop once the part is the active item; it copies the full event hash.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await expect(page.evaluate<string>(`document.activeElement.getAttribute('aria-label')`)).resolves.toBe(
      `Copy the event hash of GTIN 04012345444445 · lot ${lot('L2')}`,
    );
    await page.keyboard.press('Enter');
    await page
      .getByRole('status')
      .filter({ hasText: `Copied the event hash of GTIN 04012345444445 · lot ${lot('L2')}.` })
      .waitFor();
    await expect(page.evaluate<string>('navigator.clipboard.readText()')).resolves.toBe(partHash);

    await snapshot(page, 'trace-backward-laptop');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('traces forward from a Digital Link to the SKUs reached, and the CSV link answers the recall scope', async () => {
    const { context, page, problems } = await laptopPage();
    await page.goto(`${web.api.url}/app/#/trace`);
    await page.getByLabel('Lot or item').fill(ID.ore);
    await page.getByLabel('Forward: what it went into (recall scope)').check();
    await page.getByRole('button', { name: 'Trace' }).click();
    await page.getByRole('tree').waitFor();
    expect(decodeURIComponent(new URL(page.url()).hash)).toBe(`#/trace/${ID.ore}?direction=forward&depth=10`);

    // Downstream: the ore's tier first, then tier 2, then the finished lots at tier 1, then the SKU they are units of.
    expect(await treeShown(page)).toEqual([
      { label: 'Tier 3', expanded: 'true', lots: [ID.ore, ID.melt], skus: [] },
      { label: 'Tier 2', expanded: 'true', lots: [ID.part], skus: [] },
      { label: 'Tier 1', expanded: 'true', lots: [ID.product, ID.product2].sort(), skus: [] },
      { label: 'SKUs reached', expanded: 'true', lots: [], skus: [`${p}SKU`] },
    ]);
    await expect(fact(page, 'Lots')).resolves.toBe('5');
    await expect(fact(page, 'SKUs reached')).resolves.toBe('1');
    const rootText = (await page.locator(`[role="treeitem"][data-lot-id="${ID.ore}"]`).innerText()).replace(/\s+/g, ' ');
    expect(rootText).toContain(`Site ${p}R1 · supplier ${p}SUP-R · tier 3 · 2023-02-27 08:00:00 +01:00`);
    expect(rootText).toContain('origin: ObjectEvent (commissioning)');
    const productText = (await page.locator(`[role="treeitem"][data-lot-id="${ID.product}"]`).innerText()).replace(/\s+/g, ' ');
    expect(productText).toContain(`made from GTIN 04012345444445 · lot ${lot('L2')} by TransformationEvent`);

    // The recall scope CSV: the API's own file, every lot of the forward trace, the finished lots naming the SKU.
    const link = page.getByRole('link', { name: /^Download the recall scope \(CSV, 5 lots, 1 SKU\)$/ });
    await link.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe(`recall-scope-04012345111118-${lot('L0')}.csv`);
    const downloaded = readFileSync((await download.path())!, 'utf8');
    const fromApi = await requestJson('GET', `${web.api.url}/v1/trace/${encodeURIComponent(ID.ore)}/recall.csv?depth=10`);
    expect(fromApi.status).toBe(200);
    expect(fromApi.type).toBe('text/csv; charset=utf-8');
    expect(fromApi.headers.get('trace-truncated')).toBe('false');
    expect(downloaded).toBe(fromApi.body);
    // The traced lot first, then by level (the two finished lots share their level and event: in either order).
    const rows = readCsv(downloaded);
    const byLevel = [...rows].sort((a, b) => Number(a.depth) - Number(b.depth) || (a.lotId < b.lotId ? -1 : 1));
    expect(rows.map((r) => r.depth)).toEqual(['0', '1', '2', '3', '3']);
    expect(byLevel.map((r) => [r.depth, r.lotId, r.siteId, r.tier, r.skuIds])).toEqual([
      ['0', ID.ore, `${p}R1`, '3', ''],
      ['1', ID.melt, `${p}R1`, '3', ''],
      ['2', ID.part, `${p}M1`, '2', ''],
      ...[ID.product, ID.product2].sort().map((id) => ['3', id, `${p}F1`, '1', `${p}SKU`]),
    ]);
    const forward = await apiTrace(ID.ore, 'forward');
    const hashes = new Map([[ID.ore, forward.lot.origin.eventHash], ...forward.lots.map((l) => [l.lotId, l.event.eventHash] as [string, string])]);
    for (const r of rows) expect({ lot: r.lotId, hash: r.eventHash }).toEqual({ lot: r.lotId, hash: hashes.get(r.lotId) });

    // The SKU is the tree's last item; Enter opens its page.
    await tabTo(page, (el) => el.tag === 'LI');
    await page.keyboard.press('End');
    expect((await focused(page)).text).toContain(`Widget SKU ${p}SKU · GTIN ${SKU_GTIN} · from 2 lots of this trace`);
    await page.keyboard.press('Enter');
    expect(decodeURIComponent(new URL(page.url()).hash)).toBe(`#/skus/${p}SKU`);

    await page.goBack();
    await page.getByRole('tree').waitFor();
    await link.waitFor();
    await snapshot(page, 'trace-forward-laptop');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows the API’s problem detail for a malformed lot id, an unknown lot and a depth out of range', async () => {
    const { context, page, problems } = await laptopPage();
    const badCheckDigit = dl('04012345111119', lot('L0'));
    await page.goto(`${web.api.url}/app/#/trace`);
    await page.getByLabel('Lot or item').fill(badCheckDigit);
    await page.getByRole('button', { name: 'Trace' }).click();
    const alert = page.locator('.trace-problem');
    await alert.waitFor();
    const refused = await getJson(`${web.api.url}/v1/trace/${encodeURIComponent(badCheckDigit)}?direction=backward&depth=10`);
    expect(refused.status).toBe(400);
    expect(refused.type).toContain('application/problem+json');
    expect(refused.body.detail).toMatch(/check digit/i);
    const text = (await alert.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain(`The API refused this trace (400 ${refused.body.title})`);
    expect(text).toContain(refused.body.detail);
    await expect(alert.getAttribute('role')).resolves.toBe('alert');
    expect(await page.getByRole('tree').count()).toBe(0);
    await snapshot(page, 'trace-bad-lot-laptop');

    const unknown = lgtin('099999', lot('none'));
    await page.goto(`${web.api.url}/app/#/trace/${encodeURIComponent(unknown)}?direction=forward`);
    await alert.filter({ hasText: 'Not found' }).waitFor();
    const missing = await getJson(`${web.api.url}/v1/trace/${encodeURIComponent(unknown)}?direction=forward`);
    expect(missing.status).toBe(404);
    expect((await alert.innerText()).replace(/\s+/g, ' ')).toContain(missing.body.detail);

    await page.goto(`${web.api.url}/app/#/trace/${encodeURIComponent(URN.product)}?direction=backward&depth=99`);
    await alert.filter({ hasText: '400' }).waitFor();
    const deep = await getJson(`${web.api.url}/v1/trace/${encodeURIComponent(URN.product)}?direction=backward&depth=99`);
    expect(deep.status).toBe(400);
    expect((await alert.innerText()).replace(/\s+/g, ' ')).toContain(deep.body.detail);
    expect(problems).toEqual([]);
    await context.close();
  });

  for (const direction of ['backward', 'forward'] as const) {
    it(`shows the ${direction} trace on a phone without sideways scrolling`, async () => {
      const context = await web.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
      const page = await context.newPage();
      const problems = watchProblems(page);
      await signIn(page, `${web.api.url}/`, web.analystKey, 'Risk dashboard');
      const start = direction === 'backward' ? URN.product : ID.ore;
      await page.goto(`${web.api.url}/app/#/trace/${encodeURIComponent(start)}?direction=${direction}&depth=10`);
      await page.getByRole('tree').waitFor();
      expect((await treeShown(page)).flatMap((b) => b.lots)).toHaveLength(5);
      if (direction === 'forward') await page.getByRole('link', { name: /^Download the recall scope/ }).waitFor();
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await snapshot(page, `trace-${direction}-phone`);
      expect(problems).toEqual([]);
      await context.close();
    });
  }
});
