import { candidateBoxes, containsLocation, EventGeometry, greatCircleKm, InvalidGeometryError, parseEventGeometry } from './index';

describe('geo matching (pure)', () => {
  it('measures great-circle distance with the mean Earth radius', () => {
    // One degree of latitude is 2πR/360 = 111.195 km with R = 6371.0088.
    expect(greatCircleKm(0, 0, 1, 0)).toBeCloseTo(111.1951, 3);
    // Paris – Tokyo, hand-computed by haversine: 9712.07 km.
    expect(greatCircleKm(48.8566, 2.3522, 35.6762, 139.6503)).toBeCloseTo(9712.07, 0);
  });

  it('puts a site inside a point-radius area by distance, across the antimeridian too', () => {
    const quake: EventGeometry = { type: 'Point', coordinates: [179.9, -17], radiusKm: 50 };
    expect(containsLocation(quake, -17, -179.8)).toBe(true); // 31.9 km away over the date line
    expect(containsLocation(quake, -17, -179.3)).toBe(false); // 85 km away
    const boxes = candidateBoxes(quake);
    expect(boxes).toHaveLength(2);
    expect(boxes.some((b) => b.west <= -179.8 && b.east >= -179.8)).toBe(true);
  });

  it('excludes polygon holes and includes multipolygon parts', () => {
    const square = [
      [0, 0],
      [10, 0],
      [10, 10],
      [0, 10],
      [0, 0],
    ];
    const hole = [
      [4, 4],
      [6, 4],
      [6, 6],
      [4, 6],
      [4, 4],
    ];
    const donut: EventGeometry = { type: 'Polygon', coordinates: [square, hole] };
    expect(containsLocation(donut, 2, 2)).toBe(true);
    expect(containsLocation(donut, 5, 5)).toBe(false);
    const multi: EventGeometry = {
      type: 'MultiPolygon',
      coordinates: [
        [square],
        [
          [
            [20, 20],
            [30, 20],
            [30, 30],
            [20, 20],
          ],
        ],
      ],
    };
    expect(containsLocation(multi, 21, 25)).toBe(true);
    expect(containsLocation(multi, 15, 15)).toBe(false);
  });

  it('handles a polygon drawn across the antimeridian with longitudes past 180', () => {
    const fiji: EventGeometry = {
      type: 'Polygon',
      coordinates: [
        [
          [175, -20],
          [185, -20],
          [185, -15],
          [175, -15],
          [175, -20],
        ],
      ],
    };
    expect(containsLocation(fiji, -17, -178)).toBe(true);
    expect(containsLocation(fiji, -17, 178)).toBe(true);
    expect(containsLocation(fiji, -17, -170)).toBe(false);
    expect(candidateBoxes(fiji)).toEqual([
      { south: -20, north: -15, west: 175, east: 180 },
      { south: -20, north: -15, west: -180, east: -175 },
    ]);
  });

  it('rejects malformed geometry with a reason', () => {
    const bad: Array<[unknown, unknown, RegExp]> = [
      [null, undefined, /GeoJSON object/],
      [{ type: 'Point', coordinates: [0, 0] }, undefined, /radiusKm/],
      [{ type: 'Point', coordinates: [0, 95] }, 10, /in range/],
      [
        {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [1, 0],
              [0, 0],
            ],
          ],
        },
        undefined,
        /at least 4/,
      ],
      [
        {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [1, 0],
              [1, 1],
              [0, 1],
            ],
          ],
        },
        undefined,
        /not closed/,
      ],
      [{ type: 'LineString', coordinates: [] }, undefined, /Point, Polygon, MultiPolygon or Country/],
    ];
    for (const [geometry, radius, message] of bad) {
      expect(() => parseEventGeometry(geometry, radius)).toThrow(InvalidGeometryError);
      expect(() => parseEventGeometry(geometry, radius)).toThrow(message);
    }
  });
});

describe('country areas (alerts given only by administrative area)', () => {
  it('parses, deduplicates and sorts the codes', () => {
    expect(parseEventGeometry({ type: 'Country', countries: ['TW', 'JP', 'TW'] })).toEqual({ type: 'Country', countries: ['JP', 'TW'] });
  });
  it.each([[{ type: 'Country' }], [{ type: 'Country', countries: [] }], [{ type: 'Country', countries: ['tw'] }], [{ type: 'Country', countries: ['TWN'] }]])(
    'rejects %j',
    (g) => expect(() => parseEventGeometry(g)).toThrow(/1 to 50 ISO 3166-1 alpha-2 codes/),
  );
  it('contains a site by its country, not its location', () => {
    const area = { type: 'Country' as const, countries: ['IE'] };
    expect(containsLocation(area, 53.35, -6.26, 'IE')).toBe(true);
    expect(containsLocation(area, 53.35, -6.26, 'GB')).toBe(false);
    expect(containsLocation(area, 53.35, -6.26, null)).toBe(false);
  });
});
