import { containsLocation, parseEventGeometry } from '@tiersight/geo-engine';
import { bboxPolygon, gdacsRssAdapter } from './gdacs-rss.adapter';
import { DEFAULT_SEVERITY_POLICY } from './severity-policy';
import { expectSample, expectWellFormed, feedContext, readSample, sampleFiles, upserts } from './testing/feed-fixtures';
import type { SampleExpectation } from './testing/feed-fixtures';

const parse = (document: string | Buffer, policy = DEFAULT_SEVERITY_POLICY) => gdacsRssAdapter.parse(document, feedContext(policy));
const sample = (file: string) => parse(readSample('gdacs/rss', file));
const bboxPolicy = { ...DEFAULT_SEVERITY_POLICY, gdacs: { ...DEFAULT_SEVERITY_POLICY.gdacs, rssGeometry: 'bbox' as const } };

const EXPECTED: Record<string, SampleExpectation> = {
  'erectus-gdacs-archive-orange-2012-2016.xml': { kind: 'events', upserts: 100 },
  'exxamalte-gdacs-1.xml': { kind: 'events', upserts: 4 },
  'exxamalte-gdacs-2.xml': { kind: 'rejected', reason: /no gdacs:eventtype or gdacs:eventid/ },
  'exxamalte-gdacs-rss-24h.xml': { kind: 'events', upserts: 21 },
  'exxamalte-gdacs-rss-7d.xml': { kind: 'events', upserts: 115 },
  'exxamalte-gdacs-rss.xml': { kind: 'events', upserts: 16 },
  'ocha-hdx-gdacs-rss-2024-12-10-2items.xml': { kind: 'events', upserts: 2 },
  'ocha-hdx-gdacs-rss-2024-12-10-full.xml': { kind: 'events', upserts: 74 },
};

