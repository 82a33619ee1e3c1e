import type { Exposure } from '@tiersight/contracts';
import { readChange } from './change-stream.consumer';

const after: Exposure = {
  skuId: 'SKU-1',
  x: 0.6,
  days: 4,
  onsetDays: 7,
  revenueAtRisk: 28800,
  eventIds: ['EV-1'],
  criticalPath: [{ nodeId: 'SITE-1', x: 1, days: 10, onsetDays: 0 }],
  confidence: { hops: 0, inferredHops: 0, inferredShare: 0, unconfirmedHops: 0, oldestConfirmedAt: null },
};
const fields = (change: unknown) => ['change', JSON.stringify(change)];

describe('readChange', () => {
  it('reads a version 1 change', () => {
    const change = { v: 1, kind: 'created', skuId: 'SKU-1', before: null, after };
    expect(readChange(fields(change))).toEqual({ change });
  });

  it('reads a change written before messages carried a version as version 1', () => {
    expect(readChange(fields({ kind: 'resolved', skuId: 'SKU-1', before: after, after: null }))).toEqual({
      change: { v: 1, kind: 'resolved', skuId: 'SKU-1', before: after, after: null },
    });
  });

  it.each([2, 0, '1', null])('skips a change of version %j and says which', (v) => {
    expect(readChange(fields({ v, kind: 'created', skuId: 'SKU-1', before: null, after }))).toEqual({ change: null, unknownVersion: v });
  });

  it('skips deleted, unreadable and foreign entries without throwing', () => {
    expect(readChange(null)).toEqual({ change: null });
    expect(readChange(['change', '{not json'])).toEqual({ change: null });
    expect(readChange(['change', 'null'])).toEqual({ change: null });
    expect(readChange(['change', JSON.stringify({ v: 1, kind: 'created' })])).toEqual({ change: null });
    expect(readChange(['other', '{}'])).toEqual({ change: null });
  });

  it('reads an outlook change from its own field, and skips one of an unknown version or kind', () => {
    const outlook = { skuId: 'SKU-1', x: 0.8, days: 4, onsetDays: 7, revenueAtRisk: 38400, p: 0.85, events: [{ eventId: 'AN-1', p: 0.85 }], joint: false };
    const message = { v: 1, kind: 'anticipated', skuId: 'SKU-1', before: null, after: outlook, observed: after };
    expect(readChange(['outlook', JSON.stringify(message)])).toEqual({ change: null, outlook: message });
    expect(readChange(['outlook', JSON.stringify({ ...message, v: 2 })])).toEqual({ change: null, unknownVersion: 2 });
    expect(readChange(['outlook', JSON.stringify({ ...message, kind: 'created' })])).toEqual({ change: null });
    expect(readChange(['outlook', '{not json'])).toEqual({ change: null });
  });
});
