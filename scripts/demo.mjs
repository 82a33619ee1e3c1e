// npm run demo — the main job end to end on a built-in demo network:
// local services up, api and worker built and started, a seeded demo supply
// network generated and imported through the API, real sample feeds pulled by
// the worker from a local HTTP server, the buyer's own incidents pushed, and a
// readable report of the exposed SKUs and why; then a lot flow captured as GS1
// EPCIS 2.0 and the recall scope a cold-chain excursion on one shipment flags.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt } from './dev/build.mjs';
import { devEnv, ROOT } from './dev/dev-env.mjs';
import { startFeedServer } from './dev/feed-server.mjs';
import { startWebhookReceiver } from './dev/webhook-receiver.mjs';
import { publishSimulatedReadings } from '../tools/telemetry-sim/telemetry-sim.mjs';
import { startBundle, stop, waitFor } from './dev/processes.mjs';

const env = devEnv({ LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' });
// The demo's api accepts this admin key (a fresh one per run unless .env sets one).
env.ADMIN_API_KEY ??= `demo-${randomBytes(18).toString('base64url')}`;
const auth = { authorization: `Bearer ${env.ADMIN_API_KEY}` };
const port = Number(env.PORT ?? 3000);
const base = `http://127.0.0.1:${port}`;
const say = (line) => process.stdout.write(`${line}\n`);
const STEPS = 14;
const step = (n, text) => say(`\n[${n}/${STEPS}] ${text}`);
const children = [];
const closers = [];
const demoStartedAt = Date.now();
/** Names what this run creates that must not meet an earlier run's (its sensor). */
const RUN_TAG = randomBytes(3).toString('hex');
const runs = []; // the worker's propagation runs: { graphVersion, startedAt, exposed, changes }
const demoIds = { skus: new Set(), sites: new Set() };

async function main() {
  step(1, 'local services');
  const { ensureServices } = await import('./lib/services.mjs');
  await ensureServices({ mqtt: true });

  step(2, 'building the api and the worker');
  const apiBundle = ensureBuilt('api');
  const workerBundle = ensureBuilt('worker');

  step(3, 'generating the demo supply network (seed 42)');
  const out = join(ROOT, '.local', 'demo', 'network.json');
  mkdirSync(join(ROOT, '.local', 'demo'), { recursive: true });
  const gen = spawnSync(process.execPath, [join(ROOT, 'scripts', 'run-tool.mjs'), 'tools/cli/generate.ts', '--size', 'demo', '--seed', '42', '--out', out], {
    cwd: ROOT,
    env,
    stdio: 'inherit',
  });
  if (gen.status !== 0) throw new Error('the demo network generator failed');
  const parsed = JSON.parse(readFileSync(out, 'utf8'));
  // The database may hold other data too (a user's own, earlier test runs): report on the demo network only.
  demoIds.skus = new Set(parsed.skus.map((s) => s.id));
  demoIds.sites = new Set(parsed.sites.map((s) => s.id));
  // The lot flow's GS1 keys go in with the network, so an import by a later run keeps them.
  const flow = lotFlowChain(parsed);

  step(4, `starting the api on ${base} and the worker`);
  const feedServer = await startFeedServer();
  closers.push(feedServer.close);
  env.FEEDS = JSON.stringify(feedServer.feeds);
  const receiver = await startWebhookReceiver();
  closers.push(receiver.close);
  env.WEBHOOK_ALLOWED_TARGETS ??= '127.0.0.1/32'; // the demo's receiver is on loopback, refused by default
  say(`  real sample feeds published at ${feedServer.base}/feeds/… for the worker to pull`);
  const api = startBundle('api', apiBundle, env);
  children.push(api.child);
  await waitFor('the api answering /health/ready', async () => (await fetch(`${base}/health/ready`)).ok);
  say(`  api ready   (logs: ${api.logPath}); admin key of this run: ${env.ADMIN_API_KEY}`);
  // Subscribed before the worker starts (it pulls the feeds at once): the subscriber hears of every change.
  const sub = await post('/v1/webhooks', { url: receiver.url, description: 'demo receiver', filters: { minX: 0.05 } });
  receiver.trust(sub.secret);
  say(`  webhook subscription ${sub.id} → ${receiver.url} (secret shown once: ${sub.secret.slice(0, 10)}…)`);
  const worker = startBundle('worker', workerBundle, env, (line) => {
    if (!line.includes('exposures propagated')) return;
    try {
      const entry = JSON.parse(line);
      runs.push({ graphVersion: entry.graphVersion, startedAt: Date.parse(entry.time) - entry.ms, exposed: entry.exposed, changes: entry.changes });
    } catch {}
  });
  children.push(worker.child);
  for (const [name, proc] of [
    ['api', api],
    ['worker', worker],
  ]) {
    proc.child.once('exit', (code) => {
      if (code) say(`${name} exited with code ${code}; see ${proc.logPath}`);
    });
  }

  step(5, 'importing the network through POST /v1/graph/import');
  const res = await fetch(`${base}/v1/graph/import`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify(parsed),
  });
  const counts = await res.json();
  if (!res.ok) throw new Error(`import answered ${res.status}: ${JSON.stringify(counts).slice(0, 500)}`);
  say(
    `  ${counts.suppliers} suppliers, ${counts.sites} sites, ${counts.parts} parts, ${counts.skus} SKUs, ${counts.supplies} SUPPLIES edges (graph version ${counts.graphVersion})`,
  );
  say(
    `  GS1 keys for the lot flow of step ${STEPS}: GLNs on ${flow.sites.map((s) => s.id).join(', ')}, GTINs on ${[...flow.parts, flow.sku].map((x) => x.id).join(', ')}`,
  );
  await waitFor('the worker propagating at the new graph version', () => runs.some((r) => r.graphVersion >= counts.graphVersion), { timeoutMs: 90_000 });
  say(`  worker loaded graph version ${counts.graphVersion} and propagated (logs: ${worker.logPath})`);

  step(6, 'the supply network');
  await report(parsed);

  step(7, 'disruption feeds: the worker pulls the real samples (USGS, GDACS, CAP)');
  await feeds(feedServer.feeds);

  step(8, "the buyer's own incidents: two events through POST /v1/events");
  const pushedAt = Date.now();
  for (const event of DEMO_EVENTS) {
    const res = await fetch(`${base}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(event) });
    const body = await res.json();
    if (!res.ok) throw new Error(`event answered ${res.status}: ${JSON.stringify(body)}`);
    say(`  ${event.title}: severity ${event.severity}, ${event.expectedDurationDays} days, hits ${body.hits.length} site(s)`);
  }
  const run = await waitForPropagation(pushedAt);
  say(`  propagated: ${run.exposed} exposed SKU(s), ${run.changes} change(s)`);

  step(9, 'a cold-chain sensor over MQTT: a temperature excursion at a tier-1 site');
  const sensor = await sensorExcursion(parsed);

  step(10, 'exposed SKUs, with the path that explains each');
  await exposures();
  await twin();

  step(11, 'the sensor recovers: its impact clears');
  await sensorRecovery(sensor);

  step(12, 'signed webhook alerts received by a local subscriber');
  await alerts(receiver, sub.id);

  step(13, "a supplier's portal: its own site list with addresses and no coordinates, placed offline");
  await supplierList(parsed);

  step(14, 'lot traceability (GS1 EPCIS 2.0): a lot flow captured, a cold-chain excursion on one shipment, and the recall scope it flags');
  await lotFlow(flow);
}

const DEMO_EVENTS = [
  {
    id: 'DEMO-EQ-TAICHUNG',
    type: 'earthquake',
    title: 'M7.2 earthquake near Taichung',
    severity: 0.8,
    expectedDurationDays: 30,
    geometry: { type: 'Point', coordinates: [120.67, 24.15] },
    radiusKm: 60,
    country: 'TW',
  },
  {
    id: 'DEMO-FLOOD-BACNINH',
    type: 'flood',
    title: 'Red River flooding around Bac Ninh',
    severity: 0.6,
    expectedDurationDays: 14,
    country: 'VN',
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [105.7, 20.8],
          [106.5, 20.8],
          [106.5, 21.5],
          [105.7, 21.5],
          [105.7, 20.8],
        ],
      ],
    },
  },
];

const money = (v) => Math.round(v).toLocaleString('en-US');

async function exposures() {
  const page = await get('/v1/exposures?limit=500');
  page.items = page.items.filter((e) => demoIds.skus.has(e.skuId)).slice(0, 10);
  if (page.items.length === 0) {
    say('  no SKU is exposed');
    return;
  }
  say(
    `  ${'SKU'.padEnd(11)} ${'loss x'.padStart(6)} ${'days'.padStart(5)} ${'onset'.padStart(6)} ${'revenue at risk'.padStart(16)}  path (hit site → … → SKU)`,
  );
  for (const e of page.items) {
    const path = e.criticalPath.map((h) => h.nodeId).join(' → ');
    say(
      `  ${e.skuId.padEnd(11)} ${e.x.toFixed(2).padStart(6)} ${String(Math.round(e.days)).padStart(5)} ${String(Math.round(e.onsetDays)).padStart(6)} ${money(e.revenueAtRisk).padStart(16)}  ${path}`,
    );
  }
  const top = await get(`/v1/exposures/${encodeURIComponent(page.items[0].skuId)}`);
  say(
    `\n  why ${top.skuId} (${top.name}): events ${top.eventIds.join(', ')}; ${Math.round(top.confidence.inferredShare * 100)}% of its path is inferred, oldest confirmation ${top.confidence.oldestConfirmedAt ?? 'unknown'}`,
  );
  for (const hop of top.criticalPath) {
    const via = hop.via ? `  via ${hop.via.partId} share ${hop.via.share}, buffer ${hop.via.bufferDays} d, lead ${hop.via.leadTimeDays} d` : '  (hit directly)';
    say(
      `    ${hop.nodeId.padEnd(13)} x ${hop.x.toFixed(2)}  ${String(Math.round(hop.days)).padStart(3)} days  onset ${String(Math.round(hop.onsetDays)).padStart(3)}${via}`,
    );
  }
  const rxi = await get('/v1/risk/rxi?limit=100');
  say('\n  hidden chokepoints (Risk Exposure Index, each site lost alone for its time to recover):');
  for (const s of rxi.sites.filter((s) => demoIds.sites.has(s.siteId)).slice(0, 5))
    say(`    ${s.siteId.padEnd(13)} tier ${s.tier ?? '-'}  ${s.country}  RXI ${s.rxi.toFixed(2)}  revenue at risk ${money(s.revenueAtRisk)}`);
}

/** The twin (DESIGN §9) on the live state: a 1,000-sample run through the API as a job, then the SKUs most likely to run short. */
async function twin() {
  const started = await post('/v1/twin/runs', { samples: 1000, seed: 42 });
  say(
    `\n  the twin: ${started.progress.total.toLocaleString('en-US')} samples of the live state (events' durations and severities drawn), run ${started.id} queued`,
  );
  const tty = process.stdout.isTTY;
  const bar = (fraction) => `[${'#'.repeat(Math.round(fraction * 30)).padEnd(30, '.')}] ${String(Math.round(fraction * 100)).padStart(3)}%`;
  const run = await waitFor(
    'the twin run finishing',
    async () => {
      const body = await get(`/v1/twin/runs/${started.id}?limit=500`);
      if (tty) process.stdout.write(`\r  ${bar(body.progress.fraction)} ${body.status}   `);
      return ['succeeded', 'failed', 'cancelled'].includes(body.status) ? body : null;
    },
    { timeoutMs: 120_000, intervalMs: 200 },
  );
  if (tty) process.stdout.write('\n');
  if (run.status !== 'succeeded') throw new Error(`the twin run ${run.status}: ${run.error ?? ''}`);
  say(
    `  ${run.state.eventIds.length} event(s) drawn on graph version ${run.state.graphVersion} in ${money(run.state.timings.runMs)} ms (${run.state.threads} thread(s)); total revenue at risk P10 ${money(run.results.total.p10)}, P50 ${money(run.results.total.p50)}, P90 ${money(run.results.total.p90)}`,
  );
  const likely = run.results.skus.items
    .filter((s) => demoIds.skus.has(s.skuId))
    .sort((a, b) => b.probability - a.probability || b.revenueAtRisk.mean - a.revenueAtRisk.mean)
    .slice(0, 3);
  say(`  most likely to run short:  ${'SKU'.padEnd(11)} ${'P(short)'.padStart(8)} ${'P50 revenue at risk'.padStart(20)} ${'P90'.padStart(12)}`);
  for (const s of likely)
    say(
      `                             ${s.skuId.padEnd(11)} ${`${(s.probability * 100).toFixed(1)}%`.padStart(8)} ${money(s.revenueAtRisk.p50).padStart(20)} ${money(s.revenueAtRisk.p90).padStart(12)}`,
    );
}

/** Waits for one good pull of each demo feed in this run, then shows what each brought in. */
async function feeds(sources) {
  const pulled = await waitFor(
    'the worker pulling every demo feed',
    async () => {
      const { items } = await get('/v1/feeds');
      const done = items.filter((f) => f.health.lastSuccessAt && Date.parse(f.health.lastSuccessAt) >= demoStartedAt);
      return done.length === sources.length ? items : null;
    },
    { timeoutMs: 90_000 },
  );
  // Each upsert is followed by its geo-matching job: wait until the hits stop changing.
  let events = [];
  let previous = '';
  let stableFor = 0;
  await waitFor(
    'the events queue settling',
    async () => {
      events = (await Promise.all(sources.map((s) => get(`/v1/events?status=active&limit=500&source=${s.id}`)))).flatMap((page) => page.items);
      const now = events
        .map((e) => `${e.id}:${e.hits.length}`)
        .sort()
        .join();
      stableFor = now === previous ? stableFor + 1 : 0;
      previous = now;
      // None active may be right (an analyst closed them; a re-pull does not reopen them): wait a little longer then.
      return stableFor >= (events.length > 0 ? 2 : 4);
    },
    { timeoutMs: 90_000, intervalMs: 1500 },
  );
  for (const feed of pulled) {
    const own = events.filter((e) => e.source === feed.id);
    const hits = own.reduce((n, e) => n + e.hits.length, 0);
    say(
      `  ${feed.id.padEnd(17)} ${feed.format.padEnd(13)} ${String(feed.health.lastItems).padStart(3)} item(s), ${String(feed.health.lastDeadLetters).padStart(2)} dead-lettered, ${own.length} active event(s) hitting ${hits} demo site(s)`,
    );
    for (const e of own.filter((e) => e.hits.length > 0).slice(0, 3))
      say(
        `      ${e.title.slice(0, 70)} → ${e.hits
          .map((h) => h.siteId)
          .slice(0, 4)
          .join(', ')}`,
      );
  }
}

const waitForPropagation = (since) => waitFor('the worker propagating', () => runs.find((r) => r.startedAt >= since), { timeoutMs: 60_000 });

/** Registers a sensor at a tier-1 site of the top SKU and streams an excursion over MQTT until its rule fires. */
async function sensorExcursion(network) {
  const top = [...network.skus].sort((a, b) => b.dailyRevenue - a.dailyRevenue)[0];
  const tree = await get(`/v1/skus/${encodeURIComponent(top.id)}/upstream?depth=1`);
  const siteId = tree.tiers.flatMap((t) => t.edges.map((e) => e.fromSiteId))[0];
  const startSeconds = Math.floor(Date.now() / 1000 / 60) * 60 - 4 * 3600;
  // A name of its own per run: the readings of an earlier run (the last four hours, like these)
  // would otherwise mix with these in time order, as the platform should mix them, and hide the excursion.
  const sensorId = `demo-fridge-${siteId}-${RUN_TAG}`;
  await send('PUT', `/v1/sensors/${encodeURIComponent(sensorId)}`, { siteId, metric: 'temperature', unit: 'Cel' });
  const eventId = `sensor:${sensorId}:too-warm`;
  const sent = await publishSimulatedReadings({
    mqttUrl: env.MQTT_URL,
    topic: 'tiersight/telemetry/demo',
    sensors: [sensorId],
    phase: 'excursion',
    startSeconds,
  });
  say(`  sensor ${sensorId} at ${siteId} (supplies ${top.id}): ${sent.readings} SenML readings in ${sent.packs} MQTT packs, up to 11.5 °C`);
  const event = await waitFor(
    'the too-warm rule raising its impact',
    async () => {
      const res = await fetch(`${base}/v1/events/${encodeURIComponent(eventId)}`, { headers: auth });
      const body = res.ok ? await res.json() : null;
      return body?.status === 'active' ? body : null;
    },
    { timeoutMs: 60_000 },
  );
  say(
    `  rule too-warm fired: event ${event.id}, impact x ${event.severity} for ${event.expectedDurationDays} days on ${event.hits.map((h) => h.siteId).join(', ')}`,
  );
  await waitForPropagation(Date.now() - 5000);
  return { sensorId, eventId, startSeconds };
}

async function sensorRecovery({ sensorId, eventId, startSeconds }) {
  await publishSimulatedReadings({ mqttUrl: env.MQTT_URL, topic: 'tiersight/telemetry/demo', sensors: [sensorId], phase: 'recovery', startSeconds });
  const event = await waitFor(
    'the too-warm rule clearing',
    async () => {
      const body = await get(`/v1/events/${encodeURIComponent(eventId)}`);
      return body.status === 'closed' ? body : null;
    },
    { timeoutMs: 60_000 },
  );
  say(`  back under 8 °C: event ${event.id} ${event.status}${event.closedReason ? ` (${event.closedReason})` : ''}; its exposures are recomputed`);
}

/** Waits until the subscriber has been told about every exposed demo SKU, then sums up what it got. */
async function alerts(receiver, subscriptionId) {
  const changed = runs.filter((r) => r.startedAt >= demoStartedAt).reduce((n, r) => n + r.changes, 0);
  if (changed === 0) {
    say('  no exposure changed during this run: an earlier demo run on this database already stored them, so there was nothing to alert about');
    return;
  }
  const exposed = (await get('/v1/exposures?limit=500')).items.filter((e) => demoIds.skus.has(e.skuId)).map((e) => e.skuId);
  await waitFor('the alerts of every exposed SKU', () => exposed.every((sku) => receiver.received.some((r) => r.skuId === sku)), { timeoutMs: 60_000 }).catch(
    () =>
      say(
        `  ${exposed.filter((sku) => receiver.received.some((r) => r.skuId === sku)).length} of ${exposed.length} exposed demo SKUs alerted: the others' exposures did not change during this run (an earlier demo run on this database had stored them already)`,
      ),
  );
  const verified = receiver.received.filter((r) => r.verified);
  const byType = new Map();
  for (const r of verified) byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
  say(
    `  ${verified.length} alert(s) verified with standardwebhooks (${receiver.received.length - verified.length} rejected): ${[...byType].map(([t, n]) => `${n} ${t}`).join(', ') || 'none'}`,
  );
  const top = verified.filter((r) => r.type !== 'exposure.resolved').sort((a, b) => b.data.revenueAtRisk - a.data.revenueAtRisk)[0];
  if (top)
    say(
      `  e.g. ${top.type} ${top.skuId}: x ${top.data.x.toFixed(2)}, ${Math.round(top.data.days)} days, revenue at risk ${money(top.data.revenueAtRisk)}, events ${top.data.eventIds.join(', ')}`,
    );
  const log = await get(`/v1/webhooks/${encodeURIComponent(subscriptionId)}/deliveries?limit=500`);
  const statuses = new Map();
  for (const d of log.items) statuses.set(d.status, (statuses.get(d.status) ?? 0) + 1);
  say(`  delivery log: ${[...statuses].map(([s, n]) => `${n} ${s}`).join(', ')} (GET /v1/webhooks/${subscriptionId}/deliveries)`);
}

/**
 * A tier-1 supplier of the demo network uploads its site list in the portal
 * (POST /v1/portal/onboarding/lists with its own key), the worker places each
 * address offline, the supplier accepts the pins (a re-run's rows are the same
 * facilities as the sites the last run wrote) and confirms; each site is shown
 * where it landed, and the ones placed no finer than a province or country
 * carry a pin to confirm on My sites.
 */
async function supplierList(network) {
  const supplier = network.suppliers.find((s) => !s.ownerSupplierId) ?? network.suppliers[0];
  const key = await post('/v1/admin/keys', { role: 'supplier', supplierId: supplier.id, name: `demo portal ${RUN_TAG}` });
  const portal = { authorization: `Bearer ${key.key}` };
  const file = join(ROOT, 'fixtures', 'onboarding', 'demo-supplier-sites.csv');
  const form = new FormData();
  form.append('file', new Blob([readFileSync(file)]), 'our-sites.csv');
  const res = await fetch(`${base}/v1/portal/onboarding/lists`, { method: 'POST', headers: portal, body: form });
  const accepted = await res.json();
  if (res.status !== 202) throw new Error(`the list upload answered ${res.status}: ${JSON.stringify(accepted).slice(0, 300)}`);
  say(
    `  ${supplier.name} (${supplier.id}) uploads fixtures/onboarding/demo-supplier-sites.csv with its own key: list ${accepted.id}, ${accepted.progress.total} rows`,
  );
  const listPath = `/v1/portal/onboarding/lists/${accepted.id}`;
  const asSupplier = async (method, path, body) => {
    const r = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', ...portal }, body: body && JSON.stringify(body) });
    const json = await r.json();
    if (!r.ok) throw new Error(`${method} ${path} answered ${r.status}: ${JSON.stringify(json).slice(0, 300)}`);
    return json;
  };
  const list = await waitFor(
    'the review of the list',
    async () => {
      const body = await asSupplier('GET', `${listPath}?limit=100`);
      if (body.status === 'failed') throw new Error(`the review failed: ${body.error}`);
      return body.status === 'ready' ? body : null;
    },
    { timeoutMs: 120_000 },
  );
  const rows = list.rows.items;
  const pairs = [...new Set(rows.flatMap((r) => r.duplicates.map((d) => d.id)))];
  await asSupplier('POST', `${listPath}/decisions`, {
    rows: rows.filter((r) => r.status === 'to-confirm').map((r) => ({ row: r.row, action: 'accept' })),
    pairs: pairs.map((id) => ({ id, action: 'confirm' })),
  });
  const confirmed = await asSupplier('POST', `${listPath}/confirm`);
  const siteOf = new Map(confirmed.rows.map((o) => [o.row, o]));
  say(
    `  ${'row'.padStart(3)}  ${'site'.padEnd(32)} ${'placed at'.padEnd(34)} ${'precision'.padEnd(9)} ${'± km'.padStart(5)}  ${'lat, lon'.padEnd(18)} outcome`,
  );
  for (const r of rows) {
    const l = r.location;
    const where = !l ? '—' : l.place ? `${l.place.name}, ${r.country}` : `${r.country}: ${l.precision === 'country' ? 'country' : 'province'} centre`;
    const o = siteOf.get(r.row);
    const outcome = !o ? '' : o.action === 'write' ? `new site ${o.siteId}` : o.action === 'merge' ? `same as ${o.siteId}` : o.action;
    say(
      `  ${String(r.row).padStart(3)}  ${(r.name ?? '').slice(0, 32).padEnd(32)} ${where.slice(0, 34).padEnd(34)} ${(l?.precision ?? '—').padEnd(9)} ${String(l ? Math.round(l.radiusKm) : '—').padStart(5)}  ${(l ? `${l.lat.toFixed(3)}, ${l.lon.toFixed(3)}` : '—').padEnd(18)} ${outcome}${r.status === 'to-confirm' ? ' (pin to confirm)' : ''}`,
    );
  }
  const toConfirm = await asSupplier('GET', '/v1/portal/sites?locationToConfirm=true&limit=100');
  say(
    `  confirmed: ${confirmed.confirmation.sites} site(s) written, ${confirmed.confirmation.merged} merged (graph version ${confirmed.confirmation.graphVersion}); ${toConfirm.items.length} pin(s) for ${supplier.name} to confirm or move on My sites (${base}/app/#/portal/sites)`,
  );
}

/**
 * The lot flow of fixtures/epcis/demo-lot-flow.jsonld (its story in demo-lot-flow.md): two lots of
 * solder flux made at a tier-3 site and shipped to a tier-2 site, which makes BLDC motor lots from them
 * for a tier-1 site that builds them into the SKU. The fixture names its sites by GLN and its lots by
 * GTIN; the demo gives those keys to one supply chain of the demo network, three sites deep.
 */
const LOT_FLOW = {
  file: join('fixtures', 'epcis', 'demo-lot-flow.jsonld'),
  /** The flux maker's, the motor maker's and the assembler's GLN, in the fixture. */
  glns: ['9524001000018', '9524002000017', '9524003000016'],
  /** The flux's and the motor's GTIN, then the SKU's. */
  partGtins: ['09524001001206', '09524002000345'],
  skuGtin: '09524000000408',
  /** The chain of the seed-42 network that reads as the fixture does (solder flux → BLDC motor → air purifier); another network takes its first chain. */
  preferred: ['SITE-0000031', 'SITE-0000229', 'SITE-0000188', 'SKU-000040'],
  /** The rule a too-warm reading breaks (the telemetry defaults: above 8 °C for 60 minutes). */
  cause: 'reading:temperature:too-warm',
};

/** One chain tier 3 → tier 2 → tier 1 → SKU of SUPPLIES edges, its sites, parts and SKU given the fixture's GS1 keys. */
function lotFlowChain(network) {
  const into = new Map();
  for (const s of network.supplies) if (s.toSiteId) into.set(s.toSiteId, [...(into.get(s.toSiteId) ?? []), s]);
  const chains = [];
  for (const last of network.supplies.filter((s) => s.toSkuId))
    for (const mid of into.get(last.fromSiteId) ?? [])
      for (const first of into.get(mid.fromSiteId) ?? [])
        if (new Set([first.fromSiteId, mid.fromSiteId, last.fromSiteId]).size === 3 && first.partId !== mid.partId) chains.push([first, mid, last]);
  const key = (c) => [...c.map((e) => e.fromSiteId), c[2].toSkuId].join();
  const chain = chains.find((c) => key(c) === LOT_FLOW.preferred.join()) ?? chains[0];
  if (!chain) throw new Error('the demo network has no supply chain three sites deep to carry the lot flow');
  const byId = (list, id) => list.find((x) => x.id === id);
  const flow = {
    sites: chain.map((e) => byId(network.sites, e.fromSiteId)),
    parts: chain.slice(0, 2).map((e) => byId(network.parts, e.partId)),
    sku: byId(network.skus, chain[2].toSkuId),
  };
  flow.sites.forEach((s, i) => (s.gln = LOT_FLOW.glns[i]));
  flow.parts.forEach((p, i) => (p.gtin = LOT_FLOW.partGtins[i]));
  flow.sku.gtin = LOT_FLOW.skuGtin;
  return flow;
}

/** GTIN and lot of a class-level lot id, as an EPC URN (urn:epc:class:lgtin:…) or a GS1 Digital Link (…/01/<gtin>/10/<lot>). */
function lotKey(id) {
  const dl = /\/01\/(\d{14})\/10\/([^/?#]+)/.exec(id);
  if (dl) return { gtin: dl[1], lot: decodeURIComponent(dl[2]) };
  const urn = /^urn:epc:class:lgtin:(\d+)\.(\d+)\.(.+)$/.exec(id);
  if (!urn) return { gtin: null, lot: id };
  const body = `${urn[2][0]}${urn[1]}${urn[2].slice(1)}`;
  const sum = [...body].reverse().reduce((acc, d, i) => acc + Number(d) * (i % 2 === 0 ? 3 : 1), 0);
  return { gtin: body + String((10 - (sum % 10)) % 10), lot: decodeURIComponent(urn[3]) };
}

const utc = (iso) => `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** Flagged lots of the given GTINs for one cause, from GET /v1/trace/flagged (page by page: the most recently flagged come first). */
async function flaggedLots(causeId, gtins) {
  const found = [];
  let cursor = '';
  for (let page = 0; page < 20; page++) {
    const body = await get(`/v1/trace/flagged?causeId=${encodeURIComponent(causeId)}&limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    found.push(...body.items.filter((i) => gtins.has(i.lot.gtin)));
    if (!body.nextCursor) break;
    cursor = body.nextCursor;
  }
  return found;
}

/**
 * Captures the lot flow through POST /v1/epcis/capture (the admin key; a supplier's key would capture only
 * at its own sites), shows the shipment whose logger ran warm, waits for the worker to flag the lot it
 * carried and prints the recall scope: the lots and SKUs the flagged lot went into.
 */
async function lotFlow(flow) {
  const [maker, processor, assembler] = flow.sites;
  const gtinName = new Map([...flow.parts, flow.sku].map((x) => [x.gtin, x.name]));
  const where = (s) => `${s.name} (${s.id}, GLN ${s.gln})`;
  say(`  ${flow.parts[0].name} made at ${where(maker)}`);
  say(`    → ${flow.parts[1].name} made at ${where(processor)}`);
  say(`    → ${flow.sku.name} (${flow.sku.id}, GTIN ${flow.sku.gtin}) assembled at ${where(assembler)}`);
  const document = readFileSync(join(ROOT, LOT_FLOW.file), 'utf8');
  const events = JSON.parse(document).epcisBody.eventList;
  const startedAt = Date.now();
  const res = await fetch(`${base}/v1/epcis/capture`, { method: 'POST', headers: { 'content-type': 'application/ld+json', ...auth }, body: document });
  const accepted = await res.json();
  if (res.status !== 202) throw new Error(`the capture answered ${res.status}: ${JSON.stringify(accepted).slice(0, 300)}`);
  const job = await waitFor(
    'the capture job',
    async () => {
      const body = await get(`/v1/epcis/capture/${accepted.captureId}`);
      return body.status === 'succeeded' || body.status === 'failed' ? body : null;
    },
    { timeoutMs: 60_000 },
  );
  if (job.status !== 'succeeded') throw new Error(`the capture was refused: ${JSON.stringify(job.errors).slice(0, 500)}`);
  const kinds = new Map();
  for (const e of events) {
    const kind = e.type === 'TransformationEvent' ? 'transformation' : e.bizStep;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  say(
    `  POST /v1/epcis/capture ${LOT_FLOW.file} (EPCIS 2.0 JSON-LD): ${events.length} events (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')}), validated and hashed`,
  );
  say(
    `  capture ${job.captureId}: ${job.counts.captured} stored${job.counts.duplicates ? `, ${job.counts.duplicates} already stored by an earlier run (same event hash, kept once)` : ''}${job.counts.captured && job.merkleRoot ? `; Merkle root ${job.merkleRoot} chained into the audit log${job.auditSeq !== null ? ` at #${job.auditSeq}` : ''}` : ''}`,
  );

  // The shipment whose own logger readings break the rule, and the other readings of the flow for comparison.
  const reports = (e) => (e.sensorElementList ?? []).flatMap((el) => el.sensorReport);
  const warm = events.find((e) => reports(e).some((r) => r.value > 8));
  const element = warm.sensorElementList[0];
  say(
    `  shipment of lot ${warm.quantityList.map((q) => lotKey(q.epcClass).lot).join(', ')} from ${maker.name} (${warm.eventTime}), logger ${element.sensorMetadata.deviceID}: ${element.sensorReport.map((r) => `${r.time.slice(11, 16)} ${r.value} °C`).join(', ')}`,
  );
  const others = events.filter((e) => e !== warm).flatMap((e) => reports(e).map((r) => r.value));
  say(
    `  → above 8 °C for an hour: the cold-chain rule too-warm (above 8 °C for 60 min) breaks on the lot's own readings (sensorElementList); the flow's other readings stay within ${Math.min(...others)}–${Math.max(...others)} °C`,
  );

  const gtins = new Set([...LOT_FLOW.partGtins, LOT_FLOW.skuGtin]);
  const flagged = await waitFor(
    'the worker flagging the warm shipment’s lot',
    async () => {
      const found = await flaggedLots(LOT_FLOW.cause, gtins);
      return found.length > 0 ? found : null;
    },
    { timeoutMs: 90_000, intervalMs: 1000 },
  );
  const flowLots = new Set(
    events.flatMap((e) => [...(e.quantityList ?? []), ...(e.inputQuantityList ?? []), ...(e.outputQuantityList ?? [])].map((q) => lotKey(q.epcClass).lot)),
  );
  for (const item of flagged) {
    const flag = item.flags.find((f) => f.cause.id === LOT_FLOW.cause);
    const when =
      Date.parse(flag.flaggedAt) >= startedAt - 5000
        ? 'flagged by the worker just now'
        : `flagged at ${utc(flag.flaggedAt)} by an earlier run (one flag per lot and cause)`;
    const site = flow.sites.find((s) => s.id === flag.siteId);
    say(`\n  GET /v1/trace/flagged: ${when}`);
    say(`    lot     ${item.lot.lot} (GTIN ${item.lot.gtin}, ${gtinName.get(item.lot.gtin) ?? 'unknown'})  ${item.lot.lotId}`);
    say(`    cause   ${flag.cause.title}${flag.cause.sensorId ? `, logger ${flag.cause.sensorId}` : ''}`);
    say(`    site    ${flag.siteId ?? 'none'}${site ? ` ${site.name}` : ''}`);
    say(`    window  ${utc(flag.window.from)} → ${flag.window.to ? `${utc(flag.window.to)} (its next reading back under the threshold)` : 'still open'}`);
    const recall = item.recall;
    say(
      `    recall scope (its forward trace): ${recall.lotCount} lot(s) it went into, ${recall.skus.length} SKU(s)${recall.truncated ? ', cut at its depth limit' : ''}`,
    );
    const byGtin = new Map();
    for (const id of recall.lots) {
      const { gtin, lot } = lotKey(id);
      byGtin.set(gtin, [...(byGtin.get(gtin) ?? []), lot]);
    }
    // The SKU's own lots are listed with the SKU below.
    for (const sku of recall.skus) byGtin.delete(sku.gtin);
    for (const [gtin, lots] of byGtin) say(`      ${(gtinName.get(gtin) ?? `GTIN ${gtin}`).padEnd(26)} lots ${lots.sort().join(', ')}`);
    for (const sku of recall.skus)
      say(`      SKU ${sku.skuId} ${sku.name} (GTIN ${sku.gtin}): ${sku.lotIds.length} lot(s) to recall, ${sku.lotIds.map((id) => lotKey(id).lot).join(', ')}`);
    const reached = new Set([item.lot.lot, ...recall.lots.map((id) => lotKey(id).lot)]);
    const clear = [...flowLots].filter((lot) => !reached.has(lot)).sort();
    if (clear.length) say(`    outside it: ${clear.join(', ')} (the same flow, never made from ${item.lot.lot})`);
    say(`    pages: ${base}/app/#/trace/${encodeURIComponent(item.lot.lotId)}?direction=forward   CSV: GET /v1/trace/{lot}/recall.csv`);
  }
  say(`  the SKU lists the flagged lots feeding it: ${base}/app/#/skus/${encodeURIComponent(flow.sku.id)} (GET /v1/exposures/${flow.sku.id}/flagged-lots)`);
}

const post = (path, body) => send('POST', path, body);

async function send(method, path, body) {
  const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(body) });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(json).slice(0, 300)}`);
  return json;
}

async function get(path) {
  const res = await fetch(`${base}${path}`, { headers: auth });
  if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`);
  return res.json();
}

