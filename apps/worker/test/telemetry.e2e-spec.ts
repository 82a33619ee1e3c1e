jest.setTimeout(90_000);

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DeadLetters, QUEUES, RedisStore } from '@tiersight/queues';
import { fridgeTagToSenml, parseFridgeTag } from '@tiersight/telemetry';
import { deleteByPrefix, getFound, getJson, postJson, requestJson, RunningApi, startApi, startWorker } from '../../../test/support/api-harness';
import { deleteRedisKeys, endMqttSession, obliterateQueues } from '../../../test/support/cleanup';
import { smallNetwork } from '../../../test/support/small-network';
import { uniquePrefix } from '../../../test/support/test-env';
import { eventually } from '../../../test/support/wait';

/**
 * SenML over HTTP through the real stack: the real Fridge-tag 2 L excursion of
 * 2022-06-07 posted in two halves to a sensor at M1 (small network) raises
 * `too-warm` (x 0.5, 7 days) → Event active with HITS to M1 → SKU-A exposed
 * (M1 → SKU-A buffer 2: x 0.5, 5 days, 10000 · 0.5 · 5 = 25000); the second
 * half clears it → Event closed → exposure resolved.
 */
describe('telemetry over HTTP and MQTT raises and clears a site impact (real Neo4j, Redis and Mosquitto)', () => {
  const p = uniquePrefix('tel');
  const queuePrefix = p.slice(0, -1);
  const sensorId = `${p}fridge-1`;
  const eventId = `sensor:${sensorId}:too-warm`;
  const rules = JSON.stringify({
    metrics: {
      temperature: [
        { id: 'too-warm', kind: 'above', threshold: 8, forMinutes: 60, x: 0.5, days: 7 },
        { id: 'too-cold', kind: 'below', threshold: 2, forMinutes: 60, x: 0.5, days: 7 },
      ],
    },
  });
  const mqttUrl = process.env.MQTT_URL || 'mqtt://127.0.0.1:1883';
  const topicRoot = `tiersight-test/${queuePrefix}`;
  const mqttClientId = `${queuePrefix}-telemetry`;
  const env = {
    QUEUE_PREFIX: queuePrefix,
    TELEMETRY_RULES: rules,
    MQTT_URL: mqttUrl,
    MQTT_TOPIC: `${topicRoot}/#`,
    MQTT_CLIENT_ID: mqttClientId,
    MQTT_SESSION_EXPIRY_S: '300',
  };
  let api: RunningApi;
  let worker: INestApplication;

  const report = parseFridgeTag(readFileSync(join(__dirname, '..', '..', '..', 'fixtures', 'iot', 'FridgeTag_2L_130500109088_202206081014.txt'), 'latin1'));
  const day = report.rows.filter((r) => new Date(r.t * 1000).toISOString().startsWith('2022-06-07'));
  const split = day.findIndex((r) => new Date(r.t * 1000).toISOString().slice(11, 16) === '16:01');
  const exposure = (sku: string) => getFound(`${api.url}/v1/exposures/${p}${sku}`);
  const senml = (body: unknown) => postJson(`${api.url}/v1/telemetry`, body, { 'content-type': 'application/senml+json' });

  beforeAll(async () => {
    api = await startApi(env);
    worker = await startWorker(env);
    expect((await postJson(`${api.url}/v1/graph/import`, smallNetwork(p))).status).toBe(200);
  });
  afterAll(async () => {
    await worker?.close();
    await endMqttSession(mqttUrl, mqttClientId);
    await obliterateQueues(api.app);
    await deleteByPrefix(api.neo4j, p);
    await api.neo4j.run('MATCH (e:Event) WHERE e.id STARTS WITH $id DETACH DELETE e', { id: `sensor:${p}` });
    await deleteRedisKeys(api.app.get(RedisStore).client, queuePrefix);
    await api.close();
  });

  it('registers a sensor at a site, and refuses one at an unknown site', async () => {
    const put = await requestJson('PUT', `${api.url}/v1/sensors/${encodeURIComponent(sensorId)}`, { siteId: `${p}M1`, metric: 'temperature', unit: 'Cel' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: sensorId, siteId: `${p}M1`, metric: 'temperature', unit: 'Cel', lastValue: null });
    const bad = await requestJson('PUT', `${api.url}/v1/sensors/${p}x`, { siteId: `${p}nope`, metric: 'temperature' });
    expect(bad.status).toBe(422);
    expect(bad.type).toMatch(/problem\+json/);
    expect((await getJson(`${api.url}/v1/sensors/${p}none`)).status).toBe(404);
  });

  it('raises the rule: an active Event with one HITS {source: sensor} to the site, and the exposure pipeline sees it', async () => {
    const res = await senml(fridgeTagToSenml({ ...report, rows: day.slice(0, split) }, sensorId));
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ accepted: split, rejected: 0, jobs: 1 });

    const event = await eventually('impact raised', async () => {
      const e = await getJson(`${api.url}/v1/events/${encodeURIComponent(eventId)}`);
      return e.status === 200 && e.body.status === 'active' ? e.body : null;
    });
    expect(event).toMatchObject({ source: 'telemetry', type: 'sensor', severity: 0.5, expectedDurationDays: 7, startsAt: '2022-06-07T14:56:00Z' });
    expect(event.hits).toEqual([{ siteId: `${p}M1`, x: 0.5, days: 7 }]);
    const hits = await api.neo4j.run('MATCH (e:Event {id: $id})-[h:HITS]->(s:Site) RETURN h.source AS source, s.id AS site', { id: eventId });
    expect(hits.records.map((r) => r.toObject())).toEqual([{ source: 'sensor', site: `${p}M1` }]);

    const a = await eventually('SKU-A exposed', () => exposure('SKU-A'));
    expect(a).toMatchObject({ x: 0.5, days: 5, revenueAtRisk: 25000, eventIds: [eventId] });

    const sensor = await getJson(`${api.url}/v1/sensors/${encodeURIComponent(sensorId)}?recent=3`);
    expect(sensor.body).toMatchObject({ lastValue: day[split - 1].v, lastSeenAt: new Date(day[split - 1].t * 1000).toISOString() });
    expect(sensor.body.recent.map((r: { v: number }) => r.v)).toEqual([day[split - 1].v, day[split - 2].v, day[split - 3].v]);
    expect(sensor.body.rules.find((r: { id: string }) => r.id === 'too-warm')).toMatchObject({ firing: true, eventId });
    // The graph's copy of the latest value is written once per job.
    const stored = await api.neo4j.run('MATCH (s:Sensor {id: $id}) RETURN s.lastValue AS v', { id: sensorId });
    expect(stored.records[0].get('v')).toBe(day[split - 1].v);
  });

  it('posting the same readings again changes nothing (at-least-once delivery is safe)', async () => {
    expect((await senml(fridgeTagToSenml({ ...report, rows: day.slice(split - 20, split) }, sensorId))).status).toBe(202);
    await eventually('queue drained', async () => (await api.app.get<Queue>(getQueueToken(QUEUES.telemetry)).getWaitingCount()) === 0);
    const events = await api.neo4j.run('MATCH (e:Event) WHERE e.sensorId = $id RETURN e.id AS id, e.status AS status, e.rev AS rev', { id: sensorId });
    expect(events.records.map((r) => r.toObject())).toEqual([{ id: eventId, status: 'active', rev: 1 }]);
  });

  it('clears the rule when the temperature is back: Event closed, exposure resolved', async () => {
    expect((await senml(fridgeTagToSenml({ ...report, rows: day.slice(split) }, sensorId))).status).toBe(202);
    const event = await eventually('impact cleared', async () => {
      const e = await getJson(`${api.url}/v1/events/${encodeURIComponent(eventId)}`);
      return e.body?.status === 'closed' ? e.body : null;
    });
    expect(event.closedAt).toBe('2022-06-07T18:36:00Z');
    await eventually('SKU-A resolved', async () => (await exposure('SKU-A')) === null);
  });

  it('dead-letters bad records and unknown sensors with their reason; the rest go on', async () => {
    const res = await senml([
      { bn: `${p}`, n: 'fridge-1', u: 'Cel', v: 5, t: -10 },
      { n: 'fridge-1', v: 'warm' },
      { n: 'fridge-1', u: 'degF', v: 41 },
      { n: 'unknown-sensor', v: 1 },
    ]);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ accepted: 3, rejected: 1 });
    const deadLetters = api.app.get(DeadLetters);
    const letters = await eventually('dead letters', async () => {
      const all = (await deadLetters.list({ limit: 50, kind: 'telemetry' })).filter((d) => (d.itemRef ?? '').startsWith(p));
      return all.length >= 3 ? all : null;
    });
    const reasons = letters.map((d) => d.reason).join('\n');
    expect(reasons).toMatch(/v must be a number/);
    expect(reasons).toMatch(/unit "degF" differs/);
    expect(reasons).toMatch(/unknown sensor ".*unknown-sensor"/);
    await eventually('good reading stored', async () => (await getJson(`${api.url}/v1/sensors/${encodeURIComponent(sensorId)}`)).body.lastValue === 5);
  });

  it('SenML over MQTT (the simulated cold-chain stream): the excursion raises the rule at T2b, the recovery clears it', async () => {
    const coldId = `${p}cold-1`;
    const coldEvent = `sensor:${coldId}:too-warm`;
    expect((await requestJson('PUT', `${api.url}/v1/sensors/${coldId}`, { siteId: `${p}T2b`, metric: 'temperature', unit: 'Cel' })).status).toBe(200);
    const { MqttIngress } = await import('../src/telemetry/mqtt-ingress.service');
    await eventually('worker subscribed', async () => worker.get(MqttIngress).subscribed === `${topicRoot}/#`);
    const start = '2024-05-01T08:00:00Z';
    const startSeconds = Date.parse(start) / 1000;
    const simulate = (phase: string) =>
      new Promise<{ readings: number; expected: Record<string, { raisedAt: number; clearedAt: number }> }>((resolve, reject) => {
        const child = spawn(process.execPath, [
          join(__dirname, '..', '..', '..', 'tools', 'telemetry-sim', 'telemetry-sim.mjs'),
          '--url',
          mqttUrl,
          '--topic',
          `${topicRoot}/site-T2b`,
          '--sensor',
          coldId,
          '--phase',
          phase,
          '--start',
          start,
        ]);
        let out = '';
        let err = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (err += d));
        child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`simulator exited ${code}: ${err}`))));
      });

    const first = await simulate('excursion');
    expect(first.readings).toBe(36);
    const raised = await eventually('impact raised over MQTT', async () => {
      const e = await getJson(`${api.url}/v1/events/${encodeURIComponent(coldEvent)}`);
      return e.status === 200 && e.body.status === 'active' ? e.body : null;
    });
    expect(raised.startsAt).toBe(new Date((startSeconds + 25 * 300) * 1000).toISOString().replace('.000Z', 'Z'));
    expect(raised.hits).toEqual([{ siteId: `${p}T2b`, x: 0.5, days: 7 }]);
    // T2b → SKU-B has a 5-day buffer: 7 − 5 = 2 days at x 0.5 → 5000 · 0.5 · 2.
    const b = await eventually('SKU-B exposed', () => exposure('SKU-B'));
    expect(b).toMatchObject({ x: 0.5, days: 2, revenueAtRisk: 5000, eventIds: [coldEvent] });

    const second = await simulate('recovery');
    expect(second.expected[coldId]).toEqual({ raisedAt: startSeconds + 25 * 300, clearedAt: startSeconds + 37 * 300 });
    const cleared = await eventually('impact cleared over MQTT', async () => {
      const e = await getJson(`${api.url}/v1/events/${encodeURIComponent(coldEvent)}`);
      return e.body?.status === 'closed' ? e.body : null;
    });
    expect(cleared.closedAt).toBe(new Date((startSeconds + 37 * 300) * 1000).toISOString().replace('.000Z', 'Z'));
    await eventually('SKU-B resolved', async () => (await exposure('SKU-B')) === null);
    const sensor = await getJson(`${api.url}/v1/sensors/${coldId}?recent=100`);
    expect(sensor.body.recent).toHaveLength(48);
  });

  it('an MQTT message that is not SenML is dead-lettered with its reason; the ingress keeps going', async () => {
    const client = await mqtt.connectAsync(mqttUrl, { clientId: `${queuePrefix}-pub`, clean: true, reconnectPeriod: 0 });
    await client.publishAsync(`${topicRoot}/broken`, '{"bn": "not a pack"', { qos: 1 });
    await client.publishAsync(`${topicRoot}/broken`, JSON.stringify([{ bn: `${p}cold-1`, v: 4.2 }]), { qos: 1 });
    await client.endAsync();
    const deadLetters = api.app.get(DeadLetters);
    const letter = await eventually('dead letter', async () =>
      (await deadLetters.list({ limit: 50, kind: 'telemetry' })).find((d) => d.source === `mqtt:${topicRoot}/broken`),
    );
    expect(letter.reason).toMatch(/not JSON/);
    await eventually('the next message went on', async () => (await getJson(`${api.url}/v1/sensors/${p}cold-1`)).body.lastValue === 4.2);
  });
});
