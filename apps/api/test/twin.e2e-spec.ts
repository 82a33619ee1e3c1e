jest.setTimeout(240_000);
import type { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { QueueEvents, type Queue } from 'bullmq';
import type { ImportPayload } from '@tiersight/contracts';
import { closeRedisClient, createRedisClient, keyPrefix, QUEUES } from '@tiersight/queues';
import { deleteByPrefix, getJson, postJson, requestJson, RunningApi, startApi, startWorker } from '../../../test/support/api-harness';
import { smallNetwork } from '../../../test/support/small-network';
import { apiConfig, uniquePrefix } from '../../../test/support/test-env';
import { eventually } from '../../../test/support/wait';

/**
 * The twin through the real stack (API, worker, Neo4j, Redis): live-state and
 * scenario runs against the engine's stored and what-if answers, determinism,
 * compare, pages, jobs with progress, cancel, and bad input.
 */

const WIDTH = 300;
const TIERS = 3;

/**
 * A wider layered network of this run's own (ids prefixed): tier 0 in a box
 * of its own, so one area event hits all of it; each site ships to two of the
 * next tier; the last tier ships the SKUs. A run of many samples over it
 * takes long enough to be watched and cancelled.
 */
function wideNetwork(p: string): ImportPayload {
  const site = (t: number, i: number) => `${p}W${t}-${i}`;
  const payload: Required<ImportPayload> = { suppliers: [], sites: [], parts: [], skus: [], supplies: [] };
  for (let t = 0; t < TIERS; t++) {
    payload.parts.push({ id: `${p}WP${t}`, name: `Part ${t}` });
    for (let i = 0; i < WIDTH; i++) {
      payload.suppliers.push({ id: `${p}WSUP${t}-${i}`, name: `Wide ${t}-${i}`, country: 'MN' });
      const lat = (t === 0 ? 46 : 44) + (i % 20) / 40;
      const lon = 100 + Math.floor(i / 20) / 30;
      payload.sites.push({ id: site(t, i), supplierId: `${p}WSUP${t}-${i}`, name: `W ${t}-${i}`, kind: 'plant', lat, lon, country: 'MN', ttrDays: 20 });
    }
  }
  for (let t = 0; t + 1 < TIERS; t++) {
    for (let i = 0; i < WIDTH; i++) {
      for (const j of [i, (i + 1) % WIDTH]) {
        payload.supplies.push({ fromSiteId: site(t, j), toSiteId: site(t + 1, i), partId: `${p}WP${t}`, share: 0.5, bufferDays: i % 3, leadTimeDays: 1 });
      }
    }
  }
  for (let k = 0; k < 60; k++) {
    payload.skus.push({ id: `${p}WSKU-${k}`, name: `Wide SKU ${k}`, dailyRevenue: 1000 + 10 * k });
    payload.supplies.push({ fromSiteId: site(TIERS - 1, k * 5), toSkuId: `${p}WSKU-${k}`, partId: `${p}WSKU-${k}`, share: 1, bufferDays: 1, leadTimeDays: 2 });
  }
  return payload;
}

interface Outlook {
  skuId: string;
  probability: number;
  revenueAtRisk: { p10: number; p50: number; p90: number; mean: number };
  days: { p10: number; p50: number; p90: number };
  onset: { p50: number };
  curve: { short: number[]; lostFraction: number[] };
}

describe('twin runs (real Neo4j, Redis, API and worker)', () => {
  const p = uniquePrefix('twin');
  const queuePrefix = p.slice(0, -1);
  const limits = { TWIN_MAX_SAMPLES: '100000' };
  let api: RunningApi;
  let worker: INestApplication;
  const exact = { sigma: { '*': 0 }, kappa: { '*': 0 }, recoverySpread: 0 };
  const mine = <T extends { skuId: string }>(rows: T[]) => rows.filter((r) => r.skuId.startsWith(p));
  const run = (body: object) => postJson(`${api.url}/v1/twin/runs`, body);
  /** Every SKU row of a finished run, page by page. */
  const allSkus = async (id: string, query = ''): Promise<Outlook[]> => {
    const out: Outlook[] = [];
    let cursor: string | null = null;
    do {
      const res = await getJson(`${api.url}/v1/twin/runs/${id}?limit=7${query}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      out.push(...res.body.results.skus.items);
      cursor = res.body.results.skus.nextCursor;
    } while (cursor);
    return out;
  };
  const finished = (id: string) =>
    eventually(
      `twin run ${id} finished`,
      async () => {
        const res = await getJson(`${api.url}/v1/twin/runs/${id}`);
        return ['succeeded', 'failed', 'cancelled'].includes(res.body.status) ? res.body : null;
      },
      120_000,
    );

  beforeAll(async () => {
    api = await startApi({ QUEUE_PREFIX: queuePrefix, ...limits });
    worker = await startWorker({ QUEUE_PREFIX: queuePrefix, ...limits });
    expect((await postJson(`${api.url}/v1/graph/import`, smallNetwork(p))).status).toBe(200);
    expect((await postJson(`${api.url}/v1/graph/import`, wideNetwork(p))).status).toBe(200);
    const events = [
      {
        id: `${p}EV-quake`,
        type: 'earthquake',
        title: 'Quake',
        severity: 1,
        expectedDurationDays: 40,
        geometry: { type: 'Point', coordinates: [-70.4, -23.65] },
        radiusKm: 50,
      },
      {
        id: `${p}EV-storm`,
        type: 'storm',
        title: 'Storm',
        severity: 0.5,
        expectedDurationDays: 10,
        geometry: { type: 'Point', coordinates: [120.3, 22.63] },
        radiusKm: 5,
      },
      {
        id: `${p}EV-fire`,
        type: 'fire',
        title: 'Steppe fire',
        severity: 0.6,
        expectedDurationDays: 25,
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [99.9, 45.9],
              [100.5, 45.9],
              [100.5, 46.6],
              [99.9, 46.6],
              [99.9, 45.9],
            ],
          ],
        },
      },
    ];
    for (const event of events) expect((await postJson(`${api.url}/v1/events`, event)).status).toBe(201);
    // The stored exposures have caught up with all three events once SKU-A shows the quake and a wide SKU the fire.
    await eventually('exposures stored', async () => {
      const a = await getJson(`${api.url}/v1/exposures/${p}SKU-A`);
      const w = await getJson(`${api.url}/v1/exposures/${p}WSKU-0`);
      return a.status === 200 && a.body.eventIds.includes(`${p}EV-quake`) && w.status === 200;
    });
    await eventually('propagations done', async () => {
      const counts = await api.app.get<Queue>(getQueueToken(QUEUES.risk)).getJobCounts('wait', 'active', 'delayed');
      return counts.wait + counts.active + counts.delayed === 0;
    });
  });
  afterAll(async () => {
    await worker?.close();
    for (const name of Object.values(QUEUES)) await api?.app.get<Queue>(getQueueToken(name)).obliterate({ force: true });
    if (api) {
      await api.neo4j.run('MATCH (sv:Survey) WHERE sv.eventId STARTS WITH $p DETACH DELETE sv', { p });
      await api.neo4j.run('MATCH (k:ApiKey) WHERE k.name STARTS WITH $p DETACH DELETE k', { p });
      await deleteByPrefix(api.neo4j, p);
      await api.close();
    }
  });

  it('with every uncertainty at zero, equals the stored exposures SKU by SKU', async () => {
    const res = await run({ samples: 20, seed: 5, parameters: exact });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'succeeded', progress: { done: 20, total: 20, fraction: 1 }, request: { mode: 'live', samples: 20, seed: 5 } });
    expect(res.body.state.eventIds).toEqual(expect.arrayContaining([`${p}EV-quake`, `${p}EV-storm`, `${p}EV-fire`]));
    expect(res.body.state.drawParameters).toMatchObject({ earthquake: { sigma: 0, kappa: 0 }, fire: { sigma: 0, kappa: 0 } });
    const stored = mine(
      (await getJson(`${api.url}/v1/exposures?limit=500`)).body.items as Array<{
        skuId: string;
        x: number;
        days: number;
        onsetDays: number;
        revenueAtRisk: number;
      }>,
    );
    expect(stored.length).toBeGreaterThan(30);
    const twin = new Map(mine(await allSkus(res.body.id)).map((s) => [s.skuId, s]));
    expect([...twin.keys()].sort()).toEqual(stored.map((e) => e.skuId).sort());
    for (const e of stored) {
      const s = twin.get(e.skuId)!;
      expect(s.probability).toBe(1);
      expect(s.revenueAtRisk).toEqual({ p10: e.revenueAtRisk, p50: e.revenueAtRisk, p90: e.revenueAtRisk, mean: expect.closeTo(e.revenueAtRisk, 6) });
      expect(s.days.p50).toBe(e.days);
      expect(s.onset.p50).toBe(e.onsetDays);
      // Short from ⌈onset⌉ to ⌈onset + days⌉ in every sample, losing x those days.
      const from = Math.ceil(e.onsetDays);
      const to = Math.min(180, Math.ceil(e.onsetDays + e.days));
      expect(s.curve.short.length).toBe(180);
      expect(s.curve.short.map((v, t) => (v === 1) === (t >= from && t < to)).every(Boolean)).toBe(true);
      if (from < to) expect(s.curve.lostFraction[from]).toBeCloseTo(e.x, 5);
    }
    const total = stored.reduce((sum, e) => sum + e.revenueAtRisk, 0);
    const others = res.body.results.total.p50 - total;
    expect(others).toBeGreaterThanOrEqual(-1e-6); // the database may hold other runs' exposures too, never fewer
  });

  it('draws estimates but takes a supplier’s confirmed survey answer as given', async () => {
    const onlyQuake = { eventIds: [`${p}EV-quake`], samples: 60, seed: 3 };
    const before = await run(onlyQuake);
    expect(before.status).toBe(200);
    const a = (await allSkus(before.body.id, `&skuId=${p}SKU-A`))[0];
    expect(a.revenueAtRisk.p10).toBeLessThan(a.revenueAtRisk.p90); // duration drawn (σ 0.5)

    const key = await postJson(`${api.url}/v1/admin/keys`, { role: 'supplier', supplierId: `${p}SUP-T3`, name: `${p}ore` });
    expect(key.status).toBe(201);
    const supplier = { authorization: `Bearer ${key.body.key}` };
    const survey = (await getJson(`${api.url}/v1/portal/surveys`, supplier)).body.items.find((s: { site: { id: string } }) => s.site.id === `${p}T3`);
    const answer = await postJson(`${api.url}/v1/portal/surveys/${survey.id}/answer`, { status: 'confirmed', capacityLoss: 0.8, recoveryDays: 30 }, supplier);
    expect(answer.status).toBeLessThan(300);
    await eventually('exposure on the survey answer', async () => {
      const res = await getJson(`${api.url}/v1/exposures/${p}SKU-A`);
      return res.body?.criticalPath?.[0]?.x === 0.8;
    });
    const after = await run(onlyQuake);
    const confirmed = (await allSkus(after.body.id, `&skuId=${p}SKU-A`))[0];
    expect(confirmed.probability).toBe(1);
    // T3 (0.8, 30) as answered → T2a g 20, X 0.8 → M1 g 16, X 0.4 → SKU-A g 14: 10,000 · 0.4 · 14 in every sample.
    expect(confirmed.revenueAtRisk).toMatchObject({ p10: 56000, p50: 56000, p90: 56000 });
    expect(after.body.state.eventIds).toEqual([`${p}EV-quake`]);
  });

  it('runs a scenario: partial losses equal the what-if at zero variance, sites down recover around their ttr', async () => {
    const partial = { impacts: [{ siteIds: [`${p}T2b`], x: 0.5, days: 12 }] };
    const whatIf = mine((await postJson(`${api.url}/v1/scenarios`, partial)).body.exposures as Array<{ skuId: string; revenueAtRisk: number }>);
    const twin = await run({ scenario: partial, samples: 10, parameters: exact });
    expect(twin.status).toBe(200);
    expect(twin.body.request.mode).toBe('scenario');
    expect(twin.body.state.eventIds).toEqual(['scenario-1']);
    expect(twin.body.results.drivers).toEqual([{ id: 'scenario-1', kind: 'event', type: 'scenario', presence: 1, contribution: expect.any(Number) }]);
    const rows = mine(await allSkus(twin.body.id));
    expect(rows.map((r) => [r.skuId, r.probability, r.revenueAtRisk.p50])).toEqual(whatIf.map((e) => [e.skuId, 1, e.revenueAtRisk]));

    // T3 down: its recovery is drawn around its ttrDays, whatever days the impact says.
    const ttr = (await getJson(`${api.url}/v1/sites/${p}T3`)).body.ttrDays as number;
    const atTtr = mine<{ skuId: string; revenueAtRisk: number }>(
      (await postJson(`${api.url}/v1/scenarios`, { impacts: [{ siteIds: [`${p}T3`], x: 1, days: ttr }] })).body.exposures,
    );
    const down = { impacts: [{ siteIds: [`${p}T3`], x: 1, days: 999 }] };
    const exactDown = await run({ scenario: down, samples: 5, parameters: { recoverySpread: 0 } });
    expect(exactDown.body.results.drivers[0]).toMatchObject({ id: 'scenario-1', kind: 'scenario', type: 'site-down' });
    expect(mine(await allSkus(exactDown.body.id)).map((r) => [r.skuId, r.revenueAtRisk.p50])).toEqual(atTtr.map((e) => [e.skuId, e.revenueAtRisk]));
    const spread = await run({ scenario: down, samples: 100, seed: 9 });
    const a = (await allSkus(spread.body.id, `&skuId=${p}SKU-A`))[0];
    expect(a.days.p10).toBeLessThan(a.days.p50);
    expect(a.days.p50).toBeLessThan(a.days.p90);
    expect(spread.body.state.recovery).toEqual({ low: 0.5, high: 2 });
  });

  it('gives the same results for the same seed, compares runs and pages with filters', async () => {
    const body = { samples: 80, seed: 77 };
    const [one, two] = [await run(body), await run(body)];
    const strip = (r: { results: { total: unknown; drivers: unknown; skuCount: number } }) => [r.results.total, r.results.drivers, r.results.skuCount];
    expect(strip(two.body)).toEqual(strip(one.body));
    const rowsOne = await allSkus(one.body.id);
    expect(await allSkus(two.body.id)).toEqual(rowsOne);
    expect(rowsOne.length).toBe(one.body.results.skuCount);
    expect(new Set(rowsOne.map((r) => r.probability)).size).toBeGreaterThan(1); // draws on: not every SKU at 0 or 1

    const same = await getJson(`${api.url}/v1/twin/runs/${one.body.id}/compare/${two.body.id}?limit=500`);
    expect(same.status).toBe(200);
    expect(Object.values(same.body.differs).every((d) => d === false)).toBe(true);
    expect(same.body.total.mean.delta).toBe(0);
    expect(
      same.body.skus.items.every(
        (s: { probability: { delta: number }; revenueAtRiskP90: { delta: number } }) => s.probability.delta === 0 && s.revenueAtRiskP90.delta === 0,
      ),
    ).toBe(true);

    const other = await run({ ...body, seed: 78, eventIds: [`${p}EV-storm`] });
    const diff = await getJson(`${api.url}/v1/twin/runs/${one.body.id}/compare/${other.body.id}?limit=500`);
    expect(diff.body.differs).toMatchObject({ seed: true, events: true, graphVersion: false, samples: false });
    expect(diff.body.events.onlyInOther).toEqual([]);
    expect(diff.body.events.onlyInRun).toEqual(expect.arrayContaining([`${p}EV-quake`, `${p}EV-fire`]));
    const wide = diff.body.skus.items.find((s: { skuId: string }) => s.skuId === `${p}WSKU-0`);
    expect(wide.probability).toMatchObject({ other: 0, delta: -wide.probability.run });
    expect(wide.probability.run).toBeGreaterThan(0);
    expect(diff.body.total.mean.delta).toBeCloseTo(other.body.results.total.mean - one.body.results.total.mean, 6);

    const cut = [...new Set(rowsOne.map((r) => r.probability))].sort((x, y) => x - y)[1];
    const likely = await allSkus(one.body.id, `&minProbability=${cut}`);
    expect(likely.length).toBeGreaterThan(0);
    expect(likely.length).toBeLessThan(rowsOne.length);
    expect(likely).toEqual(rowsOne.filter((s) => s.probability >= cut));
    const ordered = rowsOne.map((s) => s.revenueAtRisk.mean);
    expect([...ordered].sort((x, y) => y - x)).toEqual(ordered);
  });

  it('runs a large request as a job with progress, and cancels queued and running runs', async () => {
    const config = apiConfig({ QUEUE_PREFIX: queuePrefix });
    const connection = createRedisClient(config, 'worker'); // one Redis or the cluster, as the apps connect
    const events = new QueueEvents(QUEUES.twin, { connection, prefix: keyPrefix(config) });
    const progress: number[] = [];
    events.on('progress', ({ data }) => void progress.push(Number(data)));
    await events.waitUntilReady();
    try {
      const job = await run({ samples: 1000, seed: 1 });
      expect(job.status).toBe(202);
      expect(job.body).toEqual({
        id: expect.stringMatching(/^twin_/),
        status: 'queued',
        progress: { done: 0, total: 1000, fraction: 0 },
        links: expect.any(Object),
      });
      expect(job.body.links.self).toBe(`/v1/twin/runs/${job.body.id}`);
      const done = await finished(job.body.id);
      expect(done).toMatchObject({ status: 'succeeded', progress: { done: 1000, total: 1000 }, error: null });
      expect(done.results.skuCount).toBeGreaterThan(30);
      await eventually('progress events', async () => progress.includes(100));
      expect(progress.some((v) => v > 0 && v < 100)).toBe(true);
      expect(
        await api.app
          .get<Queue>(getQueueToken(QUEUES.twin))
          .getJob(job.body.id)
          .then((j) => j?.progress),
      ).toBe(100);

      // A long run over both threads, and one queued behind it (one twin job at a time per worker).
      const long = await run({ samples: 60_000, seed: 2 });
      const queued = await run({ samples: 500, seed: 3 });
      const running = await eventually('long run under way', async () => {
        const res = await getJson(`${api.url}/v1/twin/runs/${long.body.id}`);
        return res.body.status === 'running' && res.body.progress.done > 0 ? res.body : null;
      });
      expect(running.progress.fraction).toBeLessThan(1);
      const cancelQueued = await requestJson('DELETE', `${api.url}/v1/twin/runs/${queued.body.id}`);
      expect(cancelQueued.status).toBe(200);
      expect(cancelQueued.body).toMatchObject({ status: 'cancelled', cancelRequested: true, startedAt: null });
      const cancelRunning = await postJson(`${api.url}/v1/twin/runs/${long.body.id}/cancel`, {});
      expect(cancelRunning.status).toBe(200);
      expect(cancelRunning.body.cancelRequested).toBe(true);
      const stopped = await finished(long.body.id);
      expect(stopped.status).toBe('cancelled');
      expect(stopped.progress.done).toBeLessThan(60_000);
      expect(stopped.results).toBeNull();
      // The queued run never ran.
      await new Promise((r) => setTimeout(r, 500));
      expect((await getJson(`${api.url}/v1/twin/runs/${queued.body.id}`)).body).toMatchObject({ status: 'cancelled', startedAt: null });
      // A finished run cannot be cancelled.
      const late = await requestJson('DELETE', `${api.url}/v1/twin/runs/${job.body.id}`);
      expect(late.status).toBe(409);
      expect(late.type).toContain('application/problem+json');
    } finally {
      await events.close();
      await closeRedisClient(connection);
    }
  });

  it('refuses bad input with problem+json', async () => {
    const done = (await run({ samples: 5 })).body.id as string;
    const cases: Array<[string, () => Promise<{ status: number; type: string; body: { type?: string } }>, number, string?]> = [
      ['samples 0', () => run({ samples: 0 }), 400],
      ['samples past TWIN_MAX_SAMPLES', () => run({ samples: 100_001 }), 422, 'invalid-twin-request'],
      ['horizon past TWIN_MAX_HORIZON_DAYS', () => run({ samples: 5, horizonDays: 400 }), 422, 'invalid-twin-request'],
      ['horizon past the engine', () => run({ horizonDays: 5000 }), 400],
      ['negative sigma', () => run({ parameters: { sigma: { flood: -1 } } }), 400],
      ['unknown field', () => run({ samplez: 5 }), 400],
      ['unknown site', () => run({ scenario: { impacts: [{ siteIds: [`${p}NOPE`], x: 0.5, days: 3 }] }, samples: 5 }), 422, 'unknown-reference'],
      ['unknown supplier', () => run({ scenario: { impacts: [{ supplierIds: [`${p}NOPE`], x: 1, days: 3 }] } }), 422, 'unknown-reference'],
      ['unknown event', () => run({ eventIds: [`${p}EV-nope`], samples: 5 }), 422, 'unknown-reference'],
      [
        'event ids with a scenario',
        () => run({ eventIds: [`${p}EV-quake`], scenario: { impacts: [{ siteIds: [`${p}T3`], x: 1, days: 3 }] } }),
        422,
        'invalid-twin-request',
      ],
      [
        'two kinds in one impact',
        () => run({ scenario: { impacts: [{ siteIds: [`${p}T3`], supplierIds: [`${p}SUP-T3`], x: 1, days: 3 }] } }),
        422,
        'invalid-scenario',
      ],
      ['sites without x', () => run({ scenario: { impacts: [{ siteIds: [`${p}T3`], days: 3 }] } }), 422, 'invalid-scenario'],
      ['empty scenario', () => run({ scenario: { impacts: [] } }), 400],
      ['unknown run', () => getJson(`${api.url}/v1/twin/runs/twin_nope`), 404, 'not-found'],
      ['compare with an unknown run', () => getJson(`${api.url}/v1/twin/runs/${done}/compare/twin_nope`), 404, 'not-found'],
      ['cancel an unknown run', () => requestJson('DELETE', `${api.url}/v1/twin/runs/twin_nope`), 404, 'not-found'],
      ['bad cursor', () => getJson(`${api.url}/v1/twin/runs/${done}?cursor=bm9wZQ`), 400, 'invalid-cursor'],
      ['bad compare cursor', () => getJson(`${api.url}/v1/twin/runs/${done}/compare/${done}?cursor=!!`), 400],
      ['minProbability past 1', () => getJson(`${api.url}/v1/twin/runs/${done}?minProbability=2`), 400],
    ];
    const failures: string[] = [];
    for (const [what, call, status, slug] of cases) {
      const res = await call();
      if (res.status !== status) failures.push(`${what}: ${res.status}, expected ${status} (${JSON.stringify(res.body)})`);
      if (!res.type.includes('application/problem+json')) failures.push(`${what}: ${res.type}`);
      if (slug && res.body.type !== `https://tiersight.dev/problems/${slug}`) failures.push(`${what}: type ${res.body.type}`);
    }
    expect(failures).toEqual([]);
    // A closed event cannot be asked for either.
    expect((await postJson(`${api.url}/v1/events/${p}EV-storm/close`, {})).status).toBe(200);
    const closed = await run({ eventIds: [`${p}EV-storm`], samples: 5 });
    expect([closed.status, closed.body.detail]).toEqual([422, `event ${p}EV-storm is not active`]);
  });
});
