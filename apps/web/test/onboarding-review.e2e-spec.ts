jest.setTimeout(240_000);

import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { getJson, postJson } from '../../../test/support/api-harness';
import { uniquePrefix } from '../../../test/support/test-env';
import { horizontalOverflow, signIn, snapshot, tabTo, watchProblems } from './browser';
import { useWebStack } from './fixture';

/**
 * The onboarding review page in real headless Chromium against the real API,
 * worker, Neo4j and Redis: an analyst uploads a six-row supplier list
 * (fixtures/onboarding-web), watches it wait for a worker, sees every row
 * with where it landed and its pin on the map, is told which decisions are
 * missing, accepts the country-level pin, sets the blocked row's pin and
 * country, confirms the duplicate pair, sees the import's refusal of a
 * clashing id, and confirms with the keyboard alone; the sites are then in
 * the graph where the page put them. The same review on a phone, page by page;
 * and in the supplier portal, where the list becomes the supplier's own sites.
 */

const FIXTURE = join(__dirname, '..', '..', '..', 'fixtures', 'onboarding-web', 'supplier-list.csv');
/** Where the person puts the row the review could not place (Springfield, Illinois). */
const SET_PIN = { lat: 39.8017, lon: -89.6437, country: 'US' };

interface ApiRow {
  row: number;
  name: string | null;
  status: 'ok' | 'to-confirm' | 'blocked';
  supplier: { id: string } | null;
  site: { id: string | null; country: string } | null;
  location: { lat: number; lon: number; precision: string; radiusKm: number } | null;
  decision: { action: string; lat?: number; lon?: number; country?: string } | null;
  duplicates: Array<{ id: string; a: { row?: number }; b: { row?: number }; evidence: { name: number }; decision: string | null }>;
}

/** Degrees as the page writes them (4 decimals). */
const deg = (v: number) => (Math.round(v * 1e4) / 1e4).toFixed(4);

