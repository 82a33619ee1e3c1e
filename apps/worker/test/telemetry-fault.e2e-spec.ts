jest.setTimeout(180_000);

import type { ChildProcess } from 'node:child_process';
import { getQueueToken } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { QUEUES, RedisStore } from '@tiersight/queues';
import { emptySensorState, evaluateReadings, impactOf, Reading, SensorRule } from '@tiersight/telemetry';
import { deleteByPrefix, getJson, postJson, requestJson, RunningApi, startApi } from '../../../test/support/api-harness';
import { deleteRedisKeys, obliterateQueues } from '../../../test/support/cleanup';
import { smallNetwork } from '../../../test/support/small-network';
import { uniquePrefix } from '../../../test/support/test-env';
import { eventually } from '../../../test/support/wait';
import { spawnWorkerProcess } from '../../../test/support/worker-process';

/**
 * The worker is a real child process, killed with SIGKILL while it works
 * through a burst of readings (some jobs cut short between Redis and Neo4j,
 * the rest of the burst arriving while it is down), then started again. At
 * the end every reading is in its sensor's window, and every sensor's impact
 * is exactly what evaluating all of its readings in time order gives: none
 * lost, none twice, whatever order the jobs ran in.
 */
describe('telemetry survives a worker killed mid-burst (SIGKILL, real child process)', () => {
  const p = uniquePrefix('telk');
  const queuePrefix = p.slice(0, -1);
  // Observed impacts only: a forecast steps at each job's newest reading, so which jobs a killed worker left to be
  // taken up again decides where it stepped; the observed impacts must not depend on that, and that is what this checks.
  const RULES: SensorRule[] = [
    { id: 'too-warm', kind: 'above', threshold: 8, forMinutes: 60, x: 0.5, days: 7, anticipate: false },
    { id: 'too-cold', kind: 'below', threshold: 2, forMinutes: 60, x: 0.5, days: 7, anticipate: false },
  ];
  const SITES = ['M1', 'T2a', 'T2b', 'T3', 'C1', 'C2'];
  const SENSORS = 12;
  const PER_SENSOR = 2400;
  const CHUNK = 200;
  const T0 = Date.parse('2024-03-01T00:00:00Z') / 1000;
  const sensorId = (i: number) => `${p}s${i}`;
  const env = {
    QUEUE_PREFIX: queuePrefix,
    TELEMETRY_RULES: JSON.stringify({ metrics: { temperature: RULES } }),
    TELEMETRY_JOB_RECORDS: '250',
    TELEMETRY_WINDOW: String(PER_SENSOR),
  };

  /** One reading a minute at about 5 °C; a 90-minute excursion to 12 °C for every sensor, and a last one still going for sensors 0 and 6 (both at M1). */
  const readingsOf = (i: number): Reading[] =>
    Array.from({ length: PER_SENSOR }, (_, k) => {
      const warm = (k >= 300 + 37 * i && k < 390 + 37 * i) || ((i === 0 || i === 6) && k >= 2300);
      return { t: T0 + k * 60, v: warm ? 12 + (k % 5) * 0.1 : 5 + (k % 7) * 0.01 };
    });

  let api: RunningApi;
  let worker: ChildProcess | undefined;
  const queue = () => api.app.get<Queue>(getQueueToken(QUEUES.telemetry));

  const startWorkerProcess = () => {
    const child = spawnWorkerProcess({ MQTT_URL: '', LOG_LEVEL: 'info', TELEMETRY_LOCK_MS: '2000', ...env }, { stdio: ['ignore', 'pipe', 'pipe'] });
    // Resolves once the worker logs that it runs (its processors are consuming by then).
    const ready = new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (d) => {
        out += d;
        if (out.includes('"worker running"')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it ran`)));
    });
    return { child, ready };
  };
  const kill = async (child: ChildProcess | undefined) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  };
  /** Posts chunk `k` of every sensor as one request holding one SenML pack per sensor; returns the jobs it queued. */
  const postChunk = async (k: number) => {
    const packs = Array.from({ length: SENSORS }, (_, i) =>
      readingsOf(i)
        .slice(k * CHUNK, (k + 1) * CHUNK)
        .map((r, j) => (j === 0 ? { bn: sensorId(i), bu: 'Cel', bt: r.t, v: r.v } : { t: r.t - T0 - k * CHUNK * 60, v: r.v })),
    );
    const res = await postJson(`${api.url}/v1/telemetry`, packs, { 'content-type': 'application/senml+json' });
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(SENSORS * CHUNK);
    return res.body.jobs as number;
  };

  beforeAll(async () => {
    api = await startApi(env);
    expect((await postJson(`${api.url}/v1/graph/import`, smallNetwork(p))).status).toBe(200);
    for (let i = 0; i < SENSORS; i++) {
      const put = await requestJson('PUT', `${api.url}/v1/sensors/${sensorId(i)}`, { siteId: p + SITES[i % SITES.length], metric: 'temperature', unit: 'Cel' });
      expect(put.status).toBe(200);
    }
    const first = startWorkerProcess();
    worker = first.child;
    await first.ready;
  });

  afterAll(async () => {
    await kill(worker);
    await obliterateQueues(api.app);
    await api.neo4j.run('MATCH (e:Event) WHERE e.id STARTS WITH $id DETACH DELETE e', { id: `sensor:${p}` });
    await deleteByPrefix(api.neo4j, p);
    await deleteRedisKeys(api.app.get(RedisStore).client, queuePrefix);
    await api.close();
  });

  it('processes every reading at least once and raises and clears every impact exactly once', async () => {
    const chunks = PER_SENSOR / CHUNK;
    let jobs = 0;
    for (let k = 0; k < chunks / 2; k++) jobs += await postChunk(k);

    // Kill the worker while it holds jobs, once it is well into the burst.
    await eventually(
      'worker busy mid-burst',
      async () => {
        const counts = await queue().getJobCounts('completed', 'active');
        return counts.completed >= 8 && counts.active > 0;
      },
      30_000,
    );
    await kill(worker);
    const cut = await queue().getJobCounts('completed', 'active', 'waiting');
    expect(cut.active).toBeGreaterThan(0);
    expect(cut.completed).toBeLessThan(jobs);

    // The rest of the burst arrives while no worker runs.
    for (let k = chunks / 2; k < chunks; k++) jobs += await postChunk(k);

    worker = startWorkerProcess().child;
    await eventually(
      'every job done',
      async () => {
        // Delayed is the silence check's next run, not work in hand.
        const counts = await queue().getJobCounts('active', 'waiting', 'failed', 'prioritized');
        expect(counts.failed).toBe(0);
        const done = (await queue().getJobs(['completed'], 0, -1)).filter((j) => j.name === 'telemetry.readings').length;
        if (done === jobs && counts.active + counts.waiting + counts.prioritized === 0) return true;
        throw new Error(`${done} of ${jobs} jobs done: ${JSON.stringify(counts)}`);
      },
      60_000,
    );
    // The jobs cut short were taken up again after their lock ran out.
    const completed = (await queue().getJobs(['completed'], 0, -1)) as Job[];
    expect(completed.filter((j) => j.name === 'telemetry.readings').length).toBe(jobs);
    expect(completed.some((j) => j.attemptsStarted > 1)).toBe(true);

    const redis = api.app.get(RedisStore);
    for (let i = 0; i < SENSORS; i++) {
      const all = readingsOf(i);
      // Every reading is in the window (at least once; a window keeps one copy).
      expect(await redis.client.zcard(redis.key(`telemetry:w:${sensorId(i)}`))).toBe(PER_SENSOR);
      const sensor = await getJson(`${api.url}/v1/sensors/${sensorId(i)}?recent=1`);
      expect(sensor.body.lastValue).toBe(all[PER_SENSOR - 1].v);

      // The stored impact is the one evaluating every reading in time order gives.
      const expected = impactOf(RULES[0], evaluateReadings(emptySensorState(), RULES, all).state.rules['too-warm'])!;
      const events = await api.neo4j.run(
        `MATCH (e:Event) WHERE e.sensorId = $id
         OPTIONAL MATCH (e)-[h:HITS]->(s:Site)
         RETURN e.id AS id, e.status AS status, toString(e.startsAt) AS startsAt, toString(e.closedAt) AS closedAt, collect(s.id) AS sites`,
        { id: sensorId(i) },
      );
      const iso = (t: number | null) => (t === null ? null : new Date(t * 1000).toISOString().replace('.000Z', 'Z'));
      expect(events.records.map((r) => r.toObject())).toEqual([
        {
          id: `sensor:${sensorId(i)}:too-warm`,
          status: expected.status,
          startsAt: iso(expected.raisedAt),
          closedAt: iso(expected.clearedAt),
          sites: [p + SITES[i % SITES.length]],
        },
      ]);
      expect(expected.status).toBe(i === 0 || i === 6 ? 'active' : 'closed');
    }

    // The exposure follows: two independent impacts (x 0.5 each) at M1 → x 0.75; M1 → SKU-A buffer 2 → 5 days.
    // A propagation the killed worker was running stays active (the risk queue runs one at a time) until BullMQ
    // finds it stalled: its lock (30 s) runs out and the next stalled check (every 30 s) hands it back.
    const exposure = await eventually(
      'SKU-A exposed by both M1 sensors',
      async () => {
        const res = await getJson(`${api.url}/v1/exposures/${p}SKU-A`);
        return res.status === 200 && res.body.eventIds.length === 2 ? res.body : null;
      },
      90_000,
    );
    expect(exposure).toMatchObject({ x: 0.75, days: 5, revenueAtRisk: 37500 });
    expect([...exposure.eventIds].sort()).toEqual([`sensor:${sensorId(0)}:too-warm`, `sensor:${sensorId(6)}:too-warm`]);
  });
});
