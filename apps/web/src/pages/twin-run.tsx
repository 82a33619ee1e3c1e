import { useMemo, useState } from 'preact/hooks';
import { client, errorText, unwrap, type Schemas } from '../api';
import { unfinished, usePolledJob } from '../use-polled-job';
import { FanChart } from '../components/fan-chart';
import { TornadoChart } from '../components/tornado-chart';
import { DataTable, ErrorNote, LoadState, PageTitle } from '../components/ui';
import { fmtDate, fmtDays, fmtMoney, fmtPct } from '../format';
import { href, navigate } from '../router';
import { useAsync } from '../use-async';
import { justAccepted, type TwinRun, type TwinRunAccepted } from './twin';

type Outlook = Schemas['TwinSkuOutlook'];

/** How often a queued or running run is asked for its progress. */
const POLL_MS = 800;
/** SKUs read for the table (by expected revenue at risk, without their curves), then ordered by probability. */
const SKU_LIMIT = 500;
/** Rows of the table before "Show all". */
const TOP_ROWS = 15;

const isFull = (run: TwinRun | TwinRunAccepted): run is TwinRun => 'request' in run;

/** The run, polled while it is queued or running; a run this tab just queued shows that state before the first poll. */
const useTwinRun = (id: string) =>
  usePolledJob<TwinRun, TwinRunAccepted>(
    id,
    (runId) => unwrap(client.GET('/v1/twin/runs/{id}', { params: { path: { id: runId }, query: { limit: SKU_LIMIT, curves: false } } })),
    { pollMs: POLL_MS, accepted: justAccepted },
  );

function statusText(run: TwinRun | TwinRunAccepted): string {
  const { done, total } = run.progress;
  const samples = `${done.toLocaleString('en')} of ${total.toLocaleString('en')} samples`;
  const full = isFull(run) ? run : null;
  switch (run.status) {
    case 'queued':
      return `Queued: waiting for a worker (${samples}).`;
    case 'running':
      return `Running: ${samples} (${fmtPct(run.progress.fraction)})${full?.cancelRequested ? ', stopping at the next slice' : ''}.`;
    case 'succeeded':
      return `Done: ${samples}${full?.state ? ` in ${(full.state.timings.totalMs / 1000).toLocaleString('en', { maximumFractionDigits: 1 })} s` : ''}.`;
    case 'cancelled':
      return `Cancelled after ${samples}.`;
    default:
      return `Failed: ${full?.error ?? 'no reason given'}.`;
  }
}

function Progress({ run, onCancel, cancelling }: { run: TwinRun | TwinRunAccepted; onCancel: () => void; cancelling: boolean }) {
  const { done, total, fraction } = run.progress;
  const text = `${done.toLocaleString('en')} of ${total.toLocaleString('en')} samples (${fmtPct(fraction)})`;
  return (
    <div class="twin-status">
      <p role="status" aria-live="polite" class="twin-status-text">
        {statusText(run)}
      </p>
      <div
        class="progress"
        role="progressbar"
        aria-label="Samples done"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-valuetext={text}
        data-status={run.status}
      >
        <span class="progress-bar" style={{ width: `${Math.max(0, Math.min(1, fraction)) * 100}%` }} />
        <span class="progress-text">{text}</span>
      </div>
      {unfinished(run.status) && (
        <button type="button" class="secondary" onClick={onCancel} disabled={cancelling || (isFull(run) && run.cancelRequested)}>
          {cancelling || (isFull(run) && run.cancelRequested) ? 'Cancelling…' : 'Cancel run'}
        </button>
      )}
    </div>
  );
}

