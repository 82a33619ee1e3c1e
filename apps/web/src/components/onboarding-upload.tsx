import { useState } from 'preact/hooks';
import { ApiError, errorText } from '../api';
import type { OnboardingApi } from './onboarding-review-api';
import { ErrorNote } from './ui';

/** The list fields a mapping can name (the API's LIST_FIELDS). */
const FIELDS = 'name, address, country, city, postalCode, admin1, sector, parts, supplierRef';

/** Why an upload was refused, in the person's terms (the API's problem detail says what to change). */
function uploadProblem(error: unknown): string {
  if (!(error instanceof ApiError)) return errorText(error);
  const detail = error.detail ?? error.title;
  if (error.status === 413) return `The file is too large: ${detail}`;
  if (error.status === 415) return `Not a CSV or XLSX file: ${detail}`;
  if (error.status === 422) return `The file could not be read: ${detail}`;
  return errorText(error);
}

/**
 * Uploads a supplier list (CSV or XLSX) for review; nothing is written until
 * the review is confirmed. `onUploaded` gets the new list's id.
 */
export function OnboardingUpload({ api, onUploaded, fileLabel }: { api: OnboardingApi; onUploaded: (id: string) => void; fileLabel: string }) {
  const [file, setFile] = useState<File | null>(null);
  const [mapping, setMapping] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file) return setError('Choose a CSV or XLSX file first.');
    setBusy(true);
    setError(null);
    try {
      const accepted = await api.upload(file, mapping);
      onUploaded(accepted.id);
    } catch (err) {
      setError(uploadProblem(err));
      setBusy(false);
    }
  };
  return (
    <form class="stack onb-upload" onSubmit={submit} aria-label="Upload a supplier list">
      <label>
        {fileLabel}
        <input
          name="file"
          type="file"
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          aria-describedby="onb-file-help"
          onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)}
        />
      </label>
      <p id="onb-file-help" class="sub">
        One facility per row, with a header row. Columns are found by their names (name, address, country, city, postal code, sector, …, in several languages);
        addresses may be free text. Nothing is saved until you confirm the review.
      </p>
      <details class="filter-box">
        <summary>Columns named differently?</summary>
        <label>
          Column mapping (JSON, optional)
          <textarea
            name="mapping"
            rows={3}
            value={mapping}
            spellcheck={false}
            placeholder='{"name": "Fabrik", "address": "Anschrift"}'
            aria-describedby="onb-mapping-help"
            onInput={(e) => setMapping((e.target as HTMLTextAreaElement).value)}
          />
        </label>
        <p id="onb-mapping-help" class="sub">
          From a field ({FIELDS}) to the header of the column that holds it.
        </p>
      </details>
      <button type="submit" disabled={busy}>
        {busy ? 'Uploading…' : 'Upload and review'}
      </button>
      {error && <ErrorNote message={error} />}
    </form>
  );
}
