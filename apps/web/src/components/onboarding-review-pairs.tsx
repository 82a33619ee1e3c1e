import type { OnboardingPair, OnboardingRow } from './onboarding-review-api';
import { sideText } from './onboarding-review-text';
import { DataTable } from './ui';

const pct = (v: number) => `${Math.round(v * 100)} %`;

/** Why two records look like one facility: each measure in words. */
function Evidence({ pair }: { pair: OnboardingPair }) {
  const e = pair.evidence;
  return (
    <ul class="onb-evidence">
      <li>names alike: {pct(e.name)}</li>
      <li>addresses alike: {e.address === null ? 'no address to compare' : pct(e.address)}</li>
      <li>
        distance: {e.distanceKm === null ? 'unknown' : `${e.distanceKm < 10 ? e.distanceKm.toFixed(1) : Math.round(e.distanceKm)} km`}
        {e.geo !== null && ` (closeness given the pins' uncertainty ${pct(e.geo)})`}
      </li>
      {e.sharedNameWords.length > 0 && <li>name words in common: {e.sharedNameWords.join(', ')}</li>}
      {e.nameConflicts.length > 0 && <li>words only one name has (a sign of two facilities): {e.nameConflicts.join(', ')}</li>}
    </ul>
  );
}

const DECISION: Record<string, string> = { confirm: 'one facility (confirmed)', reject: 'two facilities (rejected)' };

export interface PairActions {
  decide(pair: OnboardingPair, action: 'confirm' | 'reject'): void;
}

/** Rows (or a row and an existing site) that are probably one facility: the evidence, and the person's decision. */
export function PairsTable({
  pairs,
  rows,
  actions,
  busy,
}: {
  pairs: OnboardingPair[];
  rows: ReadonlyMap<number, OnboardingRow>;
  actions: PairActions | null;
  busy: boolean;
}) {
  const columns = [
    'Proposal',
    'Same facility?',
    { label: 'Score', num: true },
    'Evidence',
    'Decision',
    ...(actions ? [{ label: 'Actions', hidden: true }] : []),
  ];
  return (
    <DataTable label="Duplicate proposals" class="onb-pairs" columns={columns}>
      {pairs.map((pair) => (
        <tr key={pair.id} data-pair={pair.id}>
          <th scope="row">{pair.id}</th>
          <td class="onb-sides">
            {sideText(pair.a, rows)}
            <div>and {sideText(pair.b, rows)}</div>
          </td>
          <td class="num">{pct(pair.score)}</td>
          <td>
            <Evidence pair={pair} />
          </td>
          <td class="onb-decision">
            {pair.decision ? (
              DECISION[pair.decision]
            ) : (
              <strong>
                <span aria-hidden="true">! </span>needed
              </strong>
            )}
          </td>
          {actions && (
            <td>
              <div class="onb-actions">
                <button
                  type="button"
                  class="small"
                  disabled={busy}
                  onClick={() => actions.decide(pair, 'confirm')}
                  aria-label={`Confirm ${pair.id}: one facility`}
                >
                  Same facility
                </button>
                <button
                  type="button"
                  class="small secondary"
                  disabled={busy}
                  onClick={() => actions.decide(pair, 'reject')}
                  aria-label={`Reject ${pair.id}: two facilities`}
                >
                  Two facilities
                </button>
              </div>
            </td>
          )}
        </tr>
      ))}
    </DataTable>
  );
}
