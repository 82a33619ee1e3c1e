import { ApiError, errorText } from '../api';
import type { OnboardingConfirmed, OnboardingList } from './onboarding-review-api';
import { fmtPoint } from './onboarding-review-text';
import { DataTable, ErrorNote, OkNote } from './ui';

/** A site as the API holds it after the confirm (read back to show where it was written). */
export interface WrittenSite {
  id: string;
  name: string | null;
  country: string;
  lat: number;
  lon: number;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What a confirm wrote: sites, and the suppliers a buyer's list adds (a supplier's own list adds none). */
const written = (c: OnboardingConfirmed['confirmation']) =>
  `${plural(c.sites, 'site', 'sites')}${c.suppliers > 0 ? ` and ${plural(c.suppliers, 'supplier', 'suppliers')}` : ''} written`;

/** A problem's row-level item: a row or a duplicate proposal of the list, or an import entity. */
interface ProblemItem {
  row?: number;
  pair?: string;
  entity?: string;
  index?: number;
  field?: string;
  message: string;
}

function itemsOf(error: ApiError): ProblemItem[] {
  return error.errors.map((e) => {
    const raw: Record<string, unknown> = { ...e };
    return { ...e, pair: typeof raw['pair'] === 'string' ? raw['pair'] : undefined };
  });
}

const where = (i: ProblemItem) =>
  i.row !== undefined ? `row ${i.row}` : i.pair ? `proposal ${i.pair}` : i.entity ? `${i.entity}${i.index !== undefined ? ` #${i.index + 1}` : ''}` : '—';

/** A refused confirm: 409 names each missing decision, 422 each row the import refused; nothing was written either way. */
export function ConfirmProblem({ error }: { error: unknown }) {
  if (!(error instanceof ApiError) || (error.status !== 409 && error.status !== 422)) return <ErrorNote message={errorText(error)} />;
  const items = itemsOf(error);
  const missing = error.status === 409;
  return (
    <div class="error-note row-errors" role="alert">
      <p>
        <strong>Nothing was written.</strong> {missing ? 'Some rows or proposals still need a decision' : 'The import refused the list'}:{' '}
        {error.detail ?? error.title}
      </p>
      {items.length > 0 && (
        <DataTable
          label={missing ? 'Decisions missing' : 'Rows the import refused'}
          class="onb-problems"
          columns={['Where', ...(missing ? [] : ['Field']), 'Problem']}
        >
          {items.map((i, n) => (
            <tr key={n}>
              <td>{where(i)}</td>
              {!missing && <td>{i.field ?? '—'}</td>}
              <td>{i.message}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}

const OUTCOME: Record<string, string> = { write: 'written', merge: 'merged', reject: 'rejected: left out' };

/** What a confirm did: the counts, each row's outcome, and the written sites as the API now holds them. */
export function ConfirmResult({
  result,
  sites,
  sitesLink,
}: {
  result: OnboardingConfirmed;
  sites: WrittenSite[] | null;
  sitesLink?: { href: string; label: string };
}) {
  const c = result.confirmation;
  const byId = new Map((sites ?? []).map((s) => [s.id, s]));
  return (
    <div class="onb-result">
      <OkNote>
        Confirmed: {written(c)} (graph version {c.graphVersion}); {plural(c.merged, 'row', 'rows')} merged into another, {plural(c.rejected, 'row', 'rows')}{' '}
        rejected.
      </OkNote>
      {sitesLink && (
        <p>
          <a href={sitesLink.href}>{sitesLink.label}</a>
        </p>
      )}
      <DataTable label="What the confirm did per row" class="onb-outcomes" columns={['Row', 'Outcome', 'Site', 'Where it is now']}>
        {result.rows.map((o) => {
          const site = o.siteId ? byId.get(o.siteId) : undefined;
          return (
            <tr key={o.row} data-row={o.row} data-site-id={o.siteId}>
              <td class="num">{o.row}</td>
              <td>
                {OUTCOME[o.action] ?? o.action}
                {o.action === 'merge' && <div class="sub">{o.into === 'site' ? 'into a site already in the network' : 'into an earlier row of this list'}</div>}
              </td>
              <td class="ids">{o.siteId ?? '—'}</td>
              <td>{site ? `${site.name ?? 'a site of a masked supplier'}, ${site.country}, at ${fmtPoint(site.lat, site.lon)}` : o.siteId ? '…' : '—'}</td>
            </tr>
          );
        })}
      </DataTable>
    </div>
  );
}

/** Counts a confirmed list keeps (shown when the list is opened again after its confirm). */
export function ConfirmedNote({ list }: { list: OnboardingList }) {
  const c = list.confirmation;
  if (!c) return null;
  return (
    <OkNote>
      This list was confirmed on {c.confirmedAt.slice(0, 10)}: {written(c)}, {plural(c.merged, 'row', 'rows')} merged, {plural(c.rejected, 'row', 'rows')}{' '}
      rejected.
    </OkNote>
  );
}
