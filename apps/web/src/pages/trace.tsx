import { useEffect, useState } from 'preact/hooks';
import { ApiError, client, unwrap } from '../api';
import { ErrorNote, Loading, PageTitle } from '../components/ui';
import { lotName, TraceTree, type Trace } from '../components/trace-tree';
import { href, navigate } from '../router';
import { useAsync } from '../use-async';

type Direction = Trace['direction'];

/** Deepest trace the API follows (MAX_TRACE_DEPTH), and its default. */
const MAX_DEPTH = 25;
const DEFAULT_DEPTH = '10';

/** The page's URL for a trace: `#/trace/<lot>?direction=…&depth=…`. */
const traceHref = (lot: string, direction: string, depth: string) => `${href('trace', lot)}?${new URLSearchParams({ direction, depth }).toString()}`;

/** The trace, or the API's refusal kept whole: its status, title and detail are the page's message. */
type Loaded = { trace: Trace } | { problem: ApiError };

async function loadTrace(lot: string, direction: string, depth: string | null): Promise<Loaded> {
  try {
    // The URL's values go to the API as they are: it is the API that says what is wrong with them.
    const query = { direction: direction as Direction, ...(depth === null ? {} : { depth: Number(depth) }) };
    return { trace: await unwrap(client.GET('/v1/trace/{lot}', { params: { path: { lot }, query } })) };
  } catch (error) {
    if (error instanceof ApiError && (error.status === 400 || error.status === 404)) return { problem: error };
    throw error;
  }
}

function TraceForm({ lot, direction, depth }: { lot: string; direction: string; depth: string }) {
  const [d, setD] = useState({ lot, direction: direction === 'forward' ? 'forward' : 'backward', depth });
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    if (d.lot.trim() === '') {
      setProblem('Give the lot to trace.');
      return;
    }
    setProblem(null);
    navigate(traceHref(d.lot.trim(), d.direction, d.depth.trim() || DEFAULT_DEPTH));
  };
  return (
    <form class="stack trace-form" onSubmit={submit} noValidate>
      <label>
        Lot or item
        <input
          name="lot"
          value={d.lot}
          onInput={(e) => setD({ ...d, lot: (e.target as HTMLInputElement).value })}
          aria-describedby="trace-lot-help"
          aria-invalid={problem ? true : undefined}
          autoComplete="off"
          spellcheck={false}
        />
        <span class="sub" id="trace-lot-help">
          An EPC URI (urn:epc:class:lgtin:4012345.011111.L0) or a GS1 Digital Link (https://id.gs1.org/01/04012345111118/10/L0).
        </span>
      </label>
      <fieldset>
        <legend>Direction</legend>
        <label class="inline checkbox">
          <input type="radio" name="direction" checked={d.direction === 'backward'} onChange={() => setD({ ...d, direction: 'backward' })} /> Backward: what
          went into it
        </label>
        <label class="inline checkbox">
          <input type="radio" name="direction" checked={d.direction === 'forward'} onChange={() => setD({ ...d, direction: 'forward' })} /> Forward: what it
          went into (recall scope)
        </label>
      </fieldset>
      <label class="trace-depth">
        Depth (transformation levels, 1 to {MAX_DEPTH})
        <input
          name="depth"
          type="number"
          inputMode="numeric"
          min={1}
          max={MAX_DEPTH}
          value={d.depth}
          onInput={(e) => setD({ ...d, depth: (e.target as HTMLInputElement).value })}
        />
      </label>
      {problem && (
        <p class="error-note" role="alert">
          {problem}
        </p>
      )}
      <button type="submit">Trace</button>
    </form>
  );
}

