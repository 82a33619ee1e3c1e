import type { EventView } from '@tiersight/graph';
import { eventsFromHistory, overlapsRange } from './history-events';

const view = (over: Partial<EventView>): EventView => ({
  id: 'EV',
  source: 'usgs',
  type: 'earthquake',
  title: 'Quake',
  severity: 0.7,
  expectedDurationDays: 14,
  geometry: { type: 'Point', coordinates: [62, 34.5] },
  radiusKm: 30,
  country: null,
  startsAt: '2023-10-07T06:41:03.428Z',
  status: 'active',
  updatedAt: '2023-10-07T07:00:00.000Z',
  expiresAt: null,
  sourceUrl: null,
  closedAt: null,
  closedReason: null,
  forecast: null,
  hits: [{ siteId: 'OLD', x: 0.7, days: 14 }],
  anticipatedHits: [],
  ...over,
});
const ms = (iso: string) => Date.parse(iso);

describe('the platform history as event versions', () => {
  it("lives from the event's start to its close, or past the range while active", () => {
    const [active, closed] = eventsFromHistory([
      view({ id: 'A' }),
      view({ id: 'B', status: 'closed', closedAt: '2023-10-09T00:00:00Z', closedReason: 'gone from feed' }),
    ]);
    expect(active).toMatchObject({ id: 'A', startsAt: '2023-10-07T06:41:03.428Z', endsAt: null, severity: 0.7, expectedDurationDays: 14 });
    expect(closed.endsAt).toBe('2023-10-09T00:00:00.000Z');
  });

  it('matches an area afresh (the radius read beside the point) and keeps stored hits only for what cannot be matched', () => {
    const [area, sensor] = eventsFromHistory([
      view({ id: 'A' }),
      view({
        id: 'S',
        type: 'sensor',
        radiusKm: null,
        hits: [{ siteId: 'P1', x: 0.5, days: 2 }],
        anticipatedHits: [{ siteId: 'P1', x: 0.5, days: 2, p: 0.85, source: 'sensor', leadHours: null, basis: null, basisAt: null, issuedAt: null }],
      }),
    ]);
    expect(area.geometry).toEqual({ type: 'Point', coordinates: [62, 34.5], radiusKm: 30 });
    expect(area.stored).toBeUndefined();
    expect(sensor.geometry).toBeNull();
    expect(sensor.stored).toEqual({ hits: [{ siteId: 'P1', x: 0.5, days: 2 }], anticipated: [{ siteId: 'P1', x: 0.5, days: 2, p: 0.85 }] });
  });

  it('selects the events whose life overlaps the range', () => {
    const from = ms('2023-10-08T00:00:00Z');
    const to = ms('2023-10-10T00:00:00Z');
    expect(overlapsRange(view({}), from, to)).toBe(true); // started before, still active
    expect(overlapsRange(view({ status: 'closed', closedAt: '2023-10-07T12:00:00Z' }), from, to)).toBe(false); // over before the range
    expect(overlapsRange(view({ status: 'closed', closedAt: '2023-10-08T12:00:00Z' }), from, to)).toBe(true);
    expect(overlapsRange(view({ startsAt: '2023-10-11T00:00:00Z' }), from, to)).toBe(false); // starts after it
    expect(overlapsRange(view({ startsAt: '2023-10-10T00:00:00Z' }), from, to)).toBe(true); // at its end
  });
});
