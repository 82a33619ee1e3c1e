import type { EventForecast } from '@tiersight/contracts';
import type { Polygon } from 'geojson';
import { DEFAULT_FORECAST_P, forecastAnticipation, forecastBoxes, forecastP, parseEventForecast } from './index';

const box = (west: number, south: number, east: number, north: number): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [west, south],
      [east, south],
      [east, north],
      [west, north],
      [west, south],
    ],
  ],
});

/**
 * A hand-made advisory issued 28/01 06:00: forecast areas for +12 h (lon 10–12)
 * and +24 h (lon 11–14) on lat 0–2, a cone over lon 8–20, lat −1–3, and track
 * points at +0, +12, +24, +36 and +144 h along lat 1.
 */
const FORECAST: EventForecast = {
  issuedAt: '2026-01-28T06:00:00.000Z',
  areas: [
    { at: '2026-01-28T18:00:00.000Z', geometry: box(10, 0, 12, 2) },
    { at: '2026-01-29T06:00:00.000Z', geometry: box(11, 0, 14, 2) },
  ],
  cone: box(8, -1, 20, 3),
  track: [
    { at: '2026-01-28T06:00:00.000Z', coordinates: [9, 1] },
    { at: '2026-01-28T18:00:00.000Z', coordinates: [11, 1] },
    { at: '2026-01-29T06:00:00.000Z', coordinates: [13, 1] },
    { at: '2026-01-29T18:00:00.000Z', coordinates: [16, 1] },
    { at: '2026-02-03T06:00:00.000Z', coordinates: [19, 1] },
  ],
};

describe('forecast p (DESIGN §10: 0.9 at 0 h to 0.3 at 120 h)', () => {
  it.each([
    // p = 0.9 − (0.6 / 120) · lead = 0.9 − 0.005 · lead
    [0, 0.9],
    [12, 0.84],
    [24, 0.78],
    [36, 0.72],
    [60, 0.6],
    [120, 0.3],
    [144, 0.3],
    [-6, 0.9],
    [Number.NaN, 0.9],
  ])('lead %p h → p %p', (lead, p) => {
    expect(forecastP(lead)).toBeCloseTo(p, 12);
  });

  it('takes other ends as options, and keeps p strictly inside (0, 1)', () => {
    // 0.95 + (0.5 − 0.95) · 60/120 = 0.725
    expect(forecastP(60, { pAt0h: 0.95, pAt120h: 0.5 })).toBeCloseTo(0.725, 12);
    // 0.8 − 0.6 · 7.5/120 = 0.7625, to six decimals (the float sum is 0.7625000000000001)
    expect(forecastP(7.5, { pAt0h: 0.8, pAt120h: 0.2 })).toBe(0.7625);
    expect(forecastP(0, { pAt0h: 1, pAt120h: 0 })).toBeCloseTo(0.999, 12);
    expect(forecastP(500, { pAt0h: 1, pAt120h: 0 })).toBeCloseTo(0.001, 12);
    expect(DEFAULT_FORECAST_P).toEqual({ pAt0h: 0.9, pAt120h: 0.3 });
  });
});

