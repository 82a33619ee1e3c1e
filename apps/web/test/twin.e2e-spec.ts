jest.setTimeout(180_000);

import type { Page } from 'playwright-core';
import { getJson, postJson } from '../../../test/support/api-harness';
import { KAOHSIUNG_AREA, quakeAtT3, smallNetwork } from '../../../test/support/small-network';
import { uniquePrefix } from '../../../test/support/test-env';
import { eventually } from '../../../test/support/wait';
import { horizontalOverflow, signIn, snapshot, tabTo, watchProblems } from './browser';
import { useWebStack } from './fixture';

/**
 * The twin's pages in real headless Chromium against the real API, worker,
 * Neo4j and Redis: an analyst starts a run of two active events from the page
 * with a fixed seed (keyboard only), sees its progress, then the SKUs most
 * likely to run short, a SKU's fan chart and the tornado of what drives the
 * loss — each figure checked against the API's answer for the same run. The
 * same run on a phone: no sideways scrolling.
 *
 * The small network (test/support/small-network.ts): a quake over T3 reaches
 * SKU-A through long buffers; a typhoon over T2b hits SKU-B directly (5 days
 * of buffer against about 6 days of loss) and SKU-A through M1.
 */

interface Outlook {
  skuId: string;
  probability: number;
  revenueAtRisk: { p10: number; p50: number; p90: number; mean: number };
  curve?: { short: number[]; lostFraction: number[]; supplyRatio?: { p10: number[]; p50: number[]; p90: number[] } };
}
interface Driver {
  id: string;
  contribution: number | null;
}

/** A share as the pages print it (format.ts fmtPct): one decimal and a spaced percent sign. */
const asPercent = (v: number) => `${(Math.round(v * 1000) / 10).toLocaleString('en')} %`;

/** Tabs until the focused control sits in a label holding `text` (radio buttons, checkboxes, inputs). */
async function tabToLabel(page: Page, text: string, maxTabs = 60): Promise<void> {
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    const label = await page.evaluate<string>(`(document.activeElement && document.activeElement.closest('label')?.textContent) || ''`);
    if (label.includes(text)) return;
  }
  throw new Error(`no control labelled "${text}" reached after ${maxTabs} presses of Tab`);
}

