import type { SkuOutlook } from '@tiersight/twin-engine';
import { TwinErrorCode } from './twin.error';
import { decodeCursor, encodeCursor, toOutlookView, toStoredOutlook } from './twin-rows';

const summary = { p10: 0, p50: 10, p90: 20, mean: 9 };
const outlook: SkuOutlook = {
  skuId: 'K1',
  probability: 0.5,
  exposedSamples: 5,
  revenueAtRisk: summary,
  days: summary,
  onset: summary,
  curve: {
    short: [0, 0, 0.5, 0.3, 0, 0],
    lostFraction: [0, 0, 0.1234567891, 0.1, 0, 0],
    supplyRatio: { p10: [1, 1, 0.5, 0.6666666666, 1, 1], p50: [1, 1, 0.9, 1, 1, 1], p90: [1, 1, 1, 1, 1, 1] },
  },
};

describe('stored SKU rows', () => {
  it('keep only the days where the curve is not zero, rounded, and read back over the whole horizon', () => {
    const stored = toStoredOutlook(outlook);
    expect(stored.curve).toEqual({
      from: 2,
      short: [0.5, 0.3],
      lostFraction: [0.123457, 0.1],
      supplyRatio: { p10: [0.5, 0.666667], p50: [0.9, 1], p90: [1, 1] },
    });
    expect(toOutlookView(stored, 6).curve).toEqual({
      short: [0, 0, 0.5, 0.3, 0, 0],
      lostFraction: [0, 0, 0.123457, 0.1, 0, 0],
      // days nobody is short on: every sample's supply ratio is 1
      supplyRatio: { p10: [1, 1, 0.5, 0.666667, 1, 1], p50: [1, 1, 0.9, 1, 1, 1], p90: [1, 1, 1, 1, 1, 1] },
    });
    expect(toOutlookView(stored, 6)).toMatchObject({ skuId: 'K1', probability: 0.5, revenueAtRisk: summary });
  });

  it('store an all-zero curve as nothing', () => {
    const stored = toStoredOutlook({ ...outlook, curve: { short: [0, 0], lostFraction: [0, 0], supplyRatio: { p10: [1, 1], p50: [1, 1], p90: [1, 1] } } });
    expect(stored.curve).toEqual({ from: 2, short: [], lostFraction: [], supplyRatio: { p10: [], p50: [], p90: [] } });
    expect(toOutlookView(stored, 2).curve).toEqual({ short: [0, 0], lostFraction: [0, 0], supplyRatio: { p10: [1, 1], p50: [1, 1], p90: [1, 1] } });
  });

  it('read a row stored before the supply ratio percentiles were recorded without them', () => {
    const { supplyRatio: _, ...older } = toStoredOutlook(outlook).curve;
    const view = toOutlookView({ ...toStoredOutlook(outlook), curve: older }, 6);
    expect(view.curve).toEqual({ short: [0, 0, 0.5, 0.3, 0, 0], lostFraction: [0, 0, 0.123457, 0.1, 0, 0] });
    expect('supplyRatio' in view.curve).toBe(false);
  });
});

describe('cursors', () => {
  it('round-trip a position under their tag and refuse anything else', () => {
    expect(decodeCursor('r', encodeCursor('r', 1234))).toBe(1234);
    expect(decodeCursor('r', undefined)).toBe(0);
    for (const bad of ['!!', encodeCursor('a', 3), Buffer.from('r-1').toString('base64url'), 'x'.repeat(41)]) {
      expect(() => decodeCursor('r', bad)).toThrow(expect.objectContaining({ code: TwinErrorCode.InvalidCursor }));
    }
  });
});
