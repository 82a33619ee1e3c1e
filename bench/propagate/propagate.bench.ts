/**
 * bench/propagate — run by `npm run bench:propagate` against the bench Neo4j (127.0.0.1:7688)
 * holding the network that `npm run bench:import` loaded (the `large` one: 250k sites, 1M edges).
 *
 * Measures: projection load (streamed from Neo4j) and its memory (JS heap, typed arrays and
 * other memory outside the heap, RSS); a full propagation with 100 active events, both the
 * engine's plain propagation and the worker's (an ExposureBook: propagation plus every exposed
 * SKU explained); one new event applied incrementally; RXI for every site; and, as the
 * baseline, the same SKU exposures (x, d) computed by Cypher queries alone (cypher-baseline.ts),
 * checked equal to the engine's on every SKU, with the ratio. Then events end to end as the
 * worker runs them, and the worker's full runs (first run, restart, nothing stored).
 * Every answer is checked (`failures` lists what did not match); run.mjs exits non-zero on any.
 */
import 'reflect-metadata';
import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pino from 'pino';
import { BaseEnv, loadConfig } from '@tiersight/config';
import { greatCircleKm } from '@tiersight/geo-engine';
import type { Exposure } from '@tiersight/contracts';
import { EventRepository, ExposureRepository, MigrationRunner, Neo4jService, SupplyNetworkReader } from '@tiersight/graph';
import { LOGGER } from '@tiersight/observability';
import { QueueProducer, QUEUES, RedisStore } from '@tiersight/queues';
import { ExposureRunService, ProjectionCache, projectionVisitor, RiskModule } from '@tiersight/risk-runs';
import {
  attributeEvents,
  combineImpacts,
  computeRxi,
  ExposureBook,
  ImpactInput,
  listExposures,
  Projection,
  ProjectionBuilder,
  propagate,
  Propagator,
} from '@tiersight/risk-engine';
import { CliModule } from '../../tools/cli/cli.module';
import { cypherPropagation } from './cypher-baseline';

const EVENTS = 100;
/** `--skip-cypher`: leave out the (slow) Cypher baseline, e.g. while working on the end-to-end path. */
const SKIP_CYPHER = process.argv.includes('--skip-cypher');
/** `--end-to-end-only`: only the events and the worker's runs (steps 7 on), e.g. while profiling the worker's path. */
const END_TO_END_ONLY = process.argv.includes('--end-to-end-only');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const gc = () => (global as { gc?: () => void }).gc?.();

/** Deterministic events: a point and a radius around 100 seeded sites, severity and duration seeded too. */
function seededEvents(sites: Array<{ id: string; lat: number; lon: number }>, count: number) {
  let s = 12345;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return Array.from({ length: count }, (_, i) => {
    const c = sites[Math.floor(rnd() * sites.length)];
    return { id: `BENCH-EV-${i + 1}`, lat: c.lat, lon: c.lon, radiusKm: 10 + rnd() * 40, x: 0.3 + rnd() * 0.7, days: 5 + Math.floor(rnd() * 55) };
  });
}

/** The CLI's modules plus the risk module, whose run service is what the worker calls. */
@Module({})
class BenchModule {
  static forRoot(config: BaseEnv): DynamicModule {
    return { module: BenchModule, imports: [CliModule.forRoot(config, pino({ level: 'warn' })), RiskModule] };
  }
}

