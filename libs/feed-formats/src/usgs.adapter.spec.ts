import { usgsGeoJsonAdapter } from './usgs.adapter';
import { DEFAULT_SEVERITY_POLICY } from './severity-policy';
import { closes, expectSample, expectWellFormed, feedContext, readSample, sampleFiles, upserts } from './testing/feed-fixtures';
import type { SampleExpectation } from './testing/feed-fixtures';

const parse = (document: string | Buffer) => usgsGeoJsonAdapter.parse(document, feedContext());
const sample = (file: string) => parse(readSample('usgs', file));

/** Every file of fixtures/feeds/usgs must be listed here: a new sample fails until someone says what it should give. */
const EXPECTED: Record<string, SampleExpectation> = {
  'exxamalte-synthetic-null-mag.json': { kind: 'events', upserts: 1, deadLetters: /"mag" is null/ },
  'monty-usgs-detail-us6000pi9w.geojson': { kind: 'events', upserts: 1 },
  'monty-usgs-pager-losses-us6000pi9w.json': { kind: 'rejected', reason: /PAGER losses document/ },
  'usgs-2.5_hour-captured-2020-11-08.geojson': { kind: 'events', upserts: 1 },
  'usgs-all_day-2018-09-16.geojson': { kind: 'events', upserts: 43 },
  'usgs-significant_month-2014-03-24.geojson': { kind: 'events', upserts: 12 },
  'usgs-significant_month-2023-10-11.geojson': { kind: 'events', upserts: 18 },
};

