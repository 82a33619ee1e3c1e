jest.setTimeout(90_000);

import type { Page } from 'playwright-core';
import { getJson, postJson } from '../../../test/support/api-harness';
import { uniquePrefix } from '../../../test/support/test-env';
import { eventually } from '../../../test/support/wait';
import { horizontalOverflow, signIn, snapshot, tabTo, watchProblems } from './browser';
import { useWebStack } from './fixture';

/**
 * The analyst dashboard in real headless Chromium against the real API,
 * worker, Neo4j and Redis: sign in with an analyst key, see the exposed SKU
 * on the dashboard and the event on the map, open the SKU with the keyboard
 * and see its critical path marked in the supply tree; the same on a phone.
 *
 *   S-ORE (masked supplier, CL) ──P-ore──► S-SMELT ──P-bar──► S-ASM ──SKU──► SKU
 *                                  S-ALT ──P-bar──► S-ASM (0.4)
 */
describe('analyst dashboard in Chromium (real API, worker, Neo4j and Redis)', () => {
  const p = uniquePrefix('web');
  const maskedName = `Hidden Ore ${p}`;
  const eventId = `${p}EV-quake`;
  const skuId = `${p}SKU`;

  const network = () => {
    const site = (id: string, supplierId: string, lat: number, lon: number, country: string) => ({
      id: p + id,
      supplierId: p + supplierId,
      name: `${id} works`,
      kind: 'plant',
      lat,
      lon,
      country,
    });
    return {
      suppliers: [
        { id: `${p}SUP-A`, name: 'Assembly Co', country: 'MX' },
        { id: `${p}SUP-S`, name: 'Smelter Co', country: 'PE' },
        { id: `${p}SUP-O`, name: maskedName, country: 'CL', ownerSupplierId: `${p}SUP-S`, visibility: 'masked' },
      ],
      sites: [
        site('S-ASM', 'SUP-A', 25.67, -100.31, 'MX'),
        site('S-SMELT', 'SUP-S', -12.05, -77.04, 'PE'),
        site('S-ALT', 'SUP-S', -16.4, -71.54, 'PE'),
        site('S-ORE', 'SUP-O', -23.65, -70.4, 'CL'),
      ],
      parts: [
        { id: `${p}P-ore`, name: 'Ore' },
        { id: `${p}P-bar`, name: 'Copper bar' },
      ],
      // A revenue far above anything else in a shared database keeps this SKU first on the dashboard.
      skus: [{ id: skuId, name: `Copper harness ${p}`, dailyRevenue: 5e9, category: 'wiring' }],
      supplies: [
        { fromSiteId: `${p}S-ASM`, toSkuId: skuId, partId: skuId, share: 1, bufferDays: 2, leadTimeDays: 1 },
        { fromSiteId: `${p}S-SMELT`, toSiteId: `${p}S-ASM`, partId: `${p}P-bar`, share: 0.6, bufferDays: 3, leadTimeDays: 5 },
        { fromSiteId: `${p}S-ALT`, toSiteId: `${p}S-ASM`, partId: `${p}P-bar`, share: 0.4, bufferDays: 3, leadTimeDays: 5 },
        { fromSiteId: `${p}S-ORE`, toSiteId: `${p}S-SMELT`, partId: `${p}P-ore`, share: 1, bufferDays: 5, leadTimeDays: 10, source: 'inferred' },
      ],
    };
  };

  const web = useWebStack({
    prefix: p,
    analystKeyName: `web test ${p}`,
    setUp: async ({ api }) => {
      const imported = await postJson(`${api.url}/v1/graph/import`, network());
      if (imported.status !== 200) throw new Error(JSON.stringify(imported.body));
      const pushed = await postJson(`${api.url}/v1/events`, {
        id: eventId,
        type: 'earthquake',
        title: `M7.4 near Antofagasta ${p}`,
        severity: 1,
        expectedDurationDays: 60,
        geometry: { type: 'Point', coordinates: [-70.4, -23.65] },
        radiusKm: 40,
      });
      expect(pushed.status).toBe(201);
      await eventually('SKU exposed', async () => (await getJson(`${api.url}/v1/exposures/${skuId}`)).status === 200, 45_000);
    },
  });

  const signInAs = (page: Page, key: string) => signIn(page, `${web.api.url}/`, key, 'Risk dashboard');

  it('serves the pages as static files next to the API, which stays closed', async () => {
    const page = await fetch(`${web.api.url}/app/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('<div id="root">');
    const root = await fetch(`${web.api.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/app/');
    expect((await fetch(`${web.api.url}/v1/exposures`)).status).toBe(401);
    expect((await fetch(`${web.api.url}/health/live`)).status).toBe(200);
    expect((await fetch(`${web.api.url}/docs/openapi.json`)).status).toBe(200);
  });

  it('an unknown key is refused on the sign-in page', async () => {
    const page = await web.browser.newPage();
    await page.goto(`${web.api.url}/app/`);
    await page.getByLabel('API key').fill('tsk_not-a-real-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'unknown or has been revoked' }).waitFor();
    await page.close();
  });

  it('an analyst sees the exposed SKU and the event on the map, opens the SKU with the keyboard and sees its critical path', async () => {
    const context = await web.browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await signInAs(page, web.analystKey);

    // The exposed SKU, first by revenue at risk, with its figures as text.
    const row = page.locator(`tr[data-sku-id="${skuId}"]`);
    await row.waitFor();
    await expect(row.innerText()).resolves.toContain(`Copper harness ${p}`);
    const firstRow = page.locator('table.exposures tbody tr').first();
    await expect(firstRow.getAttribute('data-sku-id')).resolves.toBe(skuId);
    // The event's area is drawn and the site it hits is marked on the map; the events table names it.
    await page.locator(`.event-area[data-event-id="${eventId}"]`).waitFor();
    expect(await page.locator('.map > svg .site-hit').count()).toBeGreaterThan(0);
    // The ore site belongs to the masked supplier: the API blanks its name, and the map says so.
    await expect(page.locator('.map > svg .site-hit title').allTextContents()).resolves.toContain(`site of a masked supplier (${p}S-ORE, CL) — hit`);
    await page.getByRole('rowheader', { name: new RegExp(`M7.4 near Antofagasta ${p}`) }).waitFor();
    await snapshot(page, 'analyst-dashboard-laptop');

    // Keyboard only: the first Tab reaches "Skip to content", which moves focus past the navigation
    // without changing the page; then Tab to the SKU's link and press Enter.
    await page.reload();
    await row.waitFor();
    await page.keyboard.press('Tab');
    await expect(page.evaluate<string>('document.activeElement.textContent')).resolves.toBe('Skip to content');
    await page.keyboard.press('Enter');
    await expect(page.evaluate<string>('document.activeElement.textContent')).resolves.toBe('Risk dashboard');
    expect(new URL(page.url()).hash).toBe('#/dashboard');
    await tabTo(page, (el) => el.tag === 'A' && el.text === `Copper harness ${p}`);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: `Copper harness ${p}` }).waitFor();

    // The critical path, hop by hop from the ore site to the SKU.
    const hops = page.locator('.path-list .path-hop');
    await hops.first().waitFor();
    expect(await hops.evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id')))).toEqual([`${p}S-ORE`, `${p}S-SMELT`, `${p}S-ASM`, skuId]);
    // In the supply tree the edges on the path are marked with words, not only colour.
    const marked = page.locator('table.edges tr[data-critical="true"]');
    await marked.first().waitFor();
    expect(await marked.count()).toBe(3);
    expect(await marked.evaluateAll((rows) => rows.map((r) => r.querySelector('th')?.firstChild?.textContent))).toEqual([
      `${p}S-ASM`,
      `${p}S-SMELT`,
      `${p}S-ORE`,
    ]);
    await expect(marked.first().innerText()).resolves.toContain('critical path');
    // The alternative source is in the tree and not on the path.
    await expect(
      page
        .locator('table.edges tr:not([data-critical])')
        .filter({ hasText: `${p}S-ALT` })
        .count(),
    ).resolves.toBe(1);
    await snapshot(page, 'analyst-sku-critical-path-laptop');

    // A masked supplier's name, and its site's, appear nowhere.
    expect(await page.content()).not.toContain(maskedName);
    expect(await page.content()).not.toContain('S-ORE works');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('works on a phone screen: no sideways scrolling of the page, the path still readable', async () => {
    const context = await web.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await signInAs(page, web.analystKey);
    await page.locator(`tr[data-sku-id="${skuId}"]`).waitFor();
    await page.locator(`.event-area[data-event-id="${eventId}"]`).waitFor();
    await snapshot(page, 'analyst-dashboard-phone');
    await snapshot(page, 'analyst-dashboard-phone-first-screen', { fullPage: false });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.locator(`tr[data-sku-id="${skuId}"] a`).click();
    await page.locator('.path-list .path-hop').first().waitFor();
    await page.locator('table.edges').first().waitFor();
    await snapshot(page, 'analyst-sku-critical-path-phone');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await page.content()).not.toContain(maskedName);
    await context.close();
  });

  it('lists the hidden chokepoints and runs a what-if scenario', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInAs(page, web.analystKey);
    await page.getByRole('link', { name: 'Hidden chokepoints' }).click();
    await page.getByRole('heading', { level: 1, name: 'Hidden chokepoints' }).waitFor();
    // S-ORE is tier 3 and alone stops the SKU's biggest input: high on the RXI list, flagged hidden.
    const ore = page.locator('table.rxi tbody tr').filter({ hasText: `${p}S-ORE` });
    await ore.waitFor();
    await expect(ore.innerText()).resolves.toMatch(/tier 3\s*hidden/);
    await snapshot(page, 'analyst-rxi');

    await page.getByRole('link', { name: 'What-if' }).click();
    await page.getByLabel('Site ids (separated by commas or spaces)').fill(`${p}S-SMELT`);
    await page.getByLabel('For how many days').fill('30');
    await page.getByRole('button', { name: 'Run scenario' }).click();
    const result = page.getByRole('row').filter({ hasText: skuId });
    await result.waitFor();
    await expect(result.innerText()).resolves.toContain(`${p}S-SMELT → ${p}S-ASM → ${skuId}`);
    await snapshot(page, 'analyst-what-if');
    await page.close();
  });
});
