import { RiskEngineError } from './errors';
import { computeOutlook, ExposureBook, listExposures, propagate, Propagator } from './index';
import { groupBySite } from './propagate';
import { stateOf, tinyGraph } from './testing/tiny-graph';

// DESIGN §10 on hand-computed graphs: two sites feed one SKU (1000/day) through one part.
describe('outlook', () => {
  const twoSites = (second: { share?: number; buffer?: number } = {}) =>
    tinyGraph({
      sites: ['S1', 'S2'],
      skus: ['K'],
      edges: [
        ['S1', 'K', 'P', 0.5, 0, 1],
        ['S2', 'K', 'P', second.share ?? 0.5, second.buffer ?? 2, 1],
      ],
    });

  it('one anticipated event: observed (0.5, 10, onset 1) stays, the outlook is (0.9, 10, onset 1) with its p', () => {
    const g = twoSites();
    const observed = { site: 'S1', x: 1, days: 10, eventId: 'EV-1' };
    const anticipated = { site: 'S2', x: 0.8, days: 6, eventId: 'AN-1', anticipated: true, p: 0.85 };
    const view = propagate(g, [observed, anticipated]);
    // S2 carries nothing observed; the SKU sees S1 only: x = 0.5, d = 10, onset = 0 + lead 1 + buffer 0
    expect(stateOf(view, 'S2')).toEqual({ x: 0, d: 0, onset: Infinity });
    expect(stateOf(view, 'K')).toEqual({ x: 0.5, d: 10, onset: 1 });
    expect(listExposures(view).map((e) => e.eventIds)).toEqual([['EV-1']]);
    // outlook: S2 (0.8, 6) passes 6 − 2 = 4 days: x = 0.5 + 0.5·0.8 = 0.9, d = max(10, 4), onset min(1, 0 + 1 + 2)
    const [record, ...rest] = computeOutlook(view, [observed, anticipated]);
    expect(rest).toEqual([]);
    expect(record).toEqual({
      skuId: 'K',
      sku: g.indexOf('K'),
      x: expect.closeTo(0.9, 12),
      days: 10,
      onsetDays: 1,
      revenueAtRisk: expect.closeTo(9000, 9),
      p: 0.85,
      events: [{ eventId: 'AN-1', p: 0.85 }],
      joint: false,
    });
  });

  it('one event whose impacts carry different p (a forecast cone): each SKU gets the p of the part that reaches it', () => {
    // S1 feeds K1 alone, S2 feeds K2 alone; the cone reaches S1 in 12 h (p 0.8) and S2 in 96 h (p 0.42).
    const g = tinyGraph({
      sites: ['S1', 'S2'],
      skus: ['K1', 'K2'],
      edges: [
        ['S1', 'K1', 'P1', 1, 0, 1],
        ['S2', 'K2', 'P2', 1, 0, 1],
      ],
    });
    const impacts = [
      { site: 'S1', x: 0.5, days: 4, eventId: 'TC', anticipated: true, p: 0.8 },
      { site: 'S2', x: 0.5, days: 4, eventId: 'TC', anticipated: true, p: 0.42 },
    ];
    const records = computeOutlook(propagate(g, impacts), impacts);
    expect(records.map((r) => [r.skuId, r.p, r.events, r.joint])).toEqual([
      ['K1', 0.8, [{ eventId: 'TC', p: 0.8 }], false],
      ['K2', 0.42, [{ eventId: 'TC', p: 0.42 }], false],
    ]);
  });

  it('parts of one event that only together make a SKU worse: all of them are there when the least likely one is', () => {
    // Both sites feed K at share 0.5; each part alone gives x = 0.5 · 0.08 = 0.04 < 0.05, together 0.08.
    const g = twoSites({ buffer: 0 });
    const impacts = [
      { site: 'S1', x: 0.08, days: 5, eventId: 'TC', anticipated: true, p: 0.9 },
      { site: 'S2', x: 0.08, days: 5, eventId: 'TC', anticipated: true, p: 0.5 },
    ];
    const [record] = computeOutlook(propagate(g, impacts), impacts);
    expect(record).toMatchObject({ skuId: 'K', joint: true, p: 0.5, events: [{ eventId: 'TC', p: 0.5 }] });
  });

  it('two anticipated events: the probability is that of the one that alone makes the SKU worse, not the likelier one', () => {
    const g = twoSites({ buffer: 0 });
    const impacts = [
      // alone: x = 0.5 · 0.04 = 0.02 < 0.05, not exposed
      { site: 'S1', x: 0.04, days: 5, eventId: 'AN-LIKELY', anticipated: true, p: 0.9 },
      // alone: x = 0.5, d = 3, exposed
      { site: 'S2', x: 1, days: 3, eventId: 'AN-BIG', anticipated: true, p: 0.6 },
    ];
    expect(computeOutlook(propagate(g, impacts), impacts)).toEqual([
      {
        skuId: 'K',
        sku: g.indexOf('K'),
        x: expect.closeTo(0.52, 12),
        days: 5,
        onsetDays: 1,
        revenueAtRisk: expect.closeTo(2600, 9),
        p: 0.6,
        events: [{ eventId: 'AN-BIG', p: 0.6 }],
        joint: false,
      },
    ]);
  });

  it('several events that alone make it worse: the largest p, all of them listed by p', () => {
    const g = twoSites({ buffer: 0 });
    const impacts = [
      { site: 'S1', x: 1, days: 2, eventId: 'AN-A', anticipated: true, p: 0.3 },
      { site: 'S2', x: 1, days: 4, eventId: 'AN-B', anticipated: true, p: 0.7 },
    ];
    const [record] = computeOutlook(propagate(g, []), impacts);
    expect(record).toMatchObject({ x: 1, days: 4, onsetDays: 1, revenueAtRisk: 4000, p: 0.7, joint: false });
    expect(record.events).toEqual([
      { eventId: 'AN-B', p: 0.7 },
      { eventId: 'AN-A', p: 0.3 },
    ]);
  });

  it('only several together make it worse: a joint record with the product of their p', () => {
    const g = twoSites({ buffer: 0 });
    const impacts = [
      { site: 'S1', x: 0.06, days: 4, eventId: 'AN-A', anticipated: true, p: 0.8 },
      { site: 'S2', x: 0.06, days: 4, eventId: 'AN-B', anticipated: true, p: 0.7 },
    ];
    const [record] = computeOutlook(propagate(g, []), impacts);
    expect(record).toMatchObject({ x: expect.closeTo(0.06, 12), days: 4, onsetDays: 1, joint: true });
    expect(record.p).toBeCloseTo(0.56, 12);
    expect(record.events).toEqual([
      { eventId: 'AN-A', p: 0.8 },
      { eventId: 'AN-B', p: 0.7 },
    ]);
  });

  it('an anticipated event on a SKU already worse observed gives no record', () => {
    const g = twoSites();
    const observed = [
      { site: 'S1', x: 1, days: 10, eventId: 'EV-1' },
      { site: 'S2', x: 1, days: 12, eventId: 'EV-2' },
    ];
    // S2 already (1, 12): the anticipated (0.5, 4) there changes nothing; on S1 (1, 10) a (0.3, 8) neither
    const anticipated = [
      { site: 'S2', x: 0.5, days: 4, eventId: 'AN-1', anticipated: true, p: 0.9 },
      { site: 'S1', x: 0.3, days: 8, eventId: 'AN-2', anticipated: true, p: 0.95 },
    ];
    const view = propagate(g, [...observed, ...anticipated]);
    expect(stateOf(view, 'K')).toEqual({ x: 1, d: 10, onset: 1 });
    expect(computeOutlook(view, anticipated)).toEqual([]);
  });

  it('an earlier onset alone is worse', () => {
    // the SKU is fully lost through S1 (lead 5); an anticipated hit on S2 (lead 0, another part) brings the shortage sooner
    const g = tinyGraph({
      sites: ['S1', 'S2'],
      skus: ['K'],
      edges: [
        ['S1', 'K', 'P', 1, 0, 5],
        ['S2', 'K', 'Q', 1, 0, 0],
      ],
    });
    const observed = { site: 'S1', x: 1, days: 10, eventId: 'EV-1' };
    const anticipated = { site: 'S2', x: 1, days: 3, eventId: 'AN-1', anticipated: true, p: 0.5 };
    const view = propagate(g, [observed]);
    expect(stateOf(view, 'K')).toEqual({ x: 1, d: 10, onset: 5 });
    expect(computeOutlook(view, [anticipated])).toMatchObject([{ x: 1, days: 10, onsetDays: 0, p: 0.5 }]);
  });

  it('reads only SKUs downstream of anticipated sites and leaves the observed view exactly as it was', () => {
    const g = tinyGraph({
      sites: ['S1', 'S2', 'S3'],
      skus: ['K1', 'K2'],
      edges: [
        ['S1', 'S2', 'P', 1, 1, 2],
        ['S2', 'K1', 'K1', 1, 0, 1],
        ['S3', 'K2', 'K2', 1, 0, 1],
      ],
    });
    const impacts = [
      { site: 'S3', x: 0.5, days: 4, eventId: 'EV-1' },
      { site: 'S1', x: 0.7, days: 5, eventId: 'AN-1', anticipated: true, p: 0.8 },
    ];
    const book = new ExposureBook(g, impacts);
    const live = book.view;
    const copy = [live.x, live.d, live.onset, live.directX, live.directD].map((a) => Float64Array.from(a));
    expect(computeOutlook(live, impacts)).toMatchObject([{ skuId: 'K1', x: 0.7, days: 4, onsetDays: 4, p: 0.8 }]);
    expect([live.x, live.d, live.onset, live.directX, live.directD]).toEqual(copy);
    expect(book.exposures().map((e) => e.skuId)).toEqual(['K2']);
  });

  it('a live Propagator holding anticipated impacts keeps its observed state', () => {
    const g = twoSites();
    const live = new Propagator(g);
    live.setImpacts(groupBySite(g, [{ site: 'S1', x: 1, days: 10, eventId: 'EV-1' }]));
    const before = Float64Array.from(live.x);
    const delta = live.setImpacts([{ site: 'S2', impacts: [{ x: 1, days: 9, eventId: 'AN-1', anticipated: true, p: 0.9 }] }]);
    expect(delta.changedSkus).toEqual([]);
    expect(live.x).toEqual(before);
    expect(live.eventIdsAt(g.indexOf('S2'))).toEqual([]);
  });

  it('refuses anticipated impacts without a probability in (0, 1) or an event, and a probability on an observed impact', () => {
    const g = twoSites();
    const bad = [
      { site: 'S1', x: 1, days: 1, eventId: 'A', anticipated: true },
      { site: 'S1', x: 1, days: 1, eventId: 'A', anticipated: true, p: 1 },
      { site: 'S1', x: 1, days: 1, eventId: 'A', anticipated: true, p: 0 },
      { site: 'S1', x: 1, days: 1, eventId: 'A', anticipated: true, p: Number.NaN },
      { site: 'S1', x: 1, days: 1, anticipated: true, p: 0.5 },
      { site: 'S1', x: 1, days: 1, eventId: 'A', p: 0.5 },
    ];
    for (const impact of bad) {
      expect(() => propagate(g, [impact])).toThrow(RiskEngineError);
      if (impact.anticipated) expect(() => computeOutlook(propagate(g, []), [impact])).toThrow(RiskEngineError);
    }
  });
});