async function main() {
  const config = loadConfig(BaseEnv);
  const app = await NestFactory.createApplicationContext(BenchModule.forRoot(config), { logger: false });
  const neo4j = app.get(Neo4jService);
  await neo4j.verify();
  await app.get(MigrationRunner).migrate(); // as the worker does at start: the stored form of a bench database left by an earlier version is brought up to date
  const out: Record<string, unknown> = {};
  const failures: string[] = [];
  try {
    // 1. Projection load, streamed from Neo4j.
    gc();
    const before = process.memoryUsage();
    const sites: Array<{ id: string; lat: number; lon: number }> = [];
    let t0 = process.hrtime.bigint();
    const builder = new ProjectionBuilder();
    // The same visitor as the projection cache, which also notes where each site is (for the seeded events).
    const visitor = projectionVisitor(builder);
    await app.get(SupplyNetworkReader).read({
      ...visitor,
      site: (r) => {
        visitor.site(r);
        sites.push({ id: r.id, lat: r.lat, lon: r.lon });
      },
    });
    const projection: Projection = builder.build();
    out.projectionLoadMs = ms(t0);
    gc();
    // Typed arrays live outside the JS heap (arrayBuffers, counted in external too): the projection is heap + external.
    const after = process.memoryUsage();
    const mb = (bytes: number) => bytes / 2 ** 20;
    const siteListMB = mb(sites.length * 80); // the bench's own site list (≈80 B each), not the projection's
    out.projectionHeapMB = mb(after.heapUsed - before.heapUsed) - siteListMB;
    out.projectionArrayBuffersMB = mb(after.arrayBuffers - before.arrayBuffers);
    out.projectionExternalMB = mb(after.external - before.external);
    out.projectionMemoryMB = (out.projectionHeapMB as number) + (out.projectionExternalMB as number);
    out.projectionRssMB = mb(after.rss - before.rss);
    out.nodes = projection.nodeCount;
    out.edges = projection.edgeCount;
    if (projection.edgeCount === 0) throw new Error('the bench database is empty: run npm run bench:import first');

    // 2. 100 active events, geo-matched on the sites (great-circle radius).
    const events = seededEvents(sites, EVENTS);
    const impacts: ImpactInput[] = [];
    for (const e of events)
      for (const s of sites) if (greatCircleKm(e.lat, e.lon, s.lat, s.lon) <= e.radiusKm) impacts.push({ site: s.id, x: e.x, days: e.days, eventId: e.id });
    out.impacts = impacts.length;

    if (!END_TO_END_ONLY) await engineFigures(neo4j, projection, impacts, events, out, failures);

    // 7. One event end to end as the worker runs it: the event stored and geo-matched (HITS
    // written), its propagation requested (as the API and the event jobs do), then the run the
    // risk worker makes for that request: impacts read, propagated, explained, diffed, changed
    // exposures and attribution written. The 90 other events are stored and propagated first;
    // median over 10 events pushed one at a time.
    const store = app.get(EventRepository);
    const exposures = app.get(ExposureRepository);
    const producer = app.get(QueueProducer);
    /** A worker process as it starts: a run service that has written nothing yet. */
    const newWorker = () => new ExposureRunService(app.get(ProjectionCache), store, exposures, producer, app.get(RedisStore), app.get<pino.Logger>(LOGGER));
    let runs = app.get(ExposureRunService);
    await app.get(ProjectionCache).current();
    const asStored = (e: (typeof events)[number]) => ({
      id: e.id,
      source: 'bench',
      type: 'other' as const,
      title: e.id,
      severity: e.x,
      expectedDurationDays: e.days,
      geometry: { type: 'Point' as const, coordinates: [e.lon, e.lat] as [number, number], radiusKm: e.radiusKm },
      country: null,
      startsAt: new Date().toISOString(),
    });
    const request = (eventId?: string) => producer.requestPropagation({ cause: eventId ? 'event' : 'manual', eventId });
    const fullRun = async (label: string) => {
      const run = await runs.runIfNeeded(await request());
      if (run.mode !== 'full') failures.push(`${label}: a ${run.mode} run where a full one was due`);
      return { mode: run.mode, ms: run.ms, exposed: run.exposed, phases: run.phases, counts: run.counts };
    };
    try {
      for (const e of events.slice(0, EVENTS - 10)) await store.upsert(asStored(e));
      out.endToEndFirstRun = await fullRun('first run');
      // Each event pushed alone, then the run for its request; medians over the list.
      const oneByOne = async (list: Array<(typeof events)[number]>) => {
        const total: number[] = [];
        const phases: Array<Record<string, number>> = [];
        const counts: Array<Record<string, number>> = [];
        const modes = new Set<string>();
        for (const e of list) {
          t0 = process.hrtime.bigint();
          const stored = process.hrtime.bigint();
          await store.upsert(asStored(e));
          const storeMs = ms(stored);
          const run = await runs.runIfNeeded(await request(e.id));
          total.push(ms(t0));
          phases.push({ storeAndGeoMatch: storeMs, ...run.phases });
          // What the earlier stored form (an EXPOSED_TO edge per exposed SKU and event) would have created for this event, untimed.
          const edges = await neo4j.query(
            'MATCH (a:Attribution {eventId: $id}) UNWIND a.skuIds AS sku MATCH (k:Sku {id: sku}) WHERE k.exposureJson IS NOT NULL RETURN count(*) AS n',
            { id: e.id },
          );
          const edgesBefore = Number(edges.records[0].get('n'));
          counts.push({
            changes: run.changes?.length ?? 0,
            ...run.counts,
            rowsWrittenAsEdges: (run.counts?.rewritten ?? 0) + (run.counts?.resolved ?? 0) + edgesBefore,
          });
          modes.add(run.mode ?? '?');
        }
        const medians = (rows: Array<Record<string, number>>) => Object.fromEntries(Object.keys(rows[0]).map((k) => [k, median(rows.map((r) => r[k]))]));
        return { medianMs: median(total), phasesMedianMs: medians(phases), countsMedian: medians(counts), modes: [...modes] };
      };
      // The stress case: the seeded events (10–50 km) hit about a thousand sites each, upstream of much of the network.
      const large = await oneByOne(events.slice(EVENTS - 10));
      out.endToEndOneEventMedianMs = large.medianMs;
      out.endToEndPhasesMedianMs = large.phasesMedianMs;
      out.endToEndCountsMedian = large.countsMedian;
      out.endToEndModes = large.modes;

      // The worker's full run with the 100 events: a worker starting on what an earlier one
      // wrote (the usual restart), then one starting on nothing stored (a new deployment).
      runs = newWorker();
      out.fullRunRestart = await fullRun('restart');
      await clearStoredExposures(neo4j);
      runs = newWorker();
      out.fullRunNothingStored = await fullRun('nothing stored');
      await checkStored(app, projection, failures);

      // A local disruption (a plant fire, a strike): 1 km around one site, on top of the 100 others.
      const local = Array.from({ length: 10 }, (_, i) => {
        const site = sites[(i * 7919 + 17) % sites.length];
        return { id: `BENCH-LOCAL-${i + 1}`, lat: site.lat, lon: site.lon, radiusKm: 1, x: 0.8, days: 30 };
      });
      events.push(...local); // closed and removed with the others below
      const small = await oneByOne(local);
      out.endToEndLocalEventMedianMs = small.medianMs;
      out.endToEndLocalPhasesMedianMs = small.phasesMedianMs;
      out.endToEndLocalCountsMedian = small.countsMedian;
      out.endToEndLocalModes = small.modes;
      for (const [label, modes] of [
        ['seeded', large.modes],
        ['local', small.modes],
      ] as const)
        if (modes.some((m) => m !== 'incremental')) failures.push(`${label} events: runs ${modes.join(', ')} where incremental ones were due`);
      await checkStored(app, projection, failures);
    } finally {
      for (const e of events) await store.close(e.id, 'bench done').catch(() => undefined);
      await runs.runIfNeeded(await request());
      await neo4j.run("MATCH (e:Event {source: 'bench'}) DETACH DELETE e");
      await producer.queue(QUEUES.risk).obliterate({ force: true });
    }
    out.failures = failures;
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    await app.close();
  }
}