/** Waits until the focused element's text (or aria-label) is `expected`: focus moves once the page has drawn the change. */
async function focusOn(page: Page, what: 'textContent' | 'ariaLabel', expected: string): Promise<void> {
  const read = `(() => { const a = document.activeElement; return a ? (${what === 'ariaLabel' ? "a.getAttribute('aria-label')" : 'a.textContent'}) : null; })()`;
  // Polled with page.evaluate (run by the browser's protocol), not waitForFunction: a string predicate would be
  // evaluated by script in the page, which the pages' Content-Security-Policy (no unsafe-eval) refuses.
  const until = Date.now() + 5_000;
  while ((await page.evaluate<string | null>(read)) !== expected && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  await expect(page.evaluate<string | null>(read)).resolves.toBe(expected);
}

const STATUS_WORDS: Record<ApiRow['status'], string> = { ok: 'ready', 'to-confirm': 'pin to confirm', blocked: 'blocked' };

describe('onboarding review page in Chromium (real API, worker, Neo4j and Redis)', () => {
  const p = uniquePrefix('webonb');
  const keyName = `web onboarding test ${p}`;
  const supplierKeyName = `web onboarding supplier ${p}`;
  const supplierId = `${p}SUP-OWN`;
  let supplierKey: string;
  const lists: string[] = [];
  const written = new Set<string>();
  let clash: string | null = null;

  const analyst = () => ({ authorization: `Bearer ${web.analystKey}` });
  const supplier = () => ({ authorization: `Bearer ${supplierKey}` });
  const apiList = async (id: string) => {
    const res = await getJson(`${web.api.url}/v1/onboarding/lists/${id}?limit=50`, analyst());
    expect(res.status).toBe(200);
    return res.body as { status: string; summary: Record<string, number>; progress: { done: number; total: number }; rows: { items: ApiRow[] } };
  };
  const listIdOf = (page: Page) => new URL(page.url()).hash.replace(/^#\/(portal\/)?onboarding\//, '').replace(/\?.*$/, '');
  const uploadFixture = async (page: Page, portal = false) => {
    await page.getByRole('link', { name: portal ? 'Upload a site list' : 'Onboarding' }).click();
    await page.getByRole('heading', { level: 1, name: portal ? 'Upload a list of your sites' : 'Onboard a supplier list' }).waitFor();
    await page.getByLabel(portal ? 'Site list (CSV or XLSX)' : 'Supplier list (CSV or XLSX)').setInputFiles(FIXTURE);
    await page.getByRole('button', { name: 'Upload and review' }).click();
    await page.getByRole('heading', { level: 1, name: portal ? 'Review your site list' : 'Review a supplier list' }).waitFor();
    const id = listIdOf(page);
    expect(id).toMatch(/^list_[A-Za-z0-9_-]+$/);
    lists.push(id);
    return id;
  };
  const tableRows = (page: Page) => page.locator('table.onb-rows tbody tr');
  const rowNumbers = (page: Page) => tableRows(page).evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-row'))));
  const decisionOf = (page: Page, row: number) => page.locator(`table.onb-rows tr[data-row="${row}"] td.onb-decision`);

  const web = useWebStack({
    prefix: p,
    analystKeyName: keyName,
    // The first test watches a list wait in the queue before it starts the worker.
    worker: false,
    setUp: async ({ api }) => {
      // A supplier with no site yet: its list of addresses becomes its sites through the portal.
      const imported = await postJson(`${api.url}/v1/graph/import`, { suppliers: [{ id: supplierId, name: `Saigon Apparel Group ${p}`, country: 'VN' }] });
      expect(imported.status).toBe(200);
      const own = await postJson(`${api.url}/v1/admin/keys`, { role: 'supplier', supplierId, name: supplierKeyName });
      expect(own.status).toBe(201);
      supplierKey = own.body.key;
    },
    cleanUp: async ({ api }) => {
      await api.neo4j.run('MATCH (k:ApiKey) WHERE k.name = $name DETACH DELETE k', { name: supplierKeyName });
      await api.neo4j.run('MATCH (s:Site {supplierId: $supplierId}) DETACH DELETE s', { supplierId });
      await api.neo4j.run('MATCH (r:DuplicateRejection) WHERE r.listId IN $lists DELETE r', { lists });
      if (clash) written.add(clash);
      await api.neo4j.run('MATCH (n) WHERE n.id IN $ids DETACH DELETE n', { ids: [...written] });
    },
  });

  it('an analyst uploads a list, follows the review, decides each row and the duplicate pair on the page, and confirms with the keyboard', async () => {
    const context = await web.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await signIn(page, `${web.api.url}/app/`, web.analystKey, 'Risk dashboard');
    const listId = await uploadFixture(page);

    // No worker yet: the list waits in the queue, and the page says so in its live region.
    const progress = page.locator('.onb-progress-text');
    await expect(progress.getAttribute('role')).resolves.toBe('status');
    await progress.filter({ hasText: 'Queued: waiting for a worker to review the list (0 of 6 rows placed).' }).waitFor();
    await expect(page.locator('progress.onb-progress').evaluate((el) => [el.getAttribute('value'), el.getAttribute('max')])).resolves.toEqual(['0', '6']);
    await snapshot(page, 'onboarding-queued-laptop');

    // The worker reviews the list; the page was polling and shows the rows.
    await web.startWorker();
    await tableRows(page).nth(5).waitFor({ timeout: 90_000 });
    await progress.filter({ hasText: 'Reviewed: all 6 rows' }).waitFor();
    const reviewed = await apiList(listId);
    expect(reviewed.status).toBe('ready');
    expect(reviewed.progress).toMatchObject({ done: 6, total: 6 });
    // The fixture's cases: four rows placed at a town, one at a country centre, one unknown country, one pair.
    expect(reviewed.summary).toMatchObject({ rows: 6, ok: 4, toConfirm: 1, blocked: 1, pairs: 1 });
    const rows = reviewed.rows.items;
    for (const r of rows) for (const id of [r.site?.id, r.supplier?.id]) if (id) written.add(id);
    expect(await rowNumbers(page)).toEqual(rows.map((r) => r.row));
    for (const r of rows) {
      await expect(page.locator(`table.onb-rows tr[data-row="${r.row}"] .onb-status`).innerText()).resolves.toContain(STATUS_WORDS[r.status]);
    }
    await expect(page.locator('.onb-summary [data-fact="to-confirm"] dd').innerText()).resolves.toBe(String(reviewed.summary.toConfirm));
    const toConfirm = rows.find((r) => r.status === 'to-confirm')!;
    const blocked = rows.find((r) => r.status === 'blocked')!;
    expect(toConfirm).toMatchObject({ name: 'Saigon Garments', location: { precision: 'country' } });
    expect(blocked).toMatchObject({ name: 'Acme Textiles', location: null });
    await expect(page.locator(`table.onb-rows tr[data-row="${toConfirm.row}"] .onb-landed`).innerText()).resolves.toContain('country centre');

    // One pin per row the review placed; the coarse one is a square with its radius, the others dots.
    const pins = page.locator('.map > svg .site');
    const placed = rows.filter((r) => r.location !== null);
    expect(await pins.count()).toBe(placed.length);
    expect(await page.locator('.map > svg .site-coarse').count()).toBe(placed.filter((r) => r.location!.precision !== 'city').length);
    expect(await page.locator('.map > svg .site-placed').count()).toBe(placed.filter((r) => r.location!.precision === 'city').length);
    expect(await page.locator('.map > svg .site-radius').count()).toBe(placed.length);
    expect(await pins.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')).sort())).toEqual(placed.map((r) => `row-${r.row}`).sort());
    await expect(page.locator('.map .legend').innerText()).resolves.toContain('pin at a province or country centre (to confirm)');
    await snapshot(page, 'onboarding-review-laptop');

    // Confirming now is refused: every missing decision is named (the API's 409), and nothing is written.
    await page.getByRole('button', { name: 'Confirm the list' }).click();
    const missing = page.getByRole('alert').filter({ hasText: 'Nothing was written.' });
    await missing.waitFor();
    const pair = rows.flatMap((r) => r.duplicates)[0];
    const named = await missing.locator('table.onb-problems tbody tr td:first-child').allInnerTexts();
    expect(named.sort()).toEqual([...rows.filter((r) => r.status !== 'ok').map((r) => `row ${r.row}`), `proposal ${pair.id}`].sort());
    expect((await getJson(`${web.api.url}/v1/sites/${rows[0].site!.id}`)).status).toBe(404);

    // Accept the country-level pin.
    await page.getByRole('button', { name: `Accept row ${toConfirm.row} (Saigon Garments)` }).click();
    await decisionOf(page, toConfirm.row).filter({ hasText: 'accepted as placed' }).waitFor();

    // Edit the blocked row: a click on the map fills the coordinates; the person then types the exact point and the country.
    await page.getByRole('button', { name: `Edit row ${blocked.row} (Acme Textiles)` }).click();
    await focusOn(page, 'textContent', `Edit row ${blocked.row}: Acme Textiles`);
    const lat = page.getByLabel('Latitude');
    const lon = page.getByLabel('Longitude');
    await expect(lat.inputValue()).resolves.toBe('');
    await page.locator('.map > svg').click({ position: { x: 200, y: 120 } });
    const picked = [Number(await lat.inputValue()), Number(await lon.inputValue())];
    expect(Math.abs(picked[0])).toBeLessThanOrEqual(90);
    expect(Math.abs(picked[1])).toBeLessThanOrEqual(180);
    expect(await page.locator('.map > svg .site-set').count()).toBe(1);
    await lat.fill(String(SET_PIN.lat));
    await lon.fill(String(SET_PIN.lon));
    await page.getByLabel('Country (ISO code)').fill(SET_PIN.country.toLowerCase());
    await snapshot(page, 'onboarding-edit-laptop');
    await page.getByRole('button', { name: 'Save the pin' }).click();
    await decisionOf(page, blocked.row)
      .filter({ hasText: `pin set at ${SET_PIN.lat.toFixed(4)}, ${SET_PIN.lon.toFixed(4)}, country US` })
      .waitFor();
    await focusOn(page, 'ariaLabel', `Edit row ${blocked.row} (Acme Textiles)`);
    expect(await pins.count()).toBe(placed.length + 1);

    // The duplicate proposal, with its evidence: confirm it as one facility.
    const pairRow = page.locator(`table.onb-pairs tr[data-pair="${pair.id}"]`);
    const pairText = await pairRow.innerText();
    expect(pairText).toContain(`row ${pair.a.row} (${rows.find((r) => r.row === pair.a.row)!.name})`);
    expect(pairText).toContain(`row ${pair.b.row} (${rows.find((r) => r.row === pair.b.row)!.name})`);
    expect(pairText).toContain(`names alike: ${Math.round(pair.evidence.name * 100)} %`);
    await page.getByRole('button', { name: `Confirm ${pair.id}: one facility` }).click();
    await pairRow.locator('td.onb-decision').filter({ hasText: 'one facility (confirmed)' }).waitFor();

    // The API holds exactly these decisions; no other row was touched.
    const decided = (await apiList(listId)).rows.items;
    const decisions = Object.fromEntries(decided.filter((r) => r.decision).map((r) => [r.row, r.decision]));
    expect(decisions).toEqual({ [toConfirm.row]: { action: 'accept' }, [blocked.row]: { action: 'edit', ...SET_PIN } });
    expect(decided.flatMap((r) => r.duplicates).map((d) => [d.id, d.decision])).toEqual([
      [pair.id, 'confirm'],
      [pair.id, 'confirm'],
    ]);

    // An existing SKU holds the id of one of the sites: the import refuses the whole list (422), each reason shown, nothing written.
    clash = rows[0].site!.id;
    expect((await postJson(`${web.api.url}/v1/graph/import`, { skus: [{ id: clash, name: `${p}clash`, dailyRevenue: 1 }] })).status).toBe(200);
    await page.getByRole('button', { name: 'Confirm the list' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'The import refused the list' });
    await refused.waitFor();
    expect(await refused.locator('table.onb-problems tbody tr').first().locator('td').allInnerTexts()).toEqual([
      `row ${rows[0].row}`,
      'id',
      expect.any(String),
    ]);
    await snapshot(page, 'onboarding-refused-laptop');
    expect((await apiList(listId)).status).toBe('ready');
    await web.api.neo4j.run('MATCH (k:Sku {id: $id}) DETACH DELETE k', { id: clash });
    clash = null;

    // Keyboard only, from the top of the page to the Confirm button.
    await page.reload();
    await tableRows(page).nth(5).waitFor();
    await page.keyboard.press('Tab');
    await expect(page.evaluate<string>('document.activeElement.textContent')).resolves.toBe('Skip to content');
    await page.keyboard.press('Enter');
    await expect(page.evaluate<string>('document.activeElement.textContent')).resolves.toBe('Review a supplier list');
    await tabTo(page, (el) => el.tag === 'BUTTON' && el.text === 'Confirm the list');
    await page.keyboard.press('Enter');
    const done = page.getByRole('status').filter({ hasText: 'Confirmed:' }).first();
    await done.waitFor();

    // What the API says was written, and the page's account of it.
    const confirmed = await getJson(`${web.api.url}/v1/onboarding/lists/${listId}`, analyst());
    expect(confirmed.body).toMatchObject({ status: 'confirmed', confirmation: { sites: 5, suppliers: 5, merged: 1, rejected: 0 } });
    await expect(page.locator('.onb-result .ok-note').innerText()).resolves.toContain('Confirmed: 5 sites and 5 suppliers written');
    const outcomes = await page
      .locator('table.onb-outcomes tbody tr')
      .evaluateAll((trs) => trs.map((tr) => ({ row: Number(tr.getAttribute('data-row')), siteId: tr.getAttribute('data-site-id') })));
    expect(outcomes.map((o) => o.row)).toEqual(rows.map((r) => r.row));
    const siteOf = new Map(outcomes.map((o) => [o.row, o.siteId!]));
    for (const id of siteOf.values()) written.add(id);
    const [keeper, merged] = [pair.a.row!, pair.b.row!].sort((x, y) => x - y);
    expect(siteOf.get(merged)).toBe(siteOf.get(keeper));

    // Each site is in the graph at the coordinates the page gave: the review's pin, or the one the person set.
    for (const r of rows.filter((x) => x.row !== merged)) {
      const site = await getJson(`${web.api.url}/v1/sites/${siteOf.get(r.row)}`, analyst());
      expect(site.status).toBe(200);
      const want = r.row === blocked.row ? SET_PIN : { lat: r.location!.lat, lon: r.location!.lon, country: site.body.country };
      expect(site.body.lat).toBeCloseTo(want.lat, 6);
      expect(site.body.lon).toBeCloseTo(want.lon, 6);
      expect(site.body.country).toBe(want.country);
      expect(site.body.name).toBe(r.name);
      written.add(site.body.supplierId);
      if (r.row !== blocked.row) expect(site.body.id).toBe(r.site!.id);
    }
    await page
      .locator(`table.onb-outcomes tr[data-row="${blocked.row}"]`)
      .filter({ hasText: `Acme Textiles, US, at ${SET_PIN.lat.toFixed(4)}, ${SET_PIN.lon.toFixed(4)}` })
      .waitFor();
    // The list is closed: no more decisions or Confirm button.
    await expect(page.getByRole('button', { name: 'Confirm the list' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: /^Accept row/ }).count()).resolves.toBe(0);
    await snapshot(page, 'onboarding-confirmed-laptop');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('the review fits a phone, page by page as the API pages the rows', async () => {
    await web.startWorker();
    const context = await web.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await signIn(page, `${web.api.url}/app/`, web.analystKey, 'Risk dashboard');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    const listId = await uploadFixture(page);
    await snapshot(page, 'onboarding-upload-phone');
    await tableRows(page).nth(5).waitFor({ timeout: 90_000 });
    const all = (await apiList(listId)).rows.items.map((r) => r.row);
    expect(await rowNumbers(page)).toEqual(all);
    await snapshot(page, 'onboarding-review-phone');
    await snapshot(page, 'onboarding-review-phone-first-screen', { fullPage: false });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    // Four rows a page: the first four, then the last two, and back.
    await page.goto(`${web.api.url}/app/#/onboarding/${listId}?limit=4`);
    await page.getByRole('button', { name: 'Next rows' }).waitFor();
    await expect(rowNumbers(page)).resolves.toEqual(all.slice(0, 4));
    await page.getByRole('button', { name: 'Next rows' }).click();
    await page.getByText(`Page 2: rows ${all[4]}–${all[5]}; 6 rows in the list`).waitFor();
    await expect(rowNumbers(page)).resolves.toEqual(all.slice(4));
    expect(await page.locator('.map > svg .site').count()).toBe(
      (await apiList(listId)).rows.items.filter((r) => all.slice(4).includes(r.row) && r.location).length,
    );
    await expect(page.getByRole('button', { name: 'Next rows' }).isDisabled()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Previous rows' }).click();
    await page.getByText(`Page 1: rows ${all[0]}–${all[3]}; 6 rows in the list`).waitFor();

    // Editing on a phone: the form sits under the map, the page still does not scroll sideways.
    await page.getByRole('button', { name: new RegExp(`^Edit row ${all[0]} `) }).click();
    await page.getByLabel('Latitude').waitFor();
    await snapshot(page, 'onboarding-edit-phone', { fullPage: false });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
    await context.close();
  });
  it('a supplier uploads a list of its own sites in the portal, decides and confirms it there; the country-level pin waits on My sites', async () => {
    await web.startWorker();
    const context = await web.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await signIn(page, `${web.api.url}/app/`, supplierKey, 'My sites');
    const listId = await uploadFixture(page, true);
    await tableRows(page).nth(5).waitFor({ timeout: 90_000 });
    const answer = await getJson(`${web.api.url}/v1/portal/onboarding/lists/${listId}?limit=50`, supplier());
    expect(answer.status).toBe(200);
    const rows = answer.body.rows.items as ApiRow[];
    expect(await rowNumbers(page)).toEqual(rows.map((r) => r.row));
    // Every row is a site of the supplier's own: no supplier is proposed.
    expect(rows.every((r) => r.supplier === undefined)).toBe(true);
    expect(await page.locator('.map > svg .site').count()).toBe(rows.filter((r) => r.location !== null).length);
    await snapshot(page, 'onboarding-portal-review-laptop');

    // Accept the pins to confirm, leave out the blocked rows, take each duplicate proposal as one site.
    for (const r of rows.filter((x) => x.status === 'to-confirm')) {
      await page.getByRole('button', { name: `Accept row ${r.row} (${r.name})` }).click();
      await decisionOf(page, r.row).filter({ hasText: 'accepted as placed' }).waitFor();
    }
    const blocked = rows.filter((x) => x.status === 'blocked');
    for (const r of blocked) {
      await page.getByRole('button', { name: `Reject row ${r.row} (${r.name})` }).click();
      await decisionOf(page, r.row).filter({ hasText: 'rejected: left out' }).waitFor();
    }
    const pairs = [...new Map(rows.flatMap((r) => r.duplicates).map((d) => [d.id, d])).values()];
    for (const d of pairs) {
      await page.getByRole('button', { name: `Confirm ${d.id}: one facility` }).click();
      await page.locator(`table.onb-pairs tr[data-pair="${d.id}"] td.onb-decision`).filter({ hasText: 'one facility (confirmed)' }).waitFor();
    }
    await page.getByRole('button', { name: 'Confirm the list' }).click();
    await page.getByRole('status').filter({ hasText: 'Confirmed:' }).first().waitFor();
    const merged = pairs.filter((d) => d.a.row !== undefined && d.b.row !== undefined).length;
    const confirmed = await getJson(`${web.api.url}/v1/portal/onboarding/lists/${listId}`, supplier());
    expect(confirmed.body).toMatchObject({
      status: 'confirmed',
      confirmation: { sites: rows.length - blocked.length - merged, suppliers: 0, rejected: blocked.length, merged },
    });
    await expect(page.locator('.onb-result .ok-note').innerText()).resolves.toContain(`Confirmed: ${confirmed.body.confirmation.sites} sites written`);
    // Each written site, read back from the portal, where the review placed it (a merged row's is its keeper's).
    for (const r of rows.filter((x) => x.status !== 'blocked' && x.duplicates.every((d) => d.a.row === x.row))) {
      await page
        .locator(`table.onb-outcomes tr[data-row="${r.row}"]`)
        .filter({ hasText: `${r.name}, ${r.site!.country}, at ${deg(r.location!.lat)}, ${deg(r.location!.lon)}` })
        .waitFor();
    }
    await snapshot(page, 'onboarding-portal-confirmed-laptop');

    // My sites lists them; the site placed only at a country centre waits for the supplier to confirm or move its pin.
    await page.getByRole('link', { name: 'See them on My sites' }).click();
    await page.getByRole('heading', { level: 1, name: 'My sites' }).waitFor();
    await page
      .locator('table.my-sites tbody tr')
      .nth(confirmed.body.confirmation.sites - 1)
      .waitFor();
    expect(await page.locator('table.my-sites tbody tr').count()).toBe(confirmed.body.confirmation.sites);
    const sites = (await getJson(`${web.api.url}/v1/portal/sites?limit=200`, supplier())).body.items as Array<{ name: string; locationToConfirm: boolean }>;
    expect(sites.filter((s) => s.locationToConfirm).map((s) => s.name)).toEqual(
      rows.filter((r) => r.status === 'to-confirm' && r.location!.precision !== 'city').map((r) => r.name),
    );
    expect(problems).toEqual([]);
    await context.close();
  });
});