function RunFacts({ run }: { run: TwinRun }) {
  const events = run.state?.eventIds.length ?? run.request.eventIds?.length;
  return (
    <dl class="facts">
      <div>
        <dt>State</dt>
        <dd>{run.request.mode === 'live' ? (run.request.eventIds ? 'live, picked events' : 'live, all active events') : 'scenario'}</dd>
      </div>
      <div>
        <dt>Events drawn</dt>
        <dd>{events ?? '—'}</dd>
      </div>
      <div>
        <dt>Samples · horizon</dt>
        <dd>
          {run.request.samples.toLocaleString('en')} · {fmtDays(run.request.horizonDays)}
        </dd>
      </div>
      <div>
        <dt>Seed</dt>
        <dd class="twin-seed">{run.request.seed}</dd>
      </div>
      <div>
        <dt>Graph version</dt>
        <dd>{run.state?.graphVersion ?? '—'}</dd>
      </div>
      <div>
        <dt>Started</dt>
        <dd>{fmtDate(run.startedAt ?? run.createdAt)}</dd>
      </div>
    </dl>
  );
}

/** SKUs by probability of running short, then expected revenue at risk, then id. */
function mostLikely(items: Outlook[]): Outlook[] {
  return [...items].sort(
    (a, b) => b.probability - a.probability || b.revenueAtRisk.mean - a.revenueAtRisk.mean || (a.skuId < b.skuId ? -1 : a.skuId > b.skuId ? 1 : 0),
  );
}

const skuHref = (runId: string, skuId: string) => `${href('twin', runId)}?sku=${encodeURIComponent(skuId)}`;

function LikelyTable({ runId, rows, selected, skuCount }: { runId: string; rows: Outlook[]; selected: string | null; skuCount: number }) {
  const [all, setAll] = useState(false);
  const shown = all ? rows : rows.slice(0, TOP_ROWS);
  return (
    <section aria-labelledby="likely-h">
      <h2 id="likely-h">SKUs most likely to run short</h2>
      {rows.length === 0 ? (
        <p>No SKU runs short in any sample.</p>
      ) : (
        <>
          <p class="sub">
            {skuCount > rows.length
              ? `The ${rows.length} SKUs with the highest expected revenue at risk, of ${skuCount.toLocaleString('en')} that run short in some sample, by probability.`
              : `All ${rows.length} ${rows.length === 1 ? 'SKU' : 'SKUs'} that run short in some sample, by probability.`}{' '}
            P50 and P90: half, and nine in ten, of the samples are at or below that figure.
          </p>
          <DataTable
            label="SKUs most likely to run short"
            class="twin-skus"
            columns={[
              'SKU',
              { label: 'Probability', num: true },
              { label: 'Revenue at risk P50', num: true },
              { label: 'P90', num: true },
              { label: 'Days short P50 · P90', num: true },
              { label: 'Chart', hidden: true },
            ]}
          >
            {shown.map((s) => (
              <tr key={s.skuId} data-sku-id={s.skuId} class={s.skuId === selected ? 'selected' : undefined}>
                <th scope="row">
                  <a href={href('skus', s.skuId)}>{s.skuId}</a>
                </th>
                <td class="num">{fmtPct(s.probability)}</td>
                <td class="num">{fmtMoney(s.revenueAtRisk.p50)}</td>
                <td class="num">{fmtMoney(s.revenueAtRisk.p90)}</td>
                <td class="num">
                  {fmtDays(s.days.p50)} · {fmtDays(s.days.p90)}
                </td>
                <td>
                  <button
                    type="button"
                    class="small secondary"
                    aria-pressed={s.skuId === selected}
                    aria-label={`Fan chart of ${s.skuId}`}
                    onClick={() => navigate(skuHref(runId, s.skuId))}
                  >
                    {s.skuId === selected ? 'Shown below' : 'Fan chart'}
                  </button>
                </td>
              </tr>
            ))}
          </DataTable>
          {rows.length > TOP_ROWS && (
            <button type="button" class="secondary" aria-expanded={all} onClick={() => setAll(!all)}>
              {all ? `Show the ${TOP_ROWS} most likely` : `Show all ${rows.length}`}
            </button>
          )}
        </>
      )}
    </section>
  );
}

