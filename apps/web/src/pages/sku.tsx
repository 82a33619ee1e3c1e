import { useState } from 'preact/hooks';
import { ApiError, client, unwrap } from '../api';
import { FlaggedLots } from '../components/flagged-lots';
import { type Column, DataTable, Level, LoadState, PageTitle } from '../components/ui';
import { fmtDate, fmtDays, fmtMoney, fmtShare } from '../format';
import type { ExposureDetail, PathHop, Sku, SkuOutlook, UpstreamEdge, UpstreamTree } from '../types';
import { useAsync } from '../use-async';

/** Keys of the SUPPLIES edges on the critical path: from the hop before to the hop, through its part. */
function pathEdges(path: PathHop[]): Set<string> {
  const keys = new Set<string>();
  for (let i = 1; i < path.length; i++) {
    const via = path[i].via;
    if (via) keys.add(edgeKey(path[i - 1].nodeId, path[i].nodeId, via.partId));
  }
  return keys;
}
const edgeKey = (from: string, to: string, part: string) => `${from}\u0000${to}\u0000${part}`;

const EDGE_COLUMNS: Column[] = [
  { label: 'Critical path', hidden: true },
  'From site',
  'To',
  'Part',
  { label: 'Share', num: true },
  { label: 'Buffer', num: true },
  { label: 'Lead time', num: true },
  'Provenance',
];

function CriticalPath({ exposure }: { exposure: ExposureDetail }) {
  const path = exposure.criticalPath;
  return (
    <section aria-labelledby="path-h" class="critical-path">
      <h2 id="path-h">Critical path</h2>
      <p>
        Where the shortage comes from, from the disrupted site to this SKU. At each hop: the part, the share of that input, the buffer and lead time, and the
        state there.
      </p>
      <ol class="path-list">
        {path.map((hop, i) => (
          <li key={`${hop.nodeId}-${i}`} class="path-hop" data-node-id={hop.nodeId}>
            <div class="hop-head">
              <span class="hop-marker" aria-hidden="true">
                ★
              </span>
              <strong>{hop.nodeId}</strong>
              {i === 0 && <span class="tag">origin</span>}
              {i === path.length - 1 && <span class="tag">this SKU</span>}
            </div>
            {hop.via && (
              <div class="hop-via">
                receives part {hop.via.partId} · share {fmtShare(hop.via.share)} · buffer {fmtDays(hop.via.bufferDays)} · lead time{' '}
                {fmtDays(hop.via.leadTimeDays)}
              </div>
            )}
            <div class="hop-state">
              loses <Level value={hop.x} /> for {fmtDays(hop.days)}, from day {Math.round(hop.onsetDays * 10) / 10}
            </div>
          </li>
        ))}
      </ol>
      {exposure.confidence && (
        <p class="sub">
          {exposure.confidence.inferredHops} of {exposure.confidence.hops} hops are inferred rather than confirmed
          {exposure.confidence.unconfirmedHops ? `, ${exposure.confidence.unconfirmedHops} never confirmed` : ''}; oldest confirmation{' '}
          {fmtDate(exposure.confidence.oldestConfirmedAt)}.
        </p>
      )}
    </section>
  );
}

