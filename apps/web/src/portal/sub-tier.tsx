import { useState } from 'preact/hooks';
import { ApiError, errorText, RowError } from '../api';
import { bindInput } from '../components/bind-input';
import { DataTable, ErrorNote, LoadState, OkNote, PageTitle } from '../components/ui';
import { useAsync } from '../use-async';
import { DisclosedSupplier, DisclosureEntity, DisclosureResult, portal } from './portal-api';

interface SupplierDraft {
  ref: string;
  name: string;
  country: string;
  visibility: DisclosedSupplier['visibility'];
}

const EMPTY: SupplierDraft = { ref: '', name: '', country: '', visibility: 'shared' };

const CSV_HEADERS: Record<DisclosureEntity, string> = {
  suppliers: 'ref,name,country,visibility',
  sites: 'ref,supplierRef,name,kind,lat,lon,country,ttrDays',
  links: 'fromSiteRef,toSiteId (or toSiteRef),part,partName,share,bufferDays,leadTimeDays',
};

/** Row errors as a table a person can fix a file from: line (or row), field, what is wrong. */
function RowErrors({ errors, summary }: { errors: RowError[]; summary: string }) {
  return (
    <div class="error-note row-errors" role="alert">
      <p>
        <strong>Nothing was saved.</strong> {summary}
      </p>
      <DataTable label="Rows to fix" class="row-error-table" columns={['Line', 'Field', 'Problem']}>
        {errors.map((e, i) => (
          <tr key={i}>
            <td>{e.line !== undefined ? `line ${e.line}` : e.index !== undefined && e.index >= 0 ? `${e.entity ?? 'row'} #${e.index + 1}` : '—'}</td>
            <td>{e.field || '—'}</td>
            <td>{e.message}</td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}

function Outcome({ error, done }: { error: unknown; done: string | null }) {
  if (done) return <OkNote>{done}</OkNote>;
  if (!error) return null;
  if (error instanceof ApiError && error.errors.length) return <RowErrors errors={error.errors} summary={error.detail ?? error.title} />;
  return <ErrorNote message={errorText(error)} />;
}

const savedText = (r: DisclosureResult) =>
  `Saved: ${r.suppliers} ${r.suppliers === 1 ? 'supplier' : 'suppliers'}, ${r.sites} ${r.sites === 1 ? 'site' : 'sites'}, ${r.links} ${r.links === 1 ? 'link' : 'links'}.`;

function SupplierForm({ initial, onSaved, onCancel }: { initial: SupplierDraft; onSaved: (msg: string) => void; onCancel?: () => void }) {
  const [d, setD] = useState(initial);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const editing = initial.ref !== '';
  const field = bindInput(d, setD);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await portal.disclose({
        suppliers: [{ ref: d.ref.trim(), name: d.name.trim(), country: d.country.trim().toUpperCase(), visibility: d.visibility }],
      });
      onSaved(`${editing ? 'Updated' : 'Added'} ${d.name.trim()}. ${savedText(r)}`);
      if (!editing) setD(EMPTY);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const id = editing ? 'edit' : 'add';
  return (
    <form class="stack" onSubmit={submit} aria-label={editing ? `Edit ${initial.name}` : 'Add a sub-tier supplier'}>
      <div class="row">
        <label>
          Your reference
          <input name="ref" required {...field('ref')} readOnly={editing} aria-describedby={`${id}-ref-help`} />
          <span id={`${id}-ref-help`} class="sub">
            {editing ? 'The reference names the supplier; it cannot change.' : 'Your own code for this supplier (letters, digits, . _ : - /).'}
          </span>
        </label>
        <label>
          Name
          <input name="name" required {...field('name')} />
        </label>
        <label>
          Country (ISO code)
          <input name="country" required maxLength={2} {...field('country')} autoComplete="country" />
        </label>
      </div>
      <fieldset>
        <legend>Who may see the name</legend>
        <label class="inline checkbox">
          <input type="radio" name={`${id}-visibility`} checked={d.visibility === 'shared'} onChange={() => setD({ ...d, visibility: 'shared' })} /> Shared with
          the buyer
        </label>
        <label class="inline checkbox">
          <input type="radio" name={`${id}-visibility`} checked={d.visibility === 'masked'} onChange={() => setD({ ...d, visibility: 'masked' })} /> Masked: the
          buyer sees only its id, country, tier and locations
        </label>
      </fieldset>
      <div class="row">
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : editing ? 'Save changes' : 'Add supplier'}
        </button>
        {onCancel && (
          <button type="button" class="secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      <Outcome error={error} done={null} />
    </form>
  );
}

function CsvUpload({ onSaved }: { onSaved: (msg: string) => void }) {
  const [entity, setEntity] = useState<DisclosureEntity>('suppliers');
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pick = async (e: Event) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    setFileName(file.name);
    setText(await file.text());
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    if (!text.trim()) {
      setError(new Error('Choose a CSV file or paste its text first.'));
      return;
    }
    setBusy(true);
    try {
      const r = await portal.discloseCsv(entity, text);
      const msg = `${fileName ?? 'The CSV'} was accepted. ${savedText(r)}`;
      setDone(msg);
      onSaved(msg);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="stack csv-upload" onSubmit={submit} aria-label="Upload a CSV file">
      <label>
        What the file lists
        <select name="entity" value={entity} onChange={(e) => setEntity((e.target as HTMLSelectElement).value as DisclosureEntity)}>
          <option value="suppliers">Sub-tier suppliers</option>
          <option value="sites">Their sites</option>
          <option value="links">Links from their sites to yours</option>
        </select>
      </label>
      <p class="sub">
        First line: <code>{CSV_HEADERS[entity]}</code>. The whole file is checked first; if any row is wrong nothing is saved and every problem is listed with
        its line.
      </p>
      <label>
        CSV file
        <input name="csv-file" type="file" accept=".csv,text/csv" onChange={pick} />
      </label>
      <label>
        Or paste the CSV text
        <textarea name="csv-text" rows={6} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} spellcheck={false} />
      </label>
      <button type="submit" disabled={busy}>
        {busy ? 'Uploading…' : 'Upload'}
      </button>
      <Outcome error={error} done={done} />
    </form>
  );
}

export function SubTierPage() {
  const [version, setVersion] = useState(0);
  const [editing, setEditing] = useState<DisclosedSupplier | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const list = useAsync(() => portal.suppliers(), [version]);
  const saved = (msg: string) => {
    setNotice(msg);
    setEditing(null);
    setVersion((v) => v + 1);
  };
  const suppliers = list.data?.items ?? [];
  return (
    <div>
      <PageTitle>My sub-tier suppliers</PageTitle>
      <p>The suppliers that supply you, their sites and what they ship to your sites. Masked suppliers are shown to the buyer without their name.</p>
      {notice && <OkNote>{notice}</OkNote>}
      <div class="grid-2">
        <section aria-labelledby="subtier-h">
          <h2 id="subtier-h">Suppliers you disclosed ({suppliers.length})</h2>
          <LoadState state={list} what="your sub-tier suppliers" />
          {list.data && suppliers.length === 0 && <p>None yet.</p>}
          {suppliers.length > 0 && (
            <DataTable
              label="Sub-tier suppliers"
              class="sub-tier"
              columns={['Supplier', 'Country', 'Name shown to the buyer', { label: 'Sites', num: true }, { label: 'Actions', hidden: true }]}
            >
              {suppliers.map((s) => (
                <tr key={s.id} data-ref={s.ref}>
                  <th scope="row">
                    {s.name}
                    <div class="sub">
                      ref {s.ref} · {s.id}
                    </div>
                  </th>
                  <td>{s.country}</td>
                  <td>{s.visibility === 'masked' ? 'no (masked)' : 'yes (shared)'}</td>
                  <td class="num">{s.siteCount}</td>
                  <td>
                    <button type="button" class="small secondary" onClick={() => setEditing(s)} aria-label={`Edit ${s.name}`}>
                      Edit
                    </button>
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
          {editing && (
            <>
              <h3>Edit {editing.name}</h3>
              <SupplierForm
                key={editing.id}
                initial={{ ref: editing.ref, name: editing.name, country: editing.country, visibility: editing.visibility }}
                onSaved={saved}
                onCancel={() => setEditing(null)}
              />
            </>
          )}
        </section>
        <div>
          <section aria-labelledby="add-h">
            <h2 id="add-h">Add a supplier</h2>
            <SupplierForm initial={EMPTY} onSaved={saved} />
          </section>
          <section aria-labelledby="csv-h">
            <h2 id="csv-h">Upload a CSV file</h2>
            <CsvUpload onSaved={() => setVersion((v) => v + 1)} />
          </section>
        </div>
      </div>
    </div>
  );
}
