import type { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue, QueueEvents } from 'bullmq';
import { QUEUES } from '@tiersight/queues';
import { deleteByPrefix, postJson, RunningApi, startApi, startWorker } from '../../../test/support/api-harness';
import { smallNetwork } from '../../../test/support/small-network';
import { uniquePrefix } from '../../../test/support/test-env';
import { NetworkSnapshotService } from '../src/graph-sync/network-snapshot.service';

describe('worker keeps its network snapshot at the graph version (real Neo4j and Redis)', () => {
  const p = uniquePrefix('wrk');
  const queuePrefix = p.slice(0, -1);
  let api: RunningApi;
  let worker: INestApplication;
  let events: QueueEvents;

  beforeAll(async () => {
    api = await startApi({ QUEUE_PREFIX: queuePrefix });
    worker = await startWorker({ QUEUE_PREFIX: queuePrefix });
    const queue = api.app.get<Queue>(getQueueToken(QUEUES.graph));
    events = new QueueEvents(QUEUES.graph, { connection: queue.opts.connection, prefix: queuePrefix });
    await events.waitUntilReady();
  });
  afterAll(async () => {
    await events.close();
    await worker.close();
    const queue = api.app.get<Queue>(getQueueToken(QUEUES.graph));
    await queue.obliterate({ force: true });
    await deleteByPrefix(api.neo4j, p);
    await api.close();
  });

  it('loads the network at start and again after an import, through a graph.changed job', async () => {
    const snapshot = worker.get(NetworkSnapshotService);
    const before = snapshot.current();
    expect(before).not.toBeNull();

    const res = await postJson(`${api.url}/v1/graph/import`, smallNetwork(p));
    expect(res.status).toBe(200);
    const queue = api.app.get<Queue>(getQueueToken(QUEUES.graph));
    const job = await queue.getJob(`graph.changed-${res.body.graphVersion}`);
    expect(job?.data).toEqual({ v: 1, graphVersion: res.body.graphVersion, cause: 'import', requestId: expect.any(String) });
    const result = await job!.waitUntilFinished(events, 30_000);

    expect(result.graphVersion).toBeGreaterThanOrEqual(res.body.graphVersion);
    const after = snapshot.current()!;
    expect(after.sites - before!.sites).toBeGreaterThanOrEqual(6);
    expect(after.edges - before!.edges).toBeGreaterThanOrEqual(8);
    expect(after.skus - before!.skus).toBeGreaterThanOrEqual(2);
  });
});