/** What the API said, in full: its status and title, its detail, and each field it names. */
function ProblemNote({ problem }: { problem: ApiError }) {
  const what = problem.status === 404 ? 'Not found' : 'The API refused this trace';
  const more = problem.errors.filter((e) => !problem.detail?.includes(e.message));
  return (
    <div class="error-note trace-problem" role="alert">
      <p>
        <strong>{what}</strong> ({problem.status} {problem.title})
      </p>
      {problem.detail && <p class="trace-problem-detail">{problem.detail}</p>}
      {more.length > 0 && (
        <ul>
          {more.map((e, i) => (
            <li key={i}>{e.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Summary({ trace }: { trace: Trace }) {
  const events = [trace.lot.origin, ...trace.lots.map((l) => l.event)];
  const sites = new Set(events.flatMap((e) => (e?.site ? [e.site.siteId] : [])));
  const tiers = new Set(events.flatMap((e) => (e?.site && e.site.tier !== null ? [e.site.tier] : [])));
  const levels = Math.max(0, ...trace.lots.map((l) => l.depth));
  return (
    <dl class="facts trace-summary">
      <div>
        <dt>Lots</dt>
        <dd class="big">{1 + trace.lots.length}</dd>
      </div>
      <div>
        <dt>Sites</dt>
        <dd class="big">{sites.size}</dd>
      </div>
      <div>
        <dt>Tiers</dt>
        <dd class="big">{tiers.size}</dd>
        {tiers.size > 0 && <dd class="sub">{[...tiers].sort((a, b) => a - b).join(', ')}</dd>}
      </div>
      {trace.direction === 'forward' && (
        <div>
          <dt>SKUs reached</dt>
          <dd class="big">{trace.skus.length}</dd>
        </div>
      )}
      <div>
        <dt>Levels followed</dt>
        <dd class="big">{levels}</dd>
        <dd class="sub">of at most {trace.depth}</dd>
      </div>
    </dl>
  );
}

/** A file name that says which lot the recall scope is for. */
function csvFileName(trace: Trace): string {
  const l = trace.lot;
  const name = l.gtin && (l.lot ?? l.serial) ? `${l.gtin}-${l.lot ?? l.serial}` : l.lotId;
  return `recall-scope-${name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(-120)}.csv`;
}

/**
 * The API's CSV of the recall scope, fetched with the session's key (a plain
 * link could not carry it) and offered as a download link to the file in memory.
 */
function RecallScopeLink({ lot, depth, trace }: { lot: string; depth: string | null; trace: Trace }) {
  const csv = useAsync(async () => {
    const query = depth === null ? {} : { depth: Number(depth) };
    const text = await unwrap(client.GET('/v1/trace/{lot}/recall.csv', { params: { path: { lot }, query }, parseAs: 'text', headers: { accept: 'text/csv' } }));
    return URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  }, [lot, depth]);
  useEffect(() => {
    const url = csv.data;
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [csv.data]);
  if (csv.loading) return <Loading what="the recall scope CSV" />;
  if (csv.error || !csv.data) return <ErrorNote message={`the recall scope CSV could not be fetched (${csv.error ?? 'no answer'})`} />;
  return (
    <p class="trace-csv">
      <a href={csv.data} download={csvFileName(trace)}>
        Download the recall scope (CSV, {1 + trace.lots.length} lots
        {trace.skus.length ? `, ${trace.skus.length} ${trace.skus.length === 1 ? 'SKU' : 'SKUs'}` : ''})
      </a>
    </p>
  );
}

function TraceResultView({ trace, lot, depth }: { trace: Trace; lot: string; depth: string | null }) {
  const name = lotName(trace.lot);
  const heading = trace.direction === 'backward' ? `Backward: what went into ${name}` : `Forward: what ${name} went into (recall scope)`;
  const empty =
    trace.lots.length === 0
      ? trace.direction === 'backward'
        ? 'No captured transformation made this lot from other lots: nothing went into it.'
        : 'No captured transformation used this lot: it went into no other lot.'
      : null;
  return (
    <section aria-labelledby="trace-h" class="trace-result">
      <h2 id="trace-h">{heading}</h2>
      <Summary trace={trace} />
      {trace.truncated && (
        <p class="error-note trace-truncated">
          The trace stopped at {trace.depth} levels with more lots beyond: trace again with a larger depth to see them all.
        </p>
      )}
      {trace.direction === 'forward' && <RecallScopeLink lot={lot} depth={depth} trace={trace} />}
      {empty && <p class="trace-empty">{empty}</p>}
      <p class="sub trace-keys">
        Grouped by the tier of the site where each lot was. Keyboard: arrows move, Right and Left open and close a tier, Home and End jump, Enter opens a SKU.
      </p>
      <TraceTree trace={trace} labelledBy="trace-h" />
    </section>
  );
}

/** Lot traceability (DESIGN §11): a lot's trace through transformations, as a tree by tier; the forward trace is the recall scope. */
export function TracePage({ lot, direction, depth }: { lot: string | null; direction: string; depth: string | null }) {
  const loaded = useAsync(() => (lot === null ? Promise.resolve(null) : loadTrace(lot, direction, depth)), [lot, direction, depth]);
  return (
    <div class="trace-page">
      <PageTitle>Lot trace</PageTitle>
      <p>
        Where a lot came from and where it went, from the GS1 EPCIS events suppliers captured: backward, every lot that went into it; forward, every lot and SKU
        it went into, which is what a recall of it must reach.
      </p>
      <section aria-labelledby="trace-form-h">
        <h2 id="trace-form-h">Trace a lot</h2>
        <TraceForm lot={lot ?? ''} direction={direction} depth={depth ?? DEFAULT_DEPTH} />
      </section>
      {lot !== null && loaded.loading && <Loading what="the trace" />}
      {loaded.error && <ErrorNote message={loaded.error} />}
      {loaded.data && 'problem' in loaded.data && <ProblemNote problem={loaded.data.problem} />}
      {loaded.data && 'trace' in loaded.data && <TraceResultView trace={loaded.data.trace} lot={lot!} depth={depth} />}
    </div>
  );
}
