import { useState } from 'preact/hooks';
import { ApiError, client, errorText, unwrap } from '../api';
import { bindInput } from '../components/bind-input';
import { SHORTAGE_COLUMNS, ShortageCells } from '../components/shortage';
import { DataTable, ErrorNote, PageTitle } from '../components/ui';
import { fmtMoney } from '../format';
import { href } from '../router';
import type { ScenarioAnswer, ScenarioBody } from '../types';

type Kind = 'sites' | 'suppliers' | 'area';

interface Draft {
  kind: Kind;
  ids: string;
  lat: string;
  lon: string;
  radiusKm: string;
  loss: string;
  days: string;
  threshold: string;
}

const splitIds = (s: string) =>
  s
    .split(/[\s,;]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/** The form as the API's scenario body, or the first thing a person must fix. */
export function scenarioBody(d: Draft): { body: ScenarioBody } | { problem: string } {
  const loss = Number(d.loss) / 100;
  const days = Number(d.days);
  if (!(loss > 0 && loss <= 1)) return { problem: 'Loss must be between 1 and 100 %.' };
  if (!(days > 0 && days <= 3650)) return { problem: 'Days must be between 1 and 3650.' };
  const threshold = d.threshold === '' ? undefined : Number(d.threshold) / 100;
  if (threshold !== undefined && !(threshold >= 0 && threshold <= 1)) return { problem: 'Threshold must be between 0 and 100 %.' };
  if (d.kind === 'area') {
    const lat = Number(d.lat);
    const lon = Number(d.lon);
    const radiusKm = Number(d.radiusKm);
    if (d.lat === '' || !(lat >= -90 && lat <= 90)) return { problem: 'Latitude must be between -90 and 90.' };
    if (d.lon === '' || !(lon >= -180 && lon <= 180)) return { problem: 'Longitude must be between -180 and 180.' };
    if (!(radiusKm > 0)) return { problem: 'Radius must be more than 0 km.' };
    return { body: { impacts: [{ geometry: { type: 'Point', coordinates: [lon, lat] }, radiusKm, severity: loss, days }], threshold } };
  }
  const ids = splitIds(d.ids);
  if (ids.length === 0) return { problem: `List at least one ${d.kind === 'sites' ? 'site' : 'supplier'} id.` };
  const impact = d.kind === 'sites' ? { siteIds: ids, x: loss, days } : { supplierIds: ids, x: loss, days };
  return { body: { impacts: [impact], threshold } };
}

/** What-if: run hypothetical impacts through the engine; nothing is stored and no one is alerted. */
export function ScenarioPage() {
  const [d, setD] = useState<Draft>({ kind: 'sites', ids: '', lat: '', lon: '', radiusKm: '100', loss: '100', days: '14', threshold: '5' });
  const [answer, setAnswer] = useState<ScenarioAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const field = bindInput(d, setD);

  const run = async (e: Event) => {
    e.preventDefault();
    const built = scenarioBody(d);
    if ('problem' in built) {
      setError(built.problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setAnswer(await unwrap(client.POST('/v1/scenarios', { body: built.body })));
    } catch (err) {
      setAnswer(null);
      setError(err instanceof ApiError && err.errors.length ? err.errors.map((x) => x.message).join('; ') : errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <PageTitle>What-if scenario</PageTitle>
      <p>Lose some sites, a supplier or everything in an area for a while, and see which SKUs run short. Nothing is stored and no alert is sent.</p>
      <form class="stack scenario-form" onSubmit={run}>
        <fieldset>
          <legend>What is lost</legend>
          {(['sites', 'suppliers', 'area'] as Kind[]).map((k) => (
            <label key={k} class="inline checkbox">
              <input type="radio" name="kind" value={k} checked={d.kind === k} onChange={() => setD({ ...d, kind: k })} />{' '}
              {k === 'sites' ? 'Sites' : k === 'suppliers' ? 'Suppliers (all their sites)' : 'An area (a point and a radius)'}
            </label>
          ))}
        </fieldset>
        {d.kind !== 'area' ? (
          <label>
            {d.kind === 'sites' ? 'Site ids' : 'Supplier ids'} (separated by commas or spaces)
            <input name="ids" {...field('ids')} />
          </label>
        ) : (
          <div class="row">
            <label>
              Latitude
              <input name="lat" type="number" step="any" min="-90" max="90" {...field('lat')} />
            </label>
            <label>
              Longitude
              <input name="lon" type="number" step="any" min="-180" max="180" {...field('lon')} />
            </label>
            <label>
              Radius (km)
              <input name="radiusKm" type="number" step="any" min="1" {...field('radiusKm')} />
            </label>
          </div>
        )}
        <div class="row">
          <label>
            Loss of output (%)
            <input name="loss" type="number" min="1" max="100" {...field('loss')} />
          </label>
          <label>
            For how many days
            <input name="days" type="number" min="1" max="3650" {...field('days')} />
          </label>
          <label>
            Report SKUs short by at least (%)
            <input name="threshold" type="number" min="0" max="100" {...field('threshold')} />
          </label>
        </div>
        <button type="submit" disabled={busy}>
          {busy ? 'Running…' : 'Run scenario'}
        </button>
      </form>
      {error && <ErrorNote message={error} />}
      {answer && (
        <section aria-labelledby="answer-h" aria-live="polite">
          <h2 id="answer-h">Result</h2>
          <p role="status">
            {answer.exposures.length === 0
              ? 'No SKU would run short.'
              : `${answer.exposures.length} ${answer.exposures.length === 1 ? 'SKU' : 'SKUs'} would run short, ${fmtMoney(
                  answer.exposures.reduce((s, x) => s + x.revenueAtRisk, 0),
                )} of revenue at risk in all.`}
            {answer.impactedSites !== undefined && ` ${answer.impactedSites} ${answer.impactedSites === 1 ? 'site' : 'sites'} impacted.`}
          </p>
          {answer.exposures.length > 0 && (
            <DataTable label="Scenario result" columns={['SKU', ...SHORTAGE_COLUMNS, 'Path']}>
              {answer.exposures.map((x) => (
                <tr key={x.skuId}>
                  <th scope="row">
                    <a href={href('skus', x.skuId)}>{x.skuId}</a>
                  </th>
                  <ShortageCells shortage={x} />
                  <td>{x.criticalPath.map((h) => h.nodeId).join(' → ')}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </section>
      )}
    </div>
  );
}