describe('forecast anticipation of a location', () => {
  it.each([
    ['in both areas: the earliest (+12 h) counts', 1, 11.5, { basis: 'area', basisAt: '2026-01-28T18:00:00.000Z', leadHours: 12, p: 0.84 }],
    ['in the +24 h area only', 1, 13, { basis: 'area', basisAt: '2026-01-29T06:00:00.000Z', leadHours: 24, p: 0.78 }],
    ['in the cone only, nearest the +36 h point', 1, 16.2, { basis: 'track', basisAt: '2026-01-29T18:00:00.000Z', leadHours: 36, p: 0.72 }],
    ['in the cone only, nearest the +144 h point (p clamped)', 1, 19.5, { basis: 'track', basisAt: '2026-02-03T06:00:00.000Z', leadHours: 144, p: 0.3 }],
    ['in the cone only, nearest the advisory position', 1, 8.5, { basis: 'track', basisAt: '2026-01-28T06:00:00.000Z', leadHours: 0, p: 0.9 }],
    // (2.5, 10) is as far from (1, 9) as from (1, 11): the earlier point wins.
    ['in the cone only, halfway between two points', 2.5, 10, { basis: 'track', basisAt: '2026-01-28T06:00:00.000Z', leadHours: 0, p: 0.9 }],
  ])('%s', (_name, lat, lon, expected) => {
    const got = forecastAnticipation(FORECAST, lat, lon);
    expect(got).toEqual({ ...expected, p: expect.closeTo(expected.p, 12) });
  });

  it('is null outside the cone and the areas', () => {
    expect(forecastAnticipation(FORECAST, 5, 5)).toBeNull();
    expect(forecastAnticipation(FORECAST, 1, 21)).toBeNull();
  });

  it('passes the p options through', () => {
    // +36 h with 0.8 → 0.2: 0.8 − 0.6 · 36/120 = 0.62
    expect(forecastAnticipation(FORECAST, 1, 16.2, { pAt0h: 0.8, pAt120h: 0.2 })?.p).toBeCloseTo(0.62, 12);
  });

  it('cannot time a cone-only location without a track, but still times the areas', () => {
    const noTrack = { ...FORECAST, track: [] };
    expect(forecastAnticipation(noTrack, 1, 16.2)).toBeNull();
    expect(forecastAnticipation(noTrack, 1, 13)).toMatchObject({ basis: 'area', leadHours: 24 });
  });

  it('reads an area drawn across the antimeridian', () => {
    const forecast: EventForecast = { issuedAt: '2026-01-28T06:00:00Z', areas: [{ at: '2026-01-29T12:00:00Z', geometry: box(179, -20, 181, -18) }], track: [] };
    // +30 h: 0.9 − 0.005 · 30 = 0.75
    expect(forecastAnticipation(forecast, -19, -179.5)).toEqual({ basis: 'area', basisAt: '2026-01-29T12:00:00Z', leadHours: 30, p: expect.closeTo(0.75, 12) });
  });

  it('gives the boxes of every area and the cone', () => {
    expect(forecastBoxes(FORECAST)).toEqual([
      { south: 0, west: 10, north: 2, east: 12 },
      { south: 0, west: 11, north: 2, east: 14 },
      { south: -1, west: 8, north: 3, east: 20 },
    ]);
  });
});

describe('parseEventForecast', () => {
  it('keeps a good forecast, in time order, with ISO instants', () => {
    const parsed = parseEventForecast({
      issuedAt: '2026-01-28T06:00:00Z',
      areas: [...FORECAST.areas].reverse(),
      cone: FORECAST.cone,
      track: [...FORECAST.track].reverse(),
    });
    expect(parsed).toEqual(FORECAST);
  });

  it('drops malformed parts and keeps the rest', () => {
    const unclosed = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ],
      ],
    };
    const parsed = parseEventForecast({
      issuedAt: '2026-01-28T06:00:00Z',
      areas: [
        { at: 'tomorrow', geometry: box(0, 0, 1, 1) },
        { at: '2026-01-28T18:00:00Z', geometry: unclosed },
        { at: '2026-01-28T18:00:00Z', geometry: { type: 'Point', coordinates: [0, 0], radiusKm: 5 } },
        null,
        { at: '2026-01-29T06:00:00Z', geometry: box(0, 0, 1, 1) },
      ],
      cone: unclosed,
      track: [{ at: '2026-01-28T06:00:00Z', coordinates: [600, 0] }, { at: '2026-01-28T06:00:00Z' }, 'x', { at: '2026-01-28T18:00:00Z', coordinates: [1, 2] }],
    });
    expect(parsed).toEqual({
      issuedAt: '2026-01-28T06:00:00.000Z',
      areas: [{ at: '2026-01-29T06:00:00.000Z', geometry: box(0, 0, 1, 1) }],
      track: [{ at: '2026-01-28T18:00:00.000Z', coordinates: [1, 2] }],
    });
  });

  it.each([
    ['not an object', 'cone'],
    ['no advisory time', { areas: FORECAST.areas, cone: FORECAST.cone, track: [] }],
    ['a bad advisory time', { issuedAt: '28/01 06:00', areas: FORECAST.areas, track: [] }],
    ['neither an area nor a cone', { issuedAt: '2026-01-28T06:00:00Z', areas: [], track: FORECAST.track }],
  ])('is null for %s', (_name, value) => {
    expect(parseEventForecast(value)).toBeNull();
  });
});
