import type { OnboardingRow } from './onboarding-review-api';
import { decisionText, fmtKm, fmtPoint, needsDecision, placeName, precisionText, rowName, statusOf } from './onboarding-review-text';
import { DataTable } from './ui';

export interface RowActions {
  accept(row: OnboardingRow): void;
  reject(row: OnboardingRow): void;
  edit(row: OnboardingRow): void;
}

function Given({ row }: { row: OnboardingRow }) {
  const { address, city, postalCode } = row.input;
  const more = [city, postalCode].filter((x) => x && x.trim());
  if (!address?.trim() && more.length === 0) return <span class="sub">no address given</span>;
  return (
    <>
      {address?.trim() || '—'}
      {more.length > 0 && <div class="sub">{more.join(' · ')}</div>}
    </>
  );
}

function Country({ row }: { row: OnboardingRow }) {
  const given = row.input.country?.trim();
  if (!row.country) return <>{given ? `“${given}”: not recognised` : 'none given'}</>;
  return (
    <>
      {row.country}
      {given && given.toUpperCase() !== row.country && <div class="sub">given as “{given}”</div>}
    </>
  );
}

function Landed({ row }: { row: OnboardingRow }) {
  const l = row.location;
  if (!l) return <>not placed</>;
  return (
    <>
      <strong>{placeName(l)}</strong>
      <div>
        {precisionText(l.precision)}, {fmtKm(l.radiusKm)}
      </div>
      <div class="sub">
        {fmtPoint(l.lat, l.lon)} · confidence {Math.round(l.confidence * 100)} %
      </div>
      {l.how.length > 0 && <div class="sub">{l.how.join('; ')}</div>}
    </>
  );
}

function Status({ row }: { row: OnboardingRow }) {
  const s = statusOf(row);
  return (
    <>
      <span class={`onb-status onb-status-${row.status}`}>
        <span aria-hidden="true">{s.symbol}</span> {s.text}
      </span>
      {row.issues.length > 0 && (
        <ul class="onb-issues">
          {row.issues.map((i, n) => (
            <li key={n}>{i.message}</li>
          ))}
        </ul>
      )}
      {row.site?.exists && <div class="sub">the site is in the network already: confirming updates it</div>}
    </>
  );
}

/** The rows of one page: what the file said, where each landed and why, and the decision a person took. */
export function RowsTable({ rows, actions, busy, editing }: { rows: OnboardingRow[]; actions: RowActions | null; busy: boolean; editing: number | null }) {
  const columns = [
    'Row',
    'Facility',
    'Address as given',
    'Country',
    'Where it landed',
    'Status',
    'Decision',
    ...(actions ? [{ label: 'Actions', hidden: true }] : []),
  ];
  return (
    <DataTable label="Rows of the list" class="onb-rows" columns={columns}>
      {rows.map((row) => {
        const who = `row ${row.row} (${rowName(row)})`;
        return (
          <tr key={row.row} data-row={row.row} data-status={row.status} class={editing === row.row ? 'onb-editing' : undefined}>
            <td class="num">{row.row}</td>
            <th scope="row">
              {row.name ?? <span class="sub">no name</span>}
              {row.supplier?.ref && <div class="sub">your ref {row.supplier.ref}</div>}
            </th>
            <td class="onb-address">
              <Given row={row} />
            </td>
            <td>
              <Country row={row} />
            </td>
            <td class="onb-landed">
              <Landed row={row} />
            </td>
            <td class="onb-status-cell">
              <Status row={row} />
            </td>
            <td class="onb-decision">
              {needsDecision(row) ? (
                <strong>
                  <span aria-hidden="true">! </span>needed
                </strong>
              ) : (
                decisionText(row)
              )}
            </td>
            {actions && (
              <td>
                <div class="onb-actions">
                  {row.status !== 'blocked' && (
                    <button type="button" class="small" disabled={busy} onClick={() => actions.accept(row)} aria-label={`Accept ${who}`}>
                      Accept
                    </button>
                  )}
                  <button
                    type="button"
                    class="small secondary"
                    disabled={busy}
                    onClick={() => actions.edit(row)}
                    aria-label={`Edit ${who}`}
                    aria-controls="onb-edit"
                  >
                    Edit
                  </button>
                  <button type="button" class="small secondary" disabled={busy} onClick={() => actions.reject(row)} aria-label={`Reject ${who}`}>
                    Reject
                  </button>
                </div>
              </td>
            )}
          </tr>
        );
      })}
    </DataTable>
  );
}

/** Previous / next page of rows, as the API pages them (a cursor per page). */
export function RowPager({
  page,
  rows,
  total,
  onPrevious,
  onNext,
}: {
  page: number;
  rows: OnboardingRow[];
  total: number;
  onPrevious?: () => void;
  onNext?: () => void;
}) {
  if ((!onPrevious && !onNext) || rows.length === 0) return null;
  return (
    <nav class="onb-pager" aria-label="Pages of rows">
      <button type="button" class="secondary" disabled={!onPrevious} onClick={onPrevious}>
        Previous rows
      </button>
      <span>
        Page {page + 1}: rows {rows[0].row}–{rows[rows.length - 1].row}; {total} rows in the list
      </span>
      <button type="button" class="secondary" disabled={!onNext} onClick={onNext}>
        Next rows
      </button>
    </nav>
  );
}
