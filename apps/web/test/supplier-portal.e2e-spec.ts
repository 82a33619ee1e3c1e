jest.setTimeout(90_000);

import type { Page } from 'playwright-core';
import { getJson, postJson } from '../../../test/support/api-harness';
import { KAOHSIUNG_AREA } from '../../../test/support/small-network';
import { uniquePrefix } from '../../../test/support/test-env';
import { horizontalOverflow, signIn, snapshot, watchProblems } from './browser';
import { useWebStack } from './fixture';

/**
 * The supplier portal in real headless Chromium against the real API, worker,
 * Neo4j and Redis: a supplier signs in with its key, sees its sites, uploads
 * a CSV of sub-tier suppliers with one bad row (sees the row's error, nothing
 * saved), uploads the fixed file, edits a supplier, and answers the survey an
 * event hitting its plant raised.
 */
describe('supplier portal in Chromium (real API, worker, Neo4j and Redis)', () => {
  const p = uniquePrefix('webp');
  const supplierId = `${p}SUP-P`;
  const eventTitle = `Typhoon over Kaohsiung ${p}`;
  const keyName = `web portal test ${p}`;
  let supplierKey: string;

  const goodRow = `ORE-${p.slice(1, 9)},Andes Ore ${p},CL,masked`;
  const badRow = `BAD-${p.slice(1, 9)},Broken Metals ${p},Chile,shared`;

  const web = useWebStack({
    prefix: p,
    setUp: async ({ api }) => {
      const imported = await postJson(`${api.url}/v1/graph/import`, {
        suppliers: [{ id: supplierId, name: `Pacific Castings ${p}`, country: 'TW' }],
        sites: [
          { id: `${p}S-P1`, supplierId, name: `Kaohsiung foundry ${p}`, kind: 'plant', lat: 22.63, lon: 120.3, country: 'TW' },
          { id: `${p}S-P2`, supplierId, name: `Taichung warehouse ${p}`, kind: 'warehouse', lat: 24.15, lon: 120.67, country: 'TW' },
        ],
        skus: [{ id: `${p}SKU`, name: 'Pump housing', dailyRevenue: 1000 }],
        supplies: [{ fromSiteId: `${p}S-P1`, toSkuId: `${p}SKU`, partId: `${p}SKU`, share: 1, bufferDays: 0, leadTimeDays: 0 }],
      });
      if (imported.status !== 200) throw new Error(JSON.stringify(imported.body));
      const key = await postJson(`${api.url}/v1/admin/keys`, { role: 'supplier', supplierId, name: keyName });
      if (key.status !== 201) throw new Error(JSON.stringify(key.body));
      supplierKey = key.body.key;
      // A storm over the foundry (not the warehouse): the supplier is asked whether it is impacted.
      const pushed = await postJson(`${api.url}/v1/events`, {
        id: `${p}EV-storm`,
        type: 'storm',
        title: eventTitle,
        severity: 0.6,
        expectedDurationDays: 10,
        geometry: KAOHSIUNG_AREA,
      });
      expect(pushed.status).toBe(201);
    },
    cleanUp: async ({ api }) => {
      await api.neo4j.run('MATCH (k:ApiKey) WHERE k.name = $name DETACH DELETE k', { name: keyName });
      // What the supplier disclosed carries platform ids: remove it by its owner.
      await api.neo4j.run('MATCH (d:Supplier {ownerSupplierId: $owner}) OPTIONAL MATCH (d)-[:OPERATES]->(s:Site) DETACH DELETE d, s', { owner: supplierId });
      await api.neo4j.run('MATCH (s:Survey) WHERE s.eventId STARTS WITH $p OR s.siteId STARTS WITH $p DETACH DELETE s', { p });
    },
  });

  const signInAs = (page: Page) => signIn(page, `${web.api.url}/app/`, supplierKey, 'My sites');

  it('a supplier signs in and sees its sites in a table and on the map', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1366, height: 900 } });
    const problems = watchProblems(page);
    await signInAs(page);
    const rows = page.locator('table.my-sites tbody tr');
    await rows.first().waitFor();
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-site-id')))).toEqual([`${p}S-P1`, `${p}S-P2`]);
    expect(await page.locator('.map > svg .site-plain').count()).toBe(2);
    // The analyst pages are not offered to a supplier key.
    expect(await page.getByRole('link', { name: 'Hidden chokepoints' }).count()).toBe(0);
    await snapshot(page, 'portal-my-sites');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('adds sub-tier suppliers by CSV: a bad row is shown with its line and nothing is saved; the fixed file is accepted; a supplier is edited', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signInAs(page);
    await page.getByRole('link', { name: 'My sub-tier suppliers' }).click();
    await page.getByRole('heading', { level: 1, name: 'My sub-tier suppliers' }).waitFor();

    const upload = page.getByRole('form', { name: 'Upload a CSV file' });
    await upload.getByLabel('What the file lists').selectOption('suppliers');
    await upload.getByLabel('CSV file').setInputFiles({
      name: 'suppliers.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`ref,name,country,visibility\n${goodRow}\n${badRow}\n`),
    });
    await upload.getByRole('button', { name: 'Upload' }).click();
    const alert = upload.getByRole('alert');
    await alert.waitFor();
    await expect(alert.innerText()).resolves.toContain('Nothing was saved.');
    const errorRows = alert.locator('table.row-error-table tbody tr');
    expect(await errorRows.count()).toBe(1);
    expect(await errorRows.first().locator('td').allInnerTexts()).toEqual(['line 3', 'country', expect.any(String)]);
    expect((await getJson(`${web.api.url}/v1/portal/subtier/suppliers`, { authorization: `Bearer ${supplierKey}` })).body.items).toEqual([]);
    await snapshot(page, 'portal-csv-row-error');

    // The fixed file (the bad row corrected) is accepted and the list shows the new suppliers.
    const fixed = badRow.replace(',Chile,', ',CL,');
    await upload.getByLabel('CSV file').setInputFiles({
      name: 'suppliers-fixed.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`ref,name,country,visibility\n${goodRow}\n${fixed}\n`),
    });
    await upload.getByRole('button', { name: 'Upload' }).click();
    await upload.getByRole('status').filter({ hasText: 'suppliers-fixed.csv was accepted' }).waitFor();
    const list = page.locator('table.sub-tier tbody tr');
    await list.nth(1).waitFor();
    await expect(list.filter({ hasText: `Andes Ore ${p}` }).innerText()).resolves.toContain('no (masked)');

    // Edit: rename one supplier through the form.
    await page.getByRole('button', { name: `Edit Broken Metals ${p}` }).click();
    const edit = page.getByRole('form', { name: `Edit Broken Metals ${p}` });
    await edit.getByLabel('Name', { exact: true }).fill(`Mended Metals ${p}`);
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Updated Mended Metals ${p}` })
      .waitFor();
    await list.filter({ hasText: `Mended Metals ${p}` }).waitFor();
    const stored = (await getJson(`${web.api.url}/v1/portal/subtier/suppliers`, { authorization: `Bearer ${supplierKey}` })).body.items;
    expect(stored.map((s: { name: string }) => s.name).sort()).toEqual([`Andes Ore ${p}`, `Mended Metals ${p}`]);
    await snapshot(page, 'portal-sub-tier-suppliers');
    await page.close();
  });

  it('answers the open survey: impacted, with capacity lost and days to recover', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signInAs(page);
    await page.getByRole('link', { name: 'Surveys' }).click();
    const card = page.locator('article.survey').filter({ hasText: eventTitle });
    await card.waitFor();
    await expect(card.locator('.survey-state').innerText()).resolves.toBe('not answered yet');
    await expect(card.innerText()).resolves.toContain(`Kaohsiung foundry ${p}`);
    await snapshot(page, 'portal-open-survey');

    await card.getByLabel('Yes, we are impacted').check();
    await card.getByLabel('Capacity lost (%)').fill('40');
    await card.getByLabel('Days to recover').fill('12');
    await card.getByRole('button', { name: 'Send answer' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Kaohsiung foundry ${p} is recorded as impacted` })
      .waitFor();
    // The list reloads: the survey moves from Open to Answered.
    await page.getByRole('heading', { name: 'Answered (1)' }).waitFor();
    await page.getByRole('heading', { name: 'Open (0)' }).waitFor();
    const answered = page.locator('article.survey').filter({ hasText: eventTitle });
    await expect(answered.locator('.survey-state').innerText()).resolves.toBe('impacted (your answer)');
    await expect(answered.innerText()).resolves.toContain('You told us: 40 % of capacity lost, 12 days to recover.');
    const surveys = (await getJson(`${web.api.url}/v1/portal/surveys?state=all`, { authorization: `Bearer ${supplierKey}` })).body.items;
    expect(surveys).toEqual([expect.objectContaining({ state: 'confirmed', answer: { capacityLoss: 0.4, recoveryDays: 12 } })]);
    await snapshot(page, 'portal-survey-answered');
    await page.close();
  });

  it('the portal fits a phone screen', async () => {
    const context = await web.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await signInAs(page);
    await page.locator('table.my-sites tbody tr').first().waitFor();
    await snapshot(page, 'portal-my-sites-phone');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.getByRole('link', { name: 'My sub-tier suppliers' }).click();
    await page.locator('table.sub-tier tbody tr').first().waitFor();
    await snapshot(page, 'portal-sub-tier-phone');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await context.close();
  });
});
