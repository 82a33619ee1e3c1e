/**
 * bench/twin — run by `npm run bench:twin` (bench/twin/run.mjs), which passes the options below.
 *
 *   --size large|medium|small   the generated network (libs/demo-network, seed 42) the main figures use
 *   --samples 1000              twin samples on it
 *   --baseline-samples 100      samples of the propagate() loop, timed and extrapolated to --samples
 *   --worker-entry <file>       the bundled worker thread (dist/apps/worker/twin-worker.js) when built
 *
 * The network is generated straight into the engine's projection (the same rows `npm run bench:import`
 * loads; nothing is read from Neo4j, so the figures are the twin's alone), with 100 seeded events
 * geo-matched on its sites as bench:propagate does. Measured:
 *
 * - the twin run the platform makes (TwinExecutor: worker threads over the cores, slices of about two
 *   seconds, contributions on as many samples as the budget allows: 10 of 1,000 with 100 events), wall
 *   time and memory;
 * - the same run without contributions, in one thread and over the threads;
 * - the baseline: a loop of full engine propagate() calls over the same draws (TwinDraws), reading each
 *   sample's exposed SKUs, single-threaded, --baseline-samples timed and extrapolated;
 * - correctness: with every uncertainty at zero the twin equals propagate() on every SKU (probability
 *   1, P50 = the engine's revenue at risk, days, onset), and a threaded run equals the in-process one;
 *   the bench exits non-zero when either fails;
 * - the demo network, 1,000 samples.
 * Prints one JSON line.
 */
import { isDeepStrictEqual, parseArgs } from 'node:util';
import pino from 'pino';
import { DEFAULT_TTR_DAYS } from '@tiersight/graph';
import { greatCircleKm } from '@tiersight/geo-engine';
import { planBatches, planNetwork, type NetworkSize } from '@tiersight/demo-network';
import { DEFAULT_EXPOSURE_THRESHOLD, exposedSkus, propagate, ProjectionBuilder, type Projection } from '@tiersight/risk-engine';
import { TwinDraws, type TwinEvent, type TwinRequest, type TwinResult } from '@tiersight/twin-engine';
import { contributionSamplesFor, toStoredOutlook, TwinExecutor } from '@tiersight/twin-runs';
import { EVENT_TYPES } from '@tiersight/contracts';

const EVENTS = 100;
const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: 'large' },
    samples: { type: 'string', default: '1000' },
    'baseline-samples': { type: 'string', default: '100' },
    /** The cap, TWIN_CONTRIBUTION_SAMPLES' default; the run takes fewer with many events (contributionSamplesFor), as the platform does. */
    'contribution-samples': { type: 'string', default: '200' },
    'worker-entry': { type: 'string' },
  },
});

const ms = (t0: number) => performance.now() - t0;
const started = performance.now();
/** A line on stderr per phase, so a long run shows where it is (stdout carries the result). */
const phase = (what: string) => process.stderr.write(`  [${Math.round(ms(started) / 1000)} s] ${what}\n`);
const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/** Peak process memory while `work` runs (sampled every 100 ms; worker threads count in RSS and external/arrayBuffers). */
async function withMemory<T>(work: () => Promise<T>) {
  const peak = { rss: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    peak.external = Math.max(peak.external, m.external);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, m.arrayBuffers);
  };
  const timer = setInterval(sample, 100);
  const t0 = performance.now();
  try {
    const value = await work();
    sample();
    return { value, ms: ms(t0), peakMB: { rss: mb(peak.rss), heapUsed: mb(peak.heapUsed), external: mb(peak.external), arrayBuffers: mb(peak.arrayBuffers) } };
  } finally {
    clearInterval(timer);
  }
}

/** The generated network straight into a projection, with every site's location for the geo-match. */
function buildNetwork(size: NetworkSize) {
  const builder = new ProjectionBuilder();
  const sites: Array<{ id: string; lat: number; lon: number }> = [];
  for (const batch of planBatches(planNetwork({ size, seed: 42 }), 50_000)) {
    if (batch.entity === 'suppliers') for (const r of batch.rows) builder.addSupplier(r.id);
    else if (batch.entity === 'sites') {
      for (const r of batch.rows) {
        builder.addSite({ id: r.id, supplierId: r.supplierId, country: r.country, ttrDays: r.ttrDays ?? DEFAULT_TTR_DAYS[r.kind], source: r.source });
        sites.push({ id: r.id, lat: r.lat, lon: r.lon });
      }
    } else if (batch.entity === 'skus')
      for (const r of batch.rows) builder.addSku({ id: r.id, dailyRevenue: r.dailyRevenue, category: r.category ?? undefined });
    else if (batch.entity === 'supplies') {
      for (const r of batch.rows) {
        builder.addEdge({
          from: r.fromSiteId,
          to: (r.toSiteId ?? r.toSkuId)!,
          partId: r.partId,
          share: r.share,
          bufferDays: r.bufferDays,
          leadTimeDays: r.leadTimeDays,
          source: r.source,
        });
      }
    }
  }
  return { projection: builder.build(), sites };
}

