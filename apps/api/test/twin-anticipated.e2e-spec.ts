jest.setTimeout(120_000);
import type { INestApplication } from '@nestjs/common';
import { deleteByPrefix, getJson, postJson, RunningApi, startApi, startWorker } from '../../../test/support/api-harness';
import { smallNetwork } from '../../../test/support/small-network';
import { uniquePrefix } from '../../../test/support/test-env';

/**
 * A live twin run over anticipated impacts (DESIGN §9, §10): an active event
 * whose HITS are anticipated with p is present in a sample with that
 * probability, all its sites together; hits of one event with different p
 * are drawn as one driver per p. Numbers from test/support/small-network.ts:
 * T2b (0.5, 10 days) → SKU-B (buffer 5): x 0.5 for 5 days → 12,500.
 */
describe('twin runs over anticipated impacts (real Neo4j, Redis, API and worker)', () => {
  const p = uniquePrefix('twinant');
  const queuePrefix = p.slice(0, -1);
  const forecastId = `${p}EV-forecast`;
  const coneId = `${p}EV-cone`;
  const exact = { sigma: { '*': 0 }, kappa: { '*': 0 }, recoverySpread: 0 };
  let api: RunningApi;
  let worker: INestApplication;

  /** An active event with anticipated hits (site → p), as a forecast writes them. */
  const anticipatedEvent = (id: string, hits: Array<[string, number]>) =>
    api.neo4j.run(
      `CREATE (e:Event {id: $id, source: 'push', type: 'storm', title: 'Forecast', severity: 0.5, expectedDurationDays: 10,
                        geometryJson: '{"type":"Point","coordinates":[120.3,22.63]}', radiusKm: 10,
                        status: 'active', startsAt: datetime(), updatedAt: datetime()})
       WITH e UNWIND $hits AS hit
       MATCH (s:Site {id: hit.site})
       CREATE (e)-[:HITS {source: 'geo', intensity: 0.5, durationDays: 10, anticipated: true, p: hit.p}]->(s)`,
      { id, hits: hits.map(([site, prob]) => ({ site: p + site, p: prob })) },
    );
  const skuOf = async (runId: string, sku: string) => (await getJson(`${api.url}/v1/twin/runs/${runId}?skuId=${p}${sku}`)).body.results.skus.items[0] ?? null;

  beforeAll(async () => {
    api = await startApi({ QUEUE_PREFIX: queuePrefix });
    worker = await startWorker({ QUEUE_PREFIX: queuePrefix });
    expect((await postJson(`${api.url}/v1/graph/import`, smallNetwork(p))).status).toBe(200);
    await anticipatedEvent(forecastId, [['T2b', 0.5]]);
    await anticipatedEvent(coneId, [
      ['T2b', 0.8],
      ['T2a', 0.3],
    ]);
  });

  afterAll(async () => {
    await worker?.close();
    await api.neo4j.run('MATCH (e:Event) WHERE e.id STARTS WITH $p DETACH DELETE e', { p });
    await deleteByPrefix(api.neo4j, p);
    await api.close();
  });

  it('an anticipated event is present with its probability: SKU-B short in about half the samples, by the outlook when it is', async () => {
    const res = await postJson(`${api.url}/v1/twin/runs`, { eventIds: [forecastId], samples: 100, seed: 11, parameters: exact });
    expect(res.status).toBe(200);
    expect(res.body.state.eventIds).toEqual([forecastId]);
    const [driver] = res.body.results.drivers;
    expect(res.body.results.drivers).toHaveLength(1);
    expect(driver).toMatchObject({ id: forecastId, kind: 'event', type: 'storm' });
    // The share of samples it was present in: Binomial(100, 0.5) / 100, within 3 standard deviations (0.15) of 0.5.
    expect(Math.abs(driver.presence - 0.5)).toBeLessThanOrEqual(0.15);
    const b = await skuOf(res.body.id, 'SKU-B');
    // SKU-B runs short exactly in the samples the event is present in.
    expect(b.probability).toBe(driver.presence);
    // Exact draws: a sample is either the outlook (12,500) or nothing, so the mean is p̂ · 12,500.
    expect(b.revenueAtRisk.mean).toBeCloseTo(b.probability * 12500, 6);
    expect(b.revenueAtRisk.p90).toBeCloseTo(12500, 6);
  });

  it('hits of one event with different p are one driver per p, each present with its own probability', async () => {
    const res = await postJson(`${api.url}/v1/twin/runs`, { eventIds: [coneId], samples: 100, seed: 12, parameters: exact });
    expect(res.status).toBe(200);
    const drivers = new Map<string, number>(res.body.results.drivers.map((d: { id: string; presence: number }) => [d.id, d.presence]));
    expect([...drivers.keys()].sort()).toEqual([`${coneId} (anticipated, p 0.3)`, `${coneId} (anticipated, p 0.8)`]);
    // Each within 3 standard deviations of its own p (Binomial(100, p) / 100).
    expect(Math.abs(drivers.get(`${coneId} (anticipated, p 0.3)`)! - 0.3)).toBeLessThanOrEqual(0.14);
    expect(Math.abs(drivers.get(`${coneId} (anticipated, p 0.8)`)! - 0.8)).toBeLessThanOrEqual(0.12);
    // SKU-B is fed by T2b alone: short exactly when the p 0.8 part is present.
    const b = await skuOf(res.body.id, 'SKU-B');
    expect(b.probability).toBe(drivers.get(`${coneId} (anticipated, p 0.8)`));
  });

  it('observed propagation is untouched: neither event exposes anything', async () => {
    const plain = await getJson(`${api.url}/v1/exposures`);
    expect(plain.body.items.filter((i: { skuId: string }) => i.skuId.startsWith(p))).toEqual([]);
  });
});