async function report(network) {
  const skus = [...network.skus].sort((a, b) => b.dailyRevenue - a.dailyRevenue).slice(0, 5);
  say('  top SKUs by daily revenue and the depth of their mapped supply tree:');
  for (const sku of skus) {
    const tree = await get(`/v1/skus/${encodeURIComponent(sku.id)}/upstream?depth=6`);
    const levels = tree.tiers.filter((t) => t.edges.length > 0);
    const sites = new Set(levels.flatMap((t) => t.edges.map((e) => e.fromSiteId)));
    say(
      `    ${sku.id.padEnd(12)} ${sku.name.slice(0, 28).padEnd(28)} ${String(Math.round(sku.dailyRevenue)).padStart(8)}/day  tiers mapped: ${levels.length}  upstream sites: ${sites.size}`,
    );
  }
  const deepest = network.sites[network.sites.length - 1];
  const site = await get(`/v1/sites/${encodeURIComponent(deepest.id)}`);
  say(`  example site ${site.id} (${site.name}, ${site.country}) is at tier ${site.tier}`);
  const down = await get(`/v1/suppliers/${encodeURIComponent(site.supplierId)}/downstream`);
  say(
    `  its supplier ${site.supplierId} feeds ${down.skus.length} SKU(s)${down.skus[0] ? `, most strongly ${down.skus[0].skuId} (share chain ${down.skus[0].share})` : ''}`,
  );
  say(`\n  web pages: ${base}/app/ (sign in with the admin key above)   API docs: ${base}/docs   health: ${base}/health/ready   metrics: ${base}/metrics`);
}

async function shutdown(code) {
  await Promise.all(children.map(stop));
  await Promise.all(closers.map((close) => close()));
  process.exit(code);
}

main().then(
  async () => {
    if (process.stdout.isTTY && !process.env.CI) {
      say('\nThe api and the worker keep running; press Ctrl+C to stop them (services stay up: npm run services:down).');
      process.on('SIGINT', () => shutdown(0));
    } else {
      await shutdown(0);
    }
  },
  async (error) => {
    process.stderr.write(`\ndemo failed: ${error.message}\n`);
    await shutdown(1);
  },
);
