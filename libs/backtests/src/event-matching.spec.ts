import fc from 'fast-check';
import type { EventForecast, EventGeometry } from '@tiersight/contracts';
import { containsLocation, DEFAULT_FORECAST_P, forecastP } from '@tiersight/geo-engine';
import { matchEvents, SiteIndex, type SiteLocation } from './event-matching';
import type { EventVersion } from './event-versions';

const site = (id: string, lat: number, lon: number, country: string | null = 'AF'): SiteLocation => ({ id, lat, lon, country });
const version = (geometry: EventGeometry | null, extra: Partial<EventVersion> = {}): EventVersion => ({
  id: 'EV',
  type: 'earthquake',
  title: 'EV',
  startsAt: '2023-10-07T00:00:00.000Z',
  endsAt: null,
  severity: 0.7,
  expectedDurationDays: 14,
  geometry,
  forecast: null,
  ...extra,
});

describe('SiteIndex', () => {
  const siteArb = fc.record({ lat: fc.double({ min: -89, max: 89, noNaN: true }), lon: fc.double({ min: -180, max: 180, noNaN: true }) });

  it('finds exactly the sites a brute-force test over every site finds (points with a radius, across the antimeridian too)', () => {
    fc.assert(
      fc.property(
        fc.array(siteArb, { minLength: 1, maxLength: 60 }),
        fc.record({ lat: fc.double({ min: -80, max: 80, noNaN: true }), lon: fc.double({ min: -180, max: 180, noNaN: true }) }),
        fc.double({ min: 1, max: 3000, noNaN: true }),
        (points, centre, radiusKm) => {
          const sites = points.map((p, i) => site(`S${String(i).padStart(2, '0')}`, p.lat, p.lon));
          const geometry: EventGeometry = { type: 'Point', coordinates: [centre.lon, centre.lat], radiusKm };
          const brute = sites.filter((s) => containsLocation(geometry, s.lat, s.lon)).map((s) => s.id);
          expect(new SiteIndex(sites).inside(geometry)).toEqual(brute.sort());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('matches a polygon and a country area', () => {
    const sites = [site('A', 34.5, 62.0, 'AF'), site('B', 34.5, 63.5, 'AF'), site('C', 48.0, 2.0, 'FR')];
    const index = new SiteIndex(sites);
    const polygon: EventGeometry = {
      type: 'Polygon',
      coordinates: [
        [
          [61, 34],
          [63, 34],
          [63, 35],
          [61, 35],
          [61, 34],
        ],
      ],
    };
    expect(index.inside(polygon)).toEqual(['A']);
    expect(index.inside({ type: 'Country', countries: ['AF'] })).toEqual(['A', 'B']);
  });
});

describe('matchEvents', () => {
  const sites = new SiteIndex([site('NEAR', 34.5, 62.0), site('CONE', 34.5, 64.0), site('FAR', 10, 10)]);

  it("gives every site inside the area the event's severity and expected duration", () => {
    const [event] = matchEvents([version({ type: 'Point', coordinates: [62.05, 34.55], radiusKm: 20 })], sites, DEFAULT_FORECAST_P);
    expect(event.impacts).toEqual([{ siteId: 'NEAR', x: 0.7, days: 14 }]);
    expect(event.anticipated).toEqual([]);
    expect(event).toMatchObject({ id: 'EV', type: 'earthquake', startsAt: '2023-10-07T00:00:00.000Z', endsAt: null });
  });

  it('anticipates the sites inside a forecast area and outside the observed area, with the p of their lead time', () => {
    const box = (lon: number, lat: number, r: number) => [
      [
        [lon - r, lat - r],
        [lon + r, lat - r],
        [lon + r, lat + r],
        [lon - r, lat + r],
        [lon - r, lat - r],
      ],
    ];
    const forecast: EventForecast = {
      issuedAt: '2023-10-07T00:00:00.000Z',
      // The 48 h area covers both NEAR (observed already) and CONE.
      areas: [{ at: '2023-10-09T00:00:00.000Z', geometry: { type: 'Polygon', coordinates: box(63, 34.5, 1.5) } }],
      track: [],
    };
    const [event] = matchEvents([version({ type: 'Point', coordinates: [62.05, 34.55], radiusKm: 20 }, { forecast })], sites, DEFAULT_FORECAST_P);
    expect(event.impacts.map((i) => i.siteId)).toEqual(['NEAR']);
    expect(event.anticipated).toEqual([{ siteId: 'CONE', x: 0.7, days: 14, p: forecastP(48, DEFAULT_FORECAST_P) }]);
    expect(event.anticipated[0].p).toBeCloseTo(0.66, 10); // 0.9 − (0.9 − 0.3) · 48 / 120
  });

  it('keeps the stored hits of an event whose area cannot be matched (a sensor event)', () => {
    const [event] = matchEvents(
      [version(null, { stored: { hits: [{ siteId: 'NEAR', x: 0.5, days: 2 }], anticipated: [{ siteId: 'CONE', x: 0.5, days: 2, p: 0.85 }] } })],
      sites,
      DEFAULT_FORECAST_P,
    );
    expect(event.impacts).toEqual([{ siteId: 'NEAR', x: 0.5, days: 2 }]);
    expect(event.anticipated).toEqual([{ siteId: 'CONE', x: 0.5, days: 2, p: 0.85 }]);
  });
});
