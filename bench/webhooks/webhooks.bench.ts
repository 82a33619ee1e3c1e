/**
 * Measures webhook delivery (see run.mjs). Prints one JSON line on stdout.
 *
 * - Receiver: a plain Node HTTP server in this process; it notes when each
 *   webhook-id first arrives.
 * - Platform: a real worker process (ts-node, like `npm run start:worker` from
 *   source). Alerts enter where the risk engine puts them, as exposure changes
 *   on its Redis stream; "created" is the change's stream time (the payload's
 *   timestamp), so fan-out, queueing, signing and the POST are all inside.
 * - Baseline: a minimal loop in this process that signs and POSTs the same
 *   number of bodies with a keep-alive agent and the same per-endpoint
 *   concurrency — the cost of the HTTP requests alone.
 * Two phases each: a burst of all alerts at once (throughput), and the same
 * number paced at a fixed rate (latency); each phase runs BENCH_ROUNDS times
 * and its median round is reported.
 * Correctness, after each round (outside the timing): every delivery's
 * signature verifies with its subscription's secret (the standardwebhooks
 * package, not the platform's signer), and the SKUs delivered are exactly the
 * ones published; `ok` is false otherwise and run.mjs exits non-zero.
 */
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QUEUES, RedisStore } from '@tiersight/queues';
import { EXPOSURE_CHANGES_STREAM } from '@tiersight/contracts';
import { Webhook } from 'standardwebhooks';
import { generateSecret, webhookHeaders } from '@tiersight/webhooks';
import { postJson, requestJson, startApi } from '../../test/support/api-harness';
import { deleteRedisKeys, obliterateQueues } from '../../test/support/cleanup';
import { spawnWorkerProcess } from '../../test/support/worker-process';

const ALERTS = Number(process.env.BENCH_ALERTS ?? 10_000);
const RATE = Number(process.env.BENCH_RATE ?? 2_000);
const ENDPOINT_CONCURRENCY = Number(process.env.WEBHOOK_ENDPOINT_CONCURRENCY ?? 20);
const WORKER_CONCURRENCY = Number(process.env.WEBHOOK_CONCURRENCY ?? 200);
/** Each phase runs this many times (the machine is shared and noisy); the median round is reported. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const log = (m: string) => process.stderr.write(`[bench:webhooks] ${m}\n`);

interface Stats {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  count: number;
}

/** The median round: by rate for a burst, by p99 for a paced phase. */
async function medianOf(label: string, by: 'perSecond' | 'p99Ms', round: (i: number) => Promise<Stats>): Promise<Stats & { rounds: Stats[] }> {
  const rounds: Stats[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    rounds.push(await round(i));
    log(`${label} round ${i + 1}: ${Math.round(rounds[i].perSecond)}/s, p50 ${rounds[i].p50Ms} ms, p99 ${rounds[i].p99Ms} ms`);
  }
  const sorted = [...rounds].sort((a, b) => a[by] - b[by]);
  return { ...sorted[Math.floor(sorted.length / 2)], rounds };
}

function stats(latencies: number[], firstMs: number, lastMs: number): Stats {
  const sorted = [...latencies].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return { count: sorted.length, perSecond: sorted.length / Math.max(0.001, (lastMs - firstMs) / 1000), p50Ms: q(0.5), p99Ms: q(0.99) };
}

