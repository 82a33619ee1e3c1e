import { useEffect, useRef } from 'preact/hooks';
import { bindInput } from './bind-input';
import type { OnboardingRow, RowDecision } from './onboarding-review-api';
import { fmtDeg, rowName } from './onboarding-review-text';
import { ErrorNote } from './ui';

/** The edit form's fields, as typed. */
export interface EditDraft {
  lat: string;
  lon: string;
  country: string;
  name: string;
}

/** The form filled with the row as it stands: its edit if it has one, else where the review placed it. */
export function draftOf(row: OnboardingRow): EditDraft {
  const d = row.decision?.action === 'edit' ? row.decision : null;
  const lat = d?.lat ?? row.location?.lat;
  const lon = d?.lon ?? row.location?.lon;
  return {
    lat: lat === undefined ? '' : fmtDeg(lat),
    lon: lon === undefined ? '' : fmtDeg(lon),
    country: d?.country ?? row.country ?? '',
    name: d?.name ?? row.name ?? '',
  };
}

const inRange = (text: string, limit: number) => text.trim() !== '' && Number.isFinite(Number(text)) && Math.abs(Number(text)) <= limit;

/** The point a draft holds, when both coordinates are numbers in range (the map shows it while the person types). */
export function draftPoint(d: EditDraft): { lat: number; lon: number } | null {
  return inRange(d.lat, 90) && inRange(d.lon, 180) ? { lat: Number(d.lat), lon: Number(d.lon) } : null;
}

/** The edit decision a draft makes, or the first thing to fix. */
export function editDecision(row: OnboardingRow, d: EditDraft): RowDecision | string {
  if (!inRange(d.lat, 90)) return 'Latitude must be a number between -90 and 90.';
  if (!inRange(d.lon, 180)) return 'Longitude must be a number between -180 and 180.';
  const country = d.country.trim().toUpperCase();
  if (country && !/^[A-Z]{2}$/.test(country)) return 'Country must be a two-letter ISO 3166 code, such as VN or US.';
  if (!country && !row.country) return 'This row has no country the review could read: give its two-letter code.';
  const name = d.name.trim();
  if (!name && !row.name) return 'This row has no facility name: give one.';
  return {
    row: row.row,
    action: 'edit',
    lat: Number(d.lat),
    lon: Number(d.lon),
    ...(country && country !== row.country ? { country } : {}),
    ...(name && name !== row.name ? { name } : {}),
  };
}

/** Sets a row's pin (typed, or clicked on the map beside it) and, for a row the review could not read, its country and name. */
export function EditRowForm({
  row,
  draft,
  setDraft,
  onSave,
  onCancel,
  busy,
  error,
}: {
  row: OnboardingRow;
  draft: EditDraft;
  setDraft: (d: EditDraft) => void;
  onSave: () => void;
  onCancel: () => void;
  busy: boolean;
  error: string | null;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [row.row]);
  const field = bindInput(draft, setDraft);
  return (
    <form
      id="onb-edit"
      class="stack onb-edit"
      aria-labelledby="onb-edit-h"
      onSubmit={(e) => {
        e.preventDefault();
        onSave();
      }}
    >
      <h3 id="onb-edit-h" tabIndex={-1} ref={heading}>
        Edit row {row.row}: {rowName(row)}
      </h3>
      <p class="sub" id="onb-edit-help">
        Type the coordinates, or click the map to put the pin there. Country and name are needed only where the review could not read them.
      </p>
      <div class="row">
        <label>
          Latitude
          <input name="lat" type="number" step="any" min="-90" max="90" inputMode="decimal" required aria-describedby="onb-edit-help" {...field('lat')} />
        </label>
        <label>
          Longitude
          <input name="lon" type="number" step="any" min="-180" max="180" inputMode="decimal" required aria-describedby="onb-edit-help" {...field('lon')} />
        </label>
      </div>
      <div class="row">
        <label>
          Country (ISO code)
          <input name="country" maxLength={2} autoComplete="off" required={!row.country} {...field('country')} />
        </label>
        <label>
          Facility name
          <input name="name" maxLength={256} required={!row.name} {...field('name')} />
        </label>
      </div>
      <div class="row">
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save the pin'}
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {error && <ErrorNote message={error} />}
    </form>
  );
}
