import { useState } from 'preact/hooks';
import { ApiError, client, errorText, unwrap, type Schemas } from '../api';
import { usePolledJob } from '../use-polled-job';
import { BacktestVolumeChart } from '../components/backtest-chart';
import { bindInput } from '../components/bind-input';
import { DataTable, ErrorNote, PageTitle } from '../components/ui';
import { fmtDate, fmtPct } from '../format';
import { href, navigate } from '../router';

type Backtest = Schemas['Backtest'];
type Accepted = Schemas['BacktestAccepted'];
type Report = Schemas['BacktestReportView'];
type LeadStats = Schemas['LeadStatsView'];

/** How often a queued or running backtest is asked for its progress. */
const POLL_MS = 700;
const DAY_MS = 86_400_000;

const isFull = (b: Backtest | Accepted): b is Backtest => 'request' in b;

/** Backtests this tab just queued: their page shows the queued state at once, before its first poll. */
const justAccepted = new Map<string, Accepted>();

interface Draft {
  from: string;
  to: string;
}

/** The form as the API's body, or what to fix first. Days are whole UTC days, `to` included. */
export function backtestBody(d: Draft): { body: Schemas['CreateBacktestDto'] } | { problem: string } {
  const day = /^\d{4}-\d{2}-\d{2}$/;
  if (!day.test(d.from) || !day.test(d.to)) return { problem: 'Give both days of the range.' };
  if (d.to < d.from) return { problem: 'The last day must not come before the first.' };
  return { body: { from: `${d.from}T00:00:00Z`, to: `${d.to}T23:59:59Z`, source: 'history' } };
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Days as people read them: a lead of 7.25 days reads "7.3 d", none "—". */
function fmtLead(days: number | null | undefined): string {
  if (days === null || days === undefined) return '—';
  const r = Math.round(days * 10) / 10;
  return `${r.toLocaleString('en')} d`;
}

/** A median lead and its spread: "7 d", or "8 d (7–9 d)". */
function leadSummary(s: LeadStats): string {
  if (s.median === null) return '—';
  if (s.min === s.max) return fmtLead(s.median);
  return `${fmtLead(s.median)} (${fmtLead(s.min).replace(' d', '')}–${fmtLead(s.max)})`;
}

const useBacktest = (id: string | null) =>
  usePolledJob<Backtest, Accepted>(id, (runId) => unwrap(client.GET('/v1/backtests/{id}', { params: { path: { id: runId } } })), {
    pollMs: POLL_MS,
    accepted: justAccepted,
  });

function statusText(run: Backtest | Accepted): string {
  const { phase, done, total } = run.progress;
  switch (run.status) {
    case 'queued':
      return 'Queued: waiting for a worker.';
    case 'running':
      return phase === 'replaying' ? `Replaying: ${done} of ${total} moments (${fmtPct(run.progress.fraction)}).` : 'Reading the network and the events…';
    case 'succeeded':
      return `Done: ${total} moments replayed${isFull(run) && run.state ? ` in ${((run.state.timings.loadMs + run.state.timings.replayMs) / 1000).toLocaleString('en', { maximumFractionDigits: 1 })} s` : ''}.`;
    default:
      return `Failed: ${isFull(run) ? (run.error ?? 'no reason given') : 'no reason given'}.`;
  }
}

function Progress({ run }: { run: Backtest | Accepted }) {
  const { done, total, fraction } = run.progress;
  const text = run.status === 'succeeded' ? 'Done' : `${done} of ${total} moments (${fmtPct(fraction)})`;
  return (
    <div class="twin-status">
      <p role="status" aria-live="polite" class="twin-status-text backtest-status">
        {statusText(run)}
      </p>
      <div
        class="progress"
        role="progressbar"
        aria-label="Moments replayed"
        aria-valuemin={0}
        aria-valuemax={Math.max(1, total)}
        aria-valuenow={run.status === 'succeeded' ? Math.max(1, total) : done}
        aria-valuetext={text}
        data-status={run.status}
      >
        <span class="progress-bar" style={{ width: `${Math.max(0, Math.min(1, fraction)) * 100}%` }} />
        <span class="progress-text">{text}</span>
      </div>
    </div>
  );
}

function Totals({ report }: { report: Report }) {
  const { on, off } = report.totals;
  return (
    <dl class="facts backtest-facts">
      <div>
        <dt>Events replayed</dt>
        <dd class="big">{report.events.length}</dd>
      </div>
      <div>
        <dt>Shortages</dt>
        <dd class="big">{on.shortages}</dd>
      </div>
      <div>
        <dt>Alerts, anticipation off · on</dt>
        <dd class="big backtest-alerts">
          {off.alerts} · {on.alerts}
        </dd>
      </div>
      <div>
        <dt>Shortages warned ahead, off · on</dt>
        <dd>
          {off.shortagesWarnedAhead} · {on.shortagesWarnedAhead} of {on.shortages}
        </dd>
      </div>
      <div>
        <dt>Median lead, off</dt>
        <dd>{leadSummary(off.leadDays)}</dd>
      </div>
      <div>
        <dt>Median lead, on</dt>
        <dd>{leadSummary(on.leadDays)}</dd>
      </div>
    </dl>
  );
}

/** A lead and, below it, when that warning went out. */
function LeadCell({ mode, lead, warnedAt }: { mode: 'off' | 'on'; lead: number | null; warnedAt: string | null }) {
  return (
    <td class={`num bt-lead-${mode}`}>
      <span class="bt-lead">{fmtLead(lead)}</span>
      {warnedAt && <span class="sub bt-warned">warned {fmtDate(warnedAt)}</span>}
    </td>
  );
}

/** Per SKU: its first shortage, when each mode first warned of it and with what lead. */
function SkuTable({ report }: { report: Report }) {
  if (report.skus.length === 0) return <p>No SKU ran short and no alert went out in this range.</p>;
  return (
    <DataTable
      label="Lead time per SKU, anticipation off and on"
      class="backtest-skus"
      columns={[
        'SKU',
        { label: 'Shortages', num: true },
        'Shortage reaches the SKU',
        { label: 'Lead, anticipation off', num: true },
        { label: 'Lead, anticipation on', num: true },
        { label: 'Earlier by', num: true },
        { label: 'Alerts, off · on', num: true },
      ]}
    >
      {report.skus.map((s) => (
        <tr key={s.skuId} data-sku-id={s.skuId}>
          <th scope="row">
            <a href={href('skus', s.skuId)}>{s.skuId}</a>
          </th>
          <td class="num">{s.shortages}</td>
          <td>{fmtDate(s.firstShortageAt)}</td>
          <LeadCell mode="off" lead={s.off.leadDays} warnedAt={s.off.warnedAt} />
          <LeadCell mode="on" lead={s.on.leadDays} warnedAt={s.on.warnedAt} />
          <td class="num bt-gain">{fmtLead(s.gainDays)}</td>
          <td class="num">
            {s.off.alerts} · {s.on.alerts}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

function SubscriptionTable({ report }: { report: Report }) {
  if (report.bySubscription.length === 0) return <p>No active webhook subscription: the replay found shortages, but no alert would have gone out.</p>;
  return (
    <DataTable
      label="Alerts per subscription"
      class="backtest-subscriptions"
      columns={[
        'Subscription',
        { label: 'Alerts, off', num: true },
        { label: 'Alerts, on', num: true },
        { label: 'Shortages warned', num: true },
        'Median lead, off · on',
      ]}
    >
      {report.bySubscription.map((s) => (
        <tr key={s.subscriptionId}>
          <th scope="row">{s.subscriptionId}</th>
          <td class="num">{s.off.alerts}</td>
          <td class="num">{s.on.alerts}</td>
          <td class="num">{s.on.shortagesWarned}</td>
          <td>
            {fmtLead(s.off.leadDays.median)} · {fmtLead(s.on.leadDays.median)}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

function ReportView({ run }: { run: Backtest }) {
  const report = run.report;
  if (!report) return null;
  return (
    <>
      <Totals report={report} />
      <section aria-labelledby="bt-volume-h">
        <h2 id="bt-volume-h">Alerts per day</h2>
        <BacktestVolumeChart days={report.days} />
      </section>
      <section aria-labelledby="bt-skus-h">
        <h2 id="bt-skus-h">Lead time per SKU</h2>
        <p class="sub">
          The lead is the time from the first warning (created, worsened or anticipated) to the moment the shortage reaches the SKU: the moment its exposure
          appeared plus its onset. “Earlier by” is how much sooner anticipation warned.
        </p>
        <SkuTable report={report} />
      </section>
      <section aria-labelledby="bt-subs-h">
        <h2 id="bt-subs-h">Per subscription</h2>
        <SubscriptionTable report={report} />
      </section>
    </>
  );
}

/**
 * Backtests (DESIGN §10): start a replay of the platform's own event history
 * over a range against today's network and webhook subscriptions, follow its
 * progress, then read what alerts would have gone out, how early, anticipation
 * on and off side by side. Nothing is stored and no one is alerted.
 */
export function BacktestsPage({ id }: { id: string | null }) {
  const now = Date.now();
  const [d, setD] = useState<Draft>({ from: isoDay(now - 30 * DAY_MS), to: isoDay(now) });
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const field = bindInput(d, setD);
  const { run, error } = useBacktest(id);

  const start = async (e: Event) => {
    e.preventDefault();
    const built = backtestBody(d);
    if ('problem' in built) {
      setProblem(built.problem);
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const accepted = await unwrap(client.POST('/v1/backtests', { body: built.body }));
      justAccepted.set(accepted.id, accepted);
      navigate(href('backtests', accepted.id));
    } catch (err) {
      setProblem(err instanceof ApiError && err.errors.length ? err.errors.map((x) => x.message).join('; ') : errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="backtests-page">
      <PageTitle>Backtests: what the alerts would have done</PageTitle>
      <p>
        A backtest replays past events in the order of their own times against today’s supply network and today’s webhook subscriptions, and tells which alerts
        would have gone out, when, and how long before each shortage reached its SKU — with anticipation (forecast cones, sensor forecasts) on and off. It
        changes no stored exposure and sends no alert.
      </p>
      <section aria-labelledby="bt-start-h">
        <h2 id="bt-start-h">Replay the platform’s event history</h2>
        <form class="stack backtest-form" onSubmit={start}>
          <div class="row">
            <label>
              First day (UTC)
              <input name="from" type="date" required {...field('from')} />
            </label>
            <label>
              Last day (UTC)
              <input name="to" type="date" required {...field('to')} />
            </label>
          </div>
          <p class="sub">Uploaded feed documents (USGS, GDACS, CAP) can be replayed through the API: POST /v1/backtests with documents.</p>
          <button type="submit" disabled={busy}>
            {busy ? 'Starting…' : 'Start backtest'}
          </button>
        </form>
        {problem && <ErrorNote message={problem} />}
      </section>
      {id && (
        <section aria-labelledby="bt-run-h" class="backtest-run" data-backtest-id={id}>
          <h2 id="bt-run-h">Backtest {id}</h2>
          {error && <ErrorNote message={error} />}
          {run && <Progress run={run} />}
          {run && isFull(run) && (
            <p class="sub">
              {fmtDate(run.request.from)} to {fmtDate(run.request.to)} ·{' '}
              {run.request.source === 'history' ? 'the platform’s event history' : 'uploaded documents'} · {run.subscriptions.length} active subscription
              {run.subscriptions.length === 1 ? '' : 's'}
            </p>
          )}
          {run && isFull(run) && run.status === 'succeeded' && <ReportView run={run} />}
        </section>
      )}
    </div>
  );
}
