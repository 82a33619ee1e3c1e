import { describeExposure } from './exposures';
import { listExposures, propagate } from './index';
import { stateOf, tinyGraph } from './testing/tiny-graph';

// The two worked examples of the brief, on the ids of DESIGN §7.1.
describe('worked examples', () => {
  const g = tinyGraph({
    sites: [
      { id: 'SITE-1', source: 'supplier', confirmedAt: '2024-03-01T00:00:00.000Z' },
      { id: 'SITE-2' },
      { id: 'SITE-9', confirmedAt: '2024-05-01T00:00:00.000Z' },
    ],
    skus: [{ id: 'SKU-1', dailyRevenue: 12000 }],
    edges: [
      { from: 'SITE-1', to: 'SITE-9', partId: 'P-1', share: 0.6, bufferDays: 4, leadTimeDays: 0, source: 'inferred' },
      { from: 'SITE-2', to: 'SITE-9', partId: 'P-1', share: 0.4, bufferDays: 0, leadTimeDays: 0 },
      { from: 'SITE-9', to: 'SKU-1', partId: 'SKU-1', share: 1, bufferDays: 2, leadTimeDays: 1, confirmedAt: '2023-12-24T00:00:00.000Z' },
    ],
  });

  it('(A) one supplier down: M = (0.6, 6), SKU = (0.6, 4) with onset 7 — the §7.1 exposure', () => {
    const r = propagate(g, [{ site: 'SITE-1', x: 1, days: 10, eventId: 'EV-1' }]);
    expect(stateOf(r, 'SITE-9')).toEqual({ x: 0.6, d: 6, onset: 4 });
    expect(stateOf(r, 'SKU-1')).toEqual({ x: 0.6, d: 4, onset: 7 });
    expect(describeExposure(r, 'SKU-1')).toEqual({
      skuId: 'SKU-1',
      x: 0.6,
      days: 4,
      onsetDays: 7,
      revenueAtRisk: 28800,
      eventIds: ['EV-1'],
      criticalPath: [
        { nodeId: 'SITE-1', x: 1, days: 10, onsetDays: 0 },
        { nodeId: 'SITE-9', x: 0.6, days: 6, onsetDays: 4, via: { partId: 'P-1', share: 0.6, bufferDays: 4, leadTimeDays: 0 } },
        { nodeId: 'SKU-1', x: 0.6, days: 4, onsetDays: 7, via: { partId: 'SKU-1', share: 1, bufferDays: 2, leadTimeDays: 1 } },
      ],
      confidence: { hops: 2, inferredHops: 1, inferredShare: 0.5, unconfirmedHops: 1, oldestConfirmedAt: '2023-12-24T00:00:00.000Z' },
    });
  });

  it('(B) the second supplier also hit: M = (0.8, 6) onset 0, SKU = (0.8, 4) onset 3, path still through SITE-1', () => {
    const r = propagate(g, [
      { site: 'SITE-1', x: 1, days: 10, eventId: 'EV-1' },
      { site: 'SITE-2', x: 0.5, days: 3, eventId: 'EV-2' },
    ]);
    expect(stateOf(r, 'SITE-9').x).toBeCloseTo(0.8, 12);
    expect(stateOf(r, 'SITE-9').d).toBe(6);
    expect(stateOf(r, 'SITE-9').onset).toBe(0);
    expect(stateOf(r, 'SKU-1').x).toBeCloseTo(0.8, 12);
    expect(stateOf(r, 'SKU-1').d).toBe(4);
    expect(stateOf(r, 'SKU-1').onset).toBe(3);
    const [exposure] = listExposures(r);
    expect(exposure.criticalPath.map((h) => h.nodeId)).toEqual(['SITE-1', 'SITE-9', 'SKU-1']);
    expect(exposure.eventIds).toEqual(['EV-1']);
    expect(exposure.revenueAtRisk).toBeCloseTo(12000 * 0.8 * 4, 6);
  });
});
