jest.setTimeout(120_000);

import mqtt, { MqttClient } from 'mqtt';
import type { INestApplication } from '@nestjs/common';
import { anticipate } from '@tiersight/forecast-engine';
import { RedisStore } from '@tiersight/queues';
import { deleteByPrefix, getFound, getJson, postJson, requestJson, RunningApi, startApi, startWorker } from '../../../test/support/api-harness';
import { deleteRedisKeys, endMqttSession, obliterateQueues } from '../../../test/support/cleanup';
import { smallNetwork } from '../../../test/support/small-network';
import { uniquePrefix } from '../../../test/support/test-env';
import { eventually } from '../../../test/support/wait';
import { Receivers } from './webhooks-receivers';

/**
 * DESIGN §10 for sensors through the real stack (Mosquitto, Redis, Neo4j): a
 * fridge at M1 (small network) warms steadily, one SenML pack per reading
 * over MQTT. Before it crosses 8 °C the `too-warm` rule's forecast makes the
 * impact anticipated: a forecast event with HITS {anticipated, p} at M1, an
 * outlook for SKU-A (M1 → SKU-A, buffer 2: x 0.5 for 7 − 2 = 5 days →
 * 10000 · 0.5 · 5 = 25000) and no observed exposure. Once the value stays
 * above 8 °C for 30 minutes the rule fires: the observed event carries the
 * impact, the forecast event closes as superseded, and the outlook goes away.
 * A subscribed receiver gets `exposure.anticipated` (with the forecast it
 * stands on) while every reading is still under 8 °C, then `exposure.created`.
 */
