import { useEffect, useMemo, useState } from 'preact/hooks';
import { errorText } from '../api';
import { useAsync } from '../use-async';
import { type OnboardingBase, type OnboardingConfirmed, type OnboardingPair, type OnboardingRow, onboardingApi } from './onboarding-review-api';
import { ConfirmedNote, ConfirmProblem, ConfirmResult, type WrittenSite } from './onboarding-review-confirm';
import { draftOf, draftPoint, editDecision, EditRowForm, type EditDraft } from './onboarding-review-edit';
import { PairsTable } from './onboarding-review-pairs';
import { inProgress, LEAST_VIEW_KM, pairsOf, Progress, Summary, viewOf } from './onboarding-review-parts';
import { RowPager, RowsTable } from './onboarding-review-rows';
import { needsDecision, pinOf, rowName } from './onboarding-review-text';
import { ErrorNote, LoadState } from './ui';
import { WorldMap } from './world-map';

/** How often a list under review is asked for its progress. */
const POLL_MS = 700;
/** Rows per page, as the API pages them. */
export const ROWS_PER_PAGE = 50;
export interface OnboardingReviewProps {
  /** The API the list lives in: the analyst's or the supplier portal's routes. */
  base: OnboardingBase;
  listId: string;
  /** Rows per page (the API's `limit`). */
  pageSize?: number;
  /** Reads a written site back after the confirm, to show where it now is. */
  readSite?: (id: string) => Promise<WrittenSite>;
  /** Where the person sees the written sites afterwards. */
  sitesLink?: { href: string; label: string };
}

/**
 * The review of an uploaded supplier list: its progress while the worker
 * places the rows, then every row with where it landed and why, the pins on
 * the map, the duplicate proposals, a decision per row and per proposal, and
 * the confirm that writes it through the import.
 */
