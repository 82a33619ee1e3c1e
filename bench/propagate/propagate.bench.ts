/**
 * bench/propagate — run by `npm run bench:propagate` against the bench Neo4j (127.0.0.1:7688)
 * holding the network that `npm run bench:import` loaded (the `large` one: 250k sites, 1M edges).
 *
 * Measures: projection load (streamed from Neo4j) and its heap; a full propagation with
 * 100 active events; one new event applied incrementally; RXI for every site; and, as the
 * baseline, the same SKU exposures (x, d) computed by Cypher queries alone (cypher-baseline.ts),
 * checked equal to the engine's on every SKU, with the ratio.
 */
import 'reflect-metadata';
import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pino from 'pino';
import { BaseEnv, loadConfig } from '@tiersight/config';
import { greatCircleKm } from '@tiersight/geo-engine';
import { EventRepository, Neo4jService, SupplyNetworkReader } from '@tiersight/graph';
import { QueueProducer, QUEUES } from '@tiersight/queues';
import { ExposureRunService, ProjectionCache, projectionVisitor, RiskModule } from '@tiersight/risk-runs';
import { combineImpacts, computeRxi, ImpactInput, Projection, ProjectionBuilder, propagate, Propagator } from '@tiersight/risk-engine';
import { CliModule } from '../../tools/cli/cli.module';
import { cypherPropagation } from './cypher-baseline';

const EVENTS = 100;
/** `--skip-cypher`: leave out the (slow) Cypher baseline, e.g. while working on the end-to-end path. */
const SKIP_CYPHER = process.argv.includes('--skip-cypher');
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
  const out: Record<string, unknown> = {};
  try {
    // 1. Projection load, streamed from Neo4j.
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
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
    out.projectionHeapMB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20 - (sites.length * 80) / 2 ** 20; // minus the bench's own site list (≈80 B each)
    out.nodes = projection.nodeCount;
    out.edges = projection.edgeCount;
    if (projection.edgeCount === 0) throw new Error('the bench database is empty: run npm run bench:import first');

    // 2. 100 active events, geo-matched on the sites (great-circle radius).
    const events = seededEvents(sites, EVENTS);
    const impacts: ImpactInput[] = [];
    for (const e of events)
      for (const s of sites) if (greatCircleKm(e.lat, e.lon, s.lat, s.lon) <= e.radiusKm) impacts.push({ site: s.id, x: e.x, days: e.days, eventId: e.id });
    out.impacts = impacts.length;

    // 3. Full propagation in the engine.
    const fullRuns: number[] = [];
    let result = propagate(projection, impacts);
    for (let i = 0; i < 7; i++) {
      t0 = process.hrtime.bigint();
      result = propagate(projection, impacts);
      fullRuns.push(ms(t0));
    }
    out.fullPropagationMedianMs = median(fullRuns);

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
    }

    // 7. One event end to end as the worker runs it: the event stored and geo-matched (HITS
    // written), its propagation requested (as the API and the event jobs do), then the run the
    // risk worker makes for that request: impacts read, propagated, explained, diffed, changed
    // exposures and attribution written. The 90 other events are stored and propagated first;
    // median over 10 events pushed one at a time.
    const store = app.get(EventRepository);
    const runs = app.get(ExposureRunService);
    const producer = app.get(QueueProducer);
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
    try {
      for (const e of events.slice(0, EVENTS - 10)) await store.upsert(asStored(e));
      const first = await runs.runIfNeeded(await request());
      out.endToEndFirstRun = { mode: first.mode, ms: first.ms, exposed: first.exposed };
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
          counts.push({ changes: run.changes?.length ?? 0, ...run.counts });
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
    } finally {
      for (const e of events) await store.close(e.id, 'bench done').catch(() => undefined);
      await runs.runIfNeeded(await request());
      await neo4j.run("MATCH (e:Event {source: 'bench'}) DETACH DELETE e");
      await producer.queue(QUEUES.risk).obliterate({ force: true });
    }
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    await app.close();
  }
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