describe('gdacs-rss adapter on every sample file', () => {
  it('has an expectation for every sample file', () => {
    expect(sampleFiles('gdacs/rss')).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(sampleFiles('gdacs/rss'))('%s (point geometry)', (file) => {
    expectSample(sample(file), EXPECTED[file]);
  });

  it.each(sampleFiles('gdacs/rss'))('%s (bbox geometry)', (file) => {
    expectSample(parse(readSample('gdacs/rss', file), bboxPolicy), EXPECTED[file]);
  });
});

describe('gdacs-rss adapter, hand-checked', () => {
  it('reads the 2024 capture despite the double-encoded BOM before <?xml', () => {
    const bytes = readSample('gdacs/rss', 'ocha-hdx-gdacs-rss-2024-12-10-2items.xml');
    expect([...bytes.subarray(0, 6)]).toEqual([0xc3, 0xaf, 0xc2, 0xbb, 0xc2, 0xbf]);
    const [first] = upserts(parse(bytes));
    expect(first).toMatchObject({
      id: 'gdacs:EQ:1457082',
      type: 'earthquake',
      severity: 0.15,
      expectedDurationDays: 7,
      country: 'US',
      startsAt: '2024-12-10T18:04:35.000Z',
      geometry: { type: 'Point', coordinates: [-177.2133, 51.1125] },
      sourceUrl: 'https://www.gdacs.org/report.aspx?eventtype=EQ&eventid=1457082',
    });
    expect(first.geometry.type === 'Point' && first.geometry.radiusKm).toBeCloseTo(10 ** (0.5 * 5.8 - 1.5), 6);
  });

  it('turns a bbox crossing the antimeridian (lonmin < −180) into a polygon the geo library accepts and matches', () => {
    const [event] = upserts(parse(readSample('gdacs/rss', 'ocha-hdx-gdacs-rss-2024-12-10-2items.xml'), bboxPolicy));
    expect(event.geometry).toEqual({
      type: 'Polygon',
      coordinates: [
        [
          [-181.2133, 47.1125],
          [-173.2133, 47.1125],
          [-173.2133, 55.1125],
          [-181.2133, 55.1125],
          [-181.2133, 47.1125],
        ],
      ],
    });
    expect(containsLocation(event.geometry, 51, 179.5)).toBe(true); // just west of the antimeridian
    expect(containsLocation(event.geometry, 51, -175)).toBe(true);
    expect(containsLocation(event.geometry, 51, 170)).toBe(false);
  });

  it('accepts the other antimeridian convention (lonmin > lonmax) by moving lonmax past 180', () => {
    const polygon = bboxPolygon('175 -175 -20 -10');
    expect(polygon.coordinates[0]).toEqual([
      [175, -20],
      [185, -20],
      [185, -10],
      [175, -10],
      [175, -20],
    ]);
    expect(() => parseEventGeometry(polygon)).not.toThrow();
    expect(() => bboxPolygon('1 2 3')).toThrow(/not four numbers/);
    expect(() => bboxPolygon('10 10 5 6')).toThrow(/empty or out of range/);
  });

  it('sizes each hazard: cyclone default, drought from its km² area, earthquake from its magnitude', () => {
    const events = upserts(sample('exxamalte-gdacs-1.xml'));
    const radius = (id: string) => {
      const g = events.find((e) => e.id === id)?.geometry;
      return g?.type === 'Point' ? g.radiusKm : null;
    };
    expect(events.find((e) => e.id === 'gdacs:TC:1000643')).toMatchObject({ type: 'storm', country: 'MU', severity: 0.1 });
    expect(radius('gdacs:TC:1000643')).toBe(250);
    expect(radius('gdacs:EQ:1199929')).toBeCloseTo(10 ** (0.5 * 5.5 - 1.5), 6);
    const drought = events.find((e) => e.type === 'drought' && e.id === 'gdacs:DR:1013682');
    expect(drought?.geometry.type === 'Point' && drought.geometry.radiusKm).toBeGreaterThan(250);
  });

  it('handles empty iso3, the archive EQx type and Orange/Red levels of the 2012–2016 archive', () => {
    const events = upserts(sample('erectus-gdacs-archive-orange-2012-2016.xml'));
    expect(events.every((e) => e.country === null)).toBe(true);
    expect(events.find((e) => e.id === 'gdacs:EQX:1028861')).toMatchObject({ type: 'other', severity: 0.4 });
    expect(events.filter((e) => e.type === 'earthquake' && e.severity === 0.85)).toHaveLength(7);
  });

  it('uses the bbox when an item has no point, and keeps the highest episode of an event given twice', () => {
    const text = readSample('gdacs/rss', 'exxamalte-gdacs-1.xml').toString('utf8');
    const item = /<item>[\s\S]*?<\/item>/.exec(text)?.[0] ?? '';
    const noPoint = item.replace(/<geo:Point>[\s\S]*?<\/geo:Point>/, '').replace(/<georss:point>.*<\/georss:point>/, '');
    const episode2 = item.replace('<gdacs:episodeid>1</gdacs:episodeid>', '<gdacs:episodeid>2</gdacs:episodeid>').replace('CALVINIA-19', 'CALVINIA-19 update');
    const result = parse(text.replace(item, `${episode2}${noPoint}`));
    expectWellFormed(result);
    const [tc] = upserts(result).filter((e) => e.id === 'gdacs:TC:1000643');
    expect(upserts(result).filter((e) => e.id === 'gdacs:TC:1000643')).toHaveLength(1);
    expect(tc.title).toContain('CALVINIA-19 update');
    const bboxOnly = parse(text.replace(item, noPoint));
    expect(upserts(bboxOnly).find((e) => e.id === 'gdacs:TC:1000643')?.geometry.type).toBe('Polygon');
  });
});

describe('gdacs-rss adapter on broken documents', () => {
  const text = readSample('gdacs/rss', 'exxamalte-gdacs-rss.xml').toString('utf8');

  it.each([
    ['truncated XML', text.slice(0, 4000), /^malformed XML/],
    [
      'an entity bomb',
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><rss><channel><item><title>&lol3;</title></item></channel></rss>`,
      /DTD\/entities not allowed/,
    ],
    ['JSON', '{"rss": 1}', /not an XML document/],
    ['an Atom feed', '<feed xmlns="http://www.w3.org/2005/Atom"></feed>', /is not <rss>/],
  ])('turns %s into one dead letter, fast', (_name, document, reason) => {
    const start = Date.now();
    const result = parse(document);
    expect(Date.now() - start).toBeLessThan(1000);
    expect(result.items).toEqual([]);
    expect(result.deadLetters).toEqual([expect.objectContaining({ itemRef: null, reason: expect.stringMatching(reason) })]);
  });

  it('dead-letters only the broken items', () => {
    const broken = text
      .replace('<gdacs:alertlevel>Green</gdacs:alertlevel>', '<gdacs:alertlevel>Purple</gdacs:alertlevel>')
      .replace('<georss:point>-44.5653 37.087</georss:point>', '<georss:point>north east</georss:point>')
      .replace('<gdacs:eventid>1000642</gdacs:eventid>', '<gdacs:eventid>12; DROP</gdacs:eventid>');
    const result = parse(broken);
    expectWellFormed(result);
    expect(upserts(result)).toHaveLength(13);
    expect(result.deadLetters.map((d) => [d.itemRef, d.reason])).toEqual([
      ['TC1000643', 'unknown GDACS alert level "Purple"'],
      ['EQ1199929', 'georss:point "north east" is not "latitude longitude"'],
      ['TC1000642', 'event id "12; DROP" is not a GDACS number'],
    ]);
  });

  it('reads an empty channel as an empty feed', () => {
    expect(parse('<rss version="2.0"><channel><title>GDACS</title></channel></rss>')).toEqual({ items: [], deadLetters: [], skipped: [] });
  });
});