/** Steps 3–6: the engine alone (full propagation, the worker's book, one event incrementally, RXI) and the Cypher baseline. */
async function engineFigures(
  neo4j: Neo4jService,
  projection: Projection,
  impacts: ImpactInput[],
  events: ReturnType<typeof seededEvents>,
  out: Record<string, unknown>,
  failures: string[],
): Promise<void> {
  let t0: bigint;
  // 3. Full propagation in the engine.
  const fullRuns: number[] = [];
  let result = propagate(projection, impacts);
  for (let i = 0; i < 7; i++) {
    t0 = process.hrtime.bigint();
    result = propagate(projection, impacts);
    fullRuns.push(ms(t0));
  }
  out.fullPropagationMedianMs = median(fullRuns);

  // 3b. The worker's full run in the engine: an ExposureBook (propagation, then every exposed SKU explained), as ExposureRunService builds it.
  const bookRuns: number[] = [];
  let fromBook: Exposure[] = [];
  for (let i = 0; i < 3; i++) {
    gc(); // the previous iteration's book is unreachable here
    t0 = process.hrtime.bigint();
    const book = new ExposureBook(projection, impacts);
    bookRuns.push(ms(t0));
    fromBook = book.exposures();
  }
  out.fullBookMedianMs = median(bookRuns);
  const fromScratch = listExposures(result);
  out.fullBookExposed = fromBook.length;
  if (!sameExposures(fromBook, fromScratch)) failures.push("the worker's ExposureBook differs from a plain propagation");

  // 4. One new event applied incrementally on top of 99 (median over 10 different events).
  const incremental: number[] = [];
  for (let k = 0; k < 10; k++) {
    const last = events[EVENTS - 1 - k].id;
    const propagator = new Propagator(projection);
    const byEvent = (keep: (id: string) => boolean) => impacts.filter((i) => keep(i.eventId!));
    propagator.setImpacts(groupBySiteIds(byEvent((id) => id !== last)));
    t0 = process.hrtime.bigint();
    propagator.setImpacts(
      groupBySiteIds(
        impacts,
        byEvent((id) => id === last),
      ),
    );
    incremental.push(ms(t0));
  }
  out.incrementalOneEventMedianMs = median(incremental);

  // 5. RXI for every site.
  t0 = process.hrtime.bigint();
  const rxi = computeRxi(projection);
  out.rxiAllSitesMs = ms(t0);
  out.rxiSites = projection.siteNodes.length;
  out.spofs = rxi.spofs.length;

  // 6. Baseline: Cypher alone, on the same database, checked equal on every SKU.
  if (!SKIP_CYPHER) {
    const combined = new Map<string, ImpactInput[]>();
    for (const i of impacts) combined.set(i.site as string, [...(combined.get(i.site as string) ?? []), i]);
    const seed = [...combined].map(([siteId, list]) => ({ siteId, ...(({ x, d }) => ({ x, days: d }))(combineImpacts(list)) }));
    const cypher = await cypherPropagation(neo4j, seed);
    out.cypherMs = cypher.seconds * 1000;
    out.cypherRounds = cypher.rounds;
    let mismatches = 0;
    const engineSkus = new Map<string, [number, number]>();
    for (const v of projection.skuNodes) if (result.x[v] > 0) engineSkus.set(projection.nodeIds[v], [result.x[v], result.d[v]]);
    for (const k of cypher.skus) {
      const e = engineSkus.get(k.id);
      if (!e || Math.abs(e[0] - k.x) > 1e-6 || Math.abs(e[1] - k.d) > 1e-6) mismatches++;
    }
    out.skusCompared = Math.max(cypher.skus.length, engineSkus.size);
    out.mismatches = mismatches + Math.max(0, engineSkus.size - cypher.skus.length);
    out.ratioCypherOverEngine = (cypher.seconds * 1000) / (out.fullPropagationMedianMs as number);
    if (out.mismatches !== 0) failures.push(`the Cypher baseline and the engine differ on ${out.mismatches as number} SKUs`);
  }
}