describe('sensor forecasts anticipate a threshold rule before it fires (MQTT, Redis, Neo4j)', () => {
  const p = uniquePrefix('santic');
  const queuePrefix = p.slice(0, -1);
  const sensorId = `${p}fridge`;
  const observedId = `sensor:${sensorId}:too-warm`;
  const forecastId = `${observedId}:forecast`;
  const warm = { id: 'too-warm', kind: 'above' as const, threshold: 8, forMinutes: 30, x: 0.5, days: 7 };
  const mqttUrl = process.env.MQTT_URL || 'mqtt://127.0.0.1:1883';
  const topicRoot = `tiersight-test/${queuePrefix}`;
  const mqttClientId = `${queuePrefix}-telemetry`;
  const env = {
    QUEUE_PREFIX: queuePrefix,
    TELEMETRY_RULES: JSON.stringify({ metrics: { temperature: [warm] } }),
    MQTT_URL: mqttUrl,
    MQTT_TOPIC: `${topicRoot}/#`,
    MQTT_CLIENT_ID: mqttClientId,
    MQTT_SESSION_EXPIRY_S: '300',
    WEBHOOK_ALLOWED_TARGETS: '127.0.0.1/32',
  };
  const receivers = new Receivers();
  let subscriptionId: string;
  const alerts = () => receivers.at('/all').map((r) => r.payload!.type);
  // Six hours ago, on a 5-minute grid: three flat hours at 5 °C, then +0.1 °C every 5 minutes.
  const t0 = Math.floor(Date.now() / 1000 / 300) * 300 - 6 * 3600;
  const flat = Array.from({ length: 36 }, (_, i) => ({ t: t0 + i * 300, v: 5 + (i % 2 ? 0.02 : -0.02) }));
  const climb = Array.from({ length: 45 }, (_, i) => ({ t: t0 + (36 + i) * 300, v: Math.round((5.1 + 0.1 * i) * 100) / 100 }));
  const belowThreshold = climb.filter((r) => r.v <= 7.6);
  const rest = climb.slice(belowThreshold.length);
  let api: RunningApi;
  let worker: INestApplication;
  let publisher: MqttClient;

  const publish = async (readings: { t: number; v: number }[]) => {
    for (const r of readings) {
      await publisher.publishAsync(`${topicRoot}/site-M1`, JSON.stringify([{ bn: sensorId, bt: r.t, n: '', u: 'Cel', v: r.v }]), { qos: 1 });
    }
  };
  const event = async (id: string) => {
    const res = await getJson(`${api.url}/v1/events/${encodeURIComponent(id)}`);
    return res.status === 200 ? res.body : null;
  };
  const outlookOf = async (sku: string) =>
    ((await getJson(`${api.url}/v1/exposures?outlook=true`)).body.items as Array<{ skuId: string }>).find((i) => i.skuId === p + sku) ?? null;

  beforeAll(async () => {
    receivers.on('/all', (_q, res) => res.end());
    await receivers.start();
    api = await startApi(env);
    worker = await startWorker(env);
    expect((await postJson(`${api.url}/v1/graph/import`, smallNetwork(p))).status).toBe(200);
    expect(
      (await requestJson('PUT', `${api.url}/v1/sensors/${encodeURIComponent(sensorId)}`, { siteId: `${p}M1`, metric: 'temperature', unit: 'Cel' })).status,
    ).toBe(200);
    const { MqttIngress } = await import('../src/telemetry/mqtt-ingress.service');
    await eventually('worker subscribed', async () => worker.get(MqttIngress).subscribed === `${topicRoot}/#`);
    publisher = await mqtt.connectAsync(mqttUrl, { clientId: `${queuePrefix}-pub`, clean: true, reconnectPeriod: 0 });
    const sub = await postJson(`${api.url}/v1/webhooks`, { url: `${receivers.base}/all`, filters: { skuIds: [`${p}SKU-A`] } });
    expect(sub.status).toBe(201);
    subscriptionId = sub.body.id;
    receivers.secret('/all', sub.body.secret);
  });

  afterAll(async () => {
    if (subscriptionId) await requestJson('DELETE', `${api.url}/v1/webhooks/${subscriptionId}`);
    await receivers.close();
    await publisher?.endAsync();
    await worker?.close();
    await endMqttSession(mqttUrl, mqttClientId);
    await obliterateQueues(api.app);
    await deleteByPrefix(api.neo4j, p);
    await api.neo4j.run('MATCH (e:Event) WHERE e.id STARTS WITH $id DETACH DELETE e', { id: `sensor:${p}` });
    await deleteRedisKeys(api.app.get(RedisStore).client, queuePrefix);
    await api.close();
  });

  it('a flat fridge anticipates nothing', async () => {
    await publish(flat);
    await eventually(
      'flat readings stored',
      async () => (await getJson(`${api.url}/v1/sensors/${encodeURIComponent(sensorId)}`)).body.lastValue === flat[35].v,
    );
    const sensor = await getJson(`${api.url}/v1/sensors/${encodeURIComponent(sensorId)}`);
    expect(sensor.body.rules).toEqual([
      expect.objectContaining({
        id: 'too-warm',
        firing: false,
        forecast: expect.objectContaining({ eventId: forecastId, anticipated: false, raisedAt: null }),
      }),
    ]);
    expect(await event(forecastId)).toBeNull();
  });

  it('the climb is anticipated below the threshold: a forecast event, an outlook for SKU-A with its p, no exposure', async () => {
    await publish(belowThreshold);
    const forecast = await eventually('forecast event active', async () => {
      const e = await event(forecastId);
      return e?.status === 'active' ? e : null;
    });
    expect(forecast).toMatchObject({ source: 'telemetry', type: 'sensor', severity: 0.5, expectedDurationDays: 7 });
    // Raised no earlier than the first reading whose forecast on the window so far reaches p ≥ 0.8 (jobs run
    // concurrently, so a step may be taken a reading later), and still under 8 °C.
    const readings = [...flat, ...belowThreshold];
    const k = readings.findIndex((_, i) => (anticipate(readings.slice(0, i + 1), warm)?.p ?? 0) >= 0.8);
    expect(k).toBeGreaterThan(flat.length);
    const raisedAt = readings.findIndex((r) => r.t === Date.parse(forecast.startsAt) / 1000);
    expect(raisedAt).toBeGreaterThanOrEqual(k);
    expect(readings[raisedAt].v).toBeLessThan(8);

    await eventually('all readings in', async () => (await getJson(`${api.url}/v1/sensors/${encodeURIComponent(sensorId)}`)).body.lastValue === 7.6);
    const hits = await api.neo4j.run('MATCH (:Event {id: $id})-[h:HITS]->(s:Site) RETURN s.id AS site, h.anticipated AS anticipated, h.p AS p', {
      id: forecastId,
    });
    expect(hits.records).toHaveLength(1);
    const hit = hits.records[0].toObject();
    expect(hit).toMatchObject({ site: `${p}M1`, anticipated: true });
    expect(hit.p).toBeGreaterThanOrEqual(0.8);
    expect(hit.p).toBeLessThan(1);

    // The alert came while every reading sent was still under 8 °C, with the forecast it stands on.
    await eventually('exposure.anticipated received', async () => alerts().includes('exposure.anticipated'), 30_000);
    expect(new Set(alerts())).toEqual(new Set(['exposure.anticipated']));
    const alert = receivers.at('/all')[0];
    expect(alert.verified).toBe(true);
    expect(alert.payload!.data).toMatchObject({ skuId: `${p}SKU-A`, status: 'anticipated', x: 0.5, days: 5, revenueAtRisk: 25000, observed: null });
    const [why] = alert.payload!.data.events as Array<{ forecast: { forecast: { upper: number }; readings: { count: number }; at: string } }>;
    expect(why).toMatchObject({
      id: forecastId,
      status: 'active',
      forecast: { kind: 'sensor-trend', sensorId, metric: 'temperature', ruleId: 'too-warm', condition: { kind: 'above', threshold: 8 } },
    });
    expect(why.forecast.forecast.upper).toBeGreaterThan(8);
    expect(why.forecast.readings.count).toBeGreaterThanOrEqual(6);
    // Made at one of the readings sent, under 8 °C.
    const basisReading = readings.find((r) => r.t === Date.parse(why.forecast.at) / 1000);
    expect(basisReading!.v).toBeLessThan(8);

    const outlook = await eventually('SKU-A outlook', () => outlookOf('SKU-A'));
    expect(outlook).toMatchObject({ observed: null, outlook: { x: 0.5, days: 5, revenueAtRisk: 25000, events: [{ eventId: forecastId }] } });
    const { outlook: o } = outlook as unknown as { outlook: { p: number; events: Array<{ p: number; forecast: { kind: string; ruleId: string } }> } };
    expect(o.p).toBe(o.events[0].p);
    expect(o.events[0].forecast).toMatchObject({ kind: 'sensor-trend', ruleId: 'too-warm' });
    expect(Math.abs(o.p - hit.p)).toBeLessThan(0.05 + 1e-9);
    expect(await getFound(`${api.url}/v1/exposures/${p}SKU-A`)).toBeNull();
    expect(await event(observedId)).toBeNull();
    const sensor = await getJson(`${api.url}/v1/sensors/${encodeURIComponent(sensorId)}`);
    expect(sensor.body.rules[0].forecast).toMatchObject({ anticipated: true, raisedAt: new Date(readings[raisedAt].t * 1000).toISOString() });
  });

  it('once the rule fires the observed impact takes over: the forecast closes as superseded, SKU-A exposed, the outlook gone', async () => {
    await publish(rest);
    const observed = await eventually('observed event active', async () => {
      const e = await event(observedId);
      return e?.status === 'active' ? e : null;
    });
    // Above 8 °C from the first reading over it, for 30 minutes.
    const over = rest.find((r) => r.v > 8)!;
    expect(Date.parse(observed.startsAt) / 1000).toBe(over.t + 30 * 60);
    const closed = await eventually('forecast closed', async () => {
      const e = await event(forecastId);
      return e?.status === 'closed' ? e : null;
    });
    expect(closed.closedReason).toMatch(/rule fired/);
    expect(Date.parse(closed.closedAt) / 1000).toBe(over.t + 30 * 60);
    const a = await eventually('SKU-A exposed', () => getFound(`${api.url}/v1/exposures/${p}SKU-A`));
    expect(a).toMatchObject({ x: 0.5, days: 5, revenueAtRisk: 25000, eventIds: [observedId] });
    await eventually('outlook gone', async () => (await outlookOf('SKU-A')) === null);
    // The observed alert follows; the anticipation is not reported as cleared (it came true).
    await eventually('exposure.created received', async () => alerts().includes('exposure.created'), 30_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(alerts().filter((t) => t !== 'exposure.anticipated')).toEqual(['exposure.created']);
    expect(alerts()[alerts().length - 1]).toBe('exposure.created');
    const sensor = await getJson(`${api.url}/v1/sensors/${encodeURIComponent(sensorId)}`);
    expect(sensor.body.rules[0]).toMatchObject({ firing: true, forecast: { anticipated: false, endedBy: 'observed' } });
  });
});