describe('usgs-geojson adapter on every sample file', () => {
  it('has an expectation for every sample file', () => {
    expect(sampleFiles('usgs')).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(sampleFiles('usgs'))('%s', (file) => {
    expectSample(sample(file), EXPECTED[file]);
  });
});

describe('usgs-geojson adapter, hand-checked', () => {
  const month2023 = sample('usgs-significant_month-2023-10-11.geojson');
  const byId = (id: string) => upserts(month2023).find((e) => e.id === id);

  it('maps a PAGER red quake (M6.3 western Afghanistan) to the red severity and a magnitude radius', () => {
    expect(byId('usgs:us6000len8')).toMatchObject({
      type: 'earthquake',
      title: 'M 6.3 - western Afghanistan',
      severity: 0.9,
      expectedDurationDays: 90,
      geometry: { type: 'Point', coordinates: [62.0449, 34.5565] },
      startsAt: '2023-10-11T00:41:56.160Z',
      sourceUrl: 'https://earthquake.usgs.gov/earthquakes/eventpage/us6000len8',
    });
    const geometry = byId('usgs:us6000len8')?.geometry;
    expect(geometry?.type === 'Point' && geometry.radiusKm).toBeCloseTo(10 ** (0.5 * 6.3 - 1.5), 6); // 44.7 km
  });

  it('uses the magnitude band when there is no PAGER alert (M5.0, alert null, mmi null)', () => {
    expect(byId('usgs:us6000lec2')).toMatchObject({ severity: 0.15, expectedDurationDays: 7, geometry: { radiusKm: 10 } });
  });

  it('keeps non-ASCII place names', () => {
    expect(upserts(month2023).map((e) => e.title)).toContain('M 5.9 - 35 km NNW of Herāt, Afghanistan');
  });

  it('reads the detail feed (one Feature with products) of the 2025 Tibet quake', () => {
    const [event] = upserts(sample('monty-usgs-detail-us6000pi9w.geojson'));
    expect(event).toMatchObject({ id: 'usgs:us6000pi9w', severity: 0.9, expectedDurationDays: 90 });
  });

  it('accepts mixed-case status, null tsunami and the tsunami boost only for large quakes', () => {
    const events = upserts(sample('usgs-significant_month-2014-03-24.geojson'));
    expect(events.find((e) => e.id === 'usgs:ci15476961')?.severity).toBe(0.15); // M4.4 green, tsunami 1: no boost below M6.5
    expect(events.find((e) => e.id === 'usgs:usc000njrq')?.severity).toBe(0.15); // M6.5 green, tsunami null
    expect(events.find((e) => e.id === 'usgs:usc000ndnj')?.severity).toBe(0.5); // M6.7 yellow, tsunami 1: 0.4 + 0.1
  });

  it('parses negative depths and skips quakes below the policy minimum', () => {
    const result = sample('usgs-all_day-2018-09-16.geojson');
    expect(result.skipped).toHaveLength(145);
    expect(result.skipped?.[0].reason).toMatch(/below the policy minimum 2.5/);
    const lenient = usgsGeoJsonAdapter.parse(
      readSample('usgs', 'usgs-all_day-2018-09-16.geojson'),
      feedContext({
        ...DEFAULT_SEVERITY_POLICY,
        usgs: { ...DEFAULT_SEVERITY_POLICY.usgs, minMagnitude: -10 },
      }),
    );
    expect(upserts(lenient)).toHaveLength(188);
    expectWellFormed(lenient);
    const aboveSeaLevel = upserts(lenient).find((e) => e.id === 'usgs:hv70594292'); // depth −1.69 km
    expect(aboveSeaLevel?.geometry).toEqual({ type: 'Point', coordinates: [-155.6186676, 19.4235001], radiusKm: 5 });
  });

  it('closes an event whose status is deleted (any case)', () => {
    const doc = JSON.parse(readSample('usgs', 'usgs-2.5_hour-captured-2020-11-08.geojson').toString('utf8'));
    doc.features[0].properties.status = 'DELETED';
    expect(closes(parse(JSON.stringify(doc)))).toEqual([{ eventId: 'usgs:us7000cbyq', reason: 'USGS marked the event deleted' }]);
  });

  it('gives the same ids on a re-pull (idempotent updates)', () => {
    const again = sample('usgs-significant_month-2023-10-11.geojson');
    expect(upserts(again).map((e) => e.id)).toEqual(upserts(month2023).map((e) => e.id));
  });
});

describe('usgs-geojson adapter on broken documents', () => {
  const valid = readSample('usgs', 'usgs-significant_month-2023-10-11.geojson').toString('utf8');

  it('turns truncated JSON into one dead letter', () => {
    const result = parse(valid.slice(0, 5000));
    expect(result.items).toEqual([]);
    expect(result.deadLetters).toEqual([expect.objectContaining({ itemRef: null, reason: expect.stringMatching(/^malformed JSON/) })]);
  });

  it('dead-letters items with wrong types or no geometry and keeps the others', () => {
    const doc = JSON.parse(valid);
    doc.features[0].properties.mag = '6.3';
    doc.features[1].geometry = null;
    doc.features[2].geometry.coordinates = ['21.78', '49.08'];
    doc.features[3].properties.time = 'yesterday';
    doc.features[4] = 42;
    doc.features[5].id = 17;
    const result = parse(JSON.stringify(doc));
    expectWellFormed(result);
    expect(upserts(result)).toHaveLength(12);
    expect(result.deadLetters.map((d) => d.reason)).toEqual([
      '"mag" is not a number ("6.3")',
      'missing or non-Point geometry',
      'Point coordinates are not [longitude, latitude, depth] numbers',
      '"time" (origin time, epoch milliseconds) is missing or not a number',
      'feature is not an object',
      'feature has no string "id"',
    ]);
    expect(result.deadLetters[0].itemRef).toBe('us6000len8');
    expect(result.deadLetters[4].itemRef).toBe('features[4]');
  });

  it.each([
    ['an array', '[]', /not a USGS GeoJSON object/],
    ['features not an array', '{"type":"FeatureCollection","features":{}}', /without a "features" array/],
    ['another GeoJSON type', '{"type":"Point","coordinates":[0,0]}', /not a USGS GeoJSON Feature or FeatureCollection/],
    ['empty input', '', /malformed JSON/],
  ])('rejects %s as a document', (_name, document, reason) => {
    const result = parse(document);
    expect(result.items).toEqual([]);
    expect(result.deadLetters).toEqual([expect.objectContaining({ reason: expect.stringMatching(reason) })]);
  });

  it('handles each broken variant in well under a second', () => {
    const start = Date.now();
    parse(valid.slice(0, 100));
    parse('{"type":"FeatureCollection","features":[{"id":"x","properties":{},"geometry":{"type":"Point","coordinates":[1]}}]}');
    expect(Date.now() - start).toBeLessThan(1000);
  });
});