/** 100 seeded events (a point and a radius around a seeded site, as bench:propagate), typed in turn, geo-matched. */
function seededEvents(sites: Array<{ id: string; lat: number; lon: number }>): TwinEvent[] {
  let s = 12345;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const types = EVENT_TYPES.filter((t) => t !== 'sensor');
  return Array.from({ length: EVENTS }, (_, i): TwinEvent => {
    const c = sites[Math.floor(rnd() * sites.length)];
    const radiusKm = 10 + rnd() * 40;
    const x = 0.3 + rnd() * 0.7;
    const days = 5 + Math.floor(rnd() * 55);
    const hits = sites.filter((site) => greatCircleKm(c.lat, c.lon, site.lat, site.lon) <= radiusKm).map((site) => ({ site: site.id, x, days }));
    return { id: `BENCH-EV-${String(i + 1).padStart(3, '0')}`, type: types[i % types.length], hits };
  });
}

function executor(threads: number, entry: string | undefined): TwinExecutor {
  const ex = new TwinExecutor({ TWIN_THREADS: threads }, pino({ level: 'warn' }));
  if (entry) ex.locateEntry = () => ({ file: entry, execArgv: [] });
  return ex;
}

/** Every SKU of a zero-variance twin run against propagate() on the estimates; the mismatches. */
function checkExact(projection: Projection, events: TwinEvent[], entry: string | undefined): Promise<string[]> {
  const request: TwinRequest = {
    projection,
    events,
    samples: 4,
    seed: 1,
    contributionSamples: 0,
    drawParameters: Object.fromEntries(EVENT_TYPES.map((t) => [t, { sigma: 0, kappa: 0 }])),
  };
  return executor(2, entry)
    .execute(request)
    .then(({ result }) => {
      const impacts = events.flatMap((e) => e.hits.map((h) => ({ site: h.site, x: h.x, days: h.days, eventId: e.id })));
      const engine = exposedSkus(propagate(projection, impacts));
      const twin = new Map(result.skus.map((s) => [s.skuId, s]));
      const problems: string[] = [];
      if (twin.size !== engine.length) problems.push(`${twin.size} SKUs in the twin, ${engine.length} exposed in the engine`);
      for (const e of engine) {
        const s = twin.get(e.skuId);
        const same = s && s.probability === 1 && s.revenueAtRisk.p50 === e.revenueAtRisk && s.days.p50 === e.days && s.onset.p50 === e.onsetDays;
        if (!same)
          problems.push(
            `${e.skuId}: engine ${JSON.stringify(e)}, twin ${JSON.stringify(s && { p: s.probability, rar: s.revenueAtRisk, d: s.days.p50, o: s.onset.p50 })}`,
          );
        if (problems.length > 5) break;
      }
      return problems;
    });
}

/** The baseline: propagate() per sample on the twin's own draws, each sample's exposed SKUs read out. */
function baselineLoop(request: TwinRequest, samples: number) {
  const draws = new TwinDraws(request);
  const t0 = performance.now();
  let exposedRows = 0;
  for (let i = 0; i < samples; i++) {
    const result = propagate(request.projection, draws.impactsOf(i));
    for (const sku of request.projection.skuNodes) if (result.x[sku] >= DEFAULT_EXPOSURE_THRESHOLD && result.d[sku] > 0) exposedRows++;
  }
  return { ms: ms(t0), msPerSample: ms(t0) / samples, exposedRowsPerSample: exposedRows / samples };
}

function resultFigures(r: TwinResult) {
  const top = r.skus
    .slice(0, 3)
    .map((s) => ({ skuId: s.skuId, probability: s.probability, rarP50: Math.round(s.revenueAtRisk.p50), rarP90: Math.round(s.revenueAtRisk.p90) }));
  // The rows as a run stores them (twin-runs' own form: curves cut to the days that carry something).
  const storedJsonMB = mb(r.skus.reduce((n, s) => n + JSON.stringify(toStoredOutlook(s)).length, 0));
  return { exposedSkus: r.skus.length, totalMean: Math.round(r.total.mean), top, storedRowsMB: storedJsonMB };
}