/** Same SKUs with the same numbers and critical paths (up to the engine's 1e-9). */
function sameExposures(a: readonly Exposure[], b: readonly Exposure[]): boolean {
  if (a.length !== b.length) return false;
  const byId = new Map(b.map((e) => [e.skuId, e]));
  const close = (x: number, y: number) => Math.abs(x - y) <= 1e-6 * Math.max(1, Math.abs(x), Math.abs(y));
  return a.every((e) => {
    const f = byId.get(e.skuId);
    if (!f || !close(e.x, f.x) || !close(e.days, f.days) || !close(e.revenueAtRisk, f.revenueAtRisk)) return false;
    if (!(e.onsetDays === f.onsetDays || close(e.onsetDays, f.onsetDays) || (!Number.isFinite(f.onsetDays) && e.onsetDays === -1))) return false;
    return e.criticalPath.map((h) => h.nodeId).join() === f.criticalPath.map((h) => h.nodeId).join();
  });
}

/** Every stored exposure as a full propagation of the stored events gives it, and the attribution of a sample of SKUs as each event alone gives it. */
async function checkStored(app: { get<T>(type: new (...args: never[]) => T): T }, projection: Projection, failures: string[]): Promise<void> {
  const impacts = (await app.get(EventRepository).activeImpacts())
    .filter((i) => projection.indexOf(i.siteId) >= 0)
    .map((i) => ({ site: i.siteId, x: i.x, days: i.days, eventId: i.eventId }));
  const expected = listExposures(propagate(projection, impacts));
  const stored = [...(await app.get(ExposureRepository).storedById()).values()];
  if (!sameExposures(stored, expected)) failures.push(`stored exposures (${stored.length}) differ from a full propagation (${expected.length})`);
  // Every 1,000th exposed SKU: its attribution through the API's read against every event propagated alone.
  const sample = expected.filter((_, i) => i % 1000 === 0).map((e) => e.skuId);
  const want = attributeEvents(projection, impacts, { skus: sample });
  for (const skuId of sample) {
    const got = ((await app.get(ExposureRepository).one(skuId)).attribution as Array<{ eventId: string; x: number; days: number }>)
      .map((a) => `${a.eventId}:${a.x.toFixed(9)}:${a.days.toFixed(9)}`)
      .sort();
    const expect = want
      .filter((a) => a.skuId === skuId)
      .map((a) => `${a.eventId}:${a.x.toFixed(9)}:${a.days.toFixed(9)}`)
      .sort();
    if (got.join() !== expect.join()) failures.push(`attribution of ${skuId} differs from each event propagated alone`);
  }
}

