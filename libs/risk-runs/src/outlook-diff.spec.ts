import type { Exposure, ExposureChangeMessage, ExposureOutlook } from '@tiersight/contracts';
import { diffOutlooks } from './outlook-diff';

const outlook = (skuId: string, over: Partial<ExposureOutlook> = {}): ExposureOutlook => ({
  skuId,
  x: 0.5,
  days: 10,
  onsetDays: 5,
  revenueAtRisk: 5000,
  p: 0.8,
  events: [{ eventId: 'AN-1', p: 0.8 }],
  joint: false,
  ...over,
});
const confidence = { hops: 0, inferredHops: 0, inferredShare: 0, unconfirmedHops: 0, oldestConfirmedAt: null };
const exposure = (skuId: string): Exposure => ({
  skuId,
  x: 0.6,
  days: 10,
  onsetDays: 5,
  revenueAtRisk: 6000,
  eventIds: ['EV-1'],
  criticalPath: [],
  confidence,
});
const change = (kind: ExposureChangeMessage['kind'], skuId: string): ExposureChangeMessage => ({
  v: 1,
  kind,
  skuId,
  before: null,
  after: kind === 'resolved' ? null : exposure(skuId),
});

describe('outlook diff', () => {
  it('reports an outlook that appears or worsens, rewrites one whose p or events moved, and stays silent for the same', () => {
    const stored = new Map([
      ['same', outlook('same')],
      ['worse', outlook('worse')],
      ['likelier', outlook('likelier')],
      ['better', outlook('better')],
    ]);
    const next = [
      outlook('same'),
      outlook('worse', { onsetDays: 2 }),
      outlook('likelier', { p: 0.9, events: [{ eventId: 'AN-1', p: 0.9 }] }),
      outlook('better', { x: 0.4, revenueAtRisk: 4000 }),
      outlook('new'),
    ];
    const observed = (id: string) => (id === 'new' ? exposure('new') : null);
    const { changes, set, clear } = diffOutlooks(stored, next, [], observed);
    expect(changes.map((c) => [c.kind, c.skuId])).toEqual([
      ['anticipated', 'worse'],
      ['anticipated', 'new'],
    ]);
    expect(changes[0].before).toEqual(outlook('worse'));
    expect(changes[1]).toMatchObject({ before: null, after: outlook('new'), observed: exposure('new') });
    expect(set.map((o) => o.skuId)).toEqual(['worse', 'likelier', 'better', 'new']);
    expect(clear).toEqual([]);
  });

  it('clears an outlook that goes away, as realized when the observed exposure caught up in the same run', () => {
    const stored = new Map([
      ['faded', outlook('faded')],
      ['came-true', outlook('came-true')],
      ['improved-observed', outlook('improved-observed')],
    ]);
    const observedChanges = [change('created', 'came-true'), change('improved', 'improved-observed')];
    const { changes, set, clear } = diffOutlooks(stored, [], observedChanges, () => null);
    expect(clear.sort()).toEqual(['came-true', 'faded', 'improved-observed']);
    expect(set).toEqual([]);
    expect(changes.map((c) => [c.kind, c.skuId]).sort()).toEqual([
      ['anticipation_cleared', 'faded'],
      ['anticipation_cleared', 'improved-observed'],
      ['anticipation_realized', 'came-true'],
    ]);
    expect(changes.find((c) => c.skuId === 'faded')).toMatchObject({ before: outlook('faded'), after: null, observed: null });
  });
});
