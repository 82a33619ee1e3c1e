jest.setTimeout(150_000);

import { EventRepository } from '@tiersight/graph';
import { getJson, postJson, requestJson } from '../../../test/support/api-harness';
import { uniquePrefix } from '../../../test/support/test-env';
import { Receivers } from '../../worker/test/webhooks-receivers';
import { horizontalOverflow, signIn, snapshot, watchProblems } from './browser';
import { useWebStack } from './fixture';

/**
 * The backtests page in real headless Chromium against the real API, worker,
 * Neo4j and Redis. The platform's history holds a cyclone advisory whose
 * forecast area covered a supplier site 48 h ahead (anticipated, p 0.66),
 * superseded two days later by the landfall over that site (observed):
 *
 *   WX (TH) ──P-cell, buffer 2, lead 3──► ASM (DE) ──buffer 1, lead 1──► SKU-W      onset 3 + 2 + 1 + 1 = 7 days
 *
 * An analyst starts a backtest of the last 30 days from the page, watches its
 * progress, and reads the chart of alerts per day (anticipation on and off)
 * and the per-SKU table, each checked against the API's report: with
 * anticipation, SKU-W is warned at the advisory, two days before the
 * landfall, so 9 days before its shortage instead of 7.
 */
describe('backtests page in Chromium (real API, worker, Neo4j and Redis)', () => {
  const p = uniquePrefix('btweb');
  const skuId = `${p}SKU-W`;
  const DAY_MS = 86_400_000;
  // Whole hours, so that the page's day range (whole UTC days) holds both events.
  const advisoryAt = Math.floor((Date.now() - 10 * DAY_MS) / 3_600_000) * 3_600_000;
  const landfallAt = advisoryAt + 2 * DAY_MS;
  const receivers = new Receivers();
  let subscriptionId = '';

  const square = (lon: number, lat: number, r: number) => [
    [
      [lon - r, lat - r],
      [lon + r, lat - r],
      [lon + r, lat + r],
      [lon - r, lat + r],
      [lon - r, lat - r],
    ],
  ];

  // Declared around the stack's hooks (run in declaration order): the receiver is up before the worker and closed after it.
  beforeAll(async () => {
    receivers.on('/hook', (_q, res) => res.end('ok'));
    await receivers.start();
  });

  const web = useWebStack({
    prefix: p,
    analystKeyName: `backtests web test ${p}`,
    env: { WEBHOOK_ALLOWED_TARGETS: '127.0.0.1/32' },
    setUp: async ({ api }) => {
      const imported = await postJson(`${api.url}/v1/graph/import`, {
        suppliers: [
          { id: `${p}SUP-TH`, name: 'Cells Co', country: 'TH' },
          { id: `${p}SUP-DE`, name: 'Assembly GmbH', country: 'DE' },
        ],
        sites: [
          { id: `${p}WX`, supplierId: `${p}SUP-TH`, name: 'Cell plant', kind: 'plant', lat: 13.5, lon: 100.5, country: 'TH' },
          { id: `${p}ASM`, supplierId: `${p}SUP-DE`, name: 'Assembly', kind: 'plant', lat: 48.1, lon: 11.6, country: 'DE' },
        ],
        parts: [{ id: `${p}P-cell`, name: 'Cell' }],
        skus: [{ id: skuId, name: `Battery pack ${p}`, dailyRevenue: 20000 }],
        supplies: [
          { fromSiteId: `${p}WX`, toSiteId: `${p}ASM`, partId: `${p}P-cell`, share: 1, bufferDays: 2, leadTimeDays: 3 },
          { fromSiteId: `${p}ASM`, toSkuId: skuId, partId: skuId, share: 1, bufferDays: 1, leadTimeDays: 1 },
        ],
      });
      if (imported.status !== 200) throw new Error(JSON.stringify(imported.body));
      const sub = await postJson(`${api.url}/v1/webhooks`, { url: `${receivers.base}/hook`, filters: { skuIds: [skuId] } });
      expect(sub.status).toBe(201);
      subscriptionId = sub.body.id;

      // The advisory: observed wind over open sea, its forecast area over WX 48 h ahead; superseded at landfall.
      await api.app.get(EventRepository).upsert({
        id: `${p}EV-advisory`,
        source: 'gdacs',
        type: 'storm',
        title: `Cyclone advisory ${p}`,
        severity: 0.6,
        expectedDurationDays: 20,
        geometry: { type: 'Polygon', coordinates: square(95, 10, 0.5) },
        country: null,
        startsAt: new Date(advisoryAt).toISOString(),
        forecast: {
          issuedAt: new Date(advisoryAt).toISOString(),
          areas: [{ at: new Date(advisoryAt + 2 * DAY_MS).toISOString(), geometry: { type: 'Polygon', coordinates: square(100.5, 13.5, 1) } }],
          track: [],
        },
      });
      await api.neo4j.run(`MATCH (e:Event {id: $id}) SET e.status = 'closed', e.closedAt = datetime($at), e.closedReason = 'superseded'`, {
        id: `${p}EV-advisory`,
        at: new Date(landfallAt).toISOString(),
      });
      const landfall = await postJson(`${api.url}/v1/events`, {
        id: `${p}EV-landfall`,
        type: 'storm',
        title: `Cyclone landfall ${p}`,
        severity: 0.6,
        expectedDurationDays: 20,
        geometry: { type: 'Point', coordinates: [100.5, 13.5] },
        radiusKm: 30,
        startsAt: new Date(landfallAt).toISOString(),
      });
      expect(landfall.status).toBe(201);
    },
    cleanUp: async ({ api }) => {
      if (subscriptionId) await requestJson('DELETE', `${api.url}/v1/webhooks/${subscriptionId}`);
    },
  });

  afterAll(() => receivers.close());

  let backtestId = '';

  it('an analyst starts a backtest of the history and reads the API’s report as a chart and a table', async () => {
    const context = await web.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await signIn(page, `${web.api.url}/`, web.analystKey, 'Risk dashboard');
    await page.getByRole('link', { name: 'Backtests' }).click();
    await page.getByRole('heading', { level: 1, name: 'Backtests: what the alerts would have done' }).waitFor();
    // The default range is the last 30 days; the advisory was 10 days ago.
    const firstDay = await page.getByLabel('First day (UTC)').inputValue();
    expect(firstDay <= new Date(advisoryAt).toISOString().slice(0, 10)).toBe(true);
    await snapshot(page, 'backtests-start-laptop');
    await page.getByRole('button', { name: 'Start backtest' }).click();

    const progress = page.getByRole('progressbar', { name: 'Moments replayed' });
    await progress.waitFor();
    await page.getByRole('heading', { level: 2, name: 'Alerts per day' }).waitFor({ timeout: 90_000 });
    await expect(page.getByRole('status').filter({ hasText: 'Done:' }).count()).resolves.toBe(1);
    backtestId = decodeURIComponent(new URL(page.url()).hash.split('/')[2]);
    expect(backtestId).toMatch(/^bt_/);

    const res = await getJson(`${web.api.url}/v1/backtests/${backtestId}`);
    expect(res.status).toBe(200);
    const report = res.body.report;
    expect(res.body.request.source).toBe('history');

    // The replay as the network says: anticipation warns at the advisory, 9 days ahead; without it, at landfall, 7 days ahead.
    const row = report.skus.find((s: { skuId: string }) => s.skuId === skuId);
    expect(row).toMatchObject({
      firstShortageAt: new Date(landfallAt + 7 * DAY_MS).toISOString(),
      off: { warnedAt: new Date(landfallAt).toISOString(), leadDays: 7 },
      on: { warnedAt: new Date(advisoryAt).toISOString(), leadDays: 9 },
      gainDays: 2,
    });
    const anticipated = report.alerts.find((a: { type: string; skuId: string }) => a.type === 'exposure.anticipated' && a.skuId === skuId);
    expect(anticipated).toMatchObject({ subscriptionId, at: new Date(advisoryAt).toISOString(), outcome: 'realized' });
    expect(anticipated.p).toBeCloseTo(0.66, 12); // 48 h ahead: 0.9 − (0.9 − 0.3) · 48 / 120

    // The chart: a bar per day with alerts, anticipation on; the off line; an image named by its figures.
    const chart = page.locator('.backtest-volume svg');
    const daysOn = report.days.filter((d: { on: number }) => d.on > 0);
    const daysOff = report.days.filter((d: { off: number }) => d.off > 0);
    await page.locator('.backtest-volume svg g.bt-on rect').first().waitFor();
    expect(await page.locator('.backtest-volume svg g.bt-on rect').count()).toBe(daysOn.length);
    expect(await page.locator('.backtest-volume svg g.bt-off path').count()).toBe(1);
    expect(await page.locator('.backtest-volume svg g.bt-off-dots path, .backtest-volume svg g.bt-off-dots rect').count()).toBe(daysOff.length);
    await expect(chart.getAttribute('role')).resolves.toBe('img');
    const on = report.totals.on.alerts as number;
    const off = report.totals.off.alerts as number;
    expect(on).toBeGreaterThan(off);
    const words = `${on.toLocaleString('en')} ${on === 1 ? 'alert' : 'alerts'} with anticipation on, ${off.toLocaleString('en')} with it off`;
    await expect(chart.getAttribute('aria-label')).resolves.toContain(words);
    await expect(page.locator('figure.backtest-chart figcaption').innerText()).resolves.toContain(words);

    // The same figures as a table.
    await page.getByText('Alerts per day, as a table').click();
    const dayRows = page.locator('table.backtest-days tbody tr');
    expect(await dayRows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-day'), tr.children[1].textContent, tr.children[2].textContent]))).toEqual(
      report.days
        .filter((d: { on: number; off: number }) => d.on > 0 || d.off > 0)
        .map((d: { day: string; on: number; off: number }) => [d.day, String(d.on), String(d.off)]),
    );

    // The per-SKU table: the API's SKUs, in its order, with its lead times.
    const skuRows = page.locator('table.backtest-skus tbody tr');
    expect(await skuRows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-sku-id')))).toEqual(report.skus.map((s: { skuId: string }) => s.skuId));
    const mine = page.locator(`table.backtest-skus tr[data-sku-id="${skuId}"]`);
    await expect(mine.locator('td.bt-lead-off .bt-lead').innerText()).resolves.toBe('7 d');
    await expect(mine.locator('td.bt-lead-on .bt-lead').innerText()).resolves.toBe('9 d');
    await expect(mine.locator('td.bt-lead-on .bt-warned').innerText()).resolves.toBe(`warned ${new Date(advisoryAt).toISOString().slice(0, 10)}`);
    await expect(mine.locator('td.bt-gain').innerText()).resolves.toBe('2 d');

    await snapshot(page, 'backtests-report-laptop');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows the same backtest on a phone without sideways scrolling', async () => {
    expect(backtestId).toMatch(/^bt_/);
    const context = await web.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await signIn(page, `${web.api.url}/`, web.analystKey, 'Risk dashboard');
    await page.goto(`${web.api.url}/app/#/backtests/${encodeURIComponent(backtestId)}`);
    await page.locator('.backtest-volume svg g.bt-on rect').first().waitFor();
    const width = Number(await page.locator('.backtest-volume svg').getAttribute('width'));
    expect(width).toBeGreaterThan(250);
    expect(width).toBeLessThanOrEqual(390);
    await page.locator(`table.backtest-skus tr[data-sku-id="${skuId}"]`).waitFor();
    await snapshot(page, 'backtests-report-phone');
    await snapshot(page, 'backtests-report-phone-first-screen', { fullPage: false });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});
