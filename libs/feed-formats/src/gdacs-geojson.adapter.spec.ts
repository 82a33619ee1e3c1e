import { containsLocation } from '@tiersight/geo-engine';
import { gdacsGeoJsonAdapter } from './gdacs-geojson.adapter';
import { expectSample, expectWellFormed, feedContext, readSample, sampleFiles, upserts } from './testing/feed-fixtures';
import type { SampleExpectation } from './testing/feed-fixtures';

type Feature = { properties: Record<string, string>; geometry: { type: string; coordinates: unknown } };

const parse = (document: string | Buffer) => gdacsGeoJsonAdapter.parse(document, feedContext());
const sample = (file: string) => parse(readSample('gdacs/api', file));
const only = (file: string) => {
  const events = upserts(sample(file));
  expect(events).toHaveLength(1);
  return events[0];
};

const EXPECTED: Record<string, SampleExpectation> = {
  'monty-1102983-2-geteventdata-source.json': { kind: 'events', upserts: 1 },
  'pystac-monty-dr-1016449-ep1-geometry.json': { kind: 'events', upserts: 1 },
  'pystac-monty-dr-1016449-ep7-geometry.json': { kind: 'events', upserts: 1 },
  'pystac-monty-dr-1016449-event.json': { kind: 'events', upserts: 1 },
  'pystac-monty-fl-1102983-ep1-event.json': { kind: 'events', upserts: 1 },
  'pystac-monty-fl-1102983-ep2-event.json': { kind: 'events', upserts: 1 },
  'pystac-monty-tc-1001253-ep1-geometry.json': { kind: 'events', upserts: 1 },
  'pystac-monty-tc-1001253-ep1-impact.json': { kind: 'rejected', reason: /GDACS impact document/ },
  'pystac-monty-tc-1001253-event.json': { kind: 'events', upserts: 1 },
  'pystac-monty-wf-1028649-ep1-geometry.json': { kind: 'events', upserts: 1 },
  'pystac-monty-wf-1028649-event.json': { kind: 'events', upserts: 1 },
};

