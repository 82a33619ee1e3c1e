import { forecastAnticipation } from '@tiersight/geo-engine';
import { gdacsGeoJsonAdapter } from './gdacs-geojson.adapter';
import { labelTime } from './gdacs-cyclone';
import { expectWellFormed, feedContext, upserts } from './testing/feed-fixtures';

/** A square ring of half-side `r` degrees around (lon, lat). */
const square = (lon: number, lat: number, r: number) => [
  [lon - r, lat - r],
  [lon + r, lat - r],
  [lon + r, lat + r],
  [lon - r, lat + r],
  [lon - r, lat - r],
];

const common = { eventtype: 'TC', eventid: 77, alertlevel: 'Orange', name: 'Test storm', fromdate: '2025-12-31T18:00:00' };
interface Feature {
  type: 'Feature';
  geometry: { type: string; coordinates: unknown };
  properties: Record<string, string | number | undefined>;
}
const feature = (cls: string, label: string, date: string | undefined, coordinates: unknown, type = 'Polygon'): Feature => ({
  type: 'Feature',
  geometry: { type, coordinates },
  properties: { ...common, Class: cls, polygonlabel: label, ...(date ? { polygondate: date } : {}) },
});
const labelOf = (f: Feature) => String(f.properties.polygonlabel ?? '');
const classOf = (f: Feature) => String(f.properties.Class);

const ADVISORY = '2025-12-31T18:00:00';
/** Steps every 12 h from 31/12 18:00 along a line to the south-east: the storm crosses New Year. */
const STEPS: Array<[string, string, number, number]> = [
  ['31/12 18:00', '2025-12-31T18:00:00', 150, -15],
  ['01/01 06:00', '2026-01-01T06:00:00', 151, -17],
  ['01/01 18:00', '2026-01-01T18:00:00', 152, -19],
];

/** A hand-made GDACS cyclone geometry document like the real one: centroid, buffers per step, markers, track lines, swath and cone. */
function advisory(): { type: 'FeatureCollection'; features: Feature[] } {
  return {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', geometry: { type: 'Point', coordinates: [151, -17] }, properties: { ...common, Class: 'Point_Centroid' } } as Feature,
      ...STEPS.map(([label, date, lon, lat]) => feature('Poly_Green', label, date, [square(lon, lat, 0.5)])),
      ...STEPS.map(([label, date, lon, lat]) => feature('Poly_Red', label, date, [square(lon, lat, 0)])), // zero extent, as GDACS writes
      ...STEPS.map(([label, , lon, lat], i) => feature(`Point_Polygon_Point_${i}`, `${label} UTC`, ADVISORY, [square(lon, lat, 0.03)])),
      feature(
        'Line_Line_0',
        'TS',
        ADVISORY,
        [
          [150, -15],
          [152, -19],
        ],
        'LineString',
      ),
      feature('Poly_Green', '60 km/h', ADVISORY, [square(151, -17, 4)]),
      feature('Poly_Cones', 'Uncertainty Cones', ADVISORY, [square(151, -17, 3)]),
    ],
  };
}

type Doc = ReturnType<typeof advisory>;
const parse = (doc: unknown) => gdacsGeoJsonAdapter.parse(JSON.stringify(doc), feedContext());
const only = (doc: unknown) => {
  const result = parse(doc);
  expectWellFormed(result);
  expect(result.deadLetters).toEqual([]);
  const events = upserts(result);
  expect(events).toHaveLength(1);
  return events[0];
};
const where = (doc: Doc, cls: string, label: string) => doc.features.find((f) => classOf(f) === cls && labelOf(f) === label)!;

