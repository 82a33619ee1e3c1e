import { useState } from 'preact/hooks';
import { ApiError, client, errorText, unwrap, type Schemas } from '../api';
import { bindInput } from '../components/bind-input';
import { ErrorNote, LoadState, PageTitle } from '../components/ui';
import { fmtDate, fmtDays } from '../format';
import { href, navigate } from '../router';
import type { DisruptionEvent } from '../types';
import { useAsync } from '../use-async';

export type TwinRun = Schemas['TwinRun'];
export type TwinRunAccepted = Schemas['TwinRunAccepted'];

/** A run this tab started: enough to list it and link to it (the API has no list of runs). */
interface StartedRun {
  id: string;
  at: string;
  samples: number;
  horizonDays: number;
  seed: string;
  events: string;
}

const STARTED_KEY = 'tiersight.twin-runs';
const STARTED_KEPT = 10;

function startedRuns(): StartedRun[] {
  try {
    const list: unknown = JSON.parse(sessionStorage.getItem(STARTED_KEY) ?? '[]');
    return Array.isArray(list) ? (list as StartedRun[]) : [];
  } catch {
    return [];
  }
}

function rememberRun(run: StartedRun): void {
  sessionStorage.setItem(STARTED_KEY, JSON.stringify([run, ...startedRuns().filter((r) => r.id !== run.id)].slice(0, STARTED_KEPT)));
}

/**
 * Runs this tab just queued, by id: the run page shows their queued state and
 * progress at once, before its first poll.
 */
export const justAccepted = new Map<string, TwinRunAccepted>();

interface Draft {
  samples: string;
  horizonDays: string;
  seed: string;
}

type Body = Schemas['CreateTwinRunDto'];

/** The form as the API's body, or the first thing a person must fix. */
export function twinRunBody(d: Draft, picked: string[] | null): { body: Body } | { problem: string } {
  const samples = Number(d.samples);
  const horizonDays = Number(d.horizonDays);
  if (!(Number.isInteger(samples) && samples >= 1)) return { problem: 'Samples must be a whole number, at least 1.' };
  if (!(Number.isInteger(horizonDays) && horizonDays >= 1 && horizonDays <= 3650))
    return { problem: 'The horizon must be a whole number of days from 1 to 3650.' };
  const seed = d.seed.trim() === '' ? undefined : Number(d.seed);
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32))
    return { problem: 'The seed must be a whole number from 0 to 4294967295, or empty.' };
  if (picked && picked.length === 0) return { problem: 'Pick at least one event, or run on all active events.' };
  return { body: { samples, horizonDays, ...(seed === undefined ? {} : { seed }), ...(picked ? { eventIds: picked } : {}) } };
}

function EventPicker({ events, picked, setPicked }: { events: DisruptionEvent[]; picked: string[] | null; setPicked: (p: string[] | null) => void }) {
  return (
    <fieldset>
      <legend>Events to draw</legend>
      <label class="inline checkbox">
        <input type="radio" name="scope" checked={picked === null} onChange={() => setPicked(null)} /> All active events ({events.length})
      </label>
      <label class="inline checkbox">
        <input type="radio" name="scope" checked={picked !== null} onChange={() => setPicked([])} disabled={events.length === 0} /> Only the events I pick
      </label>
      {picked !== null && (
        <ul class="event-picks">
          {events.map((e) => (
            <li key={e.id}>
              <label class="inline checkbox">
                <input
                  type="checkbox"
                  checked={picked.includes(e.id)}
                  onChange={(ev) => setPicked((ev.target as HTMLInputElement).checked ? [...picked, e.id] : picked.filter((id) => id !== e.id))}
                />{' '}
                <span>
                  {e.title}{' '}
                  <span class="sub">
                    ({e.type}, {fmtDays(e.expectedDurationDays)}, {e.id})
                  </span>
                </span>
              </label>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

/** The twin's start page: run the live state many times over draws of what is uncertain, and list the runs this tab started. */
export function TwinPage() {
  const events = useAsync(() => unwrap(client.GET('/v1/events', { params: { query: { status: 'active', limit: 200 } } })).then((p) => p.items), []);
  const [d, setD] = useState<Draft>({ samples: '1000', horizonDays: '180', seed: '' });
  const [picked, setPicked] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const field = bindInput(d, setD);
  const runs = startedRuns();

  const start = async (e: Event) => {
    e.preventDefault();
    const built = twinRunBody(d, picked);
    if ('problem' in built) {
      setError(built.problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const call = client.POST('/v1/twin/runs', { body: built.body });
      const run: TwinRun | TwinRunAccepted = await unwrap(call);
      // 202: queued as a job; 200: small enough to have been answered at once
      if ((await call).response.status === 202) justAccepted.set(run.id, run);
      rememberRun({
        id: run.id,
        at: new Date().toISOString(),
        samples: built.body.samples!,
        horizonDays: built.body.horizonDays!,
        seed: built.body.seed === undefined ? 'random' : String(built.body.seed),
        events: picked ? `${picked.length} picked` : 'all active',
      });
      navigate(href('twin', run.id));
    } catch (err) {
      setError(err instanceof ApiError && err.errors.length ? err.errors.map((x) => x.message).join('; ') : errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="twin-page">
      <PageTitle>Twin: shortages under uncertainty</PageTitle>
      <p>
        The twin runs the risk engine many times over the live state, each time drawing how long and how hard every active event hits (a supplier’s confirmed
        answer is taken as given). It tells how likely each SKU is to run short, how bad the bad case is, day by day, and which events drive the expected loss.
        Nothing is changed and no one is alerted.
      </p>
      <section aria-labelledby="start-h">
        <h2 id="start-h">Start a run</h2>
        <LoadState state={events} what="the active events" />
        <form class="stack twin-form" onSubmit={start}>
          {events.data && <EventPicker events={events.data} picked={picked} setPicked={setPicked} />}
          <div class="row">
            <label>
              Samples
              <input name="samples" type="number" min="1" step="1" inputMode="numeric" {...field('samples')} />
            </label>
            <label>
              Horizon (days)
              <input name="horizonDays" type="number" min="1" max="3650" step="1" inputMode="numeric" {...field('horizonDays')} />
            </label>
            <label>
              Seed (empty: random)
              <input name="seed" type="number" min="0" step="1" inputMode="numeric" {...field('seed')} />
            </label>
          </div>
          <p class="sub">
            The same events, samples, horizon and seed give the same answer. Runs of up to 100 samples answer at once; larger ones run as a job.
          </p>
          <button type="submit" disabled={busy}>
            {busy ? 'Starting…' : 'Start run'}
          </button>
        </form>
        {error && <ErrorNote message={error} />}
      </section>
      <section aria-labelledby="runs-h">
        <h2 id="runs-h">Runs started in this tab</h2>
        {runs.length === 0 ? (
          <p>None yet. A run’s page stays at its address (until the run expires), so it can be shared.</p>
        ) : (
          <ul class="twin-runs">
            {runs.map((r) => (
              <li key={r.id}>
                <a href={href('twin', r.id)}>{r.id}</a>{' '}
                <span class="sub">
                  {fmtDate(r.at)} · {r.samples.toLocaleString('en')} samples · {r.horizonDays} days · seed {r.seed} · {r.events} events
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