async function main() {
  const out: Record<string, unknown> = { size: args.size, samples: Number(args.samples), workerEntry: args['worker-entry'] ?? 'source (ts-node)' };
  const samples = Number(args.samples);
  const baselineSamples = Number(args['baseline-samples']);
  const entry = args['worker-entry'];

  let t0 = performance.now();
  phase(`generating the ${args.size} network`);
  const { projection, sites } = buildNetwork(args.size as NetworkSize);
  out.buildMs = Math.round(ms(t0));
  out.nodes = projection.nodeCount;
  out.edges = projection.edgeCount;
  out.skus = projection.skuNodes.length;
  t0 = performance.now();
  phase('geo-matching 100 events');
  const events = seededEvents(sites);
  out.geoMatchMs = Math.round(ms(t0));
  out.impacts = events.reduce((n, e) => n + e.hits.length, 0);

  // Correctness first: the bench fails on a wrong twin, whatever its speed.
  phase('correctness checks');
  const mismatches = await checkExact(projection, events, entry);
  out.exactCheck = mismatches.length === 0 ? 'ok' : mismatches;
  const CONTRIBUTION_SAMPLES = contributionSamplesFor(Number(args['contribution-samples']), samples, events.length);
  const request: TwinRequest = { projection, events, samples, seed: 42, contributionSamples: CONTRIBUTION_SAMPLES };
  const small = { ...request, samples: 20, contributionSamples: 2 };
  const threaded = executor(2, entry);
  threaded.minThreadedWork = 0;
  const [split, whole] = [await threaded.execute(small), await executor(1, entry).execute(small)];
  out.splitCheck = split.threads === 2 && isDeepStrictEqual(split.result, whole.result) ? 'ok' : 'threaded run differs from the in-process one';

  phase(`baseline: ${baselineSamples} propagations`);
  const baseline = baselineLoop(request, baselineSamples);
  out.baseline = {
    samplesTimed: baselineSamples,
    ms: Math.round(baseline.ms),
    msPerSample: Math.round(baseline.msPerSample * 10) / 10,
    exposedRowsPerSample: Math.round(baseline.exposedRowsPerSample),
  };
  const baselineExtrapolatedMs = baseline.msPerSample * samples;
  out.baselineExtrapolatedMs = Math.round(baselineExtrapolatedMs);

  global.gc?.();
  const m = process.memoryUsage();
  out.memoryBeforeMB = { rss: mb(m.rss), heapUsed: mb(m.heapUsed), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers) };
  phase(`twin: ${samples} samples, contributions on ${CONTRIBUTION_SAMPLES}`);
  const full = await withMemory(() => executor(0, entry).execute(request));
  out.twin = {
    threads: full.value.threads,
    ms: Math.round(full.ms),
    peakMB: full.peakMB,
    ...resultFigures(full.value.result),
    contributionSamples: full.value.result.contributionSamples,
  };
  out.ratioBaselineOverTwin = Math.round((baselineExtrapolatedMs / full.ms) * 100) / 100;
  // The same answer by propagations alone: leave-one-out contributions take one more propagation per driver present per sample.
  const present = full.value.result.drivers.reduce((n, d) => n + d.presence, 0);
  out.sameWorkBaselineMs = Math.round(baseline.msPerSample * (samples + CONTRIBUTION_SAMPLES * present));
  out.ratioSameWorkBaselineOverTwin = Math.round(((out.sameWorkBaselineMs as number) / full.ms) * 100) / 100;
  global.gc?.();

  const noContrib = { ...request, contributionSamples: 0 };
  phase('twin without contributions, over the threads');
  const threadsOnly = await withMemory(() => executor(0, entry).execute(noContrib));
  out.twinNoContributions = { threads: threadsOnly.value.threads, ms: Math.round(threadsOnly.ms), peakMB: threadsOnly.peakMB };
  out.ratioBaselineOverTwinNoContributions = Math.round((baselineExtrapolatedMs / threadsOnly.ms) * 100) / 100;
  global.gc?.();
  phase('twin without contributions, one thread');
  const oneThread = await withMemory(() => executor(1, entry).execute(noContrib));
  out.twinNoContributionsOneThread = { ms: Math.round(oneThread.ms), peakMB: oneThread.peakMB };
  out.ratioBaselineOverTwinOneThread = Math.round((baselineExtrapolatedMs / oneThread.ms) * 100) / 100;
  global.gc?.();

  // The demo network, 1,000 samples, as the platform runs it (in process: below MIN_THREADED_WORK).
  phase('demo network');
  const demo = buildNetwork('demo');
  const demoEvents = seededEvents(demo.sites).slice(0, 10);
  const demoRequest: TwinRequest = {
    projection: demo.projection,
    events: demoEvents,
    samples: 1000,
    seed: 42,
    contributionSamples: contributionSamplesFor(Number(args['contribution-samples']), 1000, demoEvents.length),
  };
  await executor(0, entry).execute({ ...demoRequest, samples: 50, contributionSamples: 50 }); // warm-up
  const demoRun = await withMemory(() => executor(0, entry).execute(demoRequest));
  out.demo = {
    nodes: demo.projection.nodeCount,
    events: demoEvents.filter((e) => e.hits.length > 0).length,
    threads: demoRun.value.threads,
    ms: Math.round(demoRun.ms),
    exposedSkus: demoRun.value.result.skus.length,
  };

  process.stdout.write(`${JSON.stringify(out)}\n`);
  if (mismatches.length > 0 || out.splitCheck !== 'ok') process.exitCode = 1;
}

main().catch((error) => {
  process.stderr.write(`twin bench: ${(error as Error).stack}\n`);
  process.exit(1);
});