describe('twin pages in Chromium (real API, worker, Neo4j and Redis)', () => {
  const p = uniquePrefix('twinweb');
  const quake = { ...quakeAtT3(p), title: `Quake near Antofagasta ${p}` };
  const typhoon = {
    id: `${p}EV-typhoon`,
    type: 'storm',
    title: `Typhoon over Kaohsiung ${p}`,
    severity: 0.6,
    expectedDurationDays: 6,
    geometry: KAOHSIUNG_AREA,
  };
  const SEED = 4242;
  const SAMPLES = 1000;
  let runId: string | undefined;

  const apiRun = async (id: string, query = '') => {
    const res = await getJson(`${web.api.url}/v1/twin/runs/${id}?limit=500${query}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  const web = useWebStack({
    prefix: p,
    analystKeyName: `twin web test ${p}`,
    setUp: async ({ api }) => {
      const imported = await postJson(`${api.url}/v1/graph/import`, smallNetwork(p));
      if (imported.status !== 200) throw new Error(JSON.stringify(imported.body));
      for (const event of [quake, typhoon]) expect((await postJson(`${api.url}/v1/events`, event)).status).toBe(201);
      // Both events matched to their sites: SKU-A shows the quake, SKU-B the typhoon.
      await eventually(
        'exposures of both events',
        async () => {
          const [a, b] = await Promise.all([getJson(`${api.url}/v1/exposures/${p}SKU-A`), getJson(`${api.url}/v1/exposures/${p}SKU-B`)]);
          return a.status === 200 && a.body.eventIds.includes(quake.id) && b.status === 200 && b.body.eventIds.includes(typhoon.id);
        },
        45_000,
      );
    },
  });

  it('an analyst starts a run with the keyboard, watches its progress, and reads the API’s figures as table, fan chart and tornado', async () => {
    const context = await web.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await signIn(page, `${web.api.url}/`, web.analystKey, 'Risk dashboard');

    // To the twin through the main navigation, by keyboard.
    await tabTo(page, (el) => el.tag === 'A' && el.text === 'Twin');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Twin: shortages under uncertainty' }).waitFor();
    await page.getByLabel(/All active events/).waitFor();

    // Pick the two events, set the seed and start, all from the keyboard.
    await tabToLabel(page, 'All active events');
    await page.keyboard.press('ArrowDown'); // the radio group's next option: only the events picked
    await expect(page.getByLabel('Only the events I pick').isChecked()).resolves.toBe(true);
    for (const event of [quake, typhoon]) {
      await tabToLabel(page, event.title);
      await page.keyboard.press('Space');
    }
    await tabToLabel(page, 'Samples');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(String(SAMPLES));
    await tabToLabel(page, 'Seed');
    await page.keyboard.type(String(SEED));
    await snapshot(page, 'twin-start-laptop');
    await tabTo(page, (el) => el.tag === 'BUTTON' && el.text === 'Start run');
    await page.keyboard.press('Enter');

    // The run page shows the queued job's progress before the results.
    const progress = page.getByRole('progressbar', { name: 'Samples done' });
    await progress.waitFor();
    await expect(progress.getAttribute('aria-valuemax')).resolves.toBe(String(SAMPLES));
    const first = await progress.getAttribute('aria-valuetext');
    expect(first).toMatch(new RegExp(`^[\\d,]+ of ${SAMPLES.toLocaleString('en')} samples`));
    await page.getByRole('heading', { level: 2, name: 'SKUs most likely to run short' }).waitFor({ timeout: 90_000 });
    await expect(progress.getAttribute('aria-valuenow')).resolves.toBe(String(SAMPLES));
    await expect(page.getByRole('status').filter({ hasText: 'Done:' }).count()).resolves.toBe(1);

    // The run the page started is the one asked for.
    runId = decodeURIComponent(new URL(page.url()).hash.split('/')[2].split('?')[0]);
    const run = await apiRun(runId, '&curves=false');
    expect(run).toMatchObject({ status: 'succeeded', request: { mode: 'live', samples: SAMPLES, seed: SEED, eventIds: [quake.id, typhoon.id].sort() } });
    await expect(page.locator('.twin-seed').innerText()).resolves.toBe(String(SEED));

    // The table: the API's SKUs by probability (then expected revenue at risk), with the API's probabilities.
    const items = run.results.skus.items as Outlook[];
    expect(items.length).toBeGreaterThanOrEqual(2);
    expect(items.every((s) => s.curve === undefined)).toBe(true); // curves=false: the table's rows come without their curves
    expect(new Set(items.map((s) => s.probability)).size).toBeGreaterThan(1); // draws on: the SKUs differ
    const likely = [...items].sort((a, b) => b.probability - a.probability || b.revenueAtRisk.mean - a.revenueAtRisk.mean || (a.skuId < b.skuId ? -1 : 1));
    const rows = page.locator('table.twin-skus tbody tr');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-sku-id')))).toEqual(likely.slice(0, 15).map((s) => s.skuId));
    for (const s of likely.slice(0, 3)) {
      await expect(page.locator(`table.twin-skus tr[data-sku-id="${s.skuId}"] td`).first().innerText()).resolves.toBe(asPercent(s.probability));
    }

    // Open the second SKU's fan chart from the keyboard (the first is shown by default).
    const chosen = likely[1];
    await tabTo(page, (el) => el.tag === 'BUTTON' && el.text === 'Fan chart');
    await page.keyboard.press('Enter');
    expect(new URL(page.url()).hash).toBe(`#/twin/${encodeURIComponent(runId)}?sku=${encodeURIComponent(chosen.skuId)}`);
    const fan = page.locator(`figure.fan-chart[data-sku-id="${chosen.skuId}"]`);
    await fan.waitFor();
    const band = fan.locator('.fan-supply svg g.fan-band path');
    const median = fan.locator('.fan-supply svg g.fan-p50 path');
    await band.first().waitFor();
    expect(await band.count()).toBe(1);
    expect(await median.count()).toBe(1);
    expect((await band.getAttribute('d'))!.length).toBeGreaterThan(10);
    expect((await median.getAttribute('d'))!.length).toBeGreaterThan(10);
    await expect(fan.locator('.fan-supply svg').getAttribute('role')).resolves.toBe('img');
    await expect(fan.locator('.fan-supply svg').getAttribute('aria-label')).resolves.toContain(`${chosen.skuId} runs short in`);

    // The stated probability and the worst day of the band are the API's for this run and SKU.
    const outlook = (await apiRun(runId, `&skuId=${encodeURIComponent(chosen.skuId)}`)).results.skus.items[0] as Outlook;
    await expect(fan.locator('.twin-probability').innerText()).resolves.toBe(asPercent(outlook.probability));
    const p10 = outlook.curve!.supplyRatio!.p10;
    const worst = p10.indexOf(Math.min(...p10));
    expect(p10[worst]).toBeLessThan(1); // this SKU is short in more than one sample in ten on some day
    await expect(fan.locator('figcaption').innerText()).resolves.toContain(
      `Lowest P10 supply: ${(Math.round(p10[worst] * 1000) / 10).toLocaleString('en')} % of normal on day ${worst}`,
    );

    // Its figures as a table, opened from the keyboard.
    await tabTo(page, (el) => el.tag === 'SUMMARY' && el.text === 'The figures by day, as a table');
    await page.keyboard.press('Enter');
    await fan.locator('table.fan-data').waitFor();
    // one row per run of days with the same figures; the P10 column holds the worst day's figure
    const p10Cells = await fan.locator('table.fan-data tbody tr td:nth-child(3)').allInnerTexts();
    expect(p10Cells.length).toBeGreaterThan(1);
    expect(p10Cells).toContain(asPercent(p10[worst]));

    // The tornado: the API's events by swing, largest first, as bars, labels and table rows.
    const drivers = (run.results.drivers as Driver[])
      .filter((d) => d.contribution !== null)
      .sort((a, b) => b.contribution! - a.contribution! || (a.id < b.id ? -1 : 1));
    expect(drivers.map((d) => d.id).sort()).toEqual([quake.id, typhoon.id].sort());
    const titles = new Map([quake, typhoon].map((e) => [e.id, e.title]));
    await page.locator('.tornado-plot svg g.tornado-bar rect').first().waitFor();
    expect(await page.locator('.tornado-plot svg g.tornado-bar rect').count()).toBe(drivers.length);
    expect(await page.locator('table.tornado-data tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-driver-id')))).toEqual(
      drivers.map((d) => d.id),
    );
    const labels = await page.locator('.tornado-plot svg g.tornado-label text').allTextContents();
    expect(labels).toEqual(drivers.map((d, i) => `${i + 1}. ${titles.get(d.id)}`));
    // each bar's swing in words (inside a long bar, beside a short one)
    const swings = await page.locator('.tornado-plot svg g.tornado-swing text').allTextContents();
    expect(swings.sort()).toEqual(drivers.map((d) => `−${Math.round(d.contribution!).toLocaleString('en')}`).sort());

    await snapshot(page, 'twin-run-laptop');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows the same run on a phone without sideways scrolling', async () => {
    if (!runId) {
      const started = await postJson(`${web.api.url}/v1/twin/runs`, { samples: SAMPLES, seed: SEED, eventIds: [quake.id, typhoon.id] });
      expect(started.status).toBe(202);
      runId = started.body.id as string;
      await eventually('the run finished', async () => (await apiRun(runId!)).status === 'succeeded', 90_000);
    }
    const context = await web.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await signIn(page, `${web.api.url}/`, web.analystKey, 'Risk dashboard');
    await page.goto(`${web.api.url}/app/#/twin`);
    await page.getByLabel(/All active events/).waitFor();
    await snapshot(page, 'twin-start-phone');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    const skuId = `${p}SKU-B`;
    await page.goto(`${web.api.url}/app/#/twin/${encodeURIComponent(runId)}?sku=${encodeURIComponent(skuId)}`);
    await page.locator(`figure.fan-chart[data-sku-id="${skuId}"] .fan-supply svg g.fan-band path`).waitFor();
    await page.locator('.tornado-plot svg g.tornado-bar rect').first().waitFor();
    // The charts are drawn at the phone's width, not scaled down from a wide one.
    const chartWidth = Number(await page.locator('.fan-supply svg').getAttribute('width'));
    expect(chartWidth).toBeGreaterThan(250);
    expect(chartWidth).toBeLessThanOrEqual(390);
    await snapshot(page, 'twin-run-phone');
    await snapshot(page, 'twin-run-phone-first-screen', { fullPage: false });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});
