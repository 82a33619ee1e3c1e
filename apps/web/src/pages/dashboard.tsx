import { useState } from 'preact/hooks';
import { client, inBatches, unwrap } from '../api';
import { MapArea, MapSite, WorldMap } from '../components/world-map';
import { bindInput } from '../components/bind-input';
import { SHORTAGE_COLUMNS, ShortageCells } from '../components/shortage';
import { DataTable, Level, LoadState, PageTitle } from '../components/ui';
import { fmtDays, fmtPct } from '../format';
import { href } from '../router';
import type { DisruptionEvent, Exposure, Site } from '../types';
import { useAsync } from '../use-async';

/** Sites drawn on the map per load: enough to read the picture, well under the per-key rate limit. */
const MAP_SITE_CAP = 40;

interface Filters {
  eventId: string;
  category: string;
  minRevenueAtRisk: string;
}

async function loadMapData(): Promise<{ events: DisruptionEvent[]; sites: Site[]; hitCount: number }> {
  const page = await unwrap(client.GET('/v1/events', { params: { query: { status: 'active', limit: 200 } } }));
  // The worst first: the most severe, then the one hitting the most sites.
  const events = [...page.items].sort((a, b) => b.severity - a.severity || b.hits.length - a.hits.length || a.id.localeCompare(b.id));
  const hitIds = [...new Set(events.flatMap((e) => e.hits.map((h) => h.siteId)))];
  const sites = await inBatches(hitIds.slice(0, MAP_SITE_CAP), 6, (id) => unwrap(client.GET('/v1/sites/{id}', { params: { path: { id } } })).catch(() => null));
  return { events, sites: sites.filter((s): s is Site => s !== null), hitCount: hitIds.length };
}

/** A number typed in a filter box (the empty box: no filter). */
const amount = (text: string) => (text === '' ? undefined : Number(text));

/** Rows of the events table before "Show all". */
const EVENT_ROWS = 12;