describe('GDACS cyclone advisories split by time (DESIGN §10)', () => {
  it('reads a storm over New Year: the year of a dd/mm label is the one nearest the advisory', () => {
    const storm = only(advisory());
    expect(storm.geometry).toEqual({ type: 'Polygon', coordinates: [square(150, -15, 0.5)] });
    expect(storm.forecast).toEqual({
      issuedAt: '2025-12-31T18:00:00.000Z',
      areas: [
        { at: '2026-01-01T06:00:00.000Z', geometry: { type: 'Polygon', coordinates: [square(151, -17, 0.5)] } },
        { at: '2026-01-01T18:00:00.000Z', geometry: { type: 'Polygon', coordinates: [square(152, -19, 0.5)] } },
      ],
      cone: { type: 'Polygon', coordinates: [square(151, -17, 3)] },
      track: [
        { at: '2025-12-31T18:00:00.000Z', coordinates: [150, -15] },
        { at: '2026-01-01T06:00:00.000Z', coordinates: [151, -17] },
        { at: '2026-01-01T18:00:00.000Z', coordinates: [152, -19] },
      ],
    });
    // Inside the +24 h area: 0.9 − 0.005 · 24 = 0.78; in the cone only, nearest the +12 h point: 0.84.
    expect(forecastAnticipation(storm.forecast!, -19, 152)).toMatchObject({ basis: 'area', leadHours: 24, p: expect.closeTo(0.78, 12) });
    expect(forecastAnticipation(storm.forecast!, -17, 153.5)).toMatchObject({ basis: 'track', leadHours: 12, p: expect.closeTo(0.84, 12) });
  });

  it.each([
    ['31/12 18:00', '2026-01-01T02:00:00Z', '2025-12-31T18:00:00.000Z'],
    ['01/01 06:00 UTC', '2025-12-31T18:00:00Z', '2026-01-01T06:00:00.000Z'],
    ['28/01 06:00', '2026-01-28T06:00:00Z', '2026-01-28T06:00:00.000Z'],
    ['29/02 06:00', '2028-02-20T00:00:00Z', '2028-02-29T06:00:00.000Z'],
    ['29/02 06:00', '2028-08-20T00:00:00Z', '2028-02-29T06:00:00.000Z'],
  ])('times %s near %s as %s', (label, reference, expected) => {
    expect(new Date(labelTime(label, reference)!).toISOString()).toBe(expected);
  });

  // No 29/02 within half a year of 2027-02-20 (2028-02-29 is a year off).
  it.each([['29/02 06:00'], ['32/01 06:00'], ['01/13 06:00'], ['01/01 24:00'], ['60 km/h'], ['']])('cannot time %p', (label) => {
    expect(labelTime(label, '2027-02-20T00:00:00Z')).toBeNull();
  });

  it('takes the earliest step as the advisory when no part gives its time', () => {
    const doc = advisory();
    for (const f of doc.features) if (!/^\d/.test(labelOf(f)) || classOf(f).startsWith('Point_Polygon')) delete f.properties.polygondate;
    const storm = only(doc);
    expect(storm.geometry).toEqual({ type: 'Polygon', coordinates: [square(150, -15, 0.5)] });
    expect(storm.forecast).toMatchObject({
      issuedAt: '2025-12-31T18:00:00.000Z',
      areas: [{ at: '2026-01-01T06:00:00.000Z' }, { at: '2026-01-01T18:00:00.000Z' }],
    });
    expect(storm.forecast!.track).toHaveLength(3);
  });

  it('leaves out malformed forecast parts and keeps the rest of the event', () => {
    const doc = advisory();
    where(doc, 'Poly_Cones', 'Uncertainty Cones').geometry.coordinates = [square(151, -17, 3).slice(0, 4)]; // not closed
    where(doc, 'Point_Polygon_Point_1', '01/01 06:00 UTC').properties.polygonlabel = 'soon';
    where(doc, 'Poly_Green', '01/01 18:00').geometry.coordinates = [
      [
        [152, -19],
        ['x', -19],
        [153, -20],
        [152, -19],
      ],
    ];
    const storm = only(doc);
    expect(storm.geometry).toEqual({ type: 'Polygon', coordinates: [square(150, -15, 0.5)] });
    expect(storm.forecast).toEqual({
      issuedAt: '2025-12-31T18:00:00.000Z',
      areas: [{ at: '2026-01-01T06:00:00.000Z', geometry: { type: 'Polygon', coordinates: [square(151, -17, 0.5)] } }],
      track: [
        { at: '2025-12-31T18:00:00.000Z', coordinates: [150, -15] },
        { at: '2026-01-01T18:00:00.000Z', coordinates: [152, -19] },
      ],
    });
  });

  it('keeps the event without a forecast when nothing of it is usable; the swath is still not observed', () => {
    const doc = advisory();
    doc.features = doc.features.filter((f) => !(classOf(f) === 'Poly_Green' && /^01\/01/.test(labelOf(f))));
    where(doc, 'Poly_Cones', 'Uncertainty Cones').geometry.coordinates = [[[0, 0]]];
    const storm = only(doc);
    expect(storm.forecast).toBeUndefined();
    expect(storm.geometry).toEqual({ type: 'Polygon', coordinates: [square(150, -15, 0.5)] });
  });

  it('puts the storm at its advisory track point with the hazard radius when no buffer of the advisory has an area', () => {
    const doc = advisory();
    where(doc, 'Poly_Green', '31/12 18:00').geometry.coordinates = [square(150, -15, 0)];
    const storm = only(doc);
    expect(storm.geometry).toEqual({ type: 'Point', coordinates: [150, -15], radiusKm: 250 });
    expect(storm.forecast?.areas).toHaveLength(2);
  });

  it('reads other hazards as before, whatever their polygons are called', () => {
    const doc = advisory();
    for (const f of doc.features) f.properties.eventtype = 'FL';
    const flood = only(doc);
    expect(flood.forecast).toBeUndefined();
    // Every Poly_* with an area: 3 Green buffers, the swath and the cone.
    expect(flood.geometry.type === 'MultiPolygon' && flood.geometry.coordinates).toHaveLength(5);
  });
});