function SkuOutlookSection({ runId, skuId, choices }: { runId: string; skuId: string; choices: Outlook[] }) {
  const outlook = useAsync(
    () =>
      unwrap(client.GET('/v1/twin/runs/{id}', { params: { path: { id: runId }, query: { skuId, limit: 1 } } })).then((r) => r.results?.skus.items[0] ?? null),
    [runId, skuId],
  );
  return (
    <section aria-labelledby="fan-h" class="twin-fan">
      <h2 id="fan-h">Supply outlook of {skuId}</h2>
      <label class="twin-sku-pick">
        SKU
        <select value={skuId} onChange={(e) => navigate(skuHref(runId, (e.target as HTMLSelectElement).value))}>
          {choices.map((s) => (
            <option key={s.skuId} value={s.skuId}>
              {s.skuId} ({fmtPct(s.probability)})
            </option>
          ))}
        </select>
      </label>
      <LoadState state={outlook} what={`the outlook of ${skuId}`} />
      {outlook.data === null && <p>{skuId} runs short in no sample of this run.</p>}
      {outlook.data && <FanChart outlook={outlook.data} />}
    </section>
  );
}

function Results({ run, sku }: { run: TwinRun; sku: string | null }) {
  const results = run.results!;
  const rows = useMemo(() => mostLikely(results.skus.items), [results]);
  const events = useAsync(() => unwrap(client.GET('/v1/events', { params: { query: { status: 'active', limit: 200 } } })).then((p) => p.items), [run.id]);
  const names = useMemo(() => new Map((events.data ?? []).map((e) => [e.id, e.title])), [events.data]);
  const selected = sku ?? rows[0]?.skuId ?? null;
  const choices = rows.some((r) => r.skuId === selected) || !selected ? rows : [...rows, { skuId: selected, probability: 0 } as Outlook];
  return (
    <>
      <section aria-labelledby="total-h">
        <h2 id="total-h">Total revenue at risk, all SKUs</h2>
        <dl class="facts">
          {(['p10', 'p50', 'p90', 'mean'] as const).map((k) => (
            <div key={k}>
              <dt>{k === 'mean' ? 'Mean' : k.toUpperCase()}</dt>
              <dd class={k === 'p50' ? 'big' : undefined}>{fmtMoney(results.total[k])}</dd>
            </div>
          ))}
        </dl>
      </section>
      <LikelyTable runId={run.id} rows={rows} selected={selected} skuCount={results.skuCount} />
      {selected && <SkuOutlookSection runId={run.id} skuId={selected} choices={choices} />}
      <section aria-labelledby="drivers-h">
        <h2 id="drivers-h">What drives the expected loss</h2>
        <TornadoChart
          drivers={results.drivers}
          total={results.total.mean}
          names={names}
          contributionSamples={results.contributionSamples}
          samples={run.request.samples}
        />
      </section>
    </>
  );
}

/** One twin run: its progress while it runs, then the SKUs most likely to run short, a SKU's fan chart and the tornado of what drives the loss. */
export function TwinRunPage({ id, sku }: { id: string; sku: string | null }) {
  const { run, error, repoll, setRun } = useTwinRun(id);
  const [cancelling, setCancelling] = useState(false);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const cancel = async () => {
    setCancelling(true);
    setCancelError(null);
    try {
      setRun(await unwrap(client.POST('/v1/twin/runs/{id}/cancel', { params: { path: { id } } })));
      repoll();
    } catch (err) {
      setCancelError(errorText(err));
    } finally {
      setCancelling(false);
    }
  };
  return (
    <div class="twin-run-page">
      <p>
        <a href="#/twin">← Twin runs</a>
      </p>
      <PageTitle>Twin run {id}</PageTitle>
      {!run && !error && <LoadState state={{ loading: true, error: null }} what="the run" />}
      {error && <ErrorNote message={error} />}
      {run && (
        <section aria-labelledby="status-h">
          <h2 id="status-h">Status</h2>
          <Progress run={run} onCancel={cancel} cancelling={cancelling} />
          {cancelError && <ErrorNote message={cancelError} />}
          {isFull(run) && <RunFacts run={run} />}
        </section>
      )}
      {run && isFull(run) && run.status === 'succeeded' && run.results && <Results run={run} sku={sku} />}
    </div>
  );
}