export function OnboardingReview({ base, listId, pageSize = ROWS_PER_PAGE, readSite, sitesLink }: OnboardingReviewProps) {
  const api = useMemo(() => onboardingApi(base), [base]);
  // The cursor of each page visited so far (the first page has none): back is a pop, next a push.
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const state = useAsync(() => api.list(listId, { limit: pageSize, ...(cursor ? { cursor } : {}) }), [api, listId, pageSize, cursor]);
  const list = state.data;
  const [editing, setEditing] = useState<{ row: OnboardingRow; draft: EditDraft } | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');
  const [actionError, setActionError] = useState<string | null>(null);
  const [confirmError, setConfirmError] = useState<unknown>(null);
  const [result, setResult] = useState<OnboardingConfirmed | null>(null);
  const [written, setWritten] = useState<WrittenSite[] | null>(null);

  useEffect(() => {
    if (!inProgress(list) || state.error) return;
    const timer = setTimeout(state.reload, POLL_MS);
    return () => clearTimeout(timer);
  }, [list, state.error]);

  const rows = list?.rows?.items ?? [];
  const rowsByNumber = useMemo(() => new Map(rows.map((r) => [r.row, r])), [rows]);
  const open = list?.status === 'ready';

  const decide = async (body: Parameters<typeof api.decide>[1], done: string) => {
    setBusy(true);
    setActionError(null);
    setConfirmError(null);
    try {
      await api.decide(listId, body);
      setNotice(done);
      state.reload();
      return true;
    } catch (err) {
      setActionError(errorText(err));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const rowActions = open
    ? {
        accept: (r: OnboardingRow) => void decide({ rows: [{ row: r.row, action: 'accept' }] }, `Row ${r.row} (${rowName(r)}) accepted as placed.`),
        reject: (r: OnboardingRow) => void decide({ rows: [{ row: r.row, action: 'reject' }] }, `Row ${r.row} (${rowName(r)}) rejected: it will be left out.`),
        edit: (r: OnboardingRow) => {
          setActionError(null);
          setEditing({ row: r, draft: draftOf(r) });
        },
      }
    : null;
  const pairActions = open
    ? {
        decide: (p: OnboardingPair, action: 'confirm' | 'reject') =>
          void decide(
            { pairs: [{ id: p.id, action }] },
            action === 'confirm' ? `Proposal ${p.id}: one facility, written as one site.` : `Proposal ${p.id}: two facilities.`,
          ),
      }
    : null;

  const saveEdit = async () => {
    if (!editing) return;
    const decision = editDecision(editing.row, editing.draft);
    if (typeof decision === 'string') return setActionError(decision);
    const { row } = editing;
    if (await decide({ rows: [decision] }, `Row ${row.row} (${rowName(row)}): pin set at ${editing.draft.lat}, ${editing.draft.lon}.`)) {
      setEditing(null);
      // Back to the row's own Edit button, where the person was.
      requestAnimationFrame(() => document.querySelector<HTMLElement>(`tr[data-row="${row.row}"] button[aria-controls="onb-edit"]`)?.focus());
    }
  };

  const confirm = async () => {
    setBusy(true);
    setConfirmError(null);
    setActionError(null);
    try {
      const done = await api.confirm(listId);
      setResult(done);
      setNotice(`Confirmed: ${done.confirmation.sites} sites written.`);
      state.reload();
      if (readSite) {
        const ids = [...new Set(done.rows.flatMap((o) => (o.siteId ? [o.siteId] : [])))];
        const sites = await Promise.all(ids.map((id) => readSite(id).catch(() => null)));
        setWritten(sites.filter((s): s is WrittenSite => s !== null));
      }
    } catch (err) {
      setConfirmError(err);
    } finally {
      setBusy(false);
    }
  };

  // The pins: each row where it stands (the row being edited at the point typed or clicked so far).
  const pins = rows.flatMap((r) => {
    const draft = editing?.row.row === r.row ? draftPoint(editing.draft) : null;
    const pin = pinOf(r);
    if (draft) return [{ id: `row-${r.row}`, label: String(r.row), title: `Row ${r.row}: ${rowName(r)}, pin being set`, ...draft, kind: 'set' as const }];
    return pin ? [pin] : [];
  });
  const editedLocation = editing?.row.location;
  const view = useMemo(
    () =>
      editedLocation
        ? { lat: editedLocation.lat, lon: editedLocation.lon, km: Math.max(LEAST_VIEW_KM, editedLocation.radiusKm * 2.5) }
        : viewOf(rows.flatMap((r) => pinOf(r) ?? [])),
    [rows, editedLocation],
  );
  const placedCount = rows.filter((r) => r.location !== null).length;
  const pairs = pairsOf(rows);
  const pending = rows.filter(needsDecision).length + pairs.filter((p) => p.decision === null).length;

  if (!list) return <LoadState state={state} what="the list" />;
  return (
    <div class="onb-review" data-list-id={list.id} data-status={list.status}>
      <p class="sub onb-file">
        {list.file.name ?? 'Uploaded list'} · {list.file.format.toUpperCase()}
        {list.file.encoding ? ` · ${list.file.encoding}` : ''} · columns read:{' '}
        {Object.entries(list.file.columns)
          .map(([field, header]) => (field === header ? field : `${field} ← “${header}”`))
          .join(', ')}
        {list.file.unmappedColumns.length > 0 && ` · not read: ${list.file.unmappedColumns.join(', ')}`}
      </p>
      {state.error && <ErrorNote message={state.error} />}
      <Progress list={list} />
      {list.status === 'failed' && <ErrorNote message={`The review failed: ${list.error ?? 'no reason given'}. Upload the list again.`} />}
      <p class="visually-hidden" role="status" aria-live="polite">
        {notice}
      </p>
      {list.summary && (
        <section aria-labelledby="onb-summary-h">
          <h2 id="onb-summary-h">Summary</h2>
          <Summary list={list} />
          {list.status === 'confirmed' && !result && <ConfirmedNote list={list} />}
          {open && (
            <p class="onb-pending">
              {pending === 0
                ? 'Every row and proposal on this page has what it needs.'
                : `${pending} ${pending === 1 ? 'decision is' : 'decisions are'} still needed on this page (marked “! needed”).`}
            </p>
          )}
        </section>
      )}
      {list.rows && (
        <>
          <div class={open ? 'onb-map-edit' : 'onb-map-only'}>
            <section aria-labelledby="onb-map-h">
              <h2 id="onb-map-h">Where the rows landed</h2>
              <WorldMap
                areas={[]}
                sites={pins}
                labelled
                focus={view}
                onPick={editing ? (p) => setEditing({ ...editing, draft: { ...editing.draft, lat: String(p.lat), lon: String(p.lon) } }) : undefined}
                caption={
                  `Map of ${placedCount} of the ${rows.length} rows on this page placed by the review, labelled by row number` +
                  (editing ? `; click to set row ${editing.row.row}'s pin.` : '; the table below lists each one.')
                }
              />
              <p class="sub onb-attribution">Places: {list.attribution}</p>
            </section>
            {open && (
              <section aria-labelledby="onb-edit-side-h">
                <h2 id="onb-edit-side-h">Move a pin</h2>
                {editing ? (
                  <EditRowForm
                    row={editing.row}
                    draft={editing.draft}
                    setDraft={(draft) => setEditing({ ...editing, draft })}
                    onSave={saveEdit}
                    onCancel={() => {
                      const row = editing.row.row;
                      setEditing(null);
                      setActionError(null);
                      requestAnimationFrame(() => document.querySelector<HTMLElement>(`tr[data-row="${row}"] button[aria-controls="onb-edit"]`)?.focus());
                    }}
                    busy={busy}
                    error={actionError}
                  />
                ) : (
                  <p>Choose “Edit” on a row to type its coordinates or click the map where it is.</p>
                )}
              </section>
            )}
          </div>
          <section aria-labelledby="onb-rows-h">
            <h2 id="onb-rows-h">Rows</h2>
            {!editing && actionError && <ErrorNote message={actionError} />}
            <RowsTable rows={rows} actions={rowActions} busy={busy} editing={editing?.row.row ?? null} />
            <RowPager
              page={cursors.length - 1}
              rows={rows}
              total={list.summary?.rows ?? rows.length}
              onPrevious={cursors.length > 1 ? () => setCursors(cursors.slice(0, -1)) : undefined}
              onNext={list.rows.nextCursor ? () => setCursors([...cursors, list.rows!.nextCursor!]) : undefined}
            />
          </section>
          <section aria-labelledby="onb-pairs-h">
            <h2 id="onb-pairs-h">Same facility? ({pairs.length})</h2>
            {pairs.length === 0 ? (
              <p>No row on this page looks like another row or a site already in the network.</p>
            ) : (
              <PairsTable pairs={pairs} rows={rowsByNumber} actions={pairActions} busy={busy} />
            )}
          </section>
        </>
      )}
      {(open || result) && (
        <section aria-labelledby="onb-confirm-h">
          <h2 id="onb-confirm-h">Confirm</h2>
          {result ? (
            <ConfirmResult result={result} sites={written} sitesLink={sitesLink} />
          ) : (
            <>
              <p>
                Confirming writes the rows through the normal import, all or nothing: the rows as placed or as you set them, each group of the same facility as
                one site, rejected rows left out.
              </p>
              <button type="button" class="onb-confirm" disabled={busy} onClick={confirm}>
                {busy ? 'Working…' : 'Confirm the list'}
              </button>
              {confirmError !== null && <ConfirmProblem error={confirmError} />}
            </>
          )}
        </section>
      )}
    </div>
  );
}
