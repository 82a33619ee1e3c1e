/**
 * bench/trace — run by `npm run bench:trace` (bench/trace/run.mjs) against its own Neo4j.
 *
 * 1. The `small` demo network is imported (its sites with GLNs, its SKUs with GTINs), once.
 * 2. The store is filled with generated lot flows (lot-flows.ts) through the platform's capture
 *    path, document by document, up to --events (kept for the next run with the same options).
 * 3. Capture: --capture-events more events of new flows, timed through the same path (the API's
 *    CaptureService.submit: validation, stored document and its digest, queued job; then the worker's
 *    CaptureRunner.run: digest check, event hashes, the writes, the audit chain), against a
 *    baseline of the same events as plain batched UNWIND writes (no validation, hash or audit).
 * 4. Traces ten transformation levels deep, backward from last-level lots and forward from
 *    first-level lots: the platform's TraceService against one variable-length Cypher match,
 *    interleaved, with the lot sets compared (any difference fails the bench).
 * Prints one JSON line; progress goes to stderr.
 */
import 'reflect-metadata';
import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { BaseEnv, loadConfig } from '@tiersight/config';
import type { NetworkSize } from '@tiersight/demo-network';
import { ImportService, MigrationRunner, Neo4jService } from '@tiersight/graph';
import { QUEUES } from '@tiersight/queues';
import { CaptureRunner, CaptureService, TraceabilityModule, TraceService, type TraceDirection } from '@tiersight/traceability';
import { CliModule } from '../../tools/cli/cli.module';
import { captureBaseline, dropBaseline } from './capture-baseline';
import { flowNetwork } from './flow-network';
import { epcisDocument, LotFlows } from './lot-flows';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    'doc-events': { type: 'string', default: '1000' },
    'capture-events': { type: 'string', default: '50000' },
    traces: { type: 'string', default: '300' },
    size: { type: 'string', default: 'small' },
    seed: { type: 'string', default: '42' },
    'skip-capture-baseline': { type: 'boolean', default: false },
  },
});
const EVENTS = Number(args.events);
const DOC_EVENTS = Number(args['doc-events']);
const CAPTURE_EVENTS = Math.min(Number(args['capture-events']), EVENTS);
const TRACES = Number(args.traces);
const SEED = Number(args.seed);
const SIZE = args.size as NetworkSize;
const LEVELS = 12;
const DEPTH = 10;
const FLOW = { seed: SEED, levels: LEVELS, lanes: 200, lanesPerSite: 8 };
const ACTOR = { keyId: 'bench-trace', role: 'admin', supplierId: null };
const WARMUP = 20;

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const say = (line: string) => process.stderr.write(`  ${line}\n`);
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};
const median = (xs: number[]) => quantile(xs, 0.5);

/** Peaks of the process memory (MB) while sampling runs. */
class MemoryPeaks {
  peak = { rss: 0, heapUsed: 0, arrayBuffers: 0, external: 0 };
  private timer?: NodeJS.Timeout;
  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), 250);
    return this;
  }
  stop() {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }
  private sample() {
    const m = process.memoryUsage();
    for (const k of ['rss', 'heapUsed', 'arrayBuffers', 'external'] as const) this.peak[k] = Math.max(this.peak[k], m[k] / 2 ** 20);
  }
}

@Module({})
class BenchModule {
  static forRoot(config: BaseEnv): DynamicModule {
    return { module: BenchModule, imports: [CliModule.forRoot(config, pino({ level: 'warn' })), TraceabilityModule] };
  }
}

function diskMB(dir: string): number {
  let bytes = 0;
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) bytes += statSync(p).size;
    }
  };
  try {
    walk(dir);
  } catch {
    return 0;
  }
  return bytes / 2 ** 20;
}

/** Documents of DOC_EVENTS events from waves first..; stops after `total` events. `waves`: the waves whole in the documents so far. */
function* documents(flows: LotFlows, firstWave: number, total: number): Generator<{ doc: object; events: number; waves: number }> {
  let left = total;
  let pending: Record<string, unknown>[] = [];
  let whole = 0;
  for (let w = firstWave; left > 0; w++) {
    const { events } = flows.wave(w);
    for (let i = 0; i < events.length && left > 0; i++) {
      pending.push(events[i]);
      left--;
      if (i === events.length - 1) whole = w + 1 - firstWave;
      if (pending.length === DOC_EVENTS || left === 0) {
        yield { doc: epcisDocument(pending, Date.now()), events: pending.length, waves: whole };
        pending = [];
      }
    }
  }
}

interface CapturePhases {
  submit: number;
  run: number;
}

