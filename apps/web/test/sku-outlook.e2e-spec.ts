jest.setTimeout(90_000);

import { QueueProducer } from '@tiersight/queues';
import { getJson, postJson } from '../../../test/support/api-harness';
import { smallNetwork } from '../../../test/support/small-network';
import { uniquePrefix } from '../../../test/support/test-env';
import { eventually } from '../../../test/support/wait';
import { horizontalOverflow, signIn, snapshot, watchProblems } from './browser';
import { useWebStack } from './fixture';

/**
 * DESIGN §10 on the SKU page in real Chromium: a sensor forecast anticipates
 * an impact at T2b (test/support/small-network.ts; T2b → SKU-B, buffer 5:
 * 0.5 for 10 days → 5 days, 12,500), recorded as the forecast event writes it
 * (an anticipated HITS with its p, the forecast basis on the event). SKU-B is
 * not exposed; its page shows the outlook, its probability and, per event,
 * the forecast it stands on, with the figures the API gives.
 */
describe('the SKU page shows the outlook and its why (real API, worker, Neo4j, Redis, Chromium)', () => {
  const p = uniquePrefix('skuout');
  const eventId = `sensor:${p}fridge:too-warm:forecast`;
  const basis = {
    kind: 'sensor-trend',
    sensorId: `${p}fridge`,
    metric: 'temperature',
    ruleId: 'too-warm',
    condition: { kind: 'above', threshold: 8 },
    at: '2026-12-07T10:00:00.000Z',
    forecast: { value: 8.72, lower: 7.87, upper: 9.59, horizonMinutes: 120 },
    minutesToThreshold: 78.1,
    trendPerHour: 1.04,
    readings: { count: 37, from: '2026-12-07T07:00:00.000Z', to: '2026-12-07T10:00:00.000Z' },
  };

  const web = useWebStack({
    prefix: p,
    analystKeyName: `web test ${p}`,
    setUp: async ({ api }) => {
      expect((await postJson(`${api.url}/v1/graph/import`, smallNetwork(p))).status).toBe(200);
      await api.neo4j.run(
        `MATCH (s:Site {id: $site})
       CREATE (e:Event {id: $id, source: 'telemetry', type: 'sensor', title: 'Forecast', severity: 0.5, expectedDurationDays: 10,
                        geometryJson: '{"type":"Point","coordinates":[120.3,22.63]}', status: 'active', anticipated: true, p: 0.87,
                        forecastBasisJson: $basis, startsAt: datetime(), updatedAt: datetime()})
       CREATE (e)-[:HITS {source: 'sensor', intensity: 0.5, durationDays: 10, anticipated: true, p: 0.87}]->(s)`,
        { id: eventId, site: `${p}T2b`, basis: JSON.stringify(basis) },
      );
      await api.app.get(QueueProducer).requestPropagation({ cause: 'manual', eventId });
      await eventually('SKU-B outlook', async () => (await getJson(`${api.url}/v1/exposures/${p}SKU-B/outlook`)).status === 200, 45_000);
    },
    cleanUp: async ({ api }) => {
      await api.neo4j.run('MATCH (e:Event {id: $id}) DETACH DELETE e', { id: eventId });
    },
  });

  for (const [device, viewport] of [
    ['laptop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    it(`shows SKU-B's outlook with its probability and the forecast behind it (${device})`, async () => {
      const api404 = await getJson(`${web.api.url}/v1/exposures/${p}SKU-B`);
      expect(api404.status).toBe(404); // not exposed: the outlook is all there is
      const { outlook } = (await getJson(`${web.api.url}/v1/exposures/${p}SKU-B/outlook`)).body;
      expect(outlook).toMatchObject({ revenueAtRisk: 12500, p: 0.87, events: [{ eventId, p: 0.87, forecast: basis }] });

      const context = await web.browser.newContext({ viewport });
      const page = await context.newPage();
      const problems = watchProblems(page);
      await signIn(page, `${web.api.url}/`, web.analystKey, 'Risk dashboard');
      await page.goto(`${web.api.url}/app/#/skus/${encodeURIComponent(`${p}SKU-B`)}`);
      const section = page.getByRole('region', { name: 'Outlook: may run short' });
      await section.waitFor();
      expect(await page.getByText('not exposed to any active event').count()).toBe(1);
      const text = (await section.innerText()).replace(/\s+/g, ' ');
      expect(text).toContain('probability of 87 %');
      expect(text).toContain('Revenue at risk (outlook) 12,500');
      expect(text).toContain('Lasting 5 days');
      const row = section.getByRole('row', { name: new RegExp(eventId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) });
      const rowText = (await row.innerText()).replace(/\s+/g, ' ');
      expect(rowText).toContain('87 %');
      expect(rowText).toContain(`Sensor ${p}fridge: temperature above 8 forecast at 8.72 (95 % interval 7.87 to 9.59) in 120 min`);
      expect(rowText).toContain('threshold reached in about 78 min');
      expect(rowText).toContain('from 37 readings');
      if (device === 'phone') expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await snapshot(page, `sku-outlook-${device}`);
      expect(problems).toEqual([]);
      await context.close();
    });
  }
});