/** Nothing stored: every exposure cleared, every attribution record gone, no stamp (a new deployment on an imported graph). */
async function clearStoredExposures(neo4j: Neo4jService): Promise<void> {
  await neo4j.autoCommit(
    `MATCH (k:Sku) WHERE k.exposureJson IS NOT NULL CALL (k) { REMOVE k.exposureX, k.exposureDays, k.exposureOnsetDays, k.revenueAtRisk, k.exposureJson, k.exposedAt } IN TRANSACTIONS OF 10000 ROWS`,
  );
  await neo4j.autoCommit(`MATCH (a:Attribution) CALL (a) { DELETE a } IN TRANSACTIONS OF 10000 ROWS`);
  await neo4j.run(`MATCH (m:ExposureMeta {id: 'exposures'}) DELETE m`);
}

/** Impacts as per-site replacements for Propagator.setImpacts; `only` limits which sites change. */
function groupBySiteIds(all: ImpactInput[], only?: ImpactInput[]) {
  const sites = new Set((only ?? all).map((i) => i.site));
  const bySite = new Map<string | number, ImpactInput[]>();
  for (const i of all) if (sites.has(i.site)) bySite.set(i.site, [...(bySite.get(i.site) ?? []), i]);
  return [...bySite].map(([site, impacts]) => ({ site, impacts }));
}

main().catch((error) => {
  process.stderr.write(`propagate bench: ${(error as Error).stack}\n`);
  process.exit(1);
});