async function main() {
  const config = loadConfig(BaseEnv);
  const app = await NestFactory.createApplicationContext(BenchModule.forRoot(config), { logger: false });
  const neo4j = app.get(Neo4jService);
  const out: Record<string, unknown> = { ok: true };
  const memory = new MemoryPeaks().start();
  try {
    await neo4j.verify();
    await app.get(MigrationRunner).migrate();
    const submitter = app.get(CaptureService);
    const runner = app.get(CaptureRunner);
    const queue = app.get<Queue>(getQueueToken(QUEUES.epcis));
    await queue.obliterate({ force: true });

    const { network, flows: flowNet, tiers } = flowNetwork(SIZE, SEED);
    out.network = { size: SIZE, sites: network.sites.length, tiers };
    const count = async (q: string) => (await neo4j.run(q)).records[0].get(0) as number;
    if ((await count('MATCH (s:Site) RETURN count(s)')) === 0) {
      say(`importing the ${SIZE} network (${network.sites.length} sites, GLNs and GTINs added)…`);
      await app.get(ImportService).import(network);
    }

    // 2. Fill, or reuse a store filled with the same options.
    const fillEvents = EVENTS - CAPTURE_EVENTS;
    const fillKey = JSON.stringify({ fillEvents, DOC_EVENTS, ...FLOW, SIZE });
    const meta = (await neo4j.run('MATCH (m:TraceBenchMeta {id: "fill"}) RETURN m.key AS key, m.waves AS waves')).records[0];
    let fillWaves: number;
    const captureOne = async (doc: object): Promise<CapturePhases> => {
      let t = process.hrtime.bigint();
      const accepted = await submitter.submit(doc, ACTOR);
      const submit = ms(t);
      t = process.hrtime.bigint();
      const result = await runner.run(accepted.captureId);
      const run = ms(t);
      if (result.outcome !== 'succeeded') throw new Error(`capture ${accepted.captureId} did not succeed: ${JSON.stringify(result)}`);
      return { submit, run };
    };
    const flows = new LotFlows(flowNet, { ...FLOW, tag: 'F', palletBase: 0 });
    if (meta && meta.get('key') === fillKey) {
      fillWaves = meta.get('waves') as number;
      out.fill = { reused: true, events: fillEvents };
      say(`reusing the store filled earlier (${fillEvents.toLocaleString()} events, ${fillWaves} waves)`);
    } else {
      if ((await count('MATCH (e:EpcisEvent) RETURN count(e)')) > 0) throw new Error('the bench store holds other events: run again with --fresh');
      say(`filling the store: ${fillEvents.toLocaleString()} events in documents of ${DOC_EVENTS} through the capture path…`);
      const t0 = process.hrtime.bigint();
      let done = 0;
      let lastShown = 0;
      let wavesDone = 0;
      for (const d of documents(flows, 0, fillEvents)) {
        await captureOne(d.doc);
        done += d.events;
        wavesDone = d.waves;
        if (done - lastShown >= Math.max(fillEvents / 20, DOC_EVENTS)) {
          lastShown = done;
          const s = ms(t0) / 1000;
          say(
            `fill: ${done.toLocaleString()} / ${fillEvents.toLocaleString()} events, ${Math.round(done / s).toLocaleString()} events/s, ${(s / 60).toFixed(1)} min`,
          );
        }
      }
      fillWaves = wavesDone;
      if (fillWaves === 0) throw new Error(`--events ${EVENTS} leaves no whole wave of lot flows to trace: ask for more events or fewer --capture-events`);
      const seconds = ms(t0) / 1000;
      out.fill = { reused: false, events: fillEvents, seconds, eventsPerSecond: fillEvents / seconds };
      await neo4j.run('MERGE (m:TraceBenchMeta {id: "fill"}) SET m.key = $key, m.waves = $waves', { key: fillKey, waves: fillWaves });
    }

    // 3. Capture throughput into the filled store: new flows (their own tag), the same path.
    const runTag = `C${Date.now().toString(36).toUpperCase()}`;
    const captureFlows = new LotFlows(flowNet, { ...FLOW, tag: runTag, palletBase: 100_000_000 + (Date.now() % 800_000_000) });
    const captureDocs = [...documents(captureFlows, 0, CAPTURE_EVENTS)];
    const captureMemory = new MemoryPeaks().start();
    say(`capture: ${CAPTURE_EVENTS.toLocaleString()} events of new flows in ${captureDocs.length} documents…`);
    const phases: CapturePhases[] = [];
    const tCapture = process.hrtime.bigint();
    for (const d of captureDocs) phases.push(await captureOne(d.doc));
    const captureSeconds = ms(tCapture) / 1000;
    const capture: Record<string, unknown> = {
      events: CAPTURE_EVENTS,
      documents: captureDocs.length,
      docEvents: DOC_EVENTS,
      seconds: captureSeconds,
      eventsPerSecond: CAPTURE_EVENTS / captureSeconds,
      phasesMedianMs: { submit: median(phases.map((p) => p.submit)), run: median(phases.map((p) => p.run)) },
      peakMB: captureMemory.stop(),
    };
    say(`capture: ${Math.round(CAPTURE_EVENTS / captureSeconds).toLocaleString()} events/s`);
    if (!args['skip-capture-baseline']) {
      say('capture baseline: the same events as plain batched UNWIND writes…');
      const t = process.hrtime.bigint();
      for (const d of captureDocs) await captureBaseline(neo4j, d.doc as { epcisBody: { eventList: Record<string, unknown>[] } });
      const seconds = ms(t) / 1000;
      capture.baseline = { seconds, eventsPerSecond: CAPTURE_EVENTS / seconds };
      await dropBaseline(neo4j);
    }
    out.capture = capture;
    await queue.obliterate({ force: true });

    // 4. Traces, ten levels deep: last-level lots backward, first-level lots forward.
    const lotRnd = mulberry(SEED + 7);
    const sample = (levels: number[]) =>
      Array.from({ length: TRACES + WARMUP }, () => {
        const wave = flows.wave(Math.floor(lotRnd() * fillWaves));
        const level = levels[Math.floor(lotRnd() * levels.length)];
        return wave.lotsByLevel[level][Math.floor(lotRnd() * FLOW.lanes)];
      });
    const trace: Record<string, unknown> = {};
    const traceMemory = new MemoryPeaks().start();
    const traceService = app.get(TraceService);
    for (const direction of ['backward', 'forward'] as const) {
      const lots = sample(direction === 'backward' ? [LEVELS] : [0, LEVELS - DEPTH]);
      const platform: number[] = [];
      const baseline: number[] = [];
      const sizes: number[] = [];
      let mismatches = 0;
      let truncated = 0;
      say(`${direction} traces: ${lots.length} lots (${WARMUP} warm-up)…`);
      for (const [i, lot] of lots.entries()) {
        // Alternate which goes first, so neither always meets the warmer cache.
        const runPlatform = async () => {
          const t = process.hrtime.bigint();
          const r = await traceService.trace(lot, direction, DEPTH);
          return { ms: ms(t), ids: r.lots.map((l) => l.lotId), truncated: r.truncated };
        };
        const runBaseline = async () => {
          const t = process.hrtime.bigint();
          const ids = await cypherTrace(neo4j, direction, lot);
          return { ms: ms(t), ids };
        };
        let p: Awaited<ReturnType<typeof runPlatform>>;
        let b: Awaited<ReturnType<typeof runBaseline>>;
        if (i % 2 === 0) {
          p = await runPlatform();
          b = await runBaseline();
        } else {
          b = await runBaseline();
          p = await runPlatform();
        }
        const pSet = new Set(p.ids);
        const bSet = new Set(b.ids);
        const differing = [...pSet].filter((x) => !bSet.has(x)).length + [...bSet].filter((x) => !pSet.has(x)).length;
        if (differing > 0) {
          mismatches += differing;
          say(`MISMATCH ${direction} ${lot}: platform ${pSet.size} lots, baseline ${bSet.size}`);
        }
        if (i < WARMUP) continue;
        platform.push(p.ms);
        baseline.push(b.ms);
        sizes.push(pSet.size);
        if (p.truncated) truncated++;
      }
      trace[direction] = {
        samples: platform.length,
        lotsMedian: median(sizes),
        lotsMax: Math.max(...sizes),
        truncatedAtDepth: truncated,
        platform: { p50: median(platform), p99: quantile(platform, 0.99), max: Math.max(...platform) },
        baseline: { p50: median(baseline), p99: quantile(baseline, 0.99), max: Math.max(...baseline) },
        mismatches,
      };
      if (mismatches > 0) out.ok = false;
    }
    out.trace = { ...trace, peakMB: traceMemory.stop() };
    out.flows = { levels: LEVELS, lanes: FLOW.lanes, fillWaves };
    out.store = {
      events: await count('MATCH (e:EpcisEvent) RETURN count(e)'),
      lots: await count('MATCH (l:Lot) RETURN count(l)'),
      wentInto: await count('MATCH ()-[r:WENT_INTO]->() RETURN count(r)'),
      diskMB: diskMB(join(resolve(process.env.TIERSIGHT_HOME ?? '.local'), 'neo4j', 'data')),
    };
  } finally {
    out.peakMB = memory.stop();
    await app.close();
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function mulberry(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    let t = (s = (s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The baseline trace: one variable-length match over the same lot → lot edges. DISTINCT on the far
// end lets the planner prune the expansion breadth first (each lot expanded once, not every path).
const CYPHER_TRACE: Record<TraceDirection, string> = {
  backward: `MATCH (:Lot {id: $id})<-[:WENT_INTO*1..${DEPTH}]-(x:Lot) WITH DISTINCT x RETURN x.id AS id, x.kind AS kind, x.gtin AS gtin, x.lot AS lot`,
  forward: `MATCH (:Lot {id: $id})-[:WENT_INTO*1..${DEPTH}]->(x:Lot) WITH DISTINCT x RETURN x.id AS id, x.kind AS kind, x.gtin AS gtin, x.lot AS lot`,
};

async function cypherTrace(neo4j: Neo4jService, direction: TraceDirection, id: string): Promise<string[]> {
  const res = await neo4j.read((tx) => tx.run(CYPHER_TRACE[direction], { id }));
  return res.records.map((r) => r.get('id') as string).filter((x) => x !== id);
}

main().catch((error) => {
  process.stderr.write(`trace bench: ${(error as Error).stack}\n`);
  process.exit(1);
});