describe('gdacs-geojson adapter on every sample file', () => {
  it('has an expectation for every sample file', () => {
    expect(sampleFiles('gdacs/api')).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(sampleFiles('gdacs/api'))('%s', (file) => {
    expectSample(sample(file), EXPECTED[file]);
  });
});

describe('gdacs-geojson adapter, hand-checked', () => {
  it('reads an episode Feature: string booleans, zone-less UTC dates, the single affected country', () => {
    expect(only('pystac-monty-fl-1102983-ep2-event.json')).toEqual({
      id: 'gdacs:FL:1102983',
      source: 'test-feed',
      type: 'flood',
      title: 'Orange alert: Flood in Spain',
      severity: 0.4,
      expectedDurationDays: 21,
      geometry: { type: 'Point', coordinates: [-2.6232, 39.4178], radiusKm: 100 },
      country: 'ES',
      startsAt: '2024-10-27T15:00:00.000Z',
      sourceUrl: 'https://www.gdacs.org/report.aspx?eventid=1102983&episodeid=2&eventtype=FL',
    });
  });

  it('updates one event id across episodes and across the event and geometry endpoints', () => {
    const ids = ['pystac-monty-fl-1102983-ep1-event.json', 'pystac-monty-fl-1102983-ep2-event.json', 'monty-1102983-2-geteventdata-source.json'].map(
      (file) => only(file).id,
    );
    expect(new Set(ids)).toEqual(new Set(['gdacs:FL:1102983']));
    expect(only('pystac-monty-dr-1016449-ep1-geometry.json').id).toBe(only('pystac-monty-dr-1016449-ep7-geometry.json').id);
  });

  it('takes the MultiPolygon affected area of a drought, with the primary country of a multi-country event', () => {
    const drought = only('pystac-monty-dr-1016449-ep7-geometry.json');
    expect(drought).toMatchObject({ type: 'drought', country: 'AR', severity: 0.05, geometry: { type: 'MultiPolygon' } });
    expect(drought.geometry.type === 'MultiPolygon' && drought.geometry.coordinates).toHaveLength(134);
  });

  it('reads a cyclone advisory by time: observed wind buffers as the area, later steps, cone and track as the forecast', () => {
    const storm = only('pystac-monty-tc-1001253-ep1-geometry.json');
    expect(storm).toMatchObject({ id: 'gdacs:TC:1001253', type: 'storm', country: null, severity: 0.1, startsAt: '2026-01-28T06:00:00.000Z' });
    // 23 features: 1 centroid, 3 track lines, 4 point markers, the 60 and 90 km/h swaths, the cone and 12 buffers of which
    // 8 have zero extent: the 28/01 06:00 Green buffer alone is observed at the advisory (28/01 06:00).
    const doc = JSON.parse(readSample('gdacs/api', 'pystac-monty-tc-1001253-ep1-geometry.json').toString('utf8'));
    const feature = (cls: string, label: string) => doc.features.find((f: Feature) => f.properties.Class === cls && f.properties.polygonlabel === label);
    expect(storm.geometry).toEqual(feature('Poly_Green', '28/01 06:00').geometry);
    expect(containsLocation(storm.geometry, -16.9, 172.2)).toBe(true); // the advisory's track point
    expect(containsLocation(storm.geometry, -20.6, 173.0)).toBe(false); // the +12 h track point: forecast, not observed
    expect(containsLocation(storm.geometry, -20.5, 174.8)).toBe(false); // inside the 60 km/h swath only: neither

    const forecast = storm.forecast!;
    const lead = (at: string) => (Date.parse(at) - Date.parse(forecast.issuedAt)) / 3_600_000;
    expect(forecast.issuedAt).toBe('2026-01-28T06:00:00.000Z');
    // Forecast steps at +12, +24 and +36 h; the +36 h step's buffers all have zero extent, so it is timed by its track point only.
    expect(forecast.areas.map((a) => [lead(a.at), a.geometry.type])).toEqual([
      [12, 'MultiPolygon'],
      [24, 'Polygon'],
    ]);
    expect(forecast.areas[0].geometry.coordinates).toEqual([
      feature('Poly_Green', '28/01 18:00').geometry.coordinates,
      feature('Poly_Orange', '28/01 18:00').geometry.coordinates,
    ]);
    expect(forecast.areas[1].geometry).toEqual(feature('Poly_Green', '29/01 06:00').geometry);
    expect(forecast.track.map((t) => [lead(t.at), t.coordinates])).toEqual([
      [0, [172.2, -16.9]],
      [12, [173, -20.6]],
      [24, [172.2, -24]],
      [36, [170.5, -25.9]],
    ]);
    expect(forecast.cone).toEqual(feature('Poly_Cones', 'Uncertainty Cones').geometry);
    expect(containsLocation(forecast.cone!, -20.5, 174.8)).toBe(false);
  });

  it('reads a cyclone without forecast parts as before: the union of its Poly_* areas', () => {
    const doc = JSON.parse(readSample('gdacs/api', 'pystac-monty-tc-1001253-ep1-geometry.json').toString('utf8'));
    doc.features = doc.features.filter(
      (f: Feature) =>
        f.properties.Class === 'Point_Centroid' || (f.properties.Class.startsWith('Poly_') && /^28\/01 06:00$| km\/h$/.test(f.properties.polygonlabel)),
    );
    const storm = upserts(parse(JSON.stringify(doc)))[0];
    expect(storm.forecast).toBeUndefined();
    // The 28/01 06:00 Green buffer and the two swaths (its Orange and Red buffers have zero extent).
    expect(storm.geometry.type === 'MultiPolygon' && storm.geometry.coordinates).toHaveLength(3);
    expect(containsLocation(storm.geometry, -20.5, 174.8)).toBe(true);
  });

  it('falls back to the centroid and a hazard radius when a document has no area', () => {
    expect(only('pystac-monty-tc-1001253-event.json').geometry).toEqual({ type: 'Point', coordinates: [171.9, -26.9], radiusKm: 250 });
    expect(only('pystac-monty-wf-1028649-event.json').geometry).toEqual({ type: 'Point', coordinates: [127.0582, 47.6693], radiusKm: 20 });
    const drought = only('pystac-monty-dr-1016449-event.json').geometry;
    expect(drought.type === 'Point' && drought.radiusKm).toBeCloseTo(Math.sqrt(320952 / Math.PI), 6); // 320 952 km²
  });
});

describe('gdacs-geojson adapter on broken documents', () => {
  const text = readSample('gdacs/api', 'pystac-monty-wf-1028649-ep1-geometry.json').toString('utf8');

  it.each([
    ['truncated JSON', text.slice(0, 3000), /^malformed JSON/],
    ['a bare array', '[1, 2]', /not a GeoJSON object/],
    ['a geometry', '{"type":"Polygon","coordinates":[]}', /not a GeoJSON Feature or FeatureCollection/],
  ])('turns %s into one dead letter', (_name, document, reason) => {
    const result = parse(document);
    expect(result.items).toEqual([]);
    expect(result.deadLetters).toEqual([expect.objectContaining({ itemRef: null, reason: expect.stringMatching(reason) })]);
  });

  it('dead-letters features with wrong types or no geometry, keeping the rest', () => {
    const doc = JSON.parse(text);
    const centroid = doc.features[0];
    doc.features.push(
      { type: 'Feature', geometry: null },
      { ...centroid, properties: { ...centroid.properties, eventid: 'abc' } },
      { ...centroid, geometry: null, properties: { ...centroid.properties, eventid: 42, Class: 'Point_Centroid' } },
      { ...centroid, properties: { ...centroid.properties, eventid: 43, alertlevel: 'Blue' } },
    );
    const result = parse(JSON.stringify(doc));
    expectWellFormed(result);
    expect(upserts(result).map((e) => e.id)).toEqual(['gdacs:WF:1028649']);
    expect(result.deadLetters.map((d) => d.reason)).toEqual([
      'feature without "properties"',
      'event id "abc" is not a GDACS number',
      'no usable geometry (no Poly_* area and no Point centroid)',
      'unknown GDACS alert level "Blue"',
    ]);
  });
});