function TierColumns({ skuId, tree, onPath }: { skuId: string; tree: UpstreamTree; onPath: Set<string> }) {
  const columns = [
    { tier: 0, nodes: [skuId] },
    ...tree.tiers.filter((t) => t.edges.length > 0).map((t) => ({ tier: t.tier, nodes: [...new Set(t.edges.map((e) => e.fromSiteId))] })),
  ];
  return (
    <div class="tier-columns" aria-hidden="true">
      {columns.map((c) => (
        <div class="tier-column" key={c.tier}>
          <div class="tier-head">Tier {c.tier}</div>
          <ul>
            {c.nodes.map((n) => (
              <li key={n} class={onPath.has(n) ? 'node on-path' : 'node'}>
                {onPath.has(n) && <span class="hop-marker">★ </span>}
                {n}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}

function EdgeRow({ e, critical }: { e: UpstreamEdge; critical: boolean }) {
  return (
    <tr class={critical ? 'on-path' : undefined} data-critical={critical ? 'true' : undefined}>
      <td>{critical ? <span class="path-flag">★ critical path</span> : <span class="visually-hidden">not on the critical path</span>}</td>
      <th scope="row">
        {e.fromSiteId}
        <div class="sub">
          supplier {e.supplierId} · {e.country}
        </div>
      </th>
      <td>{e.toId}</td>
      <td>{e.partId}</td>
      <td class="num">{fmtShare(e.share)}</td>
      <td class="num">{fmtDays(e.bufferDays)}</td>
      <td class="num">{fmtDays(e.leadTimeDays)}</td>
      <td>
        {e.source}
        <div class="sub">confirmed {fmtDate(e.confirmedAt)}</div>
      </td>
    </tr>
  );
}

function SupplyTree({ skuId, exposure }: { skuId: string; exposure: ExposureDetail | null }) {
  const [depth, setDepth] = useState(4);
  const tree = useAsync(() => unwrap(client.GET('/v1/skus/{id}/upstream', { params: { path: { id: skuId }, query: { depth } } })), [skuId, depth]);
  const edgesOnPath = exposure ? pathEdges(exposure.criticalPath) : new Set<string>();
  const nodesOnPath = new Set(exposure?.criticalPath.map((h) => h.nodeId) ?? []);
  return (
    <section aria-labelledby="tree-h">
      <h2 id="tree-h">Supply tree by tier</h2>
      <label class="inline">
        Depth{' '}
        <select value={depth} onChange={(e) => setDepth(Number((e.target as HTMLSelectElement).value))}>
          {[1, 2, 3, 4, 5, 6, 8, 10].map((d) => (
            <option key={d} value={d}>
              {d} {d === 1 ? 'tier' : 'tiers'}
            </option>
          ))}
        </select>
      </label>
      <LoadState state={tree} what="the supply tree" />
      {tree.data && (
        <>
          <TierColumns skuId={skuId} tree={tree.data} onPath={nodesOnPath} />
          {exposure && <p class="sub">Rows marked ★ critical path are the hops listed under Critical path.</p>}
          {tree.data.tiers.map((t) => (
            <div key={t.tier} class="tier">
              <h3>
                Tier {t.tier}{' '}
                <span class="sub">
                  ({t.edges.length} {t.edges.length === 1 ? 'supply' : 'supplies'})
                </span>
              </h3>
              {t.edges.length === 0 ? (
                <p>Nothing mapped at this tier.</p>
              ) : (
                <DataTable label={`Tier ${t.tier} supplies`} class="edges" columns={EDGE_COLUMNS}>
                  {t.edges.map((e) => (
                    <EdgeRow key={edgeKey(e.fromSiteId, e.toId, e.partId)} e={e} critical={edgesOnPath.has(edgeKey(e.fromSiteId, e.toId, e.partId))} />
                  ))}
                </DataTable>
              )}
            </div>
          ))}
        </>
      )}
    </section>
  );
}

/** A 404 is an answer here: not exposed, or no outlook. */
function orNone<T>(request: Promise<T>): Promise<T | null> {
  return request.catch((error) => {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  });
}

async function loadSku(id: string): Promise<{ sku: Sku; exposure: ExposureDetail | null; outlook: SkuOutlook | null }> {
  const params = { path: { id } };
  const [sku, exposure, outlook] = await Promise.all([
    unwrap(client.GET('/v1/skus/{id}', { params })),
    orNone(unwrap(client.GET('/v1/exposures/{id}', { params }))),
    orNone(unwrap(client.GET('/v1/exposures/{id}/outlook', { params }))),
  ]);
  return { sku, exposure, outlook };
}

/** A sensor trend forecast as events record it (DESIGN §10, the why of an anticipation). */
interface SensorTrend {
  kind: 'sensor-trend';
  sensorId: string;
  metric: string;
  ruleId: string;
  condition: { kind: 'above' | 'below'; threshold: number };
  at: string;
  forecast: { value: number; lower: number; upper: number; horizonMinutes: number };
  minutesToThreshold: number | null;
  trendPerHour: number;
  readings: { count: number; from: string; to: string };
}

/** A cyclone advisory as events record it: the advisory behind forecast-track hits. */
interface Advisory {
  kind: 'advisory';
  title: string;
  issuedAt: string;
  areasAt: string[];
  cone: boolean;
  trackPoints: number;
}

const kindOf = (f: unknown) => (typeof f === 'object' && f !== null ? (f as { kind?: unknown }).kind : undefined);
const isSensorTrend = (f: unknown): f is SensorTrend => kindOf(f) === 'sensor-trend';
const isAdvisory = (f: unknown): f is Advisory => kindOf(f) === 'advisory';
const num = (v: number) => v.toLocaleString('en', { maximumFractionDigits: 2 });

/** The forecast behind an anticipated event, in words. */
function ForecastWhy({ forecast }: { forecast: unknown }) {
  if (isAdvisory(forecast)) {
    return (
      <span>
        Advisory “{forecast.title}” issued {fmtDate(forecast.issuedAt)}: forecast areas for {forecast.areasAt.map(fmtDate).join(', ') || 'no later time'}
        {forecast.cone ? ', an uncertainty cone' : ''} and {forecast.trackPoints} track points; the nearer in time a site is reached, the likelier.
      </span>
    );
  }
  if (!isSensorTrend(forecast)) return <span class="sub">no forecast recorded</span>;
  const f = forecast;
  const sign = f.trendPerHour >= 0 ? '+' : '−';
  return (
    <span>
      Sensor {f.sensorId}: {f.metric} {f.condition.kind} {num(f.condition.threshold)} forecast at {num(f.forecast.value)} (95 % interval {num(f.forecast.lower)}{' '}
      to {num(f.forecast.upper)}) in {num(f.forecast.horizonMinutes)} min
      {f.minutesToThreshold !== null ? `, threshold reached in about ${Math.round(f.minutesToThreshold)} min` : ''}; trend {sign}
      {num(Math.abs(f.trendPerHour))} per hour from {f.readings.count} readings up to {fmtDate(f.readings.to)}.
    </span>
  );
}

/** The outlook (DESIGN §10): where anticipated impacts would take the SKU, how likely, and why. */
function Outlook({ outlook }: { outlook: SkuOutlook }) {
  const o = outlook.outlook;
  return (
    <section aria-labelledby="outlook-h" class="outlook">
      <h2 id="outlook-h">Outlook: may run short</h2>
      <p>
        With the impacts anticipated now, this SKU would be worse off than today, with a probability of <strong>{fmtShare(o.p)}</strong>
        {o.joint ? ' (only if all the events below happen together)' : ''}.
      </p>
      <dl class="facts">
        <div>
          <dt>Revenue at risk (outlook)</dt>
          <dd class="big">{fmtMoney(o.revenueAtRisk)}</dd>
        </div>
        <div>
          <dt>Shortage</dt>
          <dd>
            <Level value={o.x} />
          </dd>
        </div>
        <div>
          <dt>Lasting</dt>
          <dd>{fmtDays(o.days)}</dd>
        </div>
        <div>
          <dt>Time to survive</dt>
          <dd>{fmtDays(o.onsetDays)}</dd>
        </div>
      </dl>
      <DataTable label="Anticipated events behind the outlook" columns={['Event', { label: 'Probability', num: true }, 'Why it is anticipated']}>
        {o.events.map((e) => (
          <tr key={e.eventId}>
            <th scope="row">
              <a href={`#/dashboard?event=${encodeURIComponent(e.eventId)}`}>{e.eventId}</a>
            </th>
            <td class="num">{fmtShare(e.p)}</td>
            <td>
              <ForecastWhy forecast={e.forecast} />
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

export function SkuPage({ id }: { id: string }) {
  const state = useAsync(() => loadSku(id), [id]);
  const sku = state.data?.sku;
  const exposure = state.data?.exposure ?? null;
  const outlook = state.data?.outlook ?? null;
  return (
    <div class="sku-page">
      <p>
        <a href="#/dashboard">← Dashboard</a>
      </p>
      <PageTitle>{sku ? `${sku.name}` : `SKU ${id}`}</PageTitle>
      <LoadState state={state} what="the SKU" />
      {sku && (
        <dl class="facts">
          <div>
            <dt>SKU id</dt>
            <dd>{sku.id}</dd>
          </div>
          <div>
            <dt>Category</dt>
            <dd>{sku.category ?? '—'}</dd>
          </div>
          <div>
            <dt>Daily revenue</dt>
            <dd>{fmtMoney(sku.dailyRevenue)}</dd>
          </div>
          {exposure ? (
            <>
              <div>
                <dt>Revenue at risk</dt>
                <dd class="big">{fmtMoney(exposure.revenueAtRisk)}</dd>
              </div>
              <div>
                <dt>Shortage</dt>
                <dd>
                  <Level value={exposure.x} />
                </dd>
              </div>
              <div>
                <dt>Lasting</dt>
                <dd>{fmtDays(exposure.days)}</dd>
              </div>
              <div>
                <dt>Time to survive</dt>
                <dd>{fmtDays(exposure.onsetDays)}</dd>
              </div>
            </>
          ) : (
            <div>
              <dt>Exposure</dt>
              <dd>not exposed to any active event</dd>
            </div>
          )}
        </dl>
      )}
      {exposure && exposure.attribution.length > 0 && (
        <section aria-labelledby="attr-h">
          <h2 id="attr-h">Events behind it</h2>
          <DataTable
            label="Events behind the exposure"
            columns={['Event', 'Alone it would cause', { label: 'For', num: true }, { label: 'Revenue at risk', num: true }]}
          >
            {exposure.attribution.map((a) => (
              <tr key={a.eventId}>
                <th scope="row">
                  <a href={`#/dashboard?event=${encodeURIComponent(a.eventId)}`}>{a.title ?? a.eventId}</a>
                  <div class="sub">{a.eventId}</div>
                </th>
                <td>
                  <Level value={a.x} />
                </td>
                <td class="num">{fmtDays(a.days)}</td>
                <td class="num">{fmtMoney(a.revenueAtRisk)}</td>
              </tr>
            ))}
          </DataTable>
        </section>
      )}
      {outlook && <Outlook outlook={outlook} />}
      {sku && <FlaggedLots skuId={sku.id} />}
      {exposure && <CriticalPath exposure={exposure} />}
      {sku && <SupplyTree skuId={sku.id} exposure={exposure} />}
    </div>
  );
}