function EventsSection({ events, sites, hitCount, onFilter }: { events: DisruptionEvent[]; sites: Site[]; hitCount: number; onFilter: (id: string) => void }) {
  const [all, setAll] = useState(false);
  const label = (i: number) => `E${i + 1}`;
  const shown = all ? events : events.slice(0, EVENT_ROWS);
  // Only the events listed in the table carry a label on the map, so every label can be looked up.
  const areas: MapArea[] = events.map((e, i) => ({
    id: e.id,
    label: all || i < EVENT_ROWS ? label(i) : '',
    title: `${label(i)} ${e.title}`,
    geometry: e.geometry,
    radiusKm: e.radiusKm,
  }));
  const mapSites: MapSite[] = sites.map((s) => ({
    id: s.id,
    label: s.id,
    title: `${s.name ?? 'site of a masked supplier'} (${s.id}, ${s.country}) — hit`,
    lat: s.lat,
    lon: s.lon,
    kind: 'hit',
  }));
  const caption =
    `World map: ${events.length} active ${events.length === 1 ? 'event' : 'events'} and ${sites.length} of the ${hitCount} sites they hit.` +
    (hitCount > sites.length ? ` The first ${sites.length} are drawn; every event is listed below.` : '');
  return (
    <section aria-labelledby="events-h">
      <h2 id="events-h">Active events</h2>
      <WorldMap areas={areas} sites={mapSites} caption={caption} />
      {events.length === 0 ? (
        <p>No active events.</p>
      ) : (
        <DataTable label="Active events" columns={['Map', 'Event', 'Type', 'Severity', 'Expected duration', 'Sites hit', { label: 'Actions', hidden: true }]}>
          {shown.map((e, i) => (
            <tr key={e.id} data-event-id={e.id}>
              <td>{label(i)}</td>
              <th scope="row">
                {e.title}
                <div class="sub">{e.id}</div>
              </th>
              <td>{e.type}</td>
              <td>
                <Level value={e.severity} />
              </td>
              <td>{fmtDays(e.expectedDurationDays)}</td>
              <td>{e.hits.length}</td>
              <td>
                <button type="button" class="small" onClick={() => onFilter(e.id)} aria-label={`Show SKUs exposed to ${e.title}`}>
                  Exposed SKUs
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {events.length > EVENT_ROWS && (
        <button type="button" class="secondary" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? `Show the ${EVENT_ROWS} most severe` : `Show all ${events.length} events`}
        </button>
      )}
    </section>
  );
}

/** Without `outlook=true` the list answers exposures (the other shape is the outlook list). */
const exposuresOf = (page: { items: unknown[] }) => page.items as Exposure[];

function ExposuresSection({ filters, setFilters }: { filters: Filters; setFilters: (f: Filters) => void }) {
  const [pages, setPages] = useState<Exposure[][]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const query = { limit: 25, eventId: filters.eventId, category: filters.category, minRevenueAtRisk: amount(filters.minRevenueAtRisk) };
  const first = useAsync(async () => {
    const page = await unwrap(client.GET('/v1/exposures', { params: { query } }));
    setPages([exposuresOf(page)]);
    setCursor(page.nextCursor);
    return page;
  }, [filters.eventId, filters.category, filters.minRevenueAtRisk]);
  const more = async () => {
    if (!cursor) return;
    const page = await unwrap(client.GET('/v1/exposures', { params: { query: { ...query, cursor } } }));
    setPages([...pages, exposuresOf(page)]);
    setCursor(page.nextCursor);
  };
  const rows = pages.flat();
  const [draft, setDraft] = useState(filters);
  const field = bindInput(draft, setDraft);
  return (
    <section aria-labelledby="exposures-h">
      <h2 id="exposures-h">Exposed SKUs by revenue at risk</h2>
      <details class="filter-box" open={Boolean(filters.eventId || filters.category || filters.minRevenueAtRisk)}>
        <summary>Filter the list</summary>
        <form
          class="filters"
          onSubmit={(e) => {
            e.preventDefault();
            setFilters(draft);
          }}
        >
          <label>
            Event id
            <input {...field('eventId')} />
          </label>
          <label>
            Category
            <input {...field('category')} />
          </label>
          <label>
            Minimum revenue at risk
            <input type="number" min="0" inputMode="numeric" {...field('minRevenueAtRisk')} />
          </label>
          <button type="submit">Filter</button>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              const none = { eventId: '', category: '', minRevenueAtRisk: '' };
              setDraft(none);
              setFilters(none);
            }}
          >
            Clear
          </button>
        </form>
      </details>
      {filters.eventId && <p class="status">Showing SKUs exposed to event {filters.eventId}.</p>}
      <LoadState state={first} what="exposures" />
      {!first.loading && !first.error && rows.length === 0 && (
        <p>No SKU is exposed{filters.eventId || filters.category || filters.minRevenueAtRisk ? ' with these filters' : ''}.</p>
      )}
      {rows.length > 0 && (
        <DataTable label="Exposed SKUs" class="exposures" columns={['#', 'SKU', ...SHORTAGE_COLUMNS, 'Events', 'Path confirmed']}>
          {rows.map((x, i) => (
            <tr key={x.skuId} data-sku-id={x.skuId}>
              <td>{i + 1}</td>
              <th scope="row">
                <a href={href('skus', x.skuId)}>{x.name ?? x.skuId}</a>
                <div class="sub">
                  {x.skuId}
                  {x.category ? ` · ${x.category}` : ''}
                </div>
              </th>
              <ShortageCells shortage={x} />
              <td class="ids">{x.eventIds.join(', ')}</td>
              <td>{x.confidence ? `${fmtPct(1 - x.confidence.inferredShare)} of ${x.confidence.hops} hops` : '—'}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {cursor && (
        <button type="button" class="secondary" onClick={more}>
          Show more
        </button>
      )}
    </section>
  );
}

export function DashboardPage({ eventId }: { eventId: string }) {
  const map = useAsync(loadMapData, []);
  const [filters, setFiltersState] = useState<Filters>({ eventId, category: '', minRevenueAtRisk: '' });
  const setFilters = (f: Filters) => {
    setFiltersState(f);
    history.replaceState(null, '', f.eventId ? `#/dashboard?event=${encodeURIComponent(f.eventId)}` : '#/dashboard');
  };
  return (
    <div class="dashboard">
      <PageTitle>Risk dashboard</PageTitle>
      <div class="grid-2">
        <ExposuresSection key={filters.eventId} filters={filters} setFilters={setFilters} />
        <div>
          <LoadState state={map} what="events and sites" />
          {map.data && <EventsSection {...map.data} onFilter={(id) => setFilters({ ...filters, eventId: id })} />}
        </div>
      </div>
    </div>
  );
}
