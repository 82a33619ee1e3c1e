import { DataTable, LoadState, PageTitle } from '../components/ui';
import { MapSite, WorldMap } from '../components/world-map';
import { fmtDate, fmtDays } from '../format';
import type { Session } from '../session';
import { useAsync } from '../use-async';
import { portal } from './portal-api';

export function MySitesPage({ session }: { session: Session }) {
  const state = useAsync(() => portal.sites(), []);
  const sites = state.data?.items ?? [];
  const mapSites: MapSite[] = sites.map((s) => ({
    id: s.id,
    label: s.name,
    title: `${s.name} (${s.kind}, ${s.country})`,
    lat: s.lat,
    lon: s.lon,
    kind: 'plain',
  }));
  return (
    <div>
      <PageTitle>My sites</PageTitle>
      <p>The sites {session.label} operates, as the buyer's supply map holds them.</p>
      <LoadState state={state} what="your sites" />
      {state.data && (
        <div class="grid-2">
          <section aria-labelledby="sites-h">
            <h2 id="sites-h">Sites ({sites.length})</h2>
            {sites.length === 0 ? (
              <p>No site is recorded for you yet.</p>
            ) : (
              <DataTable label="My sites" class="my-sites" columns={['Site', 'Kind', 'Country', 'Location', { label: 'Time to recover', num: true }, 'Status']}>
                {sites.map((s) => (
                  <tr key={s.id} data-site-id={s.id}>
                    <th scope="row">
                      {s.name}
                      <div class="sub">
                        {s.id}
                        {s.ref ? ` · your ref ${s.ref}` : ''}
                      </div>
                    </th>
                    <td>{s.kind}</td>
                    <td>{s.country}</td>
                    <td>
                      {s.lat.toFixed(3)}, {s.lon.toFixed(3)}
                    </td>
                    <td class="num">{s.ttrDays === null ? '—' : fmtDays(s.ttrDays)}</td>
                    <td>
                      {s.status}
                      <div class="sub">confirmed {fmtDate(s.confirmedAt)}</div>
                    </td>
                  </tr>
                ))}
              </DataTable>
            )}
          </section>
          <section aria-labelledby="sites-map-h">
            <h2 id="sites-map-h">On the map</h2>
            <WorldMap
              areas={[]}
              sites={mapSites}
              caption={`World map of your ${sites.length} ${sites.length === 1 ? 'site' : 'sites'}; the table lists them.`}
            />
          </section>
        </div>
      )}
    </div>
  );
}