async function main(): Promise<void> {
  const prefix = `bench-wh-${process.pid}`;
  // Receiver: first arrival per webhook-id, the alert's creation time from its payload, and what to verify after the round.
  const arrivals = new Map<string, { at: number; createdAt: number; body: string; headers: Record<string, string>; skuId: string }>();
  let waiters: Array<() => void> = [];
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      const id = String(req.headers['webhook-id']);
      if (!arrivals.has(id)) {
        const text = Buffer.concat(chunks).toString('utf8');
        const body = JSON.parse(text) as { timestamp: string; data: { skuId: string } };
        const headers = {
          'webhook-id': id,
          'webhook-timestamp': String(req.headers['webhook-timestamp']),
          'webhook-signature': String(req.headers['webhook-signature']),
        };
        arrivals.set(id, { at, createdAt: Date.parse(body.timestamp), body: text, headers, skuId: body.data.skuId });
        if (arrivals.size % 500 === 0) waiters.forEach((w) => w());
      }
      res.end();
    });
  });
  receiver.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const waitFor = async (n: number, timeoutMs = 120_000) => {
    const deadline = Date.now() + timeoutMs;
    while (arrivals.size < n) {
      if (Date.now() > deadline) throw new Error(`only ${arrivals.size} of ${n} arrived`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 100);
      });
      waiters = [];
    }
  };

  // After a round: signatures that do not verify, and published SKUs that did not arrive (or arrived unasked).
  const problems = { badSignatures: 0, missingOrExtra: 0 };
  const check = (secret: string, skuIds: (i: number) => string) => {
    const verifier = new Webhook(secret);
    const expected = new Set(Array.from({ length: ALERTS }, (_, i) => skuIds(i)));
    const got = new Set<string>();
    for (const a of arrivals.values()) {
      try {
        verifier.verify(a.body, a.headers);
      } catch {
        problems.badSignatures++;
      }
      got.add(a.skuId);
    }
    problems.missingOrExtra += [...expected].filter((k) => !got.has(k)).length + [...got].filter((k) => !expected.has(k)).length;
  };

  // Baseline: sign and POST, at most ENDPOINT_CONCURRENCY at once.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const secret = generateSecret();
  const post = (id: string, createdAt: number) =>
    new Promise<void>((resolve, reject) => {
      const body = JSON.stringify({
        type: 'exposure.created',
        timestamp: new Date(createdAt).toISOString(),
        data: { skuId: id, x: 0.5, days: 24, onsetDays: 37, revenueAtRisk: 120000 },
      });
      const headers = {
        ...webhookHeaders([secret], id, Math.floor(Date.now() / 1000), body),
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
      };
      const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(body);
    });
  const baseline = async (label: string, schedule: (i: number) => number) => {
    arrivals.clear();
    const start = Date.now();
    let next = 0;
    const lane = async () => {
      while (next < ALERTS) {
        const i = next++;
        const due = start + schedule(i);
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        await post(`msg_${label}_${i}`, Math.max(due, start));
      }
    };
    await Promise.all(Array.from({ length: ENDPOINT_CONCURRENCY }, lane));
    check(secret, (i) => `msg_${label}_${i}`);
    const rows = [...arrivals.values()];
    return stats(
      rows.map((r) => r.at - r.createdAt),
      start,
      Math.max(...rows.map((r) => r.at)),
    );
  };

  log(`baseline: ${ALERTS} signed POSTs, burst then paced at ${RATE}/s`);
  const baseBurst = await medianOf('baseline burst', 'perSecond', (r) => baseline(`b${r}`, () => 0));
  const basePaced = await medianOf('baseline paced', 'p99Ms', (r) => baseline(`p${r}`, (i) => (i * 1000) / RATE));

  // Platform: the API for the subscription, a real worker process for the rest.
  const api = await startApi({ QUEUE_PREFIX: prefix, WEBHOOK_ALLOWED_TARGETS: '127.0.0.1/32' });
  const created = await postJson(`${api.url}/v1/webhooks`, { url, description: 'bench' });
  if (created.status !== 201) throw new Error(JSON.stringify(created.body));
  const store = api.app.get(RedisStore);
  const queue = api.app.get<Queue>(getQueueToken(QUEUES.webhooks));
  let worker: ChildProcess | undefined;
  try {
    // BENCH_CPU_PROF=<dir>: the worker writes a V8 CPU profile there on exit (open it in Chrome DevTools).
    const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
    worker = spawnWorkerProcess(
      { QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn', MQTT_URL: '', FEEDS: '', WEBHOOK_ALLOWED_TARGETS: '127.0.0.1/32', TS_NODE_TRANSPILE_ONLY: 'true' },
      { stdio: ['ignore', 'ignore', 'inherit'], nodeArgs: profile },
    );
    const deadline = Date.now() + 120_000;
    while ((await queue.getWorkers()).length === 0) {
      if (Date.now() > deadline) throw new Error('the worker did not start');
      await new Promise((r) => setTimeout(r, 250));
    }
    await new Promise((r) => setTimeout(r, 2_000)); // its start-up propagation and consumer group settle
    const publish = async (label: string, schedule: (i: number) => number) => {
      arrivals.clear();
      const start = Date.now();
      const key = store.key(EXPOSURE_CHANGES_STREAM);
      for (let i = 0; i < ALERTS;) {
        const due = start + schedule(i);
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        const pipeline = store.client.pipeline();
        // Everything due by now goes in one round trip (at most 500).
        for (let n = 0; n < 500 && i < ALERTS && start + schedule(i) <= Date.now(); n++, i++) {
          const skuId = `BENCH-${label}-${i}`;
          pipeline.xadd(
            key,
            '*',
            'change',
            JSON.stringify({
              v: 1,
              kind: 'created',
              skuId,
              before: null,
              after: {
                skuId,
                x: 0.5,
                days: 24,
                onsetDays: 37,
                revenueAtRisk: 120000,
                eventIds: [],
                criticalPath: [{ nodeId: skuId, x: 0.5, days: 24, onsetDays: 37 }],
                confidence: null,
              },
            }),
          );
        }
        await pipeline.exec();
      }
      await waitFor(ALERTS);
      check(created.body.secret as string, (i) => `BENCH-${label}-${i}`);
      const rows = [...arrivals.values()];
      return stats(
        rows.map((r) => r.at - r.createdAt),
        start,
        Math.max(...rows.map((r) => r.at)),
      );
    };
    log(`platform: ${ALERTS} alerts, burst then paced at ${RATE}/s`);
    const platBurst = await medianOf('platform burst', 'perSecond', (r) => publish(`b${r}`, () => 0));
    const platPaced = await medianOf('platform paced', 'p99Ms', (r) => publish(`p${r}`, (i) => (i * 1000) / RATE));
    process.stdout.write(
      `${JSON.stringify({
        alerts: ALERTS,
        rounds: ROUNDS,
        batchSize: Number(process.env.WEBHOOK_BATCH_SIZE ?? 25),
        endpointConcurrency: ENDPOINT_CONCURRENCY,
        workerConcurrency: WORKER_CONCURRENCY,
        burst: { platform: platBurst, baseline: baseBurst },
        paced: { rate: RATE, platform: platPaced, baseline: basePaced },
        ...problems,
        ok: problems.badSignatures === 0 && problems.missingOrExtra === 0,
      })}\n`,
    );
  } finally {
    if (worker && worker.exitCode === null) {
      worker.kill('SIGTERM');
      await new Promise((r) => worker!.once('exit', r));
    }
    await requestJson('DELETE', `${api.url}/v1/webhooks/${created.body.id}`);
    await obliterateQueues(api.app);
    await deleteRedisKeys(store.client, prefix);
    await api.close();
    agent.destroy();
    receiver.closeAllConnections();
    receiver.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
